"""`facilitator group …`."""

from __future__ import annotations

import click

from facilitator.cli.output import DAY, emit_json, fields, json_option, table
from facilitator.domain.values import WEEKDAYS
from facilitator.services.compliance.ending import leave_group
from facilitator.services.core.group_store import get_group, list_groups, roster
from facilitator.services.groupwork.groups import create_group, enrol


@click.group()
def group() -> None:
    """Groups, their schedule and who is enrolled."""


@group.command("create")
@click.argument("name")
@click.option(
    "--curriculum", default="core-24", show_default=True, help="Curriculum id in the workspace."
)
@click.option("--weekday", required=True, help=", ".join(WEEKDAYS))
@click.option("--time", "at", default="18:30", show_default=True, help="Start time, HH:MM.")
@click.option("--facilitator", "facilitators", multiple=True, help="Staff id; give two.")
@click.option(
    "--entry", type=click.Choice(["rolling", "closed"]), default="rolling", show_default=True
)
@click.option("--start", "start_date", help="First session date, YYYY-MM-DD.")
@click.option("--id", "group_id", help="Short id (default G1, G2...).")
@click.option("--location", default="")
@click.pass_obj
def group_create(
    app, name, curriculum, weekday, at, facilitators, entry, start_date, group_id, location
):
    """Create a group on a curriculum."""

    g = create_group(
        app.office,
        name,
        curriculum,
        weekday,
        at,
        list(facilitators),
        entry,
        start_date,
        group_id,
        location,
    )
    click.echo(
        f"created {g.id}: {g.name}, {g.weekday}s at {g.time}, {g.curriculum} "
        f"({g.cycle_length} sessions)"
    )


@group.command("list")
@json_option
@click.pass_obj
def group_list(app, as_json):
    """List groups."""

    groups = list_groups(app.office)
    if as_json:
        return emit_json([g.to_dict() for g in groups])
    table(
        [
            (g.id, g.name, f"{g.weekday} {g.time}", g.curriculum, ", ".join(g.facilitators))
            for g in groups
        ],
        ["id", "name", "when", "curriculum", "facilitators"],
    )


@group.command("show")
@click.argument("group_id")
@json_option
@click.pass_obj
def group_show(app, group_id, as_json):
    """Show a group and its roster."""

    g = get_group(app.office, group_id)
    men = roster(app.office, g.id)
    if as_json:
        return emit_json(
            g.to_dict()
            | {
                "roster": [
                    {
                        "participant_id": r.participant.id,
                        "name": r.participant.name,
                        "joined_on": r.enrolment.joined_on,
                        "joined_at_session": r.enrolment.joined_at_session,
                    }
                    for r in men
                ]
            }
        )
    fields(
        [
            ("id", g.id),
            ("name", g.name),
            ("when", f"{g.weekday}s at {g.time}"),
            ("curriculum", g.curriculum),
            ("entry", g.entry),
            ("facilitators", ", ".join(g.facilitators)),
            ("men enrolled", len(men)),
        ]
    )
    click.echo()
    table(
        [
            (
                r.participant.id,
                r.participant.name,
                r.enrolment.joined_on,
                r.enrolment.joined_at_session,
            )
            for r in men
        ],
        ["id", "name", "joined", "at session"],
    )


@group.command("enrol")
@click.argument("group_id")
@click.argument("participant_id")
@click.option("--on", "joined_on", type=DAY, help="Date he joins, YYYY-MM-DD (default today).")
@click.pass_obj
def group_enrol(app, group_id, participant_id, joined_on):
    """Enrol a participant in a group (he joins at the session the group is on)."""

    e = enrol(app.office, group_id, participant_id, joined_on)
    click.echo(
        f"enrolled {e.participant_id} in {e.group_id} from {e.joined_on}, joining at "
        f"session {e.joined_at_session}"
    )


@group.command("leave")
@click.argument("participant_id")
@click.option("--reason", required=True)
@click.option("--on", "left_on", type=DAY, help="Date he left, YYYY-MM-DD (default today).")
@click.option(
    "--decision",
    default="",
    help="A coordinator completing him before he covered the sessions required: the reason, "
    "in writing (kept, and shown in every report).",
)
@click.pass_obj
def group_leave(app, participant_id, reason, left_on, decision):
    """End a participant's enrolment."""

    e = leave_group(app.office, participant_id, reason, left_on, decision)
    click.echo(f"{e.participant_id} left {e.group_id} on {e.left_on}: {e.left_reason}")
