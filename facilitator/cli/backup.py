"""`facilitator backup [verify|list|keygen]`: one encrypted archive of the whole workspace."""

from __future__ import annotations

import os

import click

from facilitator.cli.output import emit_json, json_option, table
from facilitator.errors import Refused
from facilitator.services.records.backup import (
    last_backup,
    last_backup_status,
    list_backups,
    make_backup,
    verify_backup,
    write_key_file,
)
from facilitator.storage.sealed import Secret

ENV_PASSPHRASE = "FACILITATOR_BACKUP_PASSPHRASE"


key_file_option = click.option(
    "--key-file",
    type=click.Path(dir_okay=False),
    help="Use a key file (made by `backup keygen`) instead of a passphrase.",
)


def backup_secret(key_file: str | None, new: bool):
    """The key file if given, else FACILITATOR_BACKUP_PASSPHRASE, else a hidden prompt."""

    if key_file:
        return Secret.from_key_file(key_file)
    given = os.environ.get(ENV_PASSPHRASE)
    if given:
        return Secret.from_passphrase(given, new=new)
    import sys

    if not sys.stdin.isatty():
        raise Refused(
            f"no backup passphrase: set {ENV_PASSPHRASE} or use --key-file (no terminal to ask at)"
        )
    passphrase = click.prompt(
        "Backup passphrase", hide_input=True, confirmation_prompt=new, err=True
    )
    return Secret.from_passphrase(passphrase, new=new)


def human_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


@click.group(invoke_without_command=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Archive to write (default: a dated file in backup.folder, else here).",
)
@key_file_option
@json_option
@click.pass_context
def backup(ctx, output, key_file, as_json):
    """Write one encrypted archive of the whole workspace.

    Safe while others work: it holds one consistent moment, taken under the workspace lock
    (held about a second). The passphrase comes from FACILITATOR_BACKUP_PASSPHRASE (for
    scheduled jobs) or a prompt; or use --key-file (or the setting backup.key_file). Keep it
    somewhere other than the laptop: without it the archive cannot be opened.

    A damaged store file is still archived as it is, and named in a warning on stderr.
    """
    if ctx.invoked_subcommand:
        return

    office = ctx.obj.office
    key_file = key_file or (office.setting("backup.key_file") or None)
    result = make_backup(office, backup_secret(key_file, new=True), output)
    s = result.summary
    if as_json:
        emit_json(
            {
                "archive": str(result.path),
                "files": s.files,
                "bytes": s.bytes,
                "archive_bytes": result.archive_bytes,
                "removed": [p.name for p in result.removed],
                "damaged": [{"path": d.path, "problem": d.problem} for d in result.damaged],
            }
        )
    else:
        click.echo(f"backup written: {result.path}")
        click.echo(
            f"{s.files} files, {human_size(s.bytes)} of workspace in {human_size(result.archive_bytes)}"
        )
        for old in result.removed:
            click.echo(
                f"removed old backup {old.name} (backup.keep = {office.setting('backup.keep')})"
            )
    # Last, where a coordinator's eye (or a scheduled job's mail) lands: the backup is written,
    # but these stores need attention.
    for d in result.damaged:
        click.echo(
            f"warning: store {d.path} is damaged ({d.problem}); it is in the backup as it is. "
            f"Restore it from an earlier backup or move it aside",
            err=True,
        )


@backup.command("verify")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@key_file_option
@json_option
def backup_verify(archive, key_file, as_json):
    """Check an archive without restoring it: every record and every file's hash."""

    s = verify_backup(archive, backup_secret(key_file, new=False))
    info = {
        "archive": archive,
        "created": s.manifest.get("created"),
        "programme": s.manifest.get("programme"),
        "files": s.files,
        "folders": s.folders,
        "bytes": s.bytes,
        "ok": True,
    }
    if as_json:
        return emit_json(info)
    click.echo(
        f"{archive}: intact. {s.files} files ({human_size(s.bytes)}) match their hashes; "
        f"made {s.manifest.get('created')} from {s.manifest.get('programme') or 'a workspace'}"
    )


@backup.command("list")
@json_option
@click.pass_obj
def backup_list(app, as_json):
    """The archives in the backup folder and when the last backup was made."""
    from pathlib import Path

    office = app.office
    folder = (office.setting("backup.folder") or "").strip()
    found = list_backups(Path(folder).expanduser()) if folder else []
    sizes = [(p.name, p.stat().st_size) for p in found]
    rows = [{"file": name, "bytes": size} for name, size in sizes]
    damaged = (last_backup(office) or {}).get("damaged") or []
    if as_json:
        return emit_json(
            {
                "folder": folder,
                "backups": rows,
                "status": last_backup_status(office),
                "last_damaged": damaged,
            }
        )
    status = last_backup_status(office)
    hint = ""
    if status and status.startswith("WARNING"):
        hint = " (see the list below)" if damaged else " (facilitator backup makes one)"
    click.echo(f"Backup: {status or 'none recorded'}{hint}")
    for path in damaged:
        click.echo(f"damaged store in the last backup: {path}")
    if not folder:
        click.echo("no backup folder set (setting backup.folder)")
        return
    table(
        [(name, human_size(size)) for name, size in sizes],
        ["file", "size"],
        empty=f"(no backups in {folder})",
    )


@backup.command("keygen")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="Key file to create."
)
def backup_keygen(output):
    """Make a new random key file for backups (keep a copy away from the laptop)."""

    path = write_key_file(output)
    click.echo(
        f"key file written: {path} (readable by you only). Backups made with it cannot be "
        f"opened without it: keep a copy somewhere safe, away from this laptop."
    )
