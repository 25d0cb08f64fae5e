"""Plan benchmark: what planning costs on a group with a long history, against what starting a
session read before the plan, measured in the same run.

    uv run python benchmarks/bench_plan.py [--sessions 500] [--n 7]

A workspace of its own (a temporary folder): one rolling group of 12 men with `--sessions`
weekly sessions held and closed (ten years is about 500), and a few cancellations ahead. Rows:

- baseline: the curriculum session a new session is on (session_store.next_curriculum_session,
  all starting a session read before);
- the plan's entry for today without closed days (what starting a session now adds);
- the plan for 12 and for 52 weeks, closed days included (the first of the run shown on
  its own);
- when the next place frees up in the full group (enrolment refused: every man's planned last
  session);
- the group's calendar for 24 weeks (.ics, icalendar loaded before timing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

END = date(2026, 11, 24)  # a Tuesday: the history ends the week before
os.environ["FACILITATOR_NOW"] = f"{END.isoformat()}T18:00:00"

from facilitator.curriculum.locate import bundled_curricula_dir  # noqa: E402
from facilitator.services.core import people, session_store  # noqa: E402
from facilitator.services.core.group_store import get_group  # noqa: E402
from facilitator.services.core.office import Office  # noqa: E402
from facilitator.services.groupwork import calendar, capacity, groups, plan, sessions  # noqa: E402
from facilitator.services.intake.assessment import complete_intake  # noqa: E402
from facilitator.storage.workspace import Workspace  # noqa: E402


def build(folder: Path, held: int) -> Office:
    Workspace.init(folder, "Plan benchmark (synthetic)", bundled_curricula_dir())
    admin = Office.open(folder, "admin")
    people.add_staff(admin, "Bench Admin", ["admin", "coordinator"], "admin")
    people.add_staff(admin, "Ash Facilitator", ["facilitator"], "ash")
    people.add_staff(admin, "Bo Facilitator", ["facilitator"], "bo")
    office = Office.open(folder, "ash")
    start = END - timedelta(weeks=held)
    groups.create_group(
        office,
        "Bench group",
        "core-24",
        "tuesday",
        "18:30",
        ["ash", "bo"],
        start_date=start.isoformat(),
        group_id="G1",
    )
    for n in range(12):
        p = people.add_participant(office, f"Bench Man{n:02d}", "court", "Bench Court", "REF")
        complete_intake(office, p.id, (start - timedelta(days=30)).isoformat())
        groups.enrol(office, "G1", p.id, start.isoformat())
    for week in range(held):
        day = (start + timedelta(weeks=week)).isoformat()
        s = sessions.start_session(office, "G1", day)
        for n in range(12):
            sessions.mark_attendance(office, s.id, f"P{n + 1:04d}", "present")
        sessions.close_session(office, s.id, force=True)
    for weeks in (3, 7):
        plan.cancel_session(admin, "G1", (END + timedelta(weeks=weeks)).isoformat(), "bench")
    return admin


def timed(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=500)
    ap.add_argument("--n", type=int, default=7)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        office = build(Path(tmp) / "ws", args.sessions)
        print(f"built {args.sessions} sessions x 12 men in {time.perf_counter() - t:.1f} s")
        group = get_group(office, "G1")
        today = END.isoformat()
        t = time.perf_counter()
        plan.group_plan(office, "G1", 1)
        first_load = (time.perf_counter() - t) * 1000
        calendar.group_calendar(office, "G1", 1)
        rows = [
            (
                "baseline: next curriculum session",
                timed(lambda: session_store.next_curriculum_session(office, group, today), args.n),
            ),
            (
                "plan entry for today, no closed days",
                timed(lambda: plan.planned_on(office, group, today, closures=False), args.n),
            ),
            ("first plan of the run", first_load),
            ("plan, 12 weeks", timed(lambda: plan.group_plan(office, "G1", 12), args.n)),
            ("plan, 52 weeks", timed(lambda: plan.group_plan(office, "G1", 52), args.n)),
            (
                "next place frees (12 men)",
                timed(lambda: capacity.next_place(office, group), args.n),
            ),
            (
                "group calendar, 24 weeks",
                timed(lambda: calendar.group_calendar(office, "G1", 24), args.n),
            ),
        ]
        base = rows[0][1]
        print(f"{'what':42} {'ms':>9} {'x baseline':>11}")
        for what, ms in rows:
            print(f"{what:42} {ms:9.2f} {ms / base:11.1f}")


if __name__ == "__main__":
    main()
