"""`facilitator retention due|apply|hold|release|holds`."""

from __future__ import annotations

import click

from facilitator.cli.output import emit_json, json_option, table
from facilitator.services.core.legal_holds import list_holds, place_hold, release_hold
from facilitator.services.records.retention import (
    action_setting,
    apply,
    due,
    leftover_temp_files,
    stale_open_cases,
)


@click.group()
def retention() -> None:
    """Keep records no longer than the programme needs them (settings [retention])."""


def _summary(items) -> list[tuple]:
    """One row per man and kind of record: how many, since when."""
    rows: dict[tuple, list] = {}
    for i in items:
        key = (i.participant_id, i.kind)
        row = rows.setdefault(key, [i.participant_id, i.kind, 0, i.closed_on, i.due_on, set()])
        row[2] += 1
        row[4] = min(row[4], i.due_on)
        if i.held:
            row[5].add("on legal hold")
        if i.child_protection:
            row[5].add("child protection")
        if i.kind == "partner":
            row[5].add("if any: partner support runs partner forget")
    return [(*r[:5], ", ".join(sorted(r[5]))) for r in rows.values()]


@retention.command("due")
@json_option
@click.pass_obj
def retention_due(app, as_json):
    """What has passed its retention period (men on legal hold are shown, and kept)."""

    items = due(app.office)
    if as_json:
        return emit_json([i.to_dict() for i in items])
    table(
        _summary(items),
        ["man", "records", "count", "case closed", "due since", "note"],
        empty="nothing has passed its retention period",
    )
    stale = stale_open_cases(app.office)
    if stale:
        shown = ", ".join(stale[:10]) + (f" and {len(stale) - 10} more" if len(stale) > 10 else "")
        who = "1 man has" if len(stale) == 1 else f"{len(stale)} men have"
        click.echo(
            f"{who} nothing dated within the retention period, but a status that keeps the case "
            f"open ({shown}): record the case as exited or completed for retention to apply"
        )
    temps = leftover_temp_files(app.office)
    if temps:
        click.echo(
            f"{len(temps)} temporary file(s) left by interrupted writes (they may hold personal "
            "data): `facilitator retention apply` removes them"
        )


@retention.command("apply")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scheduled jobs).")
@click.pass_obj
def retention_apply(app, yes):
    """Delete (or anonymise, by setting) every record past its period, after confirmation."""

    office = app.office
    office.require_role("coordinator", doing="apply the retention policy")
    items = [i for i in due(office) if not i.held]
    if not items:
        result = apply(office)  # leftover temporary files go even when no record is due
        click.echo("nothing has passed its retention period")
        if result.temp_files:
            click.echo(f"removed {result.temp_files} temporary file(s) left by interrupted writes")
        return
    action = action_setting(office)
    men = len({i.participant_id for i in items})
    kinds = sorted({i.kind for i in items})
    verb = "delete" if action == "delete" else "anonymise"
    click.echo(
        f"{len(items)} records about {men} men are past their retention period "
        f"({', '.join(kinds)})."
    )
    if not yes:
        click.confirm(
            f"{verb.capitalize()} them now? This cannot be undone (take a backup first)",
            abort=True,
            err=True,
        )
    result = apply(office)
    done = ", ".join(f"{n} {k}" for k, n in sorted(result.removed.items())) or "nothing"
    click.echo(f"{verb}d about {result.men} men: {done} (debrief notes redacted, not removed)")
    if result.temp_files:
        click.echo(f"removed {result.temp_files} temporary file(s) left by interrupted writes")
    if result.held:
        click.echo(f"{result.held} men were put on hold meanwhile and were left as they are")
    for pid in result.partner_files:
        click.echo(
            f"partner store: {pid}: any partner records are past their period: partner support "
            f"checks and removes them with `facilitator partner forget {pid}`"
        )


@retention.command("hold")
@click.argument("participant_id")
@click.option(
    "--reason", required=True, help="Why (a court case, a complaint, a request by the police...)."
)
@click.pass_obj
def retention_hold(app, participant_id, reason):
    """Place a legal hold on a man: none of his records is removed until it is released."""

    hold = place_hold(app.office, participant_id, reason)
    click.echo(
        f"{hold['id']} is on legal hold: retention leaves all his records until it is released"
    )


@retention.command("release")
@click.argument("participant_id")
@click.pass_obj
def retention_release(app, participant_id):
    """Release a legal hold."""

    release_hold(app.office, participant_id)
    click.echo(f"{participant_id.strip().upper()} is no longer on hold")


@retention.command("holds")
@json_option
@click.pass_obj
def retention_holds(app, as_json):
    """Men on legal hold."""

    holds = list_holds(app.office)
    if as_json:
        return emit_json(holds)
    table(
        [(h["id"], h["placed_at"][:10], h["placed_by"], h["reason"]) for h in holds],
        ["man", "since", "by", "reason"],
        empty="no man is on hold",
    )
