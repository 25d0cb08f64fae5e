"""`facilitator init`: create a workspace."""

from __future__ import annotations

import click

from facilitator.curriculum.locate import bundled_curricula_dir
from facilitator.services.letters.templates import install_defaults
from facilitator.storage.workspace import Workspace, resolve_workspace_path


@click.command("init")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--name", "programme", default="", help="The programme's name.")
@click.pass_obj
def init_cmd(app, directory, programme):
    """Create a workspace (default: --workspace, FACILITATOR_WORKSPACE or the user data folder)."""

    path = resolve_workspace_path(directory or app.workspace_path)
    ws = Workspace.init(path, programme, bundled_curricula_dir())
    install_defaults(ws.path)  # the letter templates the programme edits in Word
    click.echo(f"created workspace {ws.path}")
    where = f"--workspace {ws.path} " if directory else ""
    click.echo(
        f"next: facilitator {where}staff add NAME --role admin --id you   (the first staff member "
        f"acts until FACILITATOR_USER or --user names another)"
    )
