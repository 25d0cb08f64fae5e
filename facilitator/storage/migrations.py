"""Schema versions of the stores and how to bring an older store up to date.

Every store file carries `_meta: {"1": {"kind": ..., "schema": N}}`. When the shape of a kind
of store changes, bump its version in CURRENT and add a function to MIGRATIONS[kind] that takes
the whole store dict at version N-1 and returns it at version N. A store is migrated in memory
when read and written back at the new version on its next write.
"""

from __future__ import annotations

from collections.abc import Callable

from facilitator.errors import StoreError

CURRENT: dict[str, int] = {}
DEFAULT_VERSION = 1
# kind -> {from_version: function returning the store at from_version + 1}
MIGRATIONS: dict[str, dict[int, Callable[[dict], dict]]] = {}

META_TABLE = "_meta"


def current_version(kind: str) -> int:
    return CURRENT.get(kind, DEFAULT_VERSION)


def read_meta(data: dict) -> tuple[str | None, int]:
    meta = (data.get(META_TABLE) or {}).get("1") or {}
    return meta.get("kind"), int(meta.get("schema", 0))


def stamp(data: dict, kind: str) -> dict:
    data[META_TABLE] = {"1": {"kind": kind, "schema": current_version(kind)}}
    return data


def upgrade(data: dict, kind: str, path: str) -> dict:
    """Return the store at the current version, or raise if it comes from a newer tool."""
    _, version = read_meta(data)
    target = current_version(kind)
    if version > target:
        raise StoreError(
            f"store {path} was written by a newer version of facilitator (schema {version}, "
            f"this one reads up to {target}): upgrade facilitator; the file was left untouched"
        )
    steps = MIGRATIONS.get(kind, {})
    while version < target:
        if version in steps:
            data = steps[version](data)
        version += 1
    return stamp(data, kind)
