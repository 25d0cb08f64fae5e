"""`facilitator attendance mark`: a man's attendance at a session."""

from __future__ import annotations

import click

from facilitator.cli.output import correct_option
from facilitator.domain.attendance import ATTENDANCE_STATUSES, SYMBOLS
from facilitator.services.groupwork.sessions import (
    mark_attendance,
)


@click.group()
def attendance() -> None:
    """Attendance marks."""


@attendance.command("mark")
@click.argument("session_id")
@click.argument("participant_id")
@click.argument("status", metavar="STATUS")
@click.option("--minutes", type=int, default=0, help="Minutes late (late) or missed (left_early).")
@click.option("--reason", default="", help="Reason for an excused absence or leaving early.")
@correct_option
@click.pass_obj
def attendance_mark(app, session_id, participant_id, status, minutes, reason, correction):
    # The help names the statuses, so it is set below from ATTENDANCE_STATUSES.

    late = minutes if status.strip().lower() == "late" else 0
    missed = minutes if status.strip().lower().replace("-", "_") == "left_early" else 0
    mark = mark_attendance(
        app.office, session_id, participant_id, status, late, missed, reason, correction
    )
    click.echo(f"{mark.participant_id}: {SYMBOLS[mark.status]} {mark.status}")


attendance_mark.help = f"Mark a man's attendance. STATUS: {', '.join(ATTENDANCE_STATUSES)}."
