"""A workspace folder as one sealed archive, and back.

Inside the sealed stream (storage/sealed.py) come two kinds of record:

    b"Z" + bytes   a piece of one zlib stream holding, for each file in path order, a JSON line
                   {"path", "size"} followed by its `size` bytes; then {"end": true}
    b"M" + bytes   a piece of the manifest: JSON listing every folder and every file with its
                   size and sha256, and when and from which workspace it was made

One compression stream over all the files, rather than one per file, because the stores are
thousands of small JSON files that compress five times better together. The manifest comes
last and on its own records, so when a record in the middle is damaged the reader can still
reach it and name the first file that cannot be recovered.

One consistent state is read: under the workspace lock the files are listed with their sizes
and hard-linked into a snapshot (`plan`, `snapshot`), and the archive is written from the
links once the lock is released; where links are impossible it is written under the lock.
Files are read in 1 MiB pieces and records are about 1 MiB: memory stays flat.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from facilitator.errors import FacilitatorError
from facilitator.storage.files import DIR_MODE, FILE_MODE, ensure_private_dir
from facilitator.storage.sealed import Damaged, SealedReader, SealedWriter, Truncated

PIECE = 1024 * 1024
LEVEL = 1  # zlib level 1: five times smaller already, and fast enough to hold the lock briefly
ARCHIVE_FORMAT = 1


class ArchiveDamaged(FacilitatorError):
    """The archive cannot be restored; the message names the first file that is lost."""


@dataclass
class ArchiveSummary:
    files: int = 0
    folders: int = 0
    bytes: int = 0  # the workspace's size, uncompressed
    manifest: dict = field(default_factory=dict)


SNAPSHOT_PREFIX = ".backup-snapshot-"
STALE_SNAPSHOT_SECONDS = 24 * 3600


def skipped(rel: PurePosixPath) -> bool:
    """What a backup leaves out: lock files, temporary files left by a killed writer, and the
    snapshots backups take."""
    name = rel.name
    return (
        name == ".lock"
        or name.endswith(".lock")
        or (name.startswith(".") and name.endswith(".tmp"))
        or name.startswith(SNAPSHOT_PREFIX)
    )


def walk(
    root: Path, exclude: Callable[[Path], bool] = lambda p: False
) -> tuple[list[str], list[str]]:
    """(folders, files) under root as sorted relative POSIX paths; symbolic links are not
    followed."""
    folders, files = [], []
    base = os.fspath(root)

    def visit(folder: str, rel: str) -> None:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        for entry in entries:
            sub = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_symlink() or exclude(Path(entry.path)) or skipped(PurePosixPath(sub)):
                continue
            if entry.is_dir():
                folders.append(sub)
                visit(entry.path, sub)
            elif entry.is_file():
                files.append(sub)

    visit(base, "")
    return sorted(folders), sorted(files)


@dataclass
class Entry:
    rel: str  # the name in the archive
    source: str  # which source folder it is in ("" for the workspace)
    origin: Path  # the file
    size: int  # the bytes that belong to the backup (the audit log may grow meanwhile)
    path: Path | None = None  # where it is read from: its link in a snapshot, else the file

    def __post_init__(self) -> None:
        self.path = self.path or self.origin


@dataclass
class Plan:
    """What one backup holds: folders and files with their sizes, fixed under the lock."""

    folders: list[str]
    entries: list[Entry]
    snapshots: list[Path] = field(default_factory=list)

    def release(self) -> None:
        """Remove the snapshot links (never the files themselves)."""
        for snap in self.snapshots:
            shutil.rmtree(snap, ignore_errors=True)
        self.snapshots = []
        for entry in self.entries:
            entry.path = entry.origin


def plan(
    sources: list[tuple[str, Path]], exclude: Callable[[Path], bool] = lambda p: False
) -> Plan:
    """Every folder and file under each source, with sizes. Caller holds the workspace lock.

    `sources` are (name in the archive, folder): ("", workspace) and, when the partner store
    lives on another drive, ("partner", its folder).
    """
    folders: list[str] = []
    entries: list[Entry] = []
    for prefix, root in sources:
        if prefix:
            folders.append(prefix)
        sub_folders, sub_files = walk(root, exclude)
        folders += [f"{prefix}/{f}" if prefix else f for f in sub_folders]
        for f in sub_files:
            path = root / f
            entries.append(
                Entry(f"{prefix}/{f}" if prefix else f, prefix, path, path.stat().st_size)
            )
    return Plan(folders, entries)


def snapshot(sources: list[tuple[str, Path]], found: Plan) -> bool:
    """Hard-link every planned file into a snapshot folder inside its source, so the archive
    can be written after the lock is released. Caller holds the lock.

    Sound because nothing in a workspace is changed in place: stores, notes, settings and the
    partner store are replaced by rename (the link keeps the version linked), and the audit
    log only grows (its first `size` bytes never change). Returns False, leaving nothing
    behind, where links are impossible (a FAT drive, some shares): then the caller writes
    the archive under the lock instead.
    """
    made: dict[str, Path] = {}
    try:
        for prefix, root in sources:
            _remove_stale_snapshots(root)
            made[prefix] = root / f"{SNAPSHOT_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
            made[prefix].mkdir(mode=DIR_MODE)
            found.snapshots.append(made[prefix])
        for entry in found.entries:
            link = made[entry.source] / (
                entry.rel[len(entry.source) + 1 :] if entry.source else entry.rel
            )
            ensure_private_dir(link.parent)
            os.link(entry.origin, link)
            entry.path = link
    except OSError:
        found.release()
        return False
    return True


def _remove_stale_snapshots(root: Path) -> None:
    """Snapshots left by a backup that was killed (a running backup's is recent: left alone)."""
    now = time.time()
    for old in root.glob(f"{SNAPSHOT_PREFIX}*"):
        try:
            if old.is_dir() and now - old.stat().st_mtime > STALE_SNAPSHOT_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue


class _RecordBuffer:
    """Collects bytes and hands them to the sealed writer in records of about PIECE bytes."""

    def __init__(self, sealed: SealedWriter, tag: bytes):
        self.sealed, self.tag = sealed, tag
        self.buf = bytearray()

    def add(self, data: bytes) -> None:
        self.buf += data
        while len(self.buf) >= PIECE:
            self.sealed.write(self.tag + bytes(self.buf[:PIECE]))
            del self.buf[:PIECE]

    def flush(self) -> None:
        if self.buf:
            self.sealed.write(self.tag + bytes(self.buf))
            self.buf.clear()


@dataclass
class Inspector:
    """Shown the whole content of the files it wants, from the bytes read for the archive, so
    a check of them (the stores parse) costs no second read."""

    wants: Callable[[str], bool]  # by name in the archive
    see: Callable[[str, bytes], None]


def write_archive(
    found: Plan, sealed: SealedWriter, meta: dict, inspector: Inspector | None = None
) -> ArchiveSummary:
    """Stream every planned file into `sealed`, then the manifest, and close it. Reads each
    file's planned size only: the caller holds the lock, or took a snapshot under it."""
    out = _RecordBuffer(sealed, b"Z")
    packer = zlib.compressobj(LEVEL)
    listed = []
    total = 0
    for entry in found.entries:
        rel, size = entry.rel, entry.size
        pieces: list[bytes] | None = [] if inspector is not None and inspector.wants(rel) else None
        with open(entry.path or entry.origin, "rb") as fh:
            out.add(packer.compress(json.dumps({"path": rel, "size": size}).encode() + b"\n"))
            digest = hashlib.sha256()
            left = size
            while left > 0:
                piece = fh.read(min(PIECE, left))
                if not piece:
                    raise FacilitatorError(
                        f"{rel} got shorter while it was being backed up: was it "
                        f"changed without the workspace lock? Try again"
                    )
                digest.update(piece)
                out.add(packer.compress(piece))
                if pieces is not None:
                    pieces.append(piece)
                left -= len(piece)
        if pieces is not None and inspector is not None:
            inspector.see(rel, pieces[0] if len(pieces) == 1 else b"".join(pieces))
        listed.append({"path": rel, "size": size, "sha256": digest.hexdigest()})
        total += size
    out.add(packer.compress(b'{"end": true}\n'))
    out.add(packer.flush())
    out.flush()
    manifest = {
        "format": ARCHIVE_FORMAT,
        **meta,
        "folders": found.folders,
        "files": listed,
        "total_bytes": total,
    }
    tail = _RecordBuffer(sealed, b"M")
    tail.add(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode())
    tail.flush()
    sealed.close()
    return ArchiveSummary(
        files=len(listed), folders=len(found.folders), bytes=total, manifest=manifest
    )


# -- reading -------------------------------------------------------------------------------
def safe_relative(rel: str) -> PurePosixPath:
    p = PurePosixPath(rel)
    if p.is_absolute() or not p.parts or any(part in ("..", "") for part in p.parts) or "\\" in rel:
        raise ArchiveDamaged(f"the archive names an unsafe path '{rel}': refusing to restore it")
    return p


class _Unpacker:
    """Parses the decompressed content stream: entry lines and file bytes, written or hashed."""

    def __init__(self, dest: Path | None):
        self.dest = dest
        self.pending = bytearray()
        self.current: dict | None = None  # {"path", "size", "left", "digest", "fd"}
        self.done: list[dict] = []  # {"path", "size", "sha256"} in order
        self.made: set[Path] = set()  # folders already created
        self.ended = False

    def feed(self, data: bytes) -> None:
        self.pending += data
        while self.pending and not self.ended:
            if self.current is None:
                nl = self.pending.find(b"\n")
                if nl < 0:
                    if len(self.pending) > 65536:
                        raise ArchiveDamaged(
                            "the archive's content is malformed (an entry line is too long)"
                        )
                    return
                line = json.loads(bytes(self.pending[:nl]))
                del self.pending[: nl + 1]
                if line.get("end"):
                    self.ended = True
                    if self.pending:
                        raise ArchiveDamaged("the archive's content has bytes after its end")
                    return
                self._open(line["path"], int(line["size"]))
            else:
                take = min(self.current["left"], len(self.pending))
                chunk = bytes(self.pending[:take])
                del self.pending[:take]
                self._write(chunk)

    def _open(self, rel: str, size: int) -> None:
        safe = safe_relative(rel)
        fd = None
        if self.dest is not None:
            target = self.dest.joinpath(*safe.parts)
            if target.parent not in self.made:
                ensure_private_dir(target.parent)
                self.made.add(target.parent)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        self.current = {
            "path": rel,
            "size": size,
            "left": size,
            "digest": hashlib.sha256(),
            "fd": fd,
        }
        if size == 0:
            self._finish()

    def _write(self, chunk: bytes) -> None:
        cur = self.current
        assert cur is not None, "a chunk arrived before its file's header"
        cur["digest"].update(chunk)
        if cur["fd"] is not None:
            view = memoryview(chunk)
            while view:
                view = view[os.write(cur["fd"], view) :]
        cur["left"] -= len(chunk)
        if cur["left"] == 0:
            self._finish()

    def _finish(self) -> None:
        cur = self.current
        assert cur is not None, "no file is being restored"
        if cur["fd"] is not None:
            os.close(cur["fd"])
        self.done.append(
            {"path": cur["path"], "size": cur["size"], "sha256": cur["digest"].hexdigest()}
        )
        self.current = None

    def close(self) -> None:
        if self.current and self.current["fd"] is not None:
            os.close(self.current["fd"])
            self.current["fd"] = None


def read_archive(
    fh: BinaryIO, reader: SealedReader, dest: Path | None, name: str
) -> ArchiveSummary:
    """Decrypt, check and (when `dest` is given) write every file under `dest`.

    Raises ArchiveDamaged naming the first file that cannot be recovered or does not match
    its hash. `dest` is a fresh folder the caller removes on failure.
    """
    unpacker = _Unpacker(dest)
    inflater = zlib.decompressobj()
    manifest_parts: list[bytes] = []
    try:
        while True:
            try:
                record, last = reader.next()
            except Damaged as err:
                raise _name_damage(reader, unpacker, name, err) from None
            tag, body = record[:1], record[1:]
            if tag == b"Z":
                if manifest_parts:
                    raise ArchiveDamaged(f"{name} is malformed: content after the manifest")
                _inflate(inflater, unpacker, body)
            elif tag == b"M":
                manifest_parts.append(body)
            else:
                raise ArchiveDamaged(
                    f"{name} holds a record of an unknown kind: made by a newer facilitator?"
                )
            if last:
                if not reader.at_end():
                    raise ArchiveDamaged(f"{name} has data after its last record")
                break
    except (ValueError, KeyError, TypeError, zlib.error) as err:
        where = unpacker.current["path"] if unpacker.current else "its content"
        raise ArchiveDamaged(f"{name} is malformed at {where} ({err})") from None
    finally:
        unpacker.close()
    if not unpacker.ended or inflater.unused_data or not inflater.eof:
        raise ArchiveDamaged(f"{name} is incomplete: its content stops before the end marker")
    try:
        manifest = json.loads(b"".join(manifest_parts))
    except ValueError:
        raise ArchiveDamaged(f"{name} has an unreadable manifest") from None
    _check_against_manifest(unpacker.done, manifest, name)
    if dest is not None:
        for folder in manifest.get("folders", []):
            dest.joinpath(*safe_relative(folder).parts).mkdir(
                parents=True, exist_ok=True, mode=DIR_MODE
            )
    return ArchiveSummary(
        files=len(unpacker.done),
        folders=len(manifest.get("folders", [])),
        bytes=sum(f["size"] for f in unpacker.done),
        manifest=manifest,
    )


def _inflate(inflater, unpacker: _Unpacker, body: bytes) -> None:
    data = body
    while data:
        out = inflater.decompress(data, PIECE * 4)
        unpacker.feed(out)
        data = inflater.unconsumed_tail
    if inflater.eof and inflater.unused_data:
        raise ArchiveDamaged("the archive's content continues past its end")


def _check_against_manifest(done: list[dict], manifest: dict, name: str) -> None:
    listed = manifest.get("files", [])
    for i, entry in enumerate(listed):
        if i >= len(done):
            raise ArchiveDamaged(
                f"{name} is damaged: {entry['path']} is listed in the manifest but missing"
            )
        got = done[i]
        if got["path"] != entry["path"]:
            raise ArchiveDamaged(
                f"{name} is damaged: {entry['path']} is missing (found {got['path']} in its place)"
            )
        if got["size"] != entry["size"] or got["sha256"] != entry["sha256"]:
            raise ArchiveDamaged(
                f"{name} is damaged: {entry['path']} does not match its hash in the manifest"
            )
    if len(done) > len(listed):
        raise ArchiveDamaged(
            f"{name} is damaged: {done[len(listed)]['path']} is not in the manifest"
        )


def _name_damage(
    reader: SealedReader, unpacker: _Unpacker, name: str, err: Damaged
) -> ArchiveDamaged:
    """Name the first file lost: the one being read when the record failed, else the next one
    the manifest lists. A record holds many small files; from the first on, none can be trusted."""
    how = "cut short" if isinstance(err, Truncated) else "damaged"
    if unpacker.ended:
        return ArchiveDamaged(
            f"{name} is {how}: its manifest cannot be read (record {err.record}), "
            f"so its files cannot be checked; nothing was restored"
        )
    if unpacker.current is not None:
        lost = unpacker.current["path"]
    else:
        lost = _next_from_manifest(reader, len(unpacker.done))
        if lost is None:
            last = unpacker.done[-1]["path"] if unpacker.done else None
            lost = f"the file after {last}" if last else "its first file"
    return ArchiveDamaged(
        f"{name} is {how}: from {lost} on, its content cannot be recovered "
        f"(record {err.record} fails its check); nothing was restored"
    )


def _next_from_manifest(reader: SealedReader, index: int) -> str | None:
    """Read past the damage to the manifest records, which are sealed on their own."""
    if reader.framing_lost:
        return None
    parts: list[bytes] = []
    while True:
        try:
            record, last = reader.next()
        except Truncated:
            return None
        except Damaged:
            # More damage further on: go on unless the framing is lost (a damaged manifest
            # piece leaves the manifest unreadable, which the parse below notices).
            if reader.framing_lost:
                return None
            continue
        if record[:1] == b"M":
            parts.append(record[1:])
        elif parts:
            return None
        if last:
            break
    try:
        files = json.loads(b"".join(parts)).get("files", [])
    except ValueError:
        return None
    return files[index]["path"] if index < len(files) else "its manifest"
