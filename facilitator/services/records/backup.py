"""Backups and restores of a whole workspace, encrypted at rest like the partner store.

    make_backup(office, secret, output=None)   one sealed archive, taken under the workspace lock
    verify_backup(path, secret)                 every record authenticates, every file its hash
    restore_backup(path, secret, target)        into a new folder only, via a temporary folder
    last_backup_status(office)                  the line the home screen shows
    prune_backups(folder, keep)                 keep the newest `keep` archives in a folder

Every store file (data/**/*.json) is checked as the backup reads it, with the same check every
reader makes (tinystore.parse_json_store): a damaged one is still archived as it is (a damaged
file is better kept than lost) and named in the result, so the coordinator hears of it.

The partner store (partner/) is copied as it is on disk: still encrypted with its own key,
which the backup passphrase does not replace. Settings: [backup] folder, keep, warn_after_days,
key_file.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from facilitator import clock
from facilitator.errors import InvalidInput, Refused
from facilitator.services.core.office import Office
from facilitator.services.partner.store import store_folder
from facilitator.storage.archive import (
    ArchiveSummary,
    Inspector,
    plan,
    read_archive,
    snapshot,
    write_archive,
)
from facilitator.storage.audit import AuditLog, AuditProblem
from facilitator.storage.files import DIR_MODE, FILE_MODE, fsync_dir
from facilitator.storage.sealed import (
    MAGIC,
    SealedReader,
    SealedWriter,
    Secret,
    new_key_file_text,
    open_sealed,
)
from facilitator.storage.staff_keys import StaffKeys
from facilitator.storage.stores import get_doc, put_doc
from facilitator.storage.tinystore import StoreDamaged, parse_json_store

SUFFIX = ".fbk"
NAME_PATTERN = re.compile(
    r"^facilitator-backup-(?P<stamp>\d{4}-\d{2}-\d{2}-\d{6})(-(?P<n>\d+))?\.fbk$"
)
LOG_STORE = "backup.json"


@dataclass
class DamagedStore:
    path: str  # relative to the workspace, as in the archive
    problem: str  # what is wrong, in a few words (never the content)


@dataclass
class BackupResult:
    path: Path
    summary: ArchiveSummary
    archive_bytes: int
    removed: list[Path]
    damaged: list[DamagedStore] = field(default_factory=list)


@dataclass
class RestoreResult:
    path: Path
    summary: ArchiveSummary
    audit_problem: AuditProblem | None
    audit_entries: int
    notes: list[str] = field(default_factory=list)


# -- making a backup -----------------------------------------------------------------------
def backup_file_name(when: datetime) -> str:
    return f"facilitator-backup-{when.strftime('%Y-%m-%d-%H%M%S')}{SUFFIX}"


def default_output(office: Office) -> tuple[Path, bool]:
    """Where a backup goes without -o: the backup folder when set (then pruned), else here."""
    folder = (office.setting("backup.folder") or "").strip()
    base = Path(folder).expanduser() if folder else Path.cwd()
    name = backup_file_name(clock.now())
    path, n = base / name, 2
    while path.exists():
        path = base / name.replace(SUFFIX, f"-{n}{SUFFIX}")
        n += 1
    return path, bool(folder)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _is_backup(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def make_backup(
    office: Office, secret: Secret, output: str | os.PathLike | None = None
) -> BackupResult:
    office.require_role("coordinator", doing="make a backup of the workspace")
    if output:
        out, into_folder = Path(output).expanduser(), False
        if out.is_dir():
            raise InvalidInput(f"{out} is a folder: give a file name, or set backup.folder")
        if out.exists() and not _is_backup(out):
            raise Refused(f"{out} exists and is not a backup of this tool's: choose another name")
    else:
        out, into_folder = default_output(office)
    if _inside(out, office.path):
        raise InvalidInput(f"{out} is inside the workspace: keep backups on another disk or share")
    if not out.parent.is_dir():
        if into_folder:
            raise InvalidInput(f"backup folder {out.parent} does not exist (is the share mounted?)")
        raise InvalidInput(f"folder {out.parent} does not exist")

    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            # The key is derived (scrypt, ~0.5 s) before the lock is taken.
            sealed = SealedWriter(fh, secret, meta={"made_by": "facilitator"})
            meta = {
                "created": clock.now().isoformat(),
                "programme": office.setting("programme.name", ""),
                "workspace": str(office.path),
                "made_by_user": office.user,
                "tool_version": _version(),
            }
            sources = backup_sources(office)
            check, damaged = store_check(office)
            for name, folder in sources[1:]:
                meta["partner_store"] = {"archived_as": name, "was_at": str(folder)}
            # Under the lock only what fixes the picture: the list of files and their sizes,
            # and hard links to them, so writers wait a fraction of a second, not the whole
            # backup. Where links are impossible, the archive is written under the lock.
            with office.ws.lock():
                found = plan(sources)
                linked = snapshot(sources, found)
                if not linked:
                    summary = write_archive(found, sealed, meta, inspector=check)
            if linked:
                try:
                    summary = write_archive(found, sealed, meta, inspector=check)
                finally:
                    found.release()
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(out.parent)
    size = out.stat().st_size
    with office.stores.writing():
        with office.stores.store(LOG_STORE, "backup_log", write=True) as db:
            put_doc(
                db,
                "backups",
                {
                    "id": "last",
                    "at": summary.manifest["created"],
                    "file": out.name,
                    "folder": str(out.parent),
                    "bytes": size,
                    "files": summary.files,
                    "damaged": [d.path for d in damaged],
                },
            )
        counts = {"damaged": str(len(damaged))} if damaged else {}
        office.audit("backup", "workspace", out.name, files=str(summary.files), **counts)
    removed: list[Path] = []
    keep = int(office.setting("backup.keep", 0) or 0)
    if into_folder and keep > 0:
        removed = prune_backups(out.parent, keep)
    return BackupResult(
        path=out, summary=summary, archive_bytes=size, removed=removed, damaged=damaged
    )


def store_check(office: Office) -> tuple[Inspector, list[DamagedStore]]:
    """Parses each store file the archive reads, from the bytes it read (no second read), and
    lists the ones a reader would refuse. Only the workspace's data/ folder holds stores; the
    partner store has a format of its own and is copied as it is."""
    data = office.ws.data_dir.relative_to(office.path).as_posix() + "/"
    damaged: list[DamagedStore] = []

    def see(rel: str, raw: bytes) -> None:
        try:
            parse_json_store(raw, office.path / rel)
        except StoreDamaged as err:
            damaged.append(DamagedStore(rel, err.why))

    return Inspector(lambda rel: rel.startswith(data) and rel.endswith(".json"), see), damaged


def backup_sources(office: Office) -> list[tuple[str, Path]]:
    """The workspace, and the partner store when it lives outside it (copied as it is)."""

    sources = [("", office.path)]
    partner = store_folder(office)
    if partner.is_dir() and not _inside(partner, office.path):
        name = "partner-external" if (office.path / "partner").exists() else "partner"
        sources.append((name, partner))
    return sources


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` archives that this tool named; nothing else is touched."""
    if keep <= 0:
        return []
    old = list_backups(Path(folder))[:-keep]
    for p in old:
        p.unlink(missing_ok=True)
    return old


def list_backups(folder: Path) -> list[Path]:
    """The archives this tool named in a folder, oldest first."""
    if not folder.is_dir():
        return []
    found = [(m, p) for p in folder.iterdir() if p.is_file() and (m := NAME_PATTERN.match(p.name))]
    found.sort(key=lambda mp: (mp[0]["stamp"], int(mp[0]["n"] or 1)))
    return [p for _, p in found]


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("facilitator")
    except Exception:  # noqa: BLE001 - not installed as a package: the number is only informative
        return "unknown"


# -- checking and restoring ----------------------------------------------------------------
def verify_backup(path: str | os.PathLike, secret: Secret) -> ArchiveSummary:
    path = _existing_archive(path)
    with open(path, "rb") as fh:
        opened = open_sealed(fh, secret, path.name)
        return read_archive(fh, SealedReader(fh, opened, path.name), None, path.name)


def restore_backup(
    path: str | os.PathLike, secret: Secret, target: str | os.PathLike
) -> RestoreResult:
    """Restore into `target`, which must not exist or be an empty folder. Files land in a
    temporary folder beside it first; only a complete, checked restore is renamed into place."""
    path = _existing_archive(path)
    target = Path(target).expanduser().absolute()
    if target.exists():
        if not target.is_dir() or any(target.iterdir()):
            raise Refused(
                f"{target} exists and is not empty: restore only into a new folder "
                f"(a restore never writes over a workspace)"
            )
    if not target.parent.is_dir():
        raise InvalidInput(f"folder {target.parent} does not exist")
    with open(path, "rb") as fh:
        opened = open_sealed(fh, secret, path.name)  # a wrong key stops here, before any write
        staging = target.parent / f".{target.name}.restoring-{secrets.token_hex(4)}"
        staging.mkdir(mode=DIR_MODE)
        try:
            summary = read_archive(fh, SealedReader(fh, opened, path.name), staging, path.name)
            os.chmod(staging, DIR_MODE)
            if hasattr(os, "sync"):
                # Every restored file on disk before the rename makes it the workspace. One sync:
                # an fsync per file costs about 2 ms each, 40 s for a 10-year workspace.
                os.sync()
            if target.exists():
                target.rmdir()
            os.rename(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    fsync_dir(target.parent)
    log = AuditLog(target / "data" / "audit.jsonl")
    notes = []
    partner = summary.manifest.get("partner_store")
    if partner:
        notes.append(
            f"the partner store lived outside the workspace ({partner['was_at']}); it is "
            "restored to "
            f"{target / partner['archived_as']}: set partner.store_path to where it should live now"
        )
    return RestoreResult(
        path=target,
        summary=summary,
        audit_problem=log.verify(StaffKeys(target / "data" / "staff_keys")),
        audit_entries=sum(1 for _ in log.lines()),
        notes=notes,
    )


def _existing_archive(path: str | os.PathLike) -> Path:
    path = Path(path).expanduser()
    if not path.is_file():
        raise InvalidInput(f"no backup file {path}")
    return path


# -- keys ----------------------------------------------------------------------------------
def write_key_file(path: str | os.PathLike) -> Path:

    path = Path(path).expanduser()
    if path.exists():
        raise Refused(
            f"{path} exists: a key file is never overwritten (backups made with it need it)"
        )
    if not path.parent.is_dir():
        raise InvalidInput(f"folder {path.parent} does not exist")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "w") as fh:
        fh.write(new_key_file_text())
    return path


# -- the home screen -----------------------------------------------------------------------
def last_backup(office: Office) -> dict | None:
    path = office.stores.path(LOG_STORE)
    if not path.exists():
        return None
    with office.stores.store(LOG_STORE, "backup_log") as db:
        return get_doc(db, "backups", "last")


def last_backup_status(office: Office) -> str | None:
    """One line for the home screen after "Backup: ": when the last one was made, with a
    warning in words when it is older than backup.warn_after_days (0 switches the warning off)
    or when it found damaged stores. None when there is nothing to say. Words only, no
    command: the screen it is shown on is not a terminal prompt (the CLI adds its commands)."""
    warn_days = int(office.setting("backup.warn_after_days", 7) or 0)
    last = last_backup(office)
    if last is None:
        return "WARNING: none made yet" if warn_days > 0 else None
    made = datetime.fromisoformat(last["at"])
    days = (clock.today() - made.date()).days
    when = "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"
    line = f"last made {when} ({made.strftime('%Y-%m-%d %H:%M')})"
    if warn_days > 0 and days > warn_days:
        return f"WARNING: {line}, more than {warn_days} days"
    damaged = len(last.get("damaged") or [])
    if damaged:
        # A count only: `backup list` names the files.
        return f"WARNING: {line}, with {damaged} damaged store file{'s' if damaged != 1 else ''}"
    return line
