"""`facilitator run GROUP`: the UI straight on a group's session for today."""

from __future__ import annotations

import click

from facilitator.cli.ui import open_ui
from facilitator.services.core.group_store import get_group


@click.command("run")
@click.argument("group_id")
@click.pass_obj
def run_cmd(app, group_id):
    """Open the UI straight on a group's session for today."""

    get_group(app.office, group_id)  # one clear line if it does not exist
    open_ui(app, group_id=group_id)
