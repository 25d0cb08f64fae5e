"""`facilitator report participant|engagement|programme`: a man's progress for his referrer, and programme figures for a period."""

from __future__ import annotations

import click

from facilitator.cli.output import emit_json, fields, json_option
from facilitator.cli.partner_key import _open, key_file_option
from facilitator.services.core.people import get_participant
from facilitator.services.evaluation.report import programme_report
from facilitator.services.reporting.referrer_report import (
    engagement_of,
    participant_report,
    set_engagement,
)
from facilitator.storage.files import atomic_write_text, existing_folder


@click.group()
def report() -> None:
    """Reports: a man's progress for his referrer (attendance and engagement only), programme
    figures."""


@report.command("participant")
@click.argument("participant_id")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("md", "html")),
    help="Default: from -o's extension, else md.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout)."
)
@click.option("--engagement", help="Engagement summary for this report (default: the stored one).")
@click.option(
    "--sent-to",
    default="",
    help="The agency it goes to: recorded in the information-sharing log.",
)
@click.option(
    "--basis",
    default="agreement",
    show_default=True,
    type=click.Choice(["agreement", "safeguarding", "court_order", "legal_duty"]),
    help="The basis for sharing it (with --sent-to).",
)
@click.pass_obj
def report_participant(app, participant_id, fmt, output, engagement, sent_to, basis):
    """A man's progress report: attendance, compliance, sessions covered and still to do,
    and the coordinator's engagement summary. Never check-ins, debriefs, flags or partner
    contact."""

    if fmt is None:
        fmt = "html" if output and output.lower().endswith((".html", ".htm")) else "md"
    text = participant_report(app.office, participant_id, fmt, engagement, sent_to, basis)
    if output:
        atomic_write_text(existing_folder(output), text)  # 0600: it names a man
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@report.command("engagement")
@click.argument("participant_id")
@click.argument("text", required=False)
@json_option
@click.pass_obj
def report_engagement(app, participant_id, text, as_json):
    """Show, or with TEXT write, the engagement summary his next reports carry."""

    office = app.office
    person = get_participant(office, participant_id)
    note = (
        set_engagement(office, person.id, text)
        if text is not None
        else engagement_of(office, person.id)
    )
    if as_json:
        return emit_json(note.to_dict() if note else None)
    if note is None:
        click.echo(
            f"no engagement summary for {person.id} yet: facilitator report engagement "
            f'{person.id} "..."'
        )
        return
    fields(
        [
            ("participant", person.id),
            ("written", f"{note.written_on} by {note.written_by}"),
            ("summary", note.text),
        ]
    )


@report.command("programme")
@click.option("--from", "since", help="First day, YYYY-MM-DD (default: a year before --to).")
@click.option("--to", "until", help="Last day, YYYY-MM-DD (default: today).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("md", "html", "json")),
    help="Default: from -o's extension, else md.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout)."
)
@click.option(
    "--partner",
    "partner_side",
    is_flag=True,
    help="Add aggregates of partners' answers (partner support only; asks for the passphrase).",
)
@key_file_option
@click.pass_obj
def report_programme(app, since, until, fmt, output, partner_side, key_file):
    """Referrals, starts, completions, drop-outs, attendance, flags and reviews, re-assessments,
    debriefs, outcomes and staff for a period. No figure identifies anyone: small counts are
    suppressed (setting figures.min_count)."""

    if fmt is None:
        lower = (output or "").lower()
        fmt = (
            "html"
            if lower.endswith((".html", ".htm"))
            else "json"
            if lower.endswith(".json")
            else "md"
        )
    store = None
    if partner_side:
        store = _open(app, key_file)
    text = programme_report(app.office, since, until, fmt, store)
    if output:
        atomic_write_text(existing_folder(output), text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
