"""`facilitator sharing add|list`: the information-sharing log."""

from __future__ import annotations

import click

from facilitator.cli.output import DAY, emit_json, json_option, table
from facilitator.domain.marac import SHARED_INFORMATION, SHARING_BASES, SHARING_MEANS
from facilitator.services.core.sharing import record_sharing, sharing_records


@click.group()
def sharing() -> None:
    """The information-sharing log: what about a man went to which agency, why, when."""


@sharing.command("add")
@click.argument("participant_id")
@click.option("--to", "to_agency", required=True, help="The agency it went to.")
@click.option("--person", "to_person", default="", help="The worker it went to.")
@click.option("--what", "information", required=True, type=click.Choice(list(SHARED_INFORMATION)))
@click.option("--basis", required=True, type=click.Choice(list(SHARING_BASES)))
@click.option(
    "--how", "means", default="phone", show_default=True, type=click.Choice(SHARING_MEANS)
)
@click.option("--date", "day", type=DAY, help="YYYY-MM-DD (default today).")
@click.pass_obj
def sharing_add(app, participant_id, to_agency, to_person, information, basis, means, day):
    """Record information shared by hand (a phone call, a meeting)."""
    record = record_sharing(
        app.office,
        participant_id,
        information=information,
        to_agency=to_agency,
        to_person=to_person,
        basis=basis,
        means=means,
        on=day,
    )
    click.echo(f"{record.id}: {record.participant_id} — {information} to {record.to_agency}")


@sharing.command("list")
@click.argument("participant_id", required=False)
@json_option
@click.pass_obj
def sharing_list(app, participant_id, as_json):
    """The log, newest first (one man's when an id is given)."""
    found = sharing_records(app.office, participant_id)
    if as_json:
        emit_json([r.to_dict() for r in found])
        return
    table(
        [
            [
                r.id,
                r.participant_id,
                r.shared_on,
                SHARED_INFORMATION.get(r.information, r.information),
                r.to_agency + (f" ({r.to_person})" if r.to_person else ""),
                r.basis,
                r.means,
                r.shared_by,
            ]
            for r in found
        ],
        ["id", "man", "date", "what", "to", "basis", "how", "by"],
        empty="nothing shared recorded",
    )
