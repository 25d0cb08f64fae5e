"""The `facilitator` command. Thin: parses options, calls services, prints.

Each command family lives in its own module and is listed in COMMAND_MODULES. Modules here
must stay light to import (no Textual, openpyxl, matplotlib or cryptography at module level) so
that `facilitator --help` and every plain command start fast.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from facilitator.errors import FacilitatorError

# module name in facilitator.cli -> attribute holding the click command or group
COMMAND_MODULES: list[tuple[str, str]] = [
    ("workspace_cmds", "init_cmd"),
    ("workspace_cmds", "demo_cmd"),
    ("workspace_cmds", "run_cmd"),
    ("people", "staff"),
    ("people", "participant"),
    ("groups", "group"),
    ("intake", "intake"),
    ("individual", "individual"),
    ("partner", "partner"),
    ("sessions", "session"),
    ("sessions", "attendance"),
    ("sessions", "checkin"),
    ("risk", "risk"),  # risk scan; the group the rest of the risk family attaches to
    ("risk_flags", "risk"),  # risk raise/list/show/review/close/due/assess/suggestions/confirm/dismiss
    ("notes", "notes"),
    ("audit_cmds", "audit"),
    ("compliance", "compliance"),  # also adds `participant limits`
    ("exports", "export"),
    ("reports", "report"),
    ("programme_report", "report"),  # adds `report programme`
    ("outcomes", "outcomes"),
    ("staff_quality", "staff"),  # adds `staff training|supervision|due`
    ("curriculum", "curriculum"),
    ("backup_cmds", "backup"),
    ("backup_cmds", "restore"),
    ("retention_cmds", "retention"),
    ("subject_access_cmds", "participant"),  # adds `participant export-data`
]


class FacilitatorGroup(click.Group):
    """Root group: turns the project's errors into one line and an exit status."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            # click's own four-line usage message, said in one line with where to look.
            where = err.ctx.command_path if err.ctx else "facilitator"
            exc = click.ClickException(f"{err.format_message()} (see: {where} --help)")
            exc.exit_code = err.exit_code
            raise exc from None
        except FacilitatorError as err:
            exc = click.ClickException(err.message)
            exc.exit_code = err.exit_code
            raise exc from None
        except BrokenPipeError:
            # Output piped into `head` and the reader went away: not an error worth a line.
            sys.stderr.close()
            raise SystemExit(0) from None
        except OSError as err:
            # Disk full, permission denied on a file: say which file, no traceback.
            where = f" ({err.filename})" if getattr(err, "filename", None) else ""
            raise click.ClickException(f"{err.strerror or err}{where}") from None


@click.group(cls=FacilitatorGroup, invoke_without_command=True)
@click.option(
    "--workspace",
    "-w",
    type=click.Path(file_okay=False),
    envvar="FACILITATOR_WORKSPACE",
    help="Workspace folder (default: FACILITATOR_WORKSPACE, else the user data folder).",
)
@click.option(
    "--user",
    "-u",
    envvar="FACILITATOR_USER",
    help="Who is acting, as a staff id or name (default: FACILITATOR_USER, else the workspace setting).",
)
@click.version_option(package_name="facilitator")
@click.pass_context
def cli(ctx: click.Context, workspace: str | None, user: str | None) -> None:
    """Run perpetrator programme groups, the risk queue, debriefs and exports.

    With no command, opens the terminal UI on the workspace.
    """
    from facilitator.cli.context import AppContext

    ctx.obj = AppContext(workspace_path=workspace, user=user)
    if ctx.invoked_subcommand is None:
        from facilitator.cli.workspace_cmds import open_ui

        open_ui(ctx.obj)


def _register() -> None:
    for module_name, attr in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"facilitator.cli.{module_name}")
        except ModuleNotFoundError as err:
            # A command family still being built must not break the others.
            if err.name == f"facilitator.cli.{module_name}":
                continue
            raise
        cli.add_command(getattr(module, attr))


_register()


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="facilitator")
    except Exception as err:  # last resort: never a traceback for the user
        if os.environ.get("FACILITATOR_DEBUG"):
            raise
        click.echo(f"Error: unexpected failure: {err} (set FACILITATOR_DEBUG=1 for details)", err=True)
        sys.exit(1)
