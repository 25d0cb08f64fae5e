"""Writes that cannot half-happen: random SIGKILLs, and what one check-in save costs.

    uv run python benchmarks/bench_writes.py [--trials 100] [--saves 200] [--rounds 3]
                                             [--against REV]

Both parts run twice in the same run: on this tree, and on the code at REV (default: where
this branch left main), exported to a temporary folder, as the baseline.

1. Kill trials: a child works the risk side through the real services (check-ins with
   disclosures and their suggestions, confirm and dismiss, raise, review, close); it is
   SIGKILLed after a random delay, the next command (`facilitator risk list`) runs, and the
   files are checked: every check-in's disclosures have their suggestion, every suggestion is
   in its index, every flag is in the queue, his history and the audit, the audit chain holds,
   nothing acknowledged is lost, no temporary file is left.
2. Saving one check-in with its scan on the 10-year workspace (benchmarks/history.py): an
   everyday check-in and one that discloses strangulation (scan, suggestion, index, id).
   Target: median <= 5 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

# The helpers this benchmark shares with the kill test; copied into the baseline tree.
HELPERS = [
    "tests/helpers/__init__.py",
    "tests/helpers/risk_writer.py",
    "tests/helpers/writes_check.py",
    "benchmarks/bench_writes.py",
]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def kill_trials(n: int) -> dict:
    from tests.helpers.writes_check import kill_trial, make_workspace

    with tempfile.TemporaryDirectory() as tmp:
        ws = make_workspace(Path(tmp) / "ws")
        acks: list[str] = []
        trials: list = []
        for seed in range(n):
            trials.append(kill_trial(ws, seed, acks))
        # A broken rule stays broken in the files: count the trials that broke a new one.
        seen: set[str] = set()
        bad = []
        for t in trials:
            if set(t.problems) - seen:
                bad.append(t)
            seen |= set(t.problems)
        return {
            "trials": n,
            "acks": len(acks),
            "journal_found": sum(t.replayed for t in trials),
            "temp_after_kill": sum(1 for t in trials if t.temp_left),
            "bad": len(bad),
            "problems_at_end": len(trials[-1].problems) if trials else 0,
            "examples": sorted(seen)[:6],
        }


def session_to_save_into(office) -> tuple:
    """(session, men): a session of the last group still running, on a future date no earlier
    run used, with every man marked present, ready for check-ins to be saved into."""
    from facilitator.services.core import group_store, session_store
    from facilitator.services.groupwork import sessions

    end = "2026-11-24"
    group = [g for g in group_store.list_groups(office) if group_store.roster(office, g.id, end)][
        -1
    ]
    men = [m.participant.id for m in group_store.roster(office, group.id, end)]
    day = (date(2026, 11, 24) + timedelta(days=7 * (1 + int(time.time()) % 2000))).isoformat()
    os.environ["FACILITATOR_NOW"] = f"{day}T18:30:00"
    s = session_store.find_session(office, group.id, day) or sessions.start_session(
        office, group.id, day, reason="rescheduled: benchmark run"
    )
    for m in men:
        sessions.mark_attendance(office, s.id, m, "present")
    return s, men


def saves(n: int, groups: int) -> dict:
    from history import build_history

    from facilitator.domain.checkin import CheckIn
    from facilitator.services.core.office import Office
    from facilitator.services.groupwork import sessions

    info = build_history(ROOT / "benchmarks" / "out" / f"writes-history-g{groups}", groups=groups)
    office = Office.open(info.path, "admin")
    s, men = session_to_save_into(office)
    texts = {
        "everyday": "Did his control log; no incidents this week, used time-out twice.",
        "discloses": "Said he put his hands round her throat during Saturday's row.",
    }
    out = {}
    for label, text in texts.items():
        times = []
        for i in range(n + 1):
            c = CheckIn(participant_id=men[i % len(men)], summary=f"{text} ({i})")
            t = time.perf_counter()
            sessions.record_checkin(office, s.id, c)
            times.append((time.perf_counter() - t) * 1000)
        times = times[1:]  # the first loads the detector
        out[label] = {"median": statistics.median(times), "p95": pct(times, 95)}
    return out


def run_part(tree: Path, part: str, args: argparse.Namespace) -> dict:
    """One part in a fresh interpreter on `tree`'s code."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, str(tree / "benchmarks" / "bench_writes.py"), "--part", part]
    cmd += ["--trials", str(args.trials), "--saves", str(args.saves), "--groups", str(args.groups)]
    done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{part} on {tree} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def baseline_tree(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True)
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    for rel in HELPERS:
        (into / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, into / rel)
    # The history cache is shared, so the baseline does not build its own.
    (into / "benchmarks" / "out").symlink_to(ROOT / "benchmarks" / "out")
    return into


def table(rows: list[tuple[str, ...]]) -> None:
    head = ("what", "this tree", "baseline", "target")
    w = [max(len(r[i]) for r in rows + [head]) for i in range(4)]
    print("  ".join(h.ljust(w[i]) for i, h in enumerate(head)))
    print("  ".join("-" * x for x in w))
    for r in rows:
        print("  ".join(v.ljust(w[i]) for i, v in enumerate(r)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--saves", type=int, default=200)
    ap.add_argument("--groups", type=int, default=400)
    ap.add_argument("--against", default="")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--part", choices=["kill", "save"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.part == "kill":
        print(json.dumps(kill_trials(args.trials)))
        return
    if args.part == "save":
        print(json.dumps(saves(args.saves, args.groups)))
        return

    rev = (
        args.against
        or subprocess.run(
            ["git", "merge-base", "HEAD", "main"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    with tempfile.TemporaryDirectory() as tmp:
        old = baseline_tree(rev, Path(tmp) / "baseline")
        t = time.perf_counter()
        ours_k, base_k = run_part(ROOT, "kill", args), run_part(old, "kill", args)
        # The save is timed in alternating rounds (this tree, baseline, this tree...) so that
        # a change in the machine's load falls on both; each side's figure is the median of
        # its rounds.
        rounds: dict[str, list[dict]] = {"ours": [], "base": []}
        for _ in range(args.rounds):
            rounds["ours"].append(run_part(ROOT, "save", args))
            rounds["base"].append(run_part(old, "save", args))
        ours_s, base_s = (
            {
                label: {
                    stat: statistics.median(r[label][stat] for r in rounds[side])
                    for stat in ("median", "p95")
                }
                for label in rounds[side][0]
            }
            for side in ("ours", "base")
        )
    print(f"\nbaseline: {rev[:10]}; {time.perf_counter() - t:.0f} s\n")
    rows = [
        ("kill trials", str(ours_k["trials"]), str(base_k["trials"]), f">= {args.trials}"),
        ("actions acknowledged", str(ours_k["acks"]), str(base_k["acks"]), ""),
        ("kills that left a journal", str(ours_k["journal_found"]), "-", "finished by next"),
        ("kills that left a .tmp", str(ours_k["temp_after_kill"]),
         str(base_k["temp_after_kill"]), "removed by next"),
        ("trials that broke a rule", str(ours_k["bad"]), str(base_k["bad"]), "0"),
        ("rules broken at the end", str(ours_k["problems_at_end"]),
         str(base_k["problems_at_end"]), "0"),
    ]  # fmt: skip
    for label in ("everyday", "discloses"):
        for stat in ("median", "p95"):
            target = "<= 5 ms" if stat == "median" else ""
            rows.append(
                (
                    f"save one check-in, {label}, {stat}",
                    f"{ours_s[label][stat]:.2f} ms",
                    f"{base_s[label][stat]:.2f} ms",
                    target,
                )
            )
    table(rows)
    for name, k in (("this tree", ours_k), ("baseline", base_k)):
        for example in k["examples"]:
            print(f"  {name}: {example}")


if __name__ == "__main__":
    main()
