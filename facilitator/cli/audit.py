"""`facilitator audit` and `audit verify`."""

from __future__ import annotations

import click

from facilitator.cli.output import emit_json, json_option, table
from facilitator.errors import FacilitatorError


@click.group(invoke_without_command=True)
@click.option(
    "--limit", type=int, default=30, show_default=True, help="How many of the latest entries."
)
@json_option
@click.pass_context
def audit(ctx, limit, as_json):
    """The audit log: who changed what, when (no content)."""
    if ctx.invoked_subcommand:
        return
    entries = list(ctx.obj.office.stores.audit.entries())[-limit:] if limit > 0 else []
    if as_json:
        return emit_json(entries)
    table(
        [(e["seq"], e["time"], e["user"], e["action"], e["kind"], e["id"]) for e in entries],
        ["#", "time", "user", "action", "kind", "id"],
    )


@audit.command("verify")
@click.pass_obj
def audit_verify(app):
    """Check that no line of the audit log was changed or removed."""

    log = app.office.stores.audit
    problem = log.verify()
    if problem:
        raise FacilitatorError(f"audit log {log.path} line {problem.line}: {problem.message}")
    click.echo(f"audit log intact: {sum(1 for _ in log.lines())} entries")
