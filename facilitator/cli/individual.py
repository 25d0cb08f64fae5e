"""`facilitator individual record|list|show`: one-to-one sessions (pre-group, catch-up, crisis)."""

from __future__ import annotations

import click

from facilitator.cli.output import DAY, emit_json, fields, json_option, table
from facilitator.domain.attendance import ATTENDANCE_STATUSES, SYMBOLS
from facilitator.domain.checkin import (
    BEHAVIOUR_FORMS,
    CIRCUMSTANCES,
    DISCLOSED,
    HOMEWORK,
    NOT_RECORDED,
    STANCES,
    TOWARDS,
    CheckIn,
)
from facilitator.domain.individual import KINDS
from facilitator.services.groupwork.one_to_one import (
    get_individual_session,
    list_individual_sessions,
    record_individual_session,
)


@click.group()
def individual() -> None:
    """One-to-one sessions with a man: pre-group, catch-up for a missed session, crisis."""


@individual.command("record")
@click.argument("participant_id")
@click.argument("kind", type=click.Choice(KINDS))
@click.option(
    "--attendance",
    "status",
    default="present",
    show_default=True,
    help=", ".join(ATTENDANCE_STATUSES),
)
@click.option("--date", "day", type=DAY, help="YYYY-MM-DD (default today).")
@click.option("--worker", help="Staff who saw him (default: you).")
@click.option(
    "--curriculum-session", type=int, default=0, help="The curriculum session a catch-up covered."
)
@click.option("--minutes", type=int, default=0, help="Minutes late (late) or missed (left_early).")
@click.option("--reason", default="", help="Reason for an excused absence.")
@click.option(
    "--disclosed", help=f"Check-in: any abusive behaviour since last time: {', '.join(DISCLOSED)}."
)
@click.option("--form", "forms", multiple=True, help=f"Repeatable: {', '.join(BEHAVIOUR_FORMS)}.")
@click.option("--towards", multiple=True, help=f"Repeatable: {', '.join(TOWARDS)}.")
@click.option("--summary", default="", help="Check-in summary in your own words.")
@click.option(
    "--stance",
    default=NOT_RECORDED,
    help=f"The facilitators' judgement: {', '.join(STANCES)} (not given: not recorded).",
)
@click.option("--alternatives", default="", help="What he did instead (time-out, safety plan).")
@click.option(
    "--change",
    "changes",
    multiple=True,
    help=f"Circumstance change, repeatable: {', '.join(CIRCUMSTANCES)}.",
)
@click.option("--substances", default="", help="Alcohol or drug use.")
@click.option("--homework", default="none_set", show_default=True, help=", ".join(HOMEWORK))
@click.option(
    "--flag", "flag_categories", multiple=True, help="Raise a risk flag: category, repeatable."
)
@click.option("--flag-summary", default="", help="What was said or seen, for the flag.")
@click.option("--flag-severity", help="medium, high or critical (default: the categories').")
@click.pass_obj
def individual_record(
    app,
    participant_id,
    kind,
    status,
    day,
    worker,
    curriculum_session,
    minutes,
    reason,
    disclosed,
    forms,
    towards,
    summary,
    stance,
    alternatives,
    changes,
    substances,
    homework,
    flag_categories,
    flag_summary,
    flag_severity,
):
    """Record a one-to-one session: attendance, check-in (when he was there) and any risk flag."""

    wants_checkin = (
        disclosed is not None or summary or forms or alternatives or changes or substances
    )
    entry = None
    if wants_checkin:
        entry = CheckIn(
            participant_id=participant_id,
            disclosed=disclosed or NOT_RECORDED,
            forms=list(forms),
            towards=list(towards),
            summary=summary,
            stance=stance,
            alternatives_used=alternatives,
            circumstance_changes=list(changes),
            substance_use=substances,
            homework=homework,
        )
    norm = status.strip().lower().replace("-", "_")
    saved = record_individual_session(
        app.office,
        participant_id,
        kind,
        status,
        day,
        worker,
        curriculum_session,
        minutes_late=minutes if norm == "late" else 0,
        minutes_missed=minutes if norm == "left_early" else 0,
        reason=reason,
        checkin=entry,
        flag_categories=list(flag_categories),
        flag_summary=flag_summary,
        flag_severity=flag_severity,
    )
    covered = (
        f", covered curriculum session {saved.curriculum_session}"
        if saved.curriculum_session
        else ""
    )
    click.echo(
        f"recorded {saved.id}: {saved.kind} on {saved.date}, {SYMBOLS[saved.mark.status]} "
        f"{saved.mark.status}{covered}"
    )
    for flag_id in saved.flags:
        click.echo(f"  raised risk flag {flag_id}")
    if saved.suggestion_id:
        click.echo(
            f"  risk suggestion {saved.suggestion_id} queued ({', '.join(saved.indicators)}): "
            f"confirm or dismiss it (facilitator risk suggestions {saved.id})"
        )


@individual.command("list")
@click.option("--participant", "participant_id", help="Only this man's.")
@json_option
@click.pass_obj
def individual_list(app, participant_id, as_json):
    """List one-to-one sessions."""

    rows = list_individual_sessions(app.office, participant_id)
    if as_json:
        return emit_json([s.to_dict() for s in rows])
    table(
        [
            (
                s.id,
                s.date,
                s.participant_id,
                s.kind,
                f"{SYMBOLS[s.mark.status]} {s.mark.status}",
                s.curriculum_session or "-",
                s.worker,
            )
            for s in rows
        ],
        ["id", "date", "participant", "kind", "attendance", "covers", "worker"],
    )


@individual.command("show")
@click.argument("session_id")
@json_option
@click.pass_obj
def individual_show(app, session_id, as_json):
    """Show one one-to-one session."""

    s = get_individual_session(app.office, session_id)
    if as_json:
        return emit_json(s.to_dict())
    checkin = s.checkin or {}
    fields(
        [
            ("id", s.id),
            ("participant", s.participant_id),
            ("kind", s.kind),
            ("date", s.date),
            ("worker", s.worker),
            ("attendance", f"{SYMBOLS[s.mark.status]} {s.mark.status}"),
            ("covers session", s.curriculum_session or "-"),
            ("check-in", f"{checkin.get('stance')}: {checkin.get('summary')}" if checkin else "-"),
            ("flags", ", ".join(s.flags) or "-"),
            ("scanner found, unflagged", ", ".join(s.indicators) or "-"),
        ]
    )
