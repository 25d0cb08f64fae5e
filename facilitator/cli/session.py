"""`facilitator session start|list|show|close`: a group's sessions."""

from __future__ import annotations

import click

from facilitator.cli.output import DAY, emit_json, fields, json_option, table
from facilitator.domain.attendance import SYMBOLS
from facilitator.domain.checkin import DISCLOSED_LABELS, STANCE_LABELS
from facilitator.services.core.group_store import roster
from facilitator.services.core.session_store import get_session, list_sessions
from facilitator.services.groupwork.sessions import (
    close_session,
    start_session,
)


@click.group()
def session() -> None:
    """Group sessions: start, list, show, close."""


@session.command("start")
@click.argument("group_id")
@click.option("--date", "day", type=DAY, help="YYYY-MM-DD (default today).")
@click.option(
    "--facilitator", "facilitators", multiple=True, help="Staff present (default the group's two)."
)
@click.option(
    "--reason",
    default="",
    help="Why it is held on another weekday than the group's (rescheduled); needed then.",
)
@click.pass_obj
def session_start(app, group_id, day, facilitators, reason):
    """Start the group's session for a date."""

    s = start_session(app.office, group_id, day, list(facilitators) or None, reason)
    moved = f"; not on the group's day: {s.rescheduled_reason}" if s.rescheduled_reason else ""
    click.echo(f"started {s.id}: curriculum session {s.curriculum_session}{moved}")


@session.command("list")
@click.option("--group", "group_id")
@json_option
@click.pass_obj
def session_list(app, group_id, as_json):
    """List sessions."""

    rows = list_sessions(app.office, group_id)
    if as_json:
        return emit_json([s.to_dict() for s in rows])
    table(
        [(s.id, s.date, s.group_id, s.curriculum_session, s.state) for s in rows],
        ["id", "date", "group", "session", "state"],
    )


@session.command("show")
@click.argument("session_id")
@json_option
@click.pass_obj
def session_show(app, session_id, as_json):
    """Show a session: attendance and check-ins."""

    rec = get_session(app.office, session_id)
    if as_json:
        return emit_json(rec.to_dict())
    s = rec.session
    fields(
        [
            ("session", s.id),
            ("date", s.date),
            ("curriculum session", s.curriculum_session),
            ("state", s.state),
            ("facilitators", ", ".join(s.facilitators_present)),
        ]
        + ([("not on the group's day", s.rescheduled_reason)] if s.rescheduled_reason else [])
    )
    click.echo()
    rows = []
    for entry in roster(app.office, s.group_id, s.date):
        pid = entry.participant.id
        mark = rec.attendance.get(pid)
        status = mark.status if mark else None
        late = f" {mark.minutes_late} min" if mark and mark.minutes_late else ""
        checkin = rec.checkins.get(pid)
        rows.append(
            (
                pid,
                entry.participant.name,
                f"{SYMBOLS[status]} {status or 'not marked'}{late}",
                DISCLOSED_LABELS.get(checkin.disclosed, checkin.disclosed) if checkin else "-",
                STANCE_LABELS.get(checkin.stance, checkin.stance) if checkin else "-",
            )
        )
    table(rows, ["id", "name", "attendance", "abuse since last time", "check-in stance"])
    if rec.corrections:
        click.echo(f"\n{len(rec.corrections)} correction(s) after closing")


@session.command("close")
@click.argument("session_id")
@click.option("--force", is_flag=True, help="Close even with marks or check-ins missing.")
@click.pass_obj
def session_close(app, session_id, force):
    """Close a session: it is locked against silent edits from then on."""

    s, missing = close_session(app.office, session_id, force)
    click.echo(f"closed {s.id}")
    for m in missing:
        click.echo(f"  missing: {m}")
