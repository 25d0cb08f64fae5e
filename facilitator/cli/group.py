"""`facilitator group …`."""

from __future__ import annotations

import click

from facilitator.cli.output import DAY, emit_json, fields, json_option, table
from facilitator.domain.values import WEEKDAYS
from facilitator.services.compliance.ending import leave_group
from facilitator.services.core.group_store import get_group, list_groups, roster
from facilitator.services.groupwork.calendar import group_calendar
from facilitator.services.groupwork.capacity import max_size, parse_sessions, set_group
from facilitator.services.groupwork.groups import create_group, enrol
from facilitator.services.groupwork.plan import (
    CANCELLED,
    CLOSED_DAY,
    cancel_session,
    cover_session,
    group_plan,
    move_session,
)
from facilitator.services.groupwork.waiting_list import offer_after_leaving
from facilitator.storage.files import atomic_write_bytes, existing_folder


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
    offer = offer_after_leaving(app.office, e.group_id)
    if offer:
        click.echo(offer)


def _plan_row(e) -> tuple:
    if e.state == CANCELLED:
        what = f"cancelled: {e.reason}"
    elif e.state == CLOSED_DAY:
        what = f"closed: {e.reason}"
    else:
        what = f"{e.number}. {e.title}".rstrip(". ")
        if e.state == "held":
            what += f" (held, {e.session_state})"
    notes = []
    if e.moved_from:
        notes.append(f"moved from {e.moved_from}: {e.reason}")
    if e.cover:
        notes.append("cover: " + ", ".join(f"{b} for {a}" for a, b in e.cover.items()))
    return (
        e.date,
        e.time if e.state != CLOSED_DAY else "",
        what,
        ", ".join(e.facilitators) if e.happens else "",
        "; ".join(notes),
    )


@group.command("plan")
@click.argument("group_id")
@click.option("--weeks", type=int, default=None, help="How many weeks ahead (default 12).")
@click.option("--from", "since", type=DAY, help="First date, YYYY-MM-DD (default today).")
@json_option
@click.pass_obj
def group_plan_cmd(app, group_id, weeks, since, as_json):
    """A group's planned sessions ahead: dates, curriculum sessions, closed days, changes."""

    plan = group_plan(app.office, group_id, weeks, since)
    if as_json:
        return emit_json([e.to_dict() for e in plan])
    table([_plan_row(e) for e in plan], ["date", "time", "session", "facilitators", "notes"])


@group.command("cancel")
@click.argument("group_id")
@click.argument("day", metavar="DATE", type=DAY)
@click.option("--reason", required=True, help="Why (facilitator off sick, venue closed...).")
@click.pass_obj
def group_cancel(app, group_id, day, reason):
    """Cancel a planned session: its curriculum session moves on to the next date."""

    e = cancel_session(app.office, group_id, day, reason)
    click.echo(
        f"cancelled {e.group_id}'s session on {e.date} ({e.reason}): the men are marked "
        "'session cancelled', not absent"
    )


@group.command("move")
@click.argument("group_id")
@click.argument("day", metavar="DATE", type=DAY)
@click.option("--to", "to", required=True, type=DAY, help="The new date, YYYY-MM-DD.")
@click.option("--reason", required=True)
@click.pass_obj
def group_move(app, group_id, day, to, reason):
    """Move a planned session to another date."""

    e = move_session(app.office, group_id, day, to, reason)
    click.echo(f"moved {e.group_id}'s session {e.number} from {e.moved_from} to {e.date}")


@group.command("cover")
@click.argument("group_id")
@click.argument("day", metavar="DATE", type=DAY)
@click.option("--for", "absent", required=True, help="The facilitator who is away (staff id).")
@click.option("--by", "cover", required=True, help="The cover facilitator (staff id).")
@click.pass_obj
def group_cover(app, group_id, day, absent, cover):
    """Put a cover facilitator on one planned session."""

    e = cover_session(app.office, group_id, day, absent, cover)
    click.echo(f"{e.group_id} on {e.date}: facilitators {', '.join(e.facilitators)}")


@group.command("set")
@click.argument("group_id")
@click.option("--max-size", "size", type=int, help="Most men at once (0: the programme's setting).")
@click.option(
    "--entry", type=click.Choice(["rolling", "closed", "named"]), help="Where men may join."
)
@click.option("--entry-sessions", help="With --entry named: the sessions, e.g. 1,9,17.")
@click.pass_obj
def group_set(app, group_id, size, entry, entry_sessions):
    """Change a group's maximum size or its entry points."""

    sessions = parse_sessions(entry_sessions) if entry_sessions is not None else None
    g = set_group(app.office, group_id, size, entry, sessions)
    points = f" at sessions {', '.join(map(str, g.entry_sessions))}" if g.entry_sessions else ""
    click.echo(f"{g.id}: at most {max_size(app.office, g)} men, entry {g.entry}{points}")


@group.command("calendar")
@click.argument("group_id")
@click.option("-o", "--output", required=True, help="The .ics file to write.")
@click.option("--weeks", type=int, default=None, help="How many weeks ahead (default 12).")
@click.pass_obj
def group_calendar_cmd(app, group_id, output, weeks):
    """Write a group's planned sessions as an iCalendar (.ics) file."""

    data = group_calendar(app.office, group_id, weeks)
    atomic_write_bytes(existing_folder(output), data)
    click.echo(f"wrote {output} ({data.count(b'BEGIN:VEVENT')} sessions)")
