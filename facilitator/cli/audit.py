"""`facilitator audit` and `audit verify`."""

from __future__ import annotations

import click

from facilitator.cli.output import emit_json, json_option, table
from facilitator.errors import FacilitatorError
from facilitator.services.core.identity import verify_audit


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
    """Check that no line of the audit log was changed, removed or forged: the chain of hashes
    and every member's signature."""

    log = app.office.stores.audit
    report = verify_audit(app.office)
    if report.problem:
        raise FacilitatorError(
            f"audit log {log.path} line {report.problem.line}: {report.problem.message}"
        )
    parts = [f"{report.signed} signed and verified"]
    if report.unsigned:
        parts.append(f"{report.unsigned} from before staff had keys (hash chain only)")
    if report.failed_sign_ins:
        parts.append(f"{report.failed_sign_ins} failed sign-ins")
    click.echo(
        f"audit log intact: {report.entries + report.failed_sign_ins} entries ({', '.join(parts)})"
    )
