"""`facilitator compliance status|due|notify`: each man's standing against the programme's rules, and telling referrers of breaches."""

from __future__ import annotations

import click

from facilitator import clock
from facilitator.cli.output import DAY, emit_json, json_option, table
from facilitator.domain.compliance import HOW_TOLD
from facilitator.services.compliance import status as service
from facilitator.services.compliance.status import notify_referrer
from facilitator.services.core.group_store import get_group
from facilitator.services.core.people import list_participants


@click.group()
def compliance() -> None:
    """Each man's standing against the programme's rules, and telling referrers of breaches."""


@compliance.command("status")
@click.argument("participant_id", required=False)
@click.option("--group", "group_id", help="Only the men enrolled in this group.")
@click.option(
    "--all", "everyone", is_flag=True, help="Every man ever enrolled, not only those enrolled now."
)
@json_option
@click.pass_obj
def compliance_status(app, participant_id, group_id, everyone, as_json):
    """Compliance status with its reason: one man, a group, or everyone enrolled now."""

    office = app.office
    if participant_id:
        found = [service.standing(office, participant_id)]
    else:
        groups = {get_group(office, group_id).id} if group_id else None
        found = service.standings(office, groups_only=groups)
        if not everyone:
            found = [s for s in found if any(not e.left_on for e in s.enrolments)]
    service.open_breach_tasks(office, [s for s in found if s.enrolments])
    if as_json:
        return emit_json(
            [
                {
                    "participant_id": s.person.id,
                    "name": s.person.name,
                    **s.compliance.to_dict(),
                    "limits": service.limits_in_words(s.rules),
                }
                for s in found
            ]
        )
    table(
        [
            (
                s.person.id,
                s.person.name,
                f"{s.compliance.symbol} {s.compliance.label}",
                s.compliance.reason,
            )
            for s in found
        ],
        ["id", "name", "status", "reason"],
        empty="(no men enrolled)",
    )


@compliance.command("due")
@click.option("--all", "everything", is_flag=True, help="Closed tasks too.")
@json_option
@click.pass_obj
def compliance_due(app, everything, as_json):
    """Referrers still to be told of a breach, soonest deadline first."""

    office = app.office
    rows = service.due_tasks(office)
    if everything:
        rows = service.list_tasks(office)
    today = clock.today()
    if as_json:
        return emit_json([t.to_dict() | {"overdue": t.is_overdue(today)} for t in rows])
    names = {p.id: p.name for p in list_participants(office)}
    table(
        [
            (
                t.id,
                t.participant_id,
                names.get(t.participant_id, ""),
                ("OVERDUE " if t.is_overdue(today) else "") + t.due_on
                if t.state == "open"
                else f"told {t.told_on}",
                t.what,
            )
            for t in rows
        ],
        ["task", "id", "name", "due", "breach"],
        empty="(no referrer to tell)",
    )


@compliance.command("notify")
@click.argument("task_id")
@click.option(
    "--how", required=True, type=click.Choice(HOW_TOLD), help="How the referrer was told."
)
@click.option("--on", "day", type=DAY, help="When, YYYY-MM-DD (default today).")
@click.option("--note", default="", help="A short note (who was told, a reference).")
@click.option(
    "--letter",
    "with_letter",
    is_flag=True,
    help="Write the breach notice to the referrer too, recorded with the task in one action.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="With --letter: also write the letter here (.docx, .md or .html).",
)
@click.pass_obj
def compliance_notify(app, task_id, how, day, note, with_letter, output):
    """Record that the referrer was told of a breach, closing the task; with --letter, write
    the breach notice as well."""

    if with_letter:
        # The letter service (the reporting and intake reads it makes, about 20 ms) is loaded
        # only by the command that writes a letter.
        from facilitator.services.letters.service import notify_with_letter

        task, written = notify_with_letter(app.office, task_id, how, day, note, output)
        click.echo(f"{written.id}: breach notice to {written.addressee} ({written.file})")
    else:
        if output:
            raise click.UsageError("-o goes with --letter")
        task = notify_referrer(app.office, task_id, how, day, note)
    click.echo(
        f"{task.id} closed: referrer told on {task.told_on} by {task.told_how.replace('_', ' ')}"
    )
