"""The `facilitator` command. Thin: parses options, calls services, prints.

Each top-level command lives in the module of its own name and is listed in COMMANDS. Modules here
must stay light to import (no Textual, openpyxl, matplotlib or cryptography at module level) so
that `facilitator --help` and every plain command start fast.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys

import click

from facilitator.cli.context import AppContext
from facilitator.cli.terminal import VisibleText
from facilitator.cli.ui import open_ui
from facilitator.errors import FacilitatorError

# Each top-level command lives, with all its subcommands, in the module of its own name: here
# are the name it has in that module and the line `facilitator --help` shows. A command's module
# is imported only when it runs, so a plain command never pays for every service; a test holds
# these lines to the commands' own help.
COMMANDS: dict[str, tuple[str, str]] = {
    "attendance": ("attendance", "Attendance marks."),
    "audit": ("audit", "The audit log: who changed what, when (no content)."),
    "backup": ("backup", "Write one encrypted archive of the whole workspace."),
    "checkin": ("checkin", "Accountability check-ins."),
    "compliance": (
        "compliance",
        "Each man's standing against the programme's rules, and...",
    ),
    "curriculum": (
        "curriculum",
        "Curricula: check one, list them, show a session's plan.",
    ),
    "demo": (
        "demo_cmd",
        "Build (when absent) a synthetic demo workspace and open...",
    ),
    "export": ("export", "Export records out of the workspace."),
    "group": ("group", "Groups, their schedule and who is enrolled."),
    "individual": (
        "individual",
        "One-to-one sessions with a man: pre-group, catch-up for a...",
    ),
    "import": ("import_cmd", "Import men, groups, enrolments or attendance (.csv, .xlsx)."),
    "init": ("init_cmd", "Create a workspace (default: --workspace,..."),
    "intake": ("intake", "Intake and assessment: referral, assessment sessions,..."),
    "marac": ("marac", "MARAC referrals, meetings and the actions agreed for the..."),
    "letter": ("letter", "Letters to referrers and to the men, written from the..."),
    "notes": ("notes", "Debrief notes: write after the session, both facilitators..."),
    "outcomes": ("outcomes", "Outcome questionnaires at time points (intake,..."),
    "participant": (
        "participant",
        "Men referred to the programme.",
    ),
    "partner": ("partner", "Partner support: partners and ex-partners, contacts,..."),
    "report": (
        "report",
        "Reports: a man's progress for his referrer (attendance...",
    ),
    "restore": (
        "restore",
        "Restore a backup into a new folder, checking every file's...",
    ),
    "retention": (
        "retention",
        "Keep records no longer than the programme needs them...",
    ),
    "risk": (
        "risk",
        "Risk indicators in what men say, flags, the review queue...",
    ),
    "run": ("run_cmd", "Open the UI straight on a group's session for today."),
    "session": ("session", "Group sessions: start, list, show, close."),
    "safeguarding": (
        "safeguarding",
        "Safeguarding referrals of his children to children's...",
    ),
    "sharing": ("sharing", "The information-sharing log: what about a man went to..."),
    "staff": ("staff", "Staff members and their roles."),
    "waiting": ("waiting", "The waiting list: men found suitable and not yet in a group."),
}

# A command whose name is a Python keyword lives in a module named otherwise.
MODULE_OF = {"import": "importing"}


def load_command(name: str) -> click.Command:
    """Import a command's module and return the command."""
    attr, _ = COMMANDS[name]
    module = MODULE_OF.get(name, name)
    command: click.Command = getattr(importlib.import_module(f"facilitator.cli.{module}"), attr)
    return command


class FacilitatorGroup(click.Group):
    """Root group: loads a command when it is asked for, and turns the project's errors into
    one line and an exit status."""

    def main(self, *args, **kwargs):
        # Wrapped here, not in a command, so click's own error lines (which may quote what the
        # user typed) pass through the filter too.
        out, err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = VisibleText(out), VisibleText(err)
        try:
            return super().main(*args, **kwargs)
        finally:
            sys.stdout, sys.stderr = out, err

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return load_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in sorted(COMMANDS)])

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            # click's own four-line usage message, said in one line with where to look.
            where = err.ctx.command_path if err.ctx else "facilitator"
            exc = click.ClickException(f"{err.format_message()} (see: {where} --help)")
            # click declares exit_code a ClassVar, yet sets and reads it per exception.
            exc.exit_code = err.exit_code  # type: ignore[misc]
            raise exc from None
        except FacilitatorError as err:
            exc = click.ClickException(err.cli_text)
            exc.exit_code = err.exit_code  # type: ignore[misc]  # a ClassVar in click's stubs
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
    help="Who is acting, as a staff id or name (default: FACILITATOR_USER, else the "
    "workspace setting).",
)
@click.version_option(package_name="facilitator")
@click.pass_context
def cli(ctx: click.Context, workspace: str | None, user: str | None) -> None:
    """Run perpetrator programme groups, the risk queue, debriefs and exports.

    With no command, opens the terminal UI on the workspace.
    """

    ctx.obj = AppContext(workspace_path=workspace, user=user)
    if ctx.invoked_subcommand is None:
        open_ui(ctx.obj)


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="facilitator")
    except Exception as err:  # last resort: never a traceback for the user
        if os.environ.get("FACILITATOR_DEBUG"):
            raise
        click.echo(
            f"Error: unexpected failure: {err} (set FACILITATOR_DEBUG=1 for details)", err=True
        )
        sys.exit(1)


def run() -> None:
    """The installed command: main(), then a quick end to the process.

    When the command returns, everything it wrote has been written and synced, and its output
    flushed. What is left is the interpreter's tear-down, whose collector walks every object
    the command's libraries made (about 40 ms of a letter's 300). Freezing them keeps that walk
    from happening; exit handlers still run and open files are still closed. Only the command
    itself, not main() called from tests, ends this way.
    """
    try:
        main()
    finally:
        gc.freeze()
