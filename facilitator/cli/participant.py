"""`facilitator participant add|list|show|status|limits|export-data`: the men referred to the programme."""

from __future__ import annotations

import click

from facilitator.cli.output import emit_json, fields, json_option, table
from facilitator.domain.participant import PROGRAMME_ENDINGS, REFERRAL_SOURCES, STATUSES
from facilitator.services.core.group_store import enrolments
from facilitator.services.core.people import (
    add_participant,
    get_participant,
    list_participants,
    set_participant_status,
)


@click.group()
def participant() -> None:
    """Men referred to the programme."""


@participant.command("add")
@click.argument("name")
@click.option(
    "--referral-source", default="self", show_default=True, help=", ".join(REFERRAL_SOURCES)
)
@click.option("--referrer", default="", help="Referring organisation or officer.")
@click.option("--referrer-reference", default="", help="The referrer's case or court number.")
@click.option("--referred-on", help="Date of referral, YYYY-MM-DD (default today).")
@click.pass_obj
def participant_add(app, name, referral_source, referrer, referrer_reference, referred_on):
    """Add a participant."""

    person = add_participant(
        app.office, name, referral_source, referrer, referrer_reference, referred_on
    )
    click.echo(f"added {person.id}: {person.name} (referred by {person.referral_source})")
    if not referred_on:
        # Programme figures count waiting times from this date: say it was assumed.
        click.echo(
            f"referral date taken as today, {person.referred_on}: if the referral came earlier, "
            f"give it with `intake start {person.id} --referral-received YYYY-MM-DD`",
            err=True,
        )


@participant.command("list")
@click.option("--status", help=", ".join(STATUSES))
@json_option
@click.pass_obj
def participant_list(app, status, as_json):
    """List participants."""

    people = list_participants(app.office, status)
    if as_json:
        return emit_json([p.to_dict() for p in people])
    table(
        [(p.id, p.name, p.status, p.referral_source) for p in people],
        ["id", "name", "status", "referred by"],
    )


@participant.command("show")
@click.argument("participant_id")
@json_option
@click.pass_obj
def participant_show(app, participant_id, as_json):
    """Show one participant, his enrolments and status."""

    person = get_participant(app.office, participant_id)
    rows = enrolments(app.office, participant_id=person.id)
    data = person.to_dict() | {"enrolments": [e.to_dict() for e in rows]}
    for extra in _participant_extras():
        data |= extra(app.office, person)
    if as_json:
        return emit_json(data)
    fields(
        [
            ("id", person.id),
            ("name", person.name),
            (
                "status",
                person.status_words,
            ),
            ("referred by", f"{person.referral_source} {person.referrer}".strip()),
            ("reference", person.referrer_reference),
            ("referred on", person.referred_on),
        ]
        + [
            (
                f"group {e.group_id}",
                f"joined {e.joined_on} at session {e.joined_at_session}"
                + (f", left {e.left_on}: {e.left_reason}" if e.left_on else ""),
            )
            for e in rows
        ]
        + [
            (k, v)
            for k, v in data.items()
            if k.startswith(("compliance", "intake_status")) and isinstance(v, str)
        ]
    )


@participant.command("status")
@click.argument("participant_id")
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--reason", default="", help="Needed for suspended and exited.")
@click.option("--on", "day", help="For an ending: the day he leaves his group (default today).")
@click.option(
    "--decision",
    default="",
    help="A coordinator completing him before he covered the sessions required: the reason, "
    "in writing (kept, and shown in every report).",
)
@click.pass_obj
def participant_status(app, participant_id, status, reason, day, decision):
    """Change a participant's status.

    completed, suspended and exited end his programme: he leaves his group on that day, and his
    partner's contact point, his outcome time points and his retention follow from it.
    """

    if status in PROGRAMME_ENDINGS:
        from facilitator.services.compliance.ending import end_programme

        ended = end_programme(app.office, participant_id, status, reason, day, decision)
        left = (
            f"; left {ended.enrolment.group_id} on {ended.enrolment.left_on}"
            if ended.enrolment
            else ""
        )
        click.echo(f"{ended.person.id} is now {ended.person.status}{left}")
        if ended.enrolment:
            from facilitator.services.groupwork.waiting_list import offer_after_leaving

            offer = offer_after_leaving(app.office, ended.enrolment.group_id)
            if offer:
                click.echo(offer)
        return
    if day or decision:
        raise click.UsageError(
            "--on is for an ending (completed, suspended, exited), --decision for a completion"
        )
    person = set_participant_status(app.office, participant_id, status, reason)
    click.echo(f"{person.id} is now {person.status}")


def _participant_extras():
    """What compliance and intake add to `participant show`."""
    from facilitator.services.compliance import status as compliance_status
    from facilitator.services.intake import assessment as intake_assessment

    return [compliance_status.participant_show_fields, intake_assessment.participant_show_fields]


@participant.command("limits")
@click.argument("participant_id")
@click.option("--unexcused", type=int, help="Unexcused absences his order allows.")
@click.option(
    "--in-a-row", "in_a_row", type=int, help="Unexcused absences in a row his order allows."
)
@click.option("--min-percent", type=int, help="Minimum attendance percentage his order sets.")
@click.option("--required", type=int, help="Sessions his order requires him to attend.")
@click.option("--order", default="", help='What sets them, e.g. "Family court order 12/2026".')
@click.option("--clear", is_flag=True, help="Remove his own limits: the programme's apply again.")
@json_option
@click.pass_obj
def participant_limits(
    app, participant_id, unexcused, in_a_row, min_percent, required, order, clear, as_json
):
    """Show or set a man's own limits from his referrer's order (they win over the programme's)."""

    from facilitator.services.compliance import status as service

    office = app.office
    given = {
        "unexcused_absences_allowed": unexcused,
        "consecutive_unexcused_allowed": in_a_row,
        "min_attendance_percent": min_percent,
        "sessions_required": required,
    }
    if clear or order or any(v is not None for v in given.values()):
        service.set_order_limits(office, participant_id, order=order, clear=clear, **given)
    pid = participant_id.strip().upper()
    limits = service.order_limits(office, pid)
    rules = service.rules_for(office, pid)
    if as_json:
        return emit_json(
            {
                "participant_id": pid,
                "order": limits.to_dict() if limits else None,
                "in_force": {k: getattr(rules, k) for k in given}
                | {"source": {k: rules.source(k) for k in given}},
            }
        )
    required_words = rules.sessions_required or "every curriculum session"
    fields(
        [
            ("participant", pid),
            ("order", limits.label if limits else "(none: the programme's rules apply)"),
            (
                "unexcused allowed",
                f"{rules.unexcused_absences_allowed} "
                f"({rules.source('unexcused_absences_allowed')})",
            ),
            (
                "in a row allowed",
                f"{rules.consecutive_unexcused_allowed} "
                f"({rules.source('consecutive_unexcused_allowed')})",
            ),
            (
                "minimum attendance",
                f"{rules.min_attendance_percent}% ({rules.source('min_attendance_percent')})",
            ),
            ("sessions required", f"{required_words} ({rules.source('sessions_required')})"),
        ]
    )


@participant.command("export-data")
@click.argument("participant_id")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="File name: FILE.json and FILE.html are written.",
)
@click.pass_obj
def participant_export_data(app, participant_id, output):
    """Everything held about one man, as JSON and readable HTML (subject access request).

    Never includes anything from partner contact, nor any flag raised from it.
    """

    from facilitator.services.records.subject_access import write_export

    json_path, html_path, export = write_export(app.office, participant_id, output)
    counts = {k: len(v) for k, v in export.data.items() if isinstance(v, list) and v}
    click.echo(f"written {json_path} and {html_path} (readable by you only)")
    click.echo(
        "holds: "
        + (", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items()) or "his record only")
    )
    for rel in export.unreviewed:
        click.echo(
            f"not exported, review by hand (no rule yet for this kind of record): data/{rel}"
        )
