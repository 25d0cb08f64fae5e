"""The partner store on disk: a folder of files encrypted at rest (DESIGN §4, issue 9).

    <folder>/vault.json         how the key is made (scrypt over a passphrase, or a key file),
                                its salt, and a check token; no secret
    <folder>/men/<id>.bin       one Fernet token per man: his partners, contacts and concerns

Fernet (AES-128-CBC with HMAC-SHA256, from the `cryptography` package) authenticates every
file, so a wrong key is told apart from a damaged file: the check token in vault.json is tried
first. The key is derived in memory and never written anywhere; the group side never holds it.
Files are written atomically and 0600, like every store. Callers hold the workspace lock for
writes.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from facilitator.errors import InvalidInput, Refused, StoreError
from facilitator.storage.files import fsync_dir, atomic_write_bytes, atomic_write_text, ensure_private_dir
from facilitator.storage.stores import safe_name

FORMAT = "facilitator-partner-store"
VERSION = 1
CHECK_TEXT = b"facilitator partner store key check"
META_FILE = "vault.json"
# scrypt cost: about 0.1 s and 32 MiB here; kept in vault.json so it can be raised later.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


MIN_PASSPHRASE = 12


class WrongKey(Refused):
    """The passphrase or key file does not open this partner store."""


@dataclass
class KeySource:
    """Where the key comes from: a passphrase typed by the worker, or a key file she keeps."""

    passphrase: str | None = None
    key_file: Path | None = None

    def describe(self) -> str:
        return f"key file {self.key_file}" if self.key_file else "passphrase"


def new_key_file(path: Path) -> Path:
    """Write a fresh random key to `path` (0600), refusing to overwrite one."""
    path = Path(path).expanduser()
    if path.exists():
        raise Refused(f"{path} exists: a key file is never overwritten (choose a new path)")
    ensure_private_dir(path.parent)
    atomic_write_bytes(path, Fernet.generate_key() + b"\n")
    return path


def _read_key_file(path: Path) -> bytes:
    path = Path(path).expanduser()
    try:
        raw = path.read_bytes().strip()
    except FileNotFoundError:
        raise InvalidInput(f"key file {path} not found: the partner store cannot be opened without it") from None
    except OSError as err:
        raise InvalidInput(f"key file {path} cannot be read: {err.strerror}") from None
    try:
        if len(base64.urlsafe_b64decode(raw)) != 32:
            raise ValueError
    except ValueError:
        raise InvalidInput(f"{path} is not a partner store key file") from None
    return raw


def _scrypt_key(passphrase: str, kdf: dict) -> bytes:
    salt = base64.b64decode(kdf["salt"])
    raw = Scrypt(salt=salt, length=32, n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"])).derive(
        passphrase.encode("utf-8"))
    return base64.urlsafe_b64encode(raw)


class PartnerVault:
    def __init__(self, folder: Path, fernet: Fernet):
        self.folder = Path(folder)
        self._fernet = fernet

    # -- making and opening ---------------------------------------------------------------
    @staticmethod
    def exists(folder: Path) -> bool:
        return (Path(folder) / META_FILE).is_file()

    @classmethod
    def create(cls, folder: Path, source: KeySource) -> "PartnerVault":
        folder = Path(folder)
        if cls.exists(folder):
            raise Refused(f"a partner store already exists at {folder}; nothing was changed")
        meta: dict = {"format": FORMAT, "version": VERSION}
        if source.key_file:
            key = _read_key_file(source.key_file)
            meta["method"] = "key_file"
        else:
            passphrase = _check_passphrase(source.passphrase)
            if len(passphrase) < MIN_PASSPHRASE:
                raise InvalidInput(f"a partner store passphrase needs at least {MIN_PASSPHRASE} characters "
                                   f"(a few words is best); nothing was created")
            kdf = {"name": "scrypt", "salt": base64.b64encode(os.urandom(16)).decode("ascii"),
                   "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}
            key = _scrypt_key(passphrase, kdf)
            meta |= {"method": "passphrase", "kdf": kdf}
        fernet = Fernet(key)
        meta["check"] = fernet.encrypt(CHECK_TEXT).decode("ascii")
        ensure_private_dir(folder / "men")
        atomic_write_text(folder / META_FILE, json.dumps(meta, indent=2))
        return cls(folder, fernet)

    @classmethod
    def open(cls, folder: Path, source: KeySource) -> "PartnerVault":
        folder = Path(folder)
        meta = _read_meta(folder)
        if meta["method"] == "key_file":
            if not source.key_file:
                raise Refused(f"the partner store at {folder} is opened with its key file (--key-file), "
                              f"not a passphrase")
            key = _read_key_file(source.key_file)
        else:
            if source.key_file:
                raise Refused(f"the partner store at {folder} is opened with a passphrase, not a key file")
            key = _scrypt_key(_check_passphrase(source.passphrase), meta["kdf"])
        fernet = Fernet(key)
        try:
            if fernet.decrypt(meta["check"].encode("ascii")) != CHECK_TEXT:
                raise InvalidToken
        except (InvalidToken, ValueError, TypeError):
            raise WrongKey(f"wrong {source.describe()} for the partner store "
                           f"at {folder}: nothing was read or changed") from None
        return cls(folder, fernet)

    # -- records --------------------------------------------------------------------------
    def _path(self, name: str) -> Path:
        return self.folder / "men" / f"{safe_name(name, 'participant id')}.bin"

    def names(self) -> list[str]:
        folder = self.folder / "men"
        return sorted(p.stem for p in folder.glob("*.bin")) if folder.is_dir() else []

    def read(self, name: str) -> dict:
        path = self._path(name)
        try:
            token = path.read_bytes()
        except FileNotFoundError:
            return {}
        try:
            data = json.loads(self._fernet.decrypt(token))
        except (InvalidToken, ValueError):
            raise StoreError(f"partner store file {path} is damaged or was written with another key; "
                             f"it was left untouched: restore it from a backup") from None
        if not isinstance(data, dict):
            raise StoreError(f"partner store file {path} does not hold a record; it was left untouched")
        return data

    def remove(self, name: str) -> bool:
        """Delete one man's file (retention). True when there was one."""
        path = self._path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        fsync_dir(path.parent)
        return True

    def write(self, name: str, data: dict) -> None:
        token = self._fernet.encrypt(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        atomic_write_bytes(self._path(name), token)


def _check_passphrase(passphrase: str | None) -> str:
    if not passphrase:
        raise Refused("the partner store needs its passphrase (prompt, FACILITATOR_PARTNER_PASSPHRASE) "
                      "or its key file (--key-file)")
    return passphrase


def _read_meta(folder: Path) -> dict:
    path = folder / META_FILE
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Refused(f"no partner store at {folder}: partner support sets it up with "
                      f"`facilitator partner init`") from None
    except (ValueError, UnicodeDecodeError):
        raise StoreError(f"partner store settings {path} are damaged; the file was left untouched") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or "check" not in meta:
        raise StoreError(f"{path} is not a partner store's settings file; it was left untouched")
    if int(meta.get("version", 0)) > VERSION:
        raise StoreError(f"the partner store at {folder} was made by a newer version of facilitator; upgrade it")
    return meta
