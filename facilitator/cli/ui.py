"""Opening the terminal UI from the command line."""

from __future__ import annotations

import sys

import click


def open_ui(app, group_id: str | None = None) -> None:
    # Fail with one line before Textual loads if there is no workspace; the UI's first screen
    # signs the member in.
    office = app.unsigned_office()
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise click.ClickException(
            "the terminal UI needs an interactive terminal; use the commands instead "
            "(facilitator --help)"
        )
    # Textual costs about 0.2 s to import: only the command that opens the UI pays for it.
    from facilitator.tui.app import run_app

    run_app(office, group_id=group_id)
