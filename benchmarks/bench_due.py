"""Due lists benchmark: what the home screen's "Due" box costs on a ten-year workspace, against
the full reads it used to make, measured in the same run.

    uv run python benchmarks/bench_due.py [--groups 400] [--n 7]

On a synthetic history of its own (benchmarks/history.py, 10 years, about 18,000 closed sessions
and 8,000 men; built once into benchmarks/out/due-history-g<groups>: this benchmark writes the
debriefs' kept list and opens compliance tasks). No debrief note is written in it, so every
closed session's debrief is due: the worst case for that list. Rows:

- debriefs due: baseline, every session index and every note index read (due_notes before
  services/debrief/due.py); now with no kept list (the first look: everything read, the list
  written), with nothing changed since the last look, and with one group's session index
  rewritten since; then the same with `debrief.due_from` a month ago (a programme that signs
  its notes sees about this many);
- compliance tasks due: baseline, every enrolment of every group built (the scope before
  attendance_records.enrolments_of_men_since); now.
Each new list is checked against its baseline: the same items, in the same order.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ["FACILITATOR_NOW"] = "2026-11-24T18:00:00"  # the day the history ends

from bench_debrief import set_due_from  # noqa: E402
from history import build_history  # noqa: E402

from facilitator import clock  # noqa: E402
from facilitator.domain.debrief import due_at  # noqa: E402
from facilitator.services.compliance import status as compliance
from facilitator.services.core import session_store as session_store
from facilitator.services.core.office import Office  # noqa: E402
from facilitator.services.debrief import due as debrief_due
from facilitator.services.debrief import notes as debrief
from facilitator.services.groupwork import attendance as records  # noqa: E402
from facilitator.storage.files import atomic_write_text  # noqa: E402


# -- the full reads, as the services made them before --------------------------------------------
def full_read_debriefs(office: Office) -> list[debrief.DueNote]:
    now = clock.now()
    hours = float(office.setting("debrief.due_hours", 48))
    since = str(office.setting("debrief.due_from", "") or "")
    notes = {r["id"]: r for r in debrief.list_notes(office)}
    out = []
    for s in session_store.list_sessions(office):
        if not s.is_closed or s.kind != "group" or (since and s.date < since):
            continue
        row = notes.get(s.id)
        if row and row["status"] == "signed":
            continue
        due = due_at(s.date, s.closed_at, hours)
        if due <= now:
            awaiting = (
                [a for a in row["authors"] if a not in row["signed_by"]]
                if row
                else list(s.facilitators_present)
            )
            out.append(
                debrief.DueNote(
                    s.id,
                    s.group_id,
                    s.date,
                    s.curriculum_session,
                    s.closed_at,
                    due.isoformat(),
                    "draft" if row else "no note",
                    awaiting,
                )
            )
    return sorted(out, key=lambda d: (d.due_at, d.session_id))


def full_read_compliance(office: Office) -> list:
    recent = (clock.today() - timedelta(days=compliance.RECENTLY_LEFT_DAYS)).isoformat()
    every = records.all_enrolments(office)
    in_scope = {e.participant_id for e in every if not e.left_on or e.left_on >= recent}
    compliance.open_breach_tasks(office, compliance.standings(office, in_scope, enrolments=every))
    return compliance.list_tasks(office, state="open")


# -- timing --------------------------------------------------------------------------------------
def timed(fn, n: int, before=None) -> tuple[list[float], object]:
    out, result = [], None
    for _ in range(n):
        if before:
            before()
        gc.collect()  # each timing starts from the same heap: the lists before it are large
        t = time.perf_counter()
        result = fn()
        out.append((time.perf_counter() - t) * 1000)
    return out, result


def row(name: str, ms: list[float], base: float | None = None, same: bool | None = None) -> None:
    med = statistics.median(ms)
    ratio = f"{med / base:7.2f}x" if base else f"{'':8}"
    check = "" if same is None else ("  same list" if same else "  DIFFERENT LIST")
    print(f"{name:<58}{med:9.1f}{max(ms):9.1f} {ratio}{check}")


def debrief_rows(office: Office, n: int, label: str) -> None:
    kept = office.stores.path(*debrief_due.STORE.split("/"))
    index = office.stores.path(
        "sessions", session_store.list_sessions(office)[-1].group_id, "index.json"
    )
    base_ms, base = timed(lambda: full_read_debriefs(office), n)
    base_med = statistics.median(base_ms)
    row(f"baseline: every index read ({len(base)} due{label})", base_ms)
    ms, got = timed(
        lambda: debrief.due_notes(office), n, before=lambda: kept.unlink(missing_ok=True)
    )
    row("due_notes, no kept list (first look: read all, write it)", ms, base_med, got == base)
    debrief.due_notes(office)
    ms, got = timed(lambda: debrief.due_notes(office), n)
    row("due_notes, nothing changed since the last look", ms, base_med, got == base)
    text = index.read_text(encoding="utf-8")
    ms, got = timed(
        lambda: debrief.due_notes(office), n, before=lambda: atomic_write_text(index, text)
    )
    row("due_notes, one group's session index written since", ms, base_med, got == base)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", type=int, default=400)
    ap.add_argument("--n", type=int, default=7, help="repetitions of each timing (median shown)")
    args = ap.parse_args(argv)

    t = time.perf_counter()
    info = build_history(
        ROOT / "benchmarks" / "out" / f"due-history-g{args.groups}", groups=args.groups
    )
    print(
        f"history: {info.path} ({info.groups} groups, {info.sessions} sessions, "
        f"{info.participants} men; "
        f"{time.perf_counter() - t:.1f} s to build or find)",
        file=sys.stderr,
    )
    office = Office.open(info.path, "admin")
    set_due_from(office, "")
    compliance.due_tasks(
        office
    )  # the breaches found so far get their tasks: no timing below writes any

    print(f"{'due list (ms)':<58}{'median':>9}{'max':>9} {'vs base':>8}")
    debrief_rows(office, args.n, "")
    set_due_from(office, (clock.today() - timedelta(days=30)).isoformat())
    debrief_rows(office, args.n, ", due_from a month ago")
    set_due_from(office, "")

    base_ms, base = timed(lambda: full_read_compliance(office), args.n)
    row(f"baseline: every enrolment built ({len(base)} tasks due)", base_ms)
    ms, got = timed(lambda: compliance.due_tasks(office), args.n)
    row(
        "due_tasks, only the enrolments of men in scope built",
        ms,
        statistics.median(base_ms),
        got == base,
    )
    print(
        "target: each list ≤ 100 ms, the home screen's due lists within about 1 s of "
        "launch (bench_tui.py)"
    )


if __name__ == "__main__":
    main()
