"""`facilitator restore ARCHIVE TARGET`: a backup back into a new folder, every file's hash checked."""

from __future__ import annotations

import click

from facilitator.cli.backup import backup_secret, human_size, key_file_option
from facilitator.cli.output import fields
from facilitator.services.records.backup import (
    restore_backup,
)


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--to",
    "target",
    required=True,
    type=click.Path(file_okay=False),
    help="A new folder to restore into (never an existing workspace).",
)
@key_file_option
def restore(archive, target, key_file):
    """Restore a backup into a new folder, checking every file's hash."""

    result = restore_backup(archive, backup_secret(key_file, new=False), target)
    s = result.summary
    fields(
        [
            ("restored to", result.path),
            ("files", f"{s.files} ({human_size(s.bytes)}), every hash checked"),
            ("made", s.manifest.get("created")),
            (
                "audit log",
                f"intact, {result.audit_entries} entries"
                if result.audit_problem is None
                else f"line {result.audit_problem.line}: {result.audit_problem.message}",
            ),
        ]
    )
    for note in result.notes:
        click.echo(f"note: {note}")
    click.echo(f"open it with: facilitator --workspace {result.path}")
