"""One user action's writes as one unit: all of them happen, or none do.

An action (record a check-in and keep its risk suggestion, raise a flag into the queue, his
history and the audit, close a flag...) changes several files. Its store writes and audit
entries are held in memory while it runs; at the end they are written together:

1. the journal (`data/.journal`: every file's new text and the audit entries, behind a
   header with their length and SHA-256) is written over the old one in place and fsync'd:
   from here on the action has happened;
2. each store file is written (atomically, as always) and the audit entries appended; then
   the folders they are in are fsync'd, once each;
3. the journal is emptied.

A process killed during (1) leaves a journal whose checksum fails: the action did not happen,
and the next opener empties it. Killed during (2), it leaves a whole journal, and whoever next
takes the workspace lock replays it (the writes are whole-file and the audit entries carry
their sequence numbers, so replaying twice changes nothing). An action that fails with an
error writes nothing.

Why (3) needs no fsync: the files are durable before it, so a journal that comes back after a
power cut replays what is already there; and a later action can only reach its own files after
overwriting the journal durably in (1), so an old journal never replays over newer writes.
The journal is one file kept in place (not a new file renamed in each time), so (1) costs one
fsync and no folder fsync.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from facilitator.storage.audit import AuditLog
from facilitator.storage.files import FILE_MODE, atomic_write_text, fsync_dir

JOURNAL_FILE = ".journal"  # not *.json: whatever reads every store passes it by
# Temporary files this tool's atomic writes leave behind when killed: `.<name>.<random>.tmp`
# from the atomic writer and `<name>.tmp` from the audit head.
TMP_SUFFIX = ".tmp"
SETTINGS_NAME = "facilitator.toml"


@dataclass
class Transaction:
    """The writes of one action so far: store path → the file's new text, and audit entries."""

    files: dict[Path, str] = field(default_factory=dict)
    audit: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.files and not self.audit


@dataclass
class Recovery:
    """What opening the workspace found and put right."""

    replayed: bool = False
    files: int = 0  # store files written again from the journal
    audit: int = 0  # audit entries appended from the journal
    temp_removed: list[Path] = field(default_factory=list)


def journal_path(data_dir: Path) -> Path:
    return Path(data_dir) / JOURNAL_FILE


def pending(data_dir: Path) -> bool:
    """Whether the journal holds anything: an action stopped before it finished (one stat)."""
    try:
        return os.stat(journal_path(data_dir)).st_size > 0
    except FileNotFoundError:
        return False


def commit(data_dir: Path, log: AuditLog, txn: Transaction) -> None:
    """Write a finished action. Caller holds the workspace lock."""
    if txn.empty:
        return
    data_dir = Path(data_dir)
    body = {
        "files": {_relative(data_dir, p): text for p, text in txn.files.items()},
        "audit": txn.audit,
    }
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    _write_journal(data_dir, payload)
    _apply(data_dir, log, body)
    _clear_journal(data_dir)


def _write_journal(data_dir: Path, payload: bytes) -> None:
    path = journal_path(data_dir)
    header = f"{len(payload)} {hashlib.sha256(payload).hexdigest()}\n".encode("ascii")
    created = not path.exists()
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        # Written over the old journal from its start: the header says how much is this one,
        # so what is left beyond it of a longer old one is ignored.
        view = memoryview(header + payload)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        fsync_dir(data_dir)  # the journal's own name, once in the workspace's life


def _clear_journal(data_dir: Path) -> None:
    fd = os.open(journal_path(data_dir), os.O_WRONLY)
    try:
        os.ftruncate(fd, 0)
    finally:
        os.close(fd)


def _read_journal(data_dir: Path) -> dict | None:
    """The journal's action, or None when it is empty or was cut off while being written."""
    try:
        raw = journal_path(data_dir).read_bytes()
    except FileNotFoundError:
        return None
    head, sep, payload = raw.partition(b"\n")
    try:
        size, digest = head.decode("ascii").split()
        payload = payload[: int(size)]
        if not sep or len(payload) != int(size):
            return None
        if hashlib.sha256(payload).hexdigest() != digest:
            return None
        body = json.loads(payload.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _relative(data_dir: Path, path: Path) -> str:
    # Relative, so that a workspace moved or restored elsewhere still replays into itself.
    return Path(path).relative_to(data_dir).as_posix()


def _apply(data_dir: Path, log: AuditLog, body: dict) -> tuple[int, int]:
    files = body.get("files") or {}
    folders: dict[Path, None] = {}
    root = data_dir.resolve()
    for rel, text in files.items():
        target = data_dir.joinpath(*rel.split("/"))
        if not target.resolve().is_relative_to(root):
            continue  # a journal edited to point outside the workspace is not followed
        atomic_write_text(target, text, sync_dir=False)
        folders[target.parent] = None
    appended = log.append_entries(body.get("audit") or [])
    for folder in folders:
        fsync_dir(folder)
    return len(files), appended


def needs_recovery(data_dir: Path, settings_dir: Path | None = None) -> bool:
    """Whether `recover` has anything to do: a journal, or temporary files at the top of
    `data/` (every action writes its journal there first) or beside the settings."""
    try:
        names = [e.name for e in os.scandir(data_dir)]
    except FileNotFoundError:
        return False
    if JOURNAL_FILE in names and pending(data_dir):
        return True
    if any(_is_our_temp(n) for n in names):
        return True
    return settings_dir is not None and bool(settings_temp_files(Path(settings_dir)))


def settings_temp_files(folder: Path) -> list[Path]:
    # Beside the settings only the settings' own: an export someone is writing into the
    # workspace folder (without the lock) has its temporary file there too, and is not ours.
    return [p for p in folder.glob(f".{SETTINGS_NAME}.*{TMP_SUFFIX}") if p.is_file()]


def recover(data_dir: Path, log: AuditLog, settings_dir: Path | None = None) -> Recovery:
    """Finish an action a killed process left half-written, and remove the temporary files
    killed writes left behind (they hold personal data). Caller holds the workspace lock.

    Cheap when there is nothing to do: one listing of `data/`. Every action writes its journal
    there before touching any other file, so a kill anywhere in the tree leaves a trace in it;
    only then is the whole tree searched for temporary files."""
    data_dir = Path(data_dir)
    found = Recovery()
    try:
        top = [e.name for e in os.scandir(data_dir)]
    except FileNotFoundError:
        return found
    interrupted = (JOURNAL_FILE in top and pending(data_dir)) or any(_is_our_temp(n) for n in top)
    if settings_dir is not None:
        for path in settings_temp_files(Path(settings_dir)):
            path.unlink(missing_ok=True)
            found.temp_removed.append(path)
    if not interrupted:
        return found
    body = _read_journal(data_dir)
    if body is not None:
        found.files, found.audit = _apply(data_dir, log, body)
        found.replayed = True
    # Replayed, or cut off while being written (so the action never happened): done with.
    if pending(data_dir):
        _clear_journal(data_dir)
    found.temp_removed += remove_temp_files(data_dir, recursive=True)
    return found


def remove_temp_files(folder: Path, recursive: bool = True) -> list[Path]:
    """Remove this tool's leftover temporary files under `folder`. Caller holds the lock, so no
    write in progress owns any of them."""
    removed = []
    pattern = "**/*" + TMP_SUFFIX if recursive else "*" + TMP_SUFFIX
    for path in Path(folder).glob(pattern):
        if _is_our_temp(path.name) and path.is_file():
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            removed.append(path)
    return removed


def find_temp_files(folder: Path) -> list[Path]:
    """Leftover temporary files under `folder`, removed by nobody yet."""
    return [
        p for p in Path(folder).glob("**/*" + TMP_SUFFIX) if _is_our_temp(p.name) and p.is_file()
    ]


def _is_our_temp(name: str) -> bool:
    # Our writers' names only: `.<file>.<random>.tmp` or `<file>.head.tmp`; never a user's
    # own file that happens to end in .tmp.
    return name.endswith(TMP_SUFFIX) and (name.startswith(".") or name.endswith(".head.tmp"))
