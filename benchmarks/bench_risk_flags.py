"""Risk queue benchmark: does raising, reviewing and closing a flag stay cheap as years pass?

    uv run python benchmarks/bench_risk_flags.py [--years 10] [--per-year 1500] [--n 40]

Measured in one run on the same machine:
- raise, review, close and the home screen's queue_counts on a workspace with no history
  (the baseline);
- the same on a workspace holding `years` of closed flags (`per-year` each) and 40 open ones;
- the size of the files each write rewrites (open.json, the month's closed file, the man's
  history), and the time to find the oldest closed flag.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facilitator import clock  # noqa: E402
from facilitator.domain.risk_flag import FlagHistory  # noqa: E402
from facilitator.services.core import people
from facilitator.services.core.office import Office  # noqa: E402
from facilitator.services.risk import flag_store as risk_flag_store
from facilitator.services.risk import flags as risk  # noqa: E402
from facilitator.storage.workspace import Workspace  # noqa: E402

CATS = ["stalking", "physical_violence", "controlling_behaviour", "substance_misuse", "separation"]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def new_office(path: Path, men: int) -> Office:
    Workspace.init(path, "Bench")
    office = Office.open(path, "admin")
    people.add_staff(office, "Bench Admin", ["admin", "coordinator"], "admin")
    for i in range(men):
        people.add_participant(office, f"Man{i} Synthetic", "court")
    return office


def add_history(office: Office, years: int, per_year: int, men: int) -> None:
    """Closed flags written straight into the year files, plus 40 open ones."""
    now = clock.now()
    flags: list[dict] = []
    for back in range(years):
        for i in range(per_year):
            at = min(
                datetime(now.year - back, 1, 1, 9) + timedelta(minutes=i * 300),
                now - timedelta(days=1),
            )
            flags.append(_flag(len(flags) + 1, i % men, at, "closed"))
    live = [
        _flag(len(flags) + i + 1, i % men, now - timedelta(hours=i * 5), "open") for i in range(40)
    ]
    by_month: dict[str, list[dict]] = {}
    for f in flags:
        by_month.setdefault(f["raised_at"][:7], []).append(f)
    with office.stores.writing():
        for month, docs in by_month.items():
            with office.stores.store(f"risk/closed/{month}.json", "risk_closed", write=True) as db:
                db.table("flags").insert_multiple(docs)
        with office.stores.store("risk/open.json", "risk_open", write=True) as db:
            db.table("flags").insert_multiple(live)
        for m in range(men):
            pid = f"P{m + 1:04d}"
            with office.stores.store(f"risk/men/{pid}.json", "risk_man", write=True) as db:
                db.table("flags").insert_multiple(
                    [
                        FlagHistory(f["id"], f["raised_at"], f["categories"]).to_dict()
                        for f in flags + live
                        if f["participant_id"] == pid
                    ]
                )
        with office.stores.store("counters.json", "counters", write=True) as db:
            db.table("counters").insert({"prefix": "F", "last": len(flags) + len(live)})


def _flag(n: int, man: int, at: datetime, status: str) -> dict:
    return {
        "id": f"F{n:04d}",
        "participant_id": f"P{man + 1:04d}",
        "categories": [CATS[n % len(CATS)]],
        "severity": "high",
        "summary": "Synthetic flag for the benchmark.",
        "source": "hand",
        "raised_by": "admin",
        "raised_at": at.isoformat(),
        "deadline": (at + timedelta(days=1)).isoformat(),
        "session_id": "",
        "status": status,
        "reviews": [
            {"at": at.isoformat(), "by": "admin", "actions": ["risk_plan_updated"], "note": "Done."}
        ]
        if status == "closed"
        else [],
        "outcome": "Done." if status == "closed" else "",
        "closed_by": "",
        "closed_at": "",
        "markers": [],
        "escalated_from": "",
        "suggestion_id": "",
    }


def measure(office: Office, n: int, men: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"raise": [], "review": [], "close": [], "queue_counts": []}
    for i in range(n):
        t = time.perf_counter()
        f = risk.raise_flag(office, f"P{i % men + 1:04d}", [CATS[i % len(CATS)]], "Benchmark flag.")
        out["raise"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        risk.review_flag(office, f.id, ["risk_plan_updated"], "Plan updated.")
        out["review"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        risk.close_flag(office, f.id, "Done.")
        out["close"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        risk.queue_counts(office)
        out["queue_counts"].append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--per-year", type=int, default=1500)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--men", type=int, default=60)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        empty = new_office(Path(tmp) / "empty", args.men)
        full = new_office(Path(tmp) / "full", args.men)
        add_history(full, args.years, args.per_year, args.men)
        base = measure(empty, args.n, args.men)
        big = measure(full, args.n, args.men)
        open_kb = full.stores.path("risk", "open.json").stat().st_size / 1024
        month_kb = (
            full.stores.path("risk", "closed", clock.now().strftime("%Y-%m") + ".json")
            .stat()
            .st_size
            / 1024
        )
        man_kb = (
            max(p.stat().st_size for p in full.stores.path("risk", "men").glob("*.json")) / 1024
        )
        total_kb = sum(p.stat().st_size for p in full.stores.path("risk").rglob("*.json")) / 1024
        t = time.perf_counter()
        risk_flag_store.get_flag(full, "F0001")
        oldest_ms = (time.perf_counter() - t) * 1000
    print(
        f"risk flags: {args.n} raise/review/close cycles; "
        f"history {args.years} years x {args.per_year} closed flags"
    )
    print(
        f"{'operation':<14}{'empty p50':>11}{'empty p95':>11}"
        f"{'history p50':>13}{'history p95':>13}{'ratio p50':>11}"
    )
    for op in base:
        b50, b95, h50, h95 = (
            pct(base[op], 50),
            pct(base[op], 95),
            pct(big[op], 50),
            pct(big[op], 95),
        )
        print(f"{op:<14}{b50:>9.2f}ms{b95:>9.2f}ms{h50:>11.2f}ms{h95:>11.2f}ms{h50 / b50:>10.1f}x")
    print(
        f"files rewritten: open.json {open_kb:.0f} KB (raise, review, close); "
        f"this month's closed file {month_kb:.0f} KB (close); "
        f"largest man's history {man_kb:.0f} KB (raise); all risk stores {total_kb:.0f} KB"
    )
    print(f"showing the oldest closed flag (search of every month's file): {oldest_ms:.1f} ms")
    print(f"median raise with history: {statistics.median(big['raise']):.2f} ms")


if __name__ == "__main__":
    main()
