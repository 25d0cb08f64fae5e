"""`facilitator participant export-data ID -o FILE`: a subject access export, attached to the
`participant` group of cli/people.py."""

from __future__ import annotations

import click

from facilitator.cli.people import participant
from facilitator.services.records.subject_access import write_export


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
