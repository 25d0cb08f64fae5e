"""An encrypted, authenticated stream of records, for backups.

The construction is the STREAM online AEAD (Hoang, Reyhanitabar, Rogaway, Vizár 2015), as used
by Tink's streaming AEAD and by age, over AES-256-GCM from the `cryptography` package: nothing
here implements a primitive.

    magic     b"FACILITATOR-SEALED 1\\n"
    header    4-byte big-endian length + JSON: key derivation (scrypt for a passphrase, HKDF for
              a key file) with its salt, the nonce prefix, and a key check value
    checksum  sha256 of everything above (tells a damaged header from a wrong key)
    records   4-byte big-endian length + AES-GCM ciphertext and tag, one per record

Record i is sealed with nonce = prefix (7 bytes) || i (4 bytes) || last (1 byte) and the
header's hash as associated data, so records cannot be reordered, dropped, moved to another
archive, or cut off after any record but the one marked last. Each record is at most a few
MiB, so memory stays flat however big the stream.

The key check value (16 bytes derived from the key by HKDF, never the key itself) lets a wrong
passphrase be reported as such, before anything is decrypted or written.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from facilitator.errors import FacilitatorError, InvalidInput

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"FACILITATOR-SEALED 1\n"
FORMAT = 1
NONCE_PREFIX_BYTES = 7
MAX_RECORD = 64 * 1024 * 1024  # a larger length prefix can only be damage
MAX_RECORDS = 2**32 - 1
# OWASP's scrypt parameters for passwords (128 MiB, about half a second).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
MIN_PASSPHRASE = 12
KEY_FILE_PREFIX = "facilitator-backup-key-v1:"


class SealedError(FacilitatorError):
    """The stream cannot be opened or read: not ours, damaged, or the wrong key."""


class WrongKey(SealedError):
    pass


class Damaged(SealedError):
    """A record failed authentication or the framing broke: `record` says which."""

    def __init__(self, message: str, record: int | None = None):
        super().__init__(message)
        self.record = record


class Truncated(Damaged):
    pass


# -- secrets -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Secret:
    """What the programme holds: a passphrase, or the bytes of a key file."""

    passphrase: str | None = None
    key_material: bytes | None = None
    label: str = "passphrase"  # said in the wrong-key message

    @classmethod
    def from_passphrase(cls, passphrase: str, new: bool = False) -> Secret:
        if not passphrase:
            raise InvalidInput("the backup passphrase is empty")
        if new and len(passphrase) < MIN_PASSPHRASE:
            raise InvalidInput(f"a backup passphrase needs at least {MIN_PASSPHRASE} characters")
        return cls(passphrase=passphrase, label="passphrase")

    @classmethod
    def from_key_file(cls, path: str | os.PathLike) -> Secret:
        try:
            raw = open(path, "rb").read()
        except FileNotFoundError:
            raise InvalidInput(f"key file {path} does not exist") from None
        except IsADirectoryError:
            raise InvalidInput(f"key file {path} is a folder") from None
        text = raw.strip()
        if text.startswith(KEY_FILE_PREFIX.encode()):
            try:
                material = base64.urlsafe_b64decode(text[len(KEY_FILE_PREFIX) :])
            except ValueError:
                raise InvalidInput(
                    f"key file {path} is damaged (its key is not valid base64)"
                ) from None
        else:
            material = raw
        if len(material) < 32:
            raise InvalidInput(
                f"key file {path} holds fewer than 32 bytes: make a new one",
                command="facilitator backup keygen",
            )
        return cls(key_material=material, label=f"key file {os.path.basename(path)}")


def new_key_file_text() -> str:
    return KEY_FILE_PREFIX + base64.urlsafe_b64encode(os.urandom(32)).decode() + "\n"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


def _derive(secret: Secret, kdf: dict) -> tuple[bytes, bytes]:
    """(encryption key, key check value) for this secret and the header's KDF parameters."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    salt = _unb64(kdf["salt"])
    if kdf["name"] == "scrypt":
        if secret.passphrase is None:
            raise WrongKey(
                "this backup was made with a passphrase, not a key file: give the passphrase"
            )
        master = Scrypt(
            salt=salt, length=32, n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"])
        ).derive(secret.passphrase.encode("utf-8"))
    elif kdf["name"] == "hkdf-sha256":
        if secret.key_material is None:
            raise WrongKey(
                "this backup was made with a key file, not a passphrase: give --key-file"
            )
        master = HKDF(hashes.SHA256(), 32, salt, b"facilitator sealed v1 key file").derive(
            secret.key_material
        )
    else:
        raise SealedError(f"unknown key derivation '{kdf['name']}': made by a newer facilitator?")
    key = HKDF(hashes.SHA256(), 32, None, b"facilitator sealed v1 encryption").derive(master)
    check = HKDF(hashes.SHA256(), 16, None, b"facilitator sealed v1 key check").derive(master)
    return key, check


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


# -- writing -------------------------------------------------------------------------------
class SealedWriter:
    """Seal records into `fh`. Call `write(data)` for each record and `close()` once (it seals
    the last record: a stream without one reads as truncated)."""

    def __init__(self, fh: BinaryIO, secret: Secret, meta: dict | None = None):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        salt = os.urandom(16)
        if secret.passphrase is not None:
            kdf = {
                "name": "scrypt",
                "salt": _b64(salt),
                "n": SCRYPT_N,
                "r": SCRYPT_R,
                "p": SCRYPT_P,
            }
        else:
            kdf = {"name": "hkdf-sha256", "salt": _b64(salt)}
        key, check = _derive(secret, kdf)
        self._prefix = os.urandom(NONCE_PREFIX_BYTES)
        header = {
            "format": FORMAT,
            "cipher": "AES-256-GCM STREAM",
            "kdf": kdf,
            "nonce_prefix": _b64(self._prefix),
            "key_check": _b64(check),
            **(meta or {}),
        }
        head = MAGIC + _framed(json.dumps(header, sort_keys=True).encode())
        self._aad = hashlib.sha256(head).digest()
        fh.write(head + self._aad)
        self._fh = fh
        self._aead = AESGCM(key)
        self._index = 0
        self._pending: bytes | None = None  # held back one record so close() can mark it last
        self.bytes_written = len(head) + len(self._aad)

    def write(self, record: bytes) -> None:
        if self._pending is not None:
            self._seal(self._pending, last=False)
        self._pending = bytes(record)

    def close(self) -> None:
        self._seal(self._pending if self._pending is not None else b"", last=True)
        self._pending = None

    def _seal(self, record: bytes, last: bool) -> None:
        if self._index >= MAX_RECORDS:
            raise SealedError("too many records for one sealed stream")
        sealed = self._aead.encrypt(_nonce(self._prefix, self._index, last), record, self._aad)
        self._fh.write(_framed(sealed))
        self.bytes_written += 4 + len(sealed)
        self._index += 1


def _framed(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


# -- reading -------------------------------------------------------------------------------
@dataclass
class Opened:
    header: dict
    aead: AESGCM
    prefix: bytes
    aad: bytes


def open_sealed(fh: BinaryIO, secret: Secret, name: str = "the archive") -> Opened:
    """Read the header and check the key. Raises SealedError/WrongKey with one clear line."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    magic = fh.read(len(MAGIC))
    if magic != MAGIC:
        raise SealedError(f"{name} is not a backup of this tool's (or its first bytes are damaged)")
    raw_len = fh.read(4)
    length = struct.unpack(">I", raw_len)[0] if len(raw_len) == 4 else -1
    if not 0 < length < 65536:
        raise Damaged(f"{name} is damaged: its header is unreadable")
    body = fh.read(length)
    checksum = fh.read(32)
    head = MAGIC + raw_len + body
    if len(body) != length or hashlib.sha256(head).digest() != checksum:
        raise Damaged(f"{name} is damaged: its header does not match its checksum")
    try:
        header = json.loads(body)
        if int(header.get("format", 0)) > FORMAT:
            raise SealedError(
                f"{name} was made by a newer facilitator (format {header['format']}): "
                "upgrade to read it"
            )
        key, check = _derive(secret, header["kdf"])
        prefix = _unb64(header["nonce_prefix"])
        expected = _unb64(header["key_check"])
    except (ValueError, KeyError, TypeError):
        raise Damaged(f"{name} is damaged: its header is unreadable") from None
    if check != expected:
        raise WrongKey(f"wrong {secret.label} for {name}: nothing was decrypted")
    return Opened(header=header, aead=AESGCM(key), prefix=prefix, aad=checksum)


class SealedReader:
    """Read records in order. `next()` returns (plaintext, is_last). A record that fails
    authentication raises Damaged with its index, and the reader stays positioned after it when
    its length was readable, so a caller may go on (to reach the manifest and name the damage)."""

    def __init__(self, fh: BinaryIO, opened: Opened, name: str = "the archive"):
        self.fh, self.opened, self.name = fh, opened, name
        self.index = 0
        self.framing_lost = False

    def next(self) -> tuple[bytes, bool]:
        from cryptography.exceptions import InvalidTag

        index, name = self.index, self.name
        raw_len = self.fh.read(4)
        if not raw_len:
            raise Truncated(
                f"{name} is cut short after record {index}: it was not copied completely", index
            )
        if len(raw_len) != 4:
            self.framing_lost = True
            raise Truncated(f"{name} is cut short inside record {index}", index)
        length = struct.unpack(">I", raw_len)[0]
        if length < 16 or length > MAX_RECORD + 64:
            self.framing_lost = True
            raise Damaged(f"{name} is damaged at record {index} (impossible length)", index)
        sealed = self.fh.read(length)
        if len(sealed) != length:
            self.framing_lost = True
            raise Truncated(f"{name} is cut short inside record {index}", index)
        self.index += 1
        for last in (False, True):
            try:
                return self.opened.aead.decrypt(
                    _nonce(self.opened.prefix, index, last), sealed, self.opened.aad
                ), last
            except InvalidTag:
                continue
        raise Damaged(f"{name} is damaged at record {index}", index)

    def at_end(self) -> bool:
        return not self.fh.read(1)
