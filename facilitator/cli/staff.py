"""`facilitator staff add|list|roles|passphrase|deactivate|training|supervision|due`: staff, their roles, training
and supervision."""

from __future__ import annotations

import os

import click

from facilitator.cli.output import DAY, emit_json, json_option, table
from facilitator.domain.staff import ROLES
from facilitator.services.core.identity import set_passphrase
from facilitator.services.core.people import add_staff, deactivate_staff, list_staff, set_roles
from facilitator.services.evaluation.staff_quality import (
    add_supervision,
    add_training,
    list_supervision,
    list_training,
    quality_rules,
    standings,
)
from facilitator.services.groupwork.calendar import staff_calendar
from facilitator.storage.files import atomic_write_bytes, existing_folder


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
    """Add a staff member (an admin does, once there is one)."""

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
    table(
        [
            (
                m.id,
                m.name,
                ", ".join(m.roles),
                f"left {m.deactivated_on}" if m.deactivated_on else "",
            )
            for m in members
        ],
        ["id", "name", "roles", "state"],
    )


@staff.command("roles")
@click.argument("staff_id")
@click.option(
    "--role", "roles", multiple=True, required=True, help=f"Repeatable: {', '.join(ROLES)}."
)
@click.pass_obj
def staff_roles(app, staff_id, roles):
    """Give a member these roles in place of theirs (an admin does it)."""

    member = set_roles(app.office, staff_id, list(roles))
    click.echo(f"{member.id}: {', '.join(member.roles)}")


@staff.command("passphrase")
@click.argument("staff_id", required=False)
@click.pass_obj
def staff_passphrase(app, staff_id):
    """Set your passphrase, which makes your signing key (an admin may reset another's).

    The new one is asked twice at the prompt, or read from FACILITATOR_NEW_PASSPHRASE for
    scripts (before the workspace has any key, FACILITATOR_PASSPHRASE too); never stored.
    """

    office = app.office  # signs in first with the current passphrase once keys exist
    member_id = staff_id or office.claimed.id
    given = os.environ.get("FACILITATOR_NEW_PASSPHRASE")
    if not given and office.signer is None:
        given = os.environ.get("FACILITATOR_PASSPHRASE")
    passphrase = given or click.prompt(
        f"New passphrase for {member_id} (12 characters or more)",
        hide_input=True,
        confirmation_prompt=True,
    )
    member = set_passphrase(office, member_id, passphrase)
    click.echo(f"{member.id}: new signing key made; keep the passphrase safe, it is not stored")


@staff.command("deactivate")
@click.argument("staff_id")
@click.option("--reason", required=True, help="Why, e.g. left the service.")
@click.option("--on", "day", help="YYYY-MM-DD (default today).")
@click.pass_obj
def staff_deactivate(app, staff_id, reason, day):
    """A member who has left: kept in the records, can no longer act (an admin does it)."""

    member = deactivate_staff(app.office, staff_id, reason, day)
    click.echo(f"{member.id} deactivated from {member.deactivated_on}: can no longer act")


SUPERVISION_KINDS = "individual, group, external, live"


@staff.group("training")
def training() -> None:
    """Training records: core training hours, refreshers and other courses."""


@training.command("add")
@click.argument("staff_id")
@click.option(
    "--kind",
    required=True,
    help="core, refresher, safeguarding, risk_assessment, other (setting quality.training_kinds).",
)
@click.option("--hours", required=True, type=float)
@click.option("--date", "day", type=DAY, help="YYYY-MM-DD (default today).")
@click.option("--title", default="", help="Course or session title.")
@click.option("--provider", default="")
@click.pass_obj
def training_add(app, staff_id, kind, hours, day, title, provider):
    """Record training a staff member took (coordinators)."""

    r = add_training(app.office, staff_id, kind, hours, day, title, provider)
    click.echo(f"recorded {r.id}: {r.staff_id} {r.kind} {r.hours:g} h on {r.date}")


@training.command("list")
@click.option("--staff", "staff_id", help="Only this staff member.")
@json_option
@click.pass_obj
def training_list(app, staff_id, as_json):
    """Training records (your own, or everyone's for coordinators)."""

    rows = list_training(app.office, staff_id)
    if as_json:
        return emit_json([r.to_dict() for r in rows])
    table(
        [(r.id, r.date, r.staff_id, r.kind, f"{r.hours:g}", r.title, r.provider) for r in rows],
        ["id", "date", "staff", "kind", "hours", "title", "provider"],
        empty="no training recorded",
    )


@staff.group("supervision")
def supervision() -> None:
    """Supervision sessions staff received."""


@supervision.command("add")
@click.argument("staff_id")
@click.option("--supervisor", required=True, help="A staff id, or an external supervisor's name.")
@click.option("--date", "day", type=DAY, help="YYYY-MM-DD (default today).")
@click.option("--kind", default="individual", show_default=True, help=SUPERVISION_KINDS)
@click.option("--minutes", default=60, show_default=True, type=int)
@click.pass_obj
def supervision_add(app, staff_id, supervisor, day, kind, minutes):
    """Record a supervision session (coordinators). Its content stays in supervision notes, not
    here."""

    r = add_supervision(app.office, staff_id, supervisor, day, kind, minutes)
    click.echo(
        f"recorded {r.id}: {r.staff_id} supervised by {r.supervisor} on {r.date} ({r.kind}, "
        f"{r.minutes} min)"
    )


@supervision.command("list")
@click.option("--staff", "staff_id", help="Only this staff member.")
@json_option
@click.pass_obj
def supervision_list(app, staff_id, as_json):
    """Supervision sessions (your own, or everyone's for coordinators)."""

    rows = list_supervision(app.office, staff_id)
    if as_json:
        return emit_json([r.to_dict() for r in rows])
    table(
        [(r.id, r.date, r.staff_id, r.supervisor, r.kind, r.minutes) for r in rows],
        ["id", "date", "staff", "supervisor", "kind", "minutes"],
        empty="no supervision recorded",
    )


@staff.command("due")
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Everyone, with their hours and dates, not only what is due.",
)
@json_option
@click.pass_obj
def staff_due(app, show_all, as_json):
    """Supervision past the set interval, core training short of the hours, refreshers due."""

    found = [s for s in standings(app.office) if show_all or s.problems]
    if as_json:
        return emit_json([s.to_dict() for s in found])
    rules = quality_rules(app.office)
    table(
        [
            (
                s.staff_id,
                s.name,
                f"{s.core_hours:g}/{rules.core_training_hours:g}",
                s.last_refresher or "-",
                s.last_supervision or "never",
                "; ".join(s.problems) or "ok",
            )
            for s in found
        ],
        ["staff", "name", "core h", "refresher", "supervised", "due"],
        empty=f"nothing due (supervision every {rules.supervision_interval_weeks} weeks, "
        f"{rules.core_training_hours:g} h core training)",
    )


@staff.command("calendar")
@click.argument("staff_id")
@click.option("-o", "--output", required=True, help="The .ics file to write.")
@click.option("--weeks", type=int, default=None, help="How many weeks ahead (default 12).")
@click.pass_obj
def staff_calendar_cmd(app, staff_id, output, weeks):
    """Write one staff member's planned sessions as an iCalendar (.ics) file."""

    data = staff_calendar(app.office, staff_id, weeks)
    atomic_write_bytes(existing_folder(output), data)
    click.echo(f"wrote {output} ({data.count(b'BEGIN:VEVENT')} sessions)")
