"""`facilitator session …`, `attendance mark`, `checkin record`."""

from __future__ import annotations

import click

from facilitator.cli.output import emit_json, fields, json_option, table
from facilitator.domain.attendance import ATTENDANCE_STATUSES, SYMBOLS
from facilitator.domain.checkin import (
    BEHAVIOUR_FORMS,
    CIRCUMSTANCES,
    DISCLOSED,
    HOMEWORK,
    STANCES,
    TOWARDS,
    CheckIn,
)
from facilitator.services.core.group_store import roster
from facilitator.services.core.session_store import get_session, list_sessions
from facilitator.services.groupwork.sessions import (
    close_session,
    mark_attendance,
    record_checkin,
    start_session,
)

correct_option = click.option(
    "--correct", "correction", metavar="REASON", help="Change a closed session; the reason is kept."
)


@click.group()
def session() -> None:
    """Group sessions: start, list, show, close."""


@session.command("start")
@click.argument("group_id")
@click.option("--date", "day", help="YYYY-MM-DD (default today).")
@click.option(
    "--facilitator", "facilitators", multiple=True, help="Staff present (default the group's two)."
)
@click.pass_obj
def session_start(app, group_id, day, facilitators):
    """Start the group's session for a date."""

    s = start_session(app.office, group_id, day, list(facilitators) or None)
    click.echo(f"started {s.id}: curriculum session {s.curriculum_session}")


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
                checkin.stance if checkin else "-",
            )
        )
    table(rows, ["id", "name", "attendance", "check-in stance"])
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


@click.group()
def checkin() -> None:
    """Accountability check-ins."""


@checkin.command("record")
@click.argument("session_id")
@click.argument("participant_id")
@click.option(
    "--disclosed",
    default="no",
    show_default=True,
    help=f"Any abusive behaviour since last session: {', '.join(DISCLOSED)}.",
)
@click.option("--form", "forms", multiple=True, help=f"Repeatable: {', '.join(BEHAVIOUR_FORMS)}.")
@click.option("--towards", multiple=True, help=f"Repeatable: {', '.join(TOWARDS)}.")
@click.option("--summary", default="", help="Short summary in the facilitators' words.")
@click.option("--stance", default="responsible", show_default=True, help=", ".join(STANCES))
@click.option("--alternatives", default="", help="What he did instead (time-out, safety plan).")
@click.option(
    "--change",
    "changes",
    multiple=True,
    help=f"Circumstance change, repeatable: {', '.join(CIRCUMSTANCES)}.",
)
@click.option("--changes-note", default="", help="Details of the changes.")
@click.option("--substances", default="", help="Alcohol or drug use.")
@click.option("--homework", default="none_set", show_default=True, help=", ".join(HOMEWORK))
@correct_option
@click.pass_context
def checkin_record(
    ctx,
    session_id,
    participant_id,
    disclosed,
    forms,
    towards,
    summary,
    stance,
    alternatives,
    changes,
    changes_note,
    substances,
    homework,
    correction,
):
    """Record a man's check-in for a session.

    Recording again (or correcting a closed session) changes only the options given: the rest
    of his check-in stays as it was.
    """
    from click.core import ParameterSource

    app = ctx.obj
    given = {
        "disclosed": disclosed,
        "forms": list(forms),
        "towards": list(towards),
        "summary": summary,
        "stance": stance,
        "alternatives_used": alternatives,
        "circumstance_changes": list(changes),
        "circumstances_note": changes_note,
        "substance_use": substances,
        "homework": homework,
    }
    option_of = {
        "forms": "forms",
        "alternatives_used": "alternatives",
        "circumstance_changes": "changes",
        "circumstances_note": "changes_note",
        "substance_use": "substances",
    }
    existing = get_session(app.office, session_id).checkins.get(participant_id.strip().upper())
    fields = existing.to_dict() if existing else {}
    for name, value in given.items():
        if (
            existing is None
            or ctx.get_parameter_source(option_of.get(name, name)) != ParameterSource.DEFAULT
        ):
            fields[name] = value
    fields["participant_id"] = participant_id
    recorded = record_checkin(app.office, session_id, CheckIn.from_dict(fields), correction)
    saved, s = recorded.checkin, recorded.suggestion
    click.echo(f"recorded check-in for {saved.participant_id} ({saved.stance})")
    if s is not None:
        click.echo(
            f"risk: suggested flag {s.id} for {s.participant_id}: "
            f"{', '.join(s.categories)} ({s.severity})"
        )
        for m in s.matches:
            click.echo(f'  {m["category"]}: "{m["match"]}"')
        click.echo(
            f"  confirm: facilitator risk confirm {s.id}   "
            f'dismiss: facilitator risk dismiss {s.id} --reason "..."'
        )
