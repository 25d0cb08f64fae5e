"""Writing files so that a crash or power cut never leaves half of one.

Temporary file in the same folder, write, flush, fsync, rename over the old one, fsync the
folder. Files are created 0600 and folders 0700: these records are about people at risk.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from facilitator.errors import InvalidInput

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_private_dir(path: Path) -> Path:
    path = Path(path)
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    for made in missing:
        # mkdir's mode is filtered by the umask; set it exactly.
        os.chmod(made, DIR_MODE)
    return path


def existing_folder(path: str | os.PathLike) -> Path:
    """A file someone names (an export, a report) goes only into a folder that exists: a
    missing one is more likely a typo or a drive not plugged in than a wish for new folders,
    and personal data must not land quietly somewhere nobody meant."""

    path = Path(path).expanduser()
    if not path.parent.is_dir():
        raise InvalidInput(
            f"folder {path.parent} does not exist (a typo, or a drive not connected?): "
            f"nothing was written"
        )
    return path


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, sync_dir: bool = True) -> None:
    with atomic_output(path, sync_dir) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)


@contextmanager
def atomic_output(path: Path, sync_dir: bool = True) -> Iterator[str]:
    """A private temporary file beside `path` for the caller to fill; on success it is
    fsync'd and renamed over `path`, on any error removed. Readers see the old file or the
    whole new one, never half of one. `sync_dir=False` leaves the folder's fsync (which makes
    the rename itself durable) to a caller writing several files into the same folders."""
    path = Path(path)
    folder = path.parent
    ensure_private_dir(folder)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if sync_dir:
        fsync_dir(folder)


def atomic_write_text(path: Path, text: str, sync_dir: bool = True) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), sync_dir)


def append_line(path: Path, line: str) -> None:
    """Append one line and fsync: for the audit log, whose past lines never change."""
    path = Path(path)
    ensure_private_dir(path.parent)
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        os.write(fd, (line.rstrip("\n") + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent)
