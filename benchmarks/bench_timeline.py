"""Timeline benchmark: `participant timeline` for the man with the longest history on a
ten-year workspace, against baselines measured in the same run.

    uv run python benchmarks/bench_timeline.py [--groups 400] [--n 7]

On a synthetic history of its own (benchmarks/history.py: 10 years, about 18,000 closed
sessions and 8,000 men; built once into benchmarks/out/timeline-history-g<groups>). The man
whose enrolments span the most days is given, once, a case file as long as a hard case has:
120 case notes, 6 agency contacts, 2 children, 20 risk flags and 10 one-to-ones. Rows:

- baseline, `participant show`'s reads: his record and every group's enrolments;
- baseline, the search subject access and retention make (every store read for his records);
- his whole timeline; the timeline of one kind (sessions); of case notes only.
Target: the whole timeline within 300 ms.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ["FACILITATOR_NOW"] = "2026-11-24T18:00:00"  # the day the history ends

from history import OUT, build_history  # noqa: E402

from facilitator.services.casefile import agency_contacts, case_notes, children  # noqa: E402
from facilitator.services.core.group_store import enrolments  # noqa: E402
from facilitator.services.core.office import Office  # noqa: E402
from facilitator.services.core.people import get_participant  # noqa: E402
from facilitator.services.groupwork import one_to_one  # noqa: E402
from facilitator.services.records import person_records  # noqa: E402
from facilitator.services.records.timeline import timeline  # noqa: E402
from facilitator.services.risk import flags  # noqa: E402

TARGET_MS = 300.0
NOTE_WORDS = (
    "Phone call with his probation officer: attendance confirmed, next review in March.",
    "Called after the missed session; he said he was working a late shift.",
    "Change in circumstances: he has moved to a new address across town.",
)


def longest_history(office: Office) -> str:
    spans: dict[str, int] = {}
    for e in enrolments(office):
        end = date.fromisoformat(e.left_on) if e.left_on else date(2026, 11, 24)
        days = (end - date.fromisoformat(e.joined_on)).days
        spans[e.participant_id] = spans.get(e.participant_id, 0) + days
    return max(spans, key=lambda p: (spans[p], p))


def give_case_file(office: Office, pid: str) -> None:
    """Once: a hard case's case file, written through the services as staff would."""
    marker = office.stores.path("casefile", f"{pid}.json")
    if marker.exists():
        return
    start = date(2026, 11, 24) - timedelta(days=600)
    for i in range(6):
        agency_contacts.add(
            office,
            pid,
            role="probation_officer",
            agency=f"Sample Probation {i}",
            name=f"Officer {i}",
        )
    children.add_child(office, pid, "Mia", age=6, contact="supervised")
    children.add_child(office, pid, "Leo", age=3, contact="none")
    for i in range(120):
        day = (start + timedelta(days=5 * i)).isoformat()
        case_notes.add_note(office, pid, NOTE_WORDS[i % 3], "phone_call", day)
    for i in range(20):
        flags.raise_flag(office, pid, ["controlling_behaviour"], f"Raised by hand {i}")
    for i in range(10):
        one_to_one.record_individual_session(
            office, pid, "crisis", "present", (start + timedelta(days=30 * i)).isoformat(), "admin"
        )


def timed(fn, n: int) -> tuple[list[float], object]:
    out, result = [], None
    for _ in range(n):
        gc.collect()
        t = time.perf_counter()
        result = fn()
        out.append((time.perf_counter() - t) * 1000)
    return out, result


def row(name: str, ms: list[float], base: float | None = None, extra: str = "") -> None:
    med = statistics.median(ms)
    ratio = f"{med / base:7.2f}x" if base else f"{'':8}"
    print(f"{name:<52}{med:9.1f}{max(ms):9.1f} {ratio}{extra}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", type=int, default=400)
    ap.add_argument("--n", type=int, default=7)
    args = ap.parse_args(argv)
    info = build_history(OUT / f"timeline-history-g{args.groups}", groups=args.groups)
    office = Office.open(info.path, "admin")
    pid = longest_history(office)
    give_case_file(office, pid)
    print(
        f"workspace {info.path}: {info.participants} men, {info.sessions} sessions; "
        f"longest history {pid}"
    )
    print(f"{'timeline (ms)':<52}{'median':>9}{'max':>9} {'vs base':>8}")

    def show() -> object:
        return get_participant(office, pid), enrolments(office, participant_id=pid)

    base_ms, _ = timed(show, args.n)
    row("baseline: participant show's reads", base_ms)
    base = statistics.median(base_ms)
    find_ms, _ = timed(lambda: person_records.find(office, [pid]), max(1, args.n // 3))
    row("baseline: every store searched for his records", find_ms, base)
    full_ms, events = timed(lambda: timeline(office, pid), args.n)
    kinds: dict[str, int] = {}
    for e in events:  # type: ignore[attr-defined]
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    verdict = "  within target" if statistics.median(full_ms) <= TARGET_MS else "  OVER TARGET"
    row(f"his whole timeline ({len(events)} events)", full_ms, base, verdict)  # type: ignore[arg-type]
    ms, _ = timed(lambda: timeline(office, pid, ["session"]), args.n)
    row("sessions only", ms, base)
    ms, _ = timed(lambda: timeline(office, pid, ["case_note"]), args.n)
    row("case notes only", ms, base)
    print("events by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print(f"target: whole timeline within {TARGET_MS:.0f} ms")


if __name__ == "__main__":
    main()
