"""Stable pseudonyms for evaluation and research datasets.

A keyed hash (HMAC-SHA256) of the participant id and of the referrer's reference: the same
man gets the same pseudonym in every export from this workspace, so datasets can be joined,
but without the key nobody can go back from a pseudonym to the man, even by hashing every
likely name. The key lives in the workspace (data/keys/pseudonym.key, 0600), is made on first
use, and never goes into an export.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from facilitator.errors import StoreError
from facilitator.services.core.office import Office
from facilitator.storage.files import atomic_write_bytes

KEY_FILE = ("keys", "pseudonym.key")
KEY_BYTES = 32


def _read_key(office: Office) -> bytes | None:
    path = office.stores.path(*KEY_FILE)
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise StoreError(
            f"pseudonym key {path} is damaged; restore it from a backup (a new key would "
            f"give every man a new pseudonym and break links with earlier datasets)"
        )
    return key


def pseudonym_key(office: Office) -> bytes:
    """The workspace's key, made (once, under the lock) the first time it is needed."""
    key = _read_key(office)
    if key is not None:
        return key
    with office.stores.writing():
        key = _read_key(office)
        if key is None:
            key = secrets.token_bytes(KEY_BYTES)
            atomic_write_bytes(office.stores.path(*KEY_FILE), key.hex().encode("ascii") + b"\n")
            office.audit("create", "pseudonym_key", "pseudonym.key")
    return key


class Pseudonymiser:
    def __init__(self, key: bytes):
        self._key = key
        self._cache: dict[str, str] = {}

    def _code(self, kind: str, value: str) -> str:
        token = f"{kind}:{value}"
        code = self._cache.get(token)
        if code is None:
            code = hmac.new(self._key, token.encode("utf-8"), hashlib.sha256).hexdigest()[:12]
            self._cache[token] = code
        return code

    def participant(self, participant_id: str) -> str:
        return "M-" + self._code("participant", participant_id)

    def reference(self, reference: str) -> str:
        return "R-" + self._code("reference", reference.strip()) if reference.strip() else ""


def pseudonymiser(office: Office) -> Pseudonymiser:
    return Pseudonymiser(pseudonym_key(office))
