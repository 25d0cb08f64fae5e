"""`facilitator init`, `demo`, `run`, and opening the terminal UI."""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.cli.ui import open_ui
from facilitator.curriculum.locate import bundled_curricula_dir
from facilitator.demo.workspace import build_demo
from facilitator.services.core.group_store import get_group
from facilitator.storage.workspace import Workspace, resolve_workspace_path


@click.command("init")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--name", "programme", default="", help="The programme's name.")
@click.pass_obj
def init_cmd(app, directory, programme):
    """Create a workspace (default: --workspace, FACILITATOR_WORKSPACE or the user data folder)."""

    path = resolve_workspace_path(directory or app.workspace_path)
    ws = Workspace.init(path, programme, bundled_curricula_dir())
    click.echo(f"created workspace {ws.path}")
    where = f"--workspace {ws.path} " if directory else ""
    click.echo(
        f"next: facilitator {where}staff add NAME --role admin --id you   (the first staff member "
        f"acts until FACILITATOR_USER or --user names another)"
    )


@click.command("demo")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--no-ui", is_flag=True, help="Only build the demo workspace.")
@click.option("--fresh", is_flag=True, help="Build again even if the folder holds a demo already.")
@click.pass_obj
def demo_cmd(app, directory, no_ui, fresh):
    """Build (when absent) a synthetic demo workspace and open the UI on it."""
    import shutil

    path = Path(directory) if directory else _default_demo_path()
    ws = Workspace(path)
    if fresh and ws.exists():
        if "synthetic" not in ws.setting("programme.name", ""):
            raise click.ClickException(
                f"{path} is not a demo workspace; --fresh refuses to remove it"
            )
        shutil.rmtree(path)
    if not ws.exists():
        if path.exists() and any(path.iterdir()):
            raise click.ClickException(
                f"{path} exists and is not a workspace; choose another folder"
            )
        click.echo(f"building demo workspace in {path} ...", err=True)
        # Build beside it and rename when complete, so a build cut short is never taken for a demo.
        building = path.with_name(path.name + ".building")
        if building.exists():
            shutil.rmtree(building)
        build_demo(building)
        if path.exists():
            path.rmdir()
        building.rename(path)
    app.workspace_path = str(path)
    app.user = app.user or "alex"
    if no_ui:
        click.echo(f"demo workspace ready: {path}")
        click.echo(f"try: facilitator --workspace {path} group list")
        return
    open_ui(app)


def _default_demo_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("facilitator", appauthor=False)) / "demo"


@click.command("run")
@click.argument("group_id")
@click.pass_obj
def run_cmd(app, group_id):
    """Open the UI straight on a group's session for today."""

    get_group(app.office, group_id)  # one clear line if it does not exist
    open_ui(app, group_id=group_id)
