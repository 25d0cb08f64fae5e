"""`facilitator report programme`: programme figures for a period, attached to the `report` group
of cli/reports.py. matplotlib is imported only when an HTML report is drawn."""

from __future__ import annotations

import click

from facilitator.cli.partner import _open, key_file_option
from facilitator.cli.reports import report
from facilitator.services.evaluation.report import programme_report
from facilitator.storage.files import atomic_write_text, existing_folder


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
