"""TinyDB on top of atomic files.

TinyDB's own JSONStorage rewrites the file in place, so a kill mid-write loses the store. This
storage writes a new file and renames it over the old one. A file that does not parse is
reported by name and never written over.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

from facilitator.errors import StoreError
from facilitator.storage import migrations
from facilitator.storage.files import atomic_write_text
from facilitator.storage.journal import Transaction


class StoreDamaged(StoreError):
    def __init__(self, message: str, path: Path | None = None, why: str = ""):
        super().__init__(message)
        self.path = path
        self.why = why  # what is wrong, in a few words (never the file's content)


def load_json_store(path: Path, kind: str) -> dict:
    """Read a store file; {} when it does not exist yet."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    return migrations.upgrade(parse_json_store(raw, path), kind, str(path))


def parse_json_store(raw: bytes, path: Path) -> dict:
    """A store file's bytes as a dict, or StoreDamaged naming the file and saying what is wrong.
    The one check every reader makes; a backup runs it on the bytes it has already read."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _damaged(path, "it is not text") from None
    if not text.strip():
        # An empty file is never written by this tool (writes are atomic): treat it as damage.
        raise _damaged(path, "it is empty")
    try:
        data = _parse(text)
    except json.JSONDecodeError as err:
        raise _damaged(path, f"invalid JSON at line {err.lineno}, column {err.colno}") from None
    if not isinstance(data, dict):
        raise _damaged(path, "it does not hold a JSON object")
    # Every store is tables of records: {"table": {"1": {...}, ...}}. Anything else (a table
    # that is a string, a record that is a list) is damage, caught here before a reader trips
    # over it or a writer writes it back.
    for name, table in data.items():
        if not isinstance(table, dict):
            raise _damaged(path, f"its '{name}' is not a table of records")
        if any(not isinstance(doc, dict) for doc in table.values()):
            raise _damaged(path, f"its '{name}' holds something that is not a record")
    return data


def _parse(text: str):
    """json.loads with the cycle collector paused. A large store makes hundreds of thousands of
    dicts and strings, and each few hundred would otherwise start a collection that walks every
    object alive, though parsed JSON holds no cycles to find (a tenth of a letter's time on the
    ten-year workspace)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return json.loads(text)
    finally:
        if paused:
            gc.enable()


def _damaged(path: Path, why: str) -> StoreDamaged:
    return StoreDamaged(
        f"store {path} is damaged ({why}); it was left untouched. Restore it from a backup "
        f"(facilitator restore) or move it aside to start that store afresh",
        path,
        why,
    )


class AtomicJSONStorage(Storage):
    """Inside an action (`txn` given) writes are kept in it, to be written with the action's
    other files, and reads see them; outside one, each write goes straight to disk."""

    def __init__(self, path: str | Path, kind: str, txn: Transaction | None = None):
        self.path = Path(path)
        self.kind = kind
        self.txn = txn

    def read(self):
        if self.txn is not None and self.path in self.txn.files:
            data = migrations.upgrade(_parse(self.txn.files[self.path]), self.kind, str(self.path))
        else:
            data = load_json_store(self.path, self.kind)
        return data or None

    def write(self, data) -> None:
        data = migrations.stamp(dict(data), self.kind)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if self.txn is not None:
            self.txn.files[self.path] = text
        else:
            atomic_write_text(self.path, text)

    def close(self) -> None:
        pass


@contextmanager
def open_store(
    path: Path, kind: str, write: bool = False, txn: Transaction | None = None
) -> Iterator[TinyDB]:
    """Open one store for one piece of work: read once, write once at the end if changed.

    A fresh TinyDB each time, so no query cache outlives the call (another process may have
    written meanwhile). On an exception nothing is written. Writers must hold the workspace lock.
    """
    # TinyDB calls the middleware to start it, and the middleware returns itself: `cache` is
    # db.storage, typed here as the middleware it is rather than as a plain Storage.
    cache = CachingMiddleware(lambda: AtomicJSONStorage(path, kind, txn))
    db = TinyDB(storage=cache)
    # Read eagerly so a damaged file fails before any change is attempted.
    # Never flush part-way: the one write happens at the end, and only for writers (a reader
    # never writes back, even when the file needed a migration).
    cache.WRITE_CACHE_SIZE = 10**9
    cache.read()
    yield db
    if write:
        cache.flush()
