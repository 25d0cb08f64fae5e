"""Import benchmark: `facilitator import attendance` of 10,000 rows of history, against
baselines measured in the same run.

    uv run python benchmarks/bench_import.py [--rows 10000] [--n 3]

A workspace of its own (built once into benchmarks/out/import-base): 100 synthetic men in ten
rolling groups, enrolled from each group's first session. The file holds a mark for every man
at each of his group's weekly sessions (ten men × ten groups × 100 weeks = 10,000 rows), none
of them held yet, as a programme's old spreadsheet would: the import records each session as
held, marks it, and closes it. Each timed import starts from a fresh copy of the workspace.
Rows:

- baseline: reading the file (csv, and xlsx) into rows, nothing checked;
- baseline: one session started, its ten men marked and closed through the services, as a
  facilitator would do it (times 1,000 sessions: what the import does by hand);
- the import as a dry run (every row checked, nothing written);
- the import, csv and xlsx; the same file a second time (nothing new).
Target: importing 10,000 attendance rows within 10 s.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["FACILITATOR_NOW"] = "2026-11-24T18:00:00"

from facilitator.curriculum.locate import bundled_curricula_dir  # noqa: E402
from facilitator.services.casefile.importing import import_attendance, read_rows  # noqa: E402
from facilitator.services.core import people  # noqa: E402
from facilitator.services.core.office import Office  # noqa: E402
from facilitator.services.groupwork import groups, sessions  # noqa: E402
from facilitator.services.intake import assessment as intake  # noqa: E402
from facilitator.storage.workspace import Workspace  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
TARGET_S = 10.0
GROUPS = 10
MEN_PER_GROUP = 10
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
STATUSES = ("present", "present", "present", "late", "excused", "unexcused", "present")


def first_day(g: int, weeks: int) -> date:
    """The group's first session: `weeks` weeks before the fixed now, on its own weekday."""
    end = date(2026, 11, 23) - timedelta(weeks=weeks)
    return end + timedelta(days=(g % len(WEEKDAYS)))


def build_base(path: Path, weeks: int) -> None:
    if (path / "facilitator.toml").exists():
        return
    Workspace.init(path, "Import Benchmark", bundled_curricula_dir())
    admin = Office.open(path, "admin")
    people.add_staff(admin, "Bench Admin", ["admin", "coordinator"], "admin")
    people.add_staff(admin, "Alex Facilitator", ["facilitator"], "alex")
    people.add_staff(admin, "Bea Facilitator", ["facilitator"], "bea")
    admin = Office.open(path, "admin")
    for g in range(GROUPS):
        start = first_day(g, weeks)
        groups.create_group(
            admin,
            f"Group {g + 1}",
            "core-24",
            WEEKDAYS[g % len(WEEKDAYS)],
            "18:30",
            ["alex", "bea"],
            start_date=start.isoformat(),
            group_id=f"G{g + 1}",
        )
        for m in range(MEN_PER_GROUP):
            man = people.add_participant(admin, f"Man{g:02d}{m:02d} Benchmark", "court")
            intake.complete_intake(admin, man.id, (start - timedelta(days=14)).isoformat())
            groups.enrol(admin, f"G{g + 1}", man.id, start.isoformat())


def write_file(path: Path, weeks: int, rows: int) -> int:
    """The spreadsheet: group by group, week by week, a mark for each man; `rows` at most."""
    done = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["participant", "group", "date", "attendance", "minutes late", "reason"])
        for g in range(GROUPS):
            start = first_day(g, weeks)
            for week in range(weeks):
                day = (start + timedelta(weeks=week)).isoformat()
                for m in range(MEN_PER_GROUP):
                    if done >= rows:
                        return done
                    status = STATUSES[(g + week + m) % len(STATUSES)]
                    late = "10" if status == "late" else ""
                    reason = "hospital appointment" if status == "excused" else ""
                    pid = f"P{g * MEN_PER_GROUP + m + 1:04d}"
                    w.writerow([pid, f"G{g + 1}", day, status, late, reason])
                    done += 1
    return done


def as_xlsx(csv_path: Path, xlsx_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    with csv_path.open(newline="", encoding="utf-8") as f:
        for r in csv.reader(f):
            sheet.append(r)
    book.save(xlsx_path)


def timed(fn, n: int, setup=None) -> tuple[list[float], object]:
    out, result = [], None
    for _ in range(n):
        arg = setup() if setup else None
        gc.collect()
        t = time.perf_counter()
        result = fn(arg) if setup else fn()
        out.append(time.perf_counter() - t)
    return out, result


def row(name: str, s: list[float], base: float | None = None, extra: str = "") -> None:
    med = statistics.median(s)
    ratio = f"{med / base:7.2f}x" if base else f"{'':8}"
    print(f"{name:<52}{med:9.2f}{max(s):9.2f} {ratio}{extra}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--n", type=int, default=3)
    args = ap.parse_args(argv)
    weeks = -(-args.rows // (GROUPS * MEN_PER_GROUP))
    base_ws = OUT / f"import-base-w{weeks}"
    build_base(base_ws, weeks)
    scratch = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        sheet = scratch / "attendance.csv"
        rows = write_file(sheet, weeks, args.rows)
        book = scratch / "attendance.xlsx"
        as_xlsx(sheet, book)
        copies = iter(range(10_000))

        def fresh() -> Office:
            to = scratch / f"ws{next(copies)}"
            shutil.copytree(base_ws, to)
            return Office.open(to, "admin")

        print(f"{rows} attendance rows, {GROUPS} groups × {weeks} weeks × {MEN_PER_GROUP} men")
        print(f"{'import (s)':<52}{'median':>9}{'max':>9} {'vs base':>8}")
        read_s, _ = timed(lambda: read_rows(sheet), args.n)
        row("baseline: reading the csv into rows", read_s)
        base = statistics.median(read_s)
        xread_s, _ = timed(lambda: read_rows(book), args.n)
        row("baseline: reading the xlsx into rows", xread_s, base)

        def by_hand(office: Office) -> None:
            # The first ten sessions of group 1, as a facilitator would record them.
            start = first_day(0, weeks)
            for week in range(10):
                s = sessions.start_session(
                    office, "G1", (start + timedelta(weeks=week)).isoformat()
                )
                for m in range(MEN_PER_GROUP):
                    sessions.mark_attendance(office, s.id, f"P{m + 1:04d}", "present")
                sessions.close_session(office, s.id, force=True)

        hand_s, _ = timed(by_hand, args.n, fresh)
        per_session = statistics.median(hand_s) / 10
        scaled = [t / 10 * (rows / MEN_PER_GROUP) for t in hand_s]
        row(f"baseline: by hand, scaled to {rows // MEN_PER_GROUP} sessions", scaled, base)
        dry_s, result = timed(lambda o: import_attendance(o, sheet, dry_run=True), args.n, fresh)
        assert not result.bad, result.bad[:3]  # type: ignore[attr-defined]
        row("dry run (every row checked, nothing written)", dry_s, base)
        csv_s, result = timed(lambda o: (o, import_attendance(o, sheet)), args.n, fresh)
        office, done = result  # type: ignore[misc]
        assert done.written and len(done.done) == rows, (len(done.done), done.bad[:3])
        med = statistics.median(csv_s)
        verdict = "  within target" if med <= TARGET_S else "  OVER TARGET"
        row(f"import {rows} rows from csv", csv_s, base, verdict)
        xlsx_s, _ = timed(lambda o: import_attendance(o, book), args.n, fresh)
        row(f"import {rows} rows from xlsx", xlsx_s, base)
        again_s, again = timed(lambda: import_attendance(office, sheet), 1)
        assert len(again.unchanged) == rows  # type: ignore[attr-defined]
        row("the same csv again (nothing new)", again_s, base)
        print(f"by hand: {per_session * 1000:.0f} ms a session of {MEN_PER_GROUP} marks")
        print(f"target: {rows} attendance rows imported within {TARGET_S:.0f} s")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
