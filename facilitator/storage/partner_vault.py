"""The partner store on disk: a folder of files encrypted at rest.

    <folder>/vault.json         how the key is made (scrypt over a passphrase, or a key file),
                                its salt, and a check token; no secret
    <folder>/men/<name>.bin     one Fernet token per man: his partners, contacts and concerns

Fernet (AES-128-CBC with HMAC-SHA256, from the `cryptography` package) authenticates every
file, so a wrong key is told apart from a damaged file: the check token in vault.json is tried
first. The key is derived in memory and never written anywhere; the group side never holds it.
Files are written atomically and 0600, like every store. Callers hold the workspace lock for
writes.

A man's file name is keyed: the first 32 hex digits of HMAC-SHA256(his participant id), under a
key derived from the store's key with HKDF-SHA256. Without the key the folder tells nobody which
men have partner records (the names were once `<id>.bin`, which did); with it, his file is
found without opening any other. Each file holds his id, and listing the men opens every file.

Audit lines about partner records name them the same way: `pr-` and the first 16 hex digits of
HMAC-SHA256(record id), under another key derived from the store's key (HKDF, its own label).
The workspace's audit log is read by the group side; with the pseudonyms it does not tell which
men have partner records, while partner support, holding the key, can find a man's lines again.

Stores made before keyed names are migrated when they are opened with the right key
(`migrate_names`, under the workspace lock): each `<id>.bin` is renamed to its keyed name with
one atomic rename, so an interruption leaves every man under one name or the other and the next
opening carries on. Should both names exist (an older copy put back beside a migrated one),
both are decrypted: a file whose records the other already holds is dropped; otherwise the one
written last (Fernet's authenticated time stamp) is kept and the other is set aside, still
encrypted, as `<name>.<time>.superseded`. Nothing is deleted that the kept file lacks.

`cryptography` is imported where a key is used, not with this module: many commands import the
partner store's folder rules without ever opening it, and the library costs about 60 ms.
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from facilitator.errors import InvalidInput, Refused, StoreError
from facilitator.storage.files import (
    atomic_write_bytes,
    atomic_write_text,
    ensure_private_dir,
    fsync_dir,
)
from facilitator.storage.stores import safe_name

FORMAT = "facilitator-partner-store"
VERSION = 1
CHECK_TEXT = b"facilitator partner store key check"
META_FILE = "vault.json"
# scrypt cost: about 0.1 s and 32 MiB here; kept in vault.json so it can be raised later.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
# File names: HMAC-SHA256 under a key of their own (HKDF of the store's key), 128 bits in hex.
NAME_KEY_INFO = b"facilitator partner store: file names v1"
NAME_HEX = 32
_KEYED = re.compile(rf"^[0-9a-f]{{{NAME_HEX}}}$")
# Audit pseudonyms: the same HMAC under a key of their own, so they never match a file name.
AUDIT_KEY_INFO = b"facilitator partner store: audit pseudonyms v1"
AUDIT_PREFIX, AUDIT_HEX = "pr-", 16
SET_ASIDE = ".superseded"


MIN_PASSPHRASE = 12


class WrongKey(Refused):
    """The passphrase or key file does not open this partner store."""


@dataclass
class Migration:
    """What opening an older store did to its file names (counts only)."""

    renamed: int = 0  # <id>.bin now under its keyed name
    dropped: int = 0  # an old copy whose records the keyed file already held
    set_aside: int = 0  # two different copies: the older kept as <name>.<time>.superseded

    def __bool__(self) -> bool:
        return bool(self.renamed or self.dropped or self.set_aside)


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
    from cryptography.fernet import Fernet

    ensure_private_dir(path.parent)
    atomic_write_bytes(path, Fernet.generate_key() + b"\n")
    return path


def _read_key_file(path: Path) -> bytes:
    path = Path(path).expanduser()
    try:
        raw = path.read_bytes().strip()
    except FileNotFoundError:
        raise InvalidInput(
            f"key file {path} not found: the partner store cannot be opened without it"
        ) from None
    except OSError as err:
        raise InvalidInput(f"key file {path} cannot be read: {err.strerror}") from None
    try:
        if len(base64.urlsafe_b64decode(raw)) != 32:
            raise ValueError
    except ValueError:
        raise InvalidInput(f"{path} is not a partner store key file") from None
    return raw


def _scrypt_key(passphrase: str, kdf: dict) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    salt = base64.b64decode(kdf["salt"])
    raw = Scrypt(salt=salt, length=32, n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"])).derive(
        passphrase.encode("utf-8")
    )
    return base64.urlsafe_b64encode(raw)


class PartnerVault:
    def __init__(self, folder: Path, key: bytes):
        """`key`: the store's Fernet key (url-safe base64 of 32 bytes), as derived or read."""
        from cryptography.fernet import Fernet

        self.folder = Path(folder)
        self._fernet = Fernet(key)
        raw = base64.urlsafe_b64decode(key)
        self._name_key = _subkey(raw, NAME_KEY_INFO)
        self._audit_key = _subkey(raw, AUDIT_KEY_INFO)

    # -- making and opening ---------------------------------------------------------------
    @staticmethod
    def exists(folder: Path) -> bool:
        return (Path(folder) / META_FILE).is_file()

    @classmethod
    def create(cls, folder: Path, source: KeySource) -> PartnerVault:
        from cryptography.fernet import Fernet

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
                raise InvalidInput(
                    f"a partner store passphrase needs at least {MIN_PASSPHRASE} characters "
                    f"(a few words is best); nothing was created"
                )
            kdf = {
                "name": "scrypt",
                "salt": base64.b64encode(os.urandom(16)).decode("ascii"),
                "n": SCRYPT_N,
                "r": SCRYPT_R,
                "p": SCRYPT_P,
            }
            key = _scrypt_key(passphrase, kdf)
            meta |= {"method": "passphrase", "kdf": kdf}
        meta["check"] = Fernet(key).encrypt(CHECK_TEXT).decode("ascii")
        ensure_private_dir(folder / "men")
        atomic_write_text(folder / META_FILE, json.dumps(meta, indent=2))
        return cls(folder, key)

    @classmethod
    def open(cls, folder: Path, source: KeySource) -> PartnerVault:
        from cryptography.fernet import Fernet, InvalidToken

        folder = Path(folder)
        meta = _read_meta(folder)
        if meta["method"] == "key_file":
            if not source.key_file:
                raise Refused(
                    f"the partner store at {folder} is opened with its key file (--key-file), "
                    f"not a passphrase"
                )
            key = _read_key_file(source.key_file)
        else:
            if source.key_file:
                raise Refused(
                    f"the partner store at {folder} is opened with a passphrase, not a key file"
                )
            key = _scrypt_key(_check_passphrase(source.passphrase), meta["kdf"])
        try:
            if Fernet(key).decrypt(meta["check"].encode("ascii")) != CHECK_TEXT:
                raise InvalidToken
        except (InvalidToken, ValueError, TypeError):
            raise WrongKey(
                f"wrong {source.describe()} for the partner store "
                f"at {folder}: nothing was read or changed"
            ) from None
        return cls(folder, key)

    # -- records --------------------------------------------------------------------------
    def file_name(self, name: str) -> str:
        """His file's name: keyed, so it says nothing to anyone without the key."""
        from cryptography.hazmat.primitives import hashes, hmac

        mac = hmac.HMAC(self._name_key, hashes.SHA256())
        mac.update(safe_name(name, "participant id").encode("utf-8"))
        return mac.finalize().hex()[:NAME_HEX]

    def audit_pseudonym(self, record_id: str) -> str:
        """How the audit log names a partner-side record (or a man, for his records as a whole)."""
        from cryptography.hazmat.primitives import hashes, hmac

        mac = hmac.HMAC(self._audit_key, hashes.SHA256())
        mac.update(record_id.encode("utf-8"))
        return AUDIT_PREFIX + mac.finalize().hex()[:AUDIT_HEX]

    def _path(self, name: str) -> Path:
        return self.folder / "men" / f"{self.file_name(name)}.bin"

    def _files(self) -> list[Path]:
        folder = self.folder / "men"
        return (
            sorted(p for p in folder.glob("*.bin") if _KEYED.match(p.stem))
            if folder.is_dir()
            else []
        )

    def has(self, name: str) -> bool:
        return self._path(name).is_file()

    def records(self) -> dict[str, dict]:
        """Every man's record, by participant id (each file is opened: the names say nothing)."""
        out = {}
        for path in self._files():
            data = self._decrypt(path, path.read_bytes())
            name = data.get("participant_id")
            if not isinstance(name, str) or not _is_safe(name) or self.file_name(name) != path.stem:
                raise StoreError(
                    f"partner store file {path} is not under its own man's name; "
                    f"it was left untouched: restore it from a backup"
                )
            out[name] = data
        return dict(sorted(out.items()))

    def names(self) -> list[str]:
        return list(self.records())

    def read(self, name: str) -> dict:
        path = self._path(name)
        try:
            token = path.read_bytes()
        except FileNotFoundError:
            return {}
        return self._decrypt(path, token)

    def _decrypt(self, path: Path, token: bytes) -> dict:
        from cryptography.fernet import InvalidToken

        try:
            data = json.loads(self._fernet.decrypt(token))
        except (InvalidToken, ValueError):
            raise StoreError(
                f"partner store file {path} is damaged or was written with another key; "
                f"it was left untouched: restore it from a backup"
            ) from None
        if not isinstance(data, dict):
            raise StoreError(
                f"partner store file {path} does not hold a record; it was left untouched"
            )
        return data

    def remove(self, name: str) -> bool:
        """Delete one man's file, and any copy of it set aside (retention). True when there was
        one."""
        path = self._path(name)
        found = [path] + sorted(path.parent.glob(f"{path.stem}.*{SET_ASIDE}"))
        removed = False
        for p in found:
            try:
                p.unlink()
                removed = True
            except FileNotFoundError:
                pass
        if removed:
            fsync_dir(path.parent)
        return removed

    def write(self, name: str, data: dict) -> None:
        token = self._fernet.encrypt(
            json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        )
        atomic_write_bytes(self._path(name), token)

    # -- from <id>.bin to keyed names ---------------------------------------------------------
    def migrate_names(self) -> Migration:
        """Rename every old `<id>.bin` to its keyed name, one atomic rename at a time (caller
        holds the workspace lock). An old file that does not decrypt stops it, named, untouched."""
        done = Migration()
        folder = self.folder / "men"
        old = (
            sorted(p for p in folder.glob("*.bin") if not _KEYED.match(p.stem))
            if folder.is_dir()
            else []
        )
        for legacy in old:
            if not _is_safe(legacy.stem):
                continue  # not a name this store ever wrote: left alone
            legacy_token = legacy.read_bytes()
            legacy_data = self._decrypt(legacy, legacy_token)
            target = self._path(legacy.stem)
            if not target.exists():
                os.replace(legacy, target)
                done.renamed += 1
            else:
                kept_token = target.read_bytes()
                kept = self._decrypt(target, kept_token)
                if _holds(kept, legacy_data):
                    legacy.unlink()
                    done.dropped += 1
                elif _holds(legacy_data, kept):
                    os.replace(legacy, target)  # the old name held all of it and more
                    done.dropped += 1
                elif self._fernet.extract_timestamp(legacy_token) > self._fernet.extract_timestamp(
                    kept_token
                ):
                    # Set the keyed copy aside first: interrupted here, the old name is renamed next
                    # time.
                    os.replace(target, self._aside(target, kept_token))
                    os.replace(legacy, target)
                    done.set_aside += 1
                else:
                    os.replace(legacy, self._aside(target, legacy_token))
                    done.set_aside += 1
            fsync_dir(folder)
        return done

    def _aside(self, target: Path, token: bytes) -> Path:
        return target.with_name(f"{target.stem}.{self._fernet.extract_timestamp(token)}{SET_ASIDE}")


def _subkey(key: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)


def _is_safe(name: str) -> bool:
    try:
        safe_name(name, "participant id")
    except InvalidInput:
        return False
    return True


def _holds(bigger: dict, smaller: dict) -> bool:
    """Whether `bigger` already holds everything in `smaller` (each list item, every other
    value)."""
    for key, value in smaller.items():
        other = bigger.get(key)
        if isinstance(value, list) and isinstance(other, list):
            if any(item not in other for item in value):
                return False
        elif other != value:
            return False
    return True


def _check_passphrase(passphrase: str | None) -> str:
    if not passphrase:
        raise Refused(
            "the partner store needs its passphrase (prompt, FACILITATOR_PARTNER_PASSPHRASE) "
            "or its key file (--key-file)"
        )
    return passphrase


def _read_meta(folder: Path) -> dict:
    path = folder / META_FILE
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Refused(
            f"no partner store at {folder}: partner support sets it up",
            command="facilitator partner init",
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise StoreError(
            f"partner store settings {path} are damaged; the file was left untouched"
        ) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or "check" not in meta:
        raise StoreError(f"{path} is not a partner store's settings file; it was left untouched")
    if int(meta.get("version", 0)) > VERSION:
        raise StoreError(
            f"the partner store at {folder} was made by a newer version of facilitator; upgrade it"
        )
    return meta
