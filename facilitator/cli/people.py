"""`facilitator staff …` and `facilitator participant …`."""

from __future__ import annotations

import click

from facilitator.cli.output import emit_json, fields, json_option, table
from facilitator.domain.participant import REFERRAL_SOURCES, STATUSES
from facilitator.domain.staff import ROLES
from facilitator.services.compliance import status as compliance_status
from facilitator.services.core.group_store import enrolments
from facilitator.services.core.people import (
    add_participant,
    add_staff,
    get_participant,
    list_participants,
    list_staff,
    set_participant_status,
)
from facilitator.services.intake import assessment as intake_assessment


@click.group()
def staff() -> None:
    """Staff members and their roles."""


@staff.command("add")
@click.argument("name")
@click.option(
    "--role", "roles", multiple=True, required=True, help=f"Repeatable: {', '.join(ROLES)}."
)
@click.option("--id", "staff_id", help="Short id used with --user (default: first name).")
@click.pass_obj
def staff_add(app, name, roles, staff_id):
    """Add a staff member."""

    member = add_staff(app.office, name, list(roles), staff_id)
    click.echo(f"added {member.id}: {member.name} ({', '.join(member.roles)})")


@staff.command("list")
@json_option
@click.pass_obj
def staff_list(app, as_json):
    """List staff."""

    members = list_staff(app.office)
    if as_json:
        return emit_json([m.to_dict() for m in members])
    table([(m.id, m.name, ", ".join(m.roles)) for m in members], ["id", "name", "roles"])


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
                person.status + (f" ({person.status_reason})" if person.status_reason else ""),
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
@click.pass_obj
def participant_status(app, participant_id, status, reason):
    """Change a participant's status."""

    person = set_participant_status(app.office, participant_id, status, reason)
    click.echo(f"{person.id} is now {person.status}")


def _participant_extras():
    """What compliance and intake add to `participant show`."""
    return [compliance_status.participant_show_fields, intake_assessment.participant_show_fields]
