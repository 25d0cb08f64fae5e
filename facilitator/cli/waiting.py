"""`facilitator waiting list`: men found suitable and waiting for a place in a group."""

from __future__ import annotations

import click

from facilitator.cli.output import emit_json, json_option, table
from facilitator.services.groupwork.waiting_list import free_places, waiting_list


@click.group()
def waiting() -> None:
    """The waiting list: men found suitable and not yet in a group."""


@waiting.command("list")
@json_option
@click.pass_obj
def waiting_list_cmd(app, as_json):
    """Men waiting for a place, longest wait first, and the groups with a place free."""

    men = waiting_list(app.office)
    places = free_places(app.office)
    if as_json:
        return emit_json(
            {
                "waiting": [w.to_dict() for w in men],
                "free_places": [
                    {"group_id": p.group_id, "free": p.free, "offer_to": p.offer_to.participant_id}
                    for p in places
                    if p.offer_to
                ],
            }
        )
    table(
        [(w.participant_id, w.name, w.found_suitable_on, w.days_waiting, w.referrer) for w in men],
        ["id", "name", "found suitable", "days waiting", "referrer"],
        empty="nobody is waiting",
    )
    for p in places:
        if p.offer_to:
            click.echo(
                f"{p.group_id} has {p.free} place{'s' if p.free != 1 else ''} free: offer one to "
                f"{p.offer_to.participant_id} {p.offer_to.name}"
            )
