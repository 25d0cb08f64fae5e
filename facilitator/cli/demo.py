"""`facilitator demo`: a synthetic demo workspace, then the UI on it."""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.cli.ui import open_ui
from facilitator.demo.workspace import build_demo
from facilitator.storage.workspace import Workspace


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
    click.echo(
        "demo staff sign in with the passphrase demo-<id>-passphrase (demo only), e.g. alex "
        "(facilitator) with demo-alex-passphrase, morgan (coordinator), pat (partner support)",
        err=True,
    )
    if no_ui:
        click.echo(f"demo workspace ready: {path}")
        click.echo(
            f"try: FACILITATOR_PASSPHRASE=demo-alex-passphrase facilitator --workspace {path} "
            "--user alex group list"
        )
        return
    open_ui(app)


def _default_demo_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("facilitator", appauthor=False)) / "demo"
