"""Each staff member's signing key: an Ed25519 key pair from the `cryptography` package.

    data/staff_keys/<staff id>.json    his public keys, newest last (older ones verify older
                                       records), and the newest private key, encrypted

The private key is kept only encrypted: Fernet under a key derived from the member's passphrase
by scrypt, as the partner store does. Without the passphrase it signs nothing; the public keys
verify what was signed with any key the member ever had. A reset (a forgotten passphrase, a
member who left) makes a new key and retires the old one, which stays for verifying.

`cryptography` is imported where a key is used, so a command that never signs does not load it.
Checking many signatures at once (the whole audit log) uses libsodium through PyNaCl, from the
same maintainers, which checks an Ed25519 signature in under half the time; both read the same
raw keys and signatures.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from facilitator.errors import InvalidInput, Refused, StoreError
from facilitator.storage.files import atomic_write_text
from facilitator.storage.stores import safe_name

MIN_PASSPHRASE = 12
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
FORMAT = "facilitator-staff-key"


class WrongPassphrase(Refused):
    """The passphrase does not open the member's key: nothing was signed."""


@dataclass
class PublicKey:
    key: str  # raw Ed25519 public key, base64
    created_at: str
    retired_at: str = ""

    @property
    def kid(self) -> str:
        """A short name for the key, written beside each signature so the right key is tried
        first."""
        return key_id(self.key)


def key_id(public_b64: str) -> str:
    return hashlib.sha256(base64.b64decode(public_b64)).hexdigest()[:16]


@dataclass(frozen=True)
class Signer:
    """A member's unlocked key, held in memory for one signed-in session; never written."""

    staff_id: str
    kid: str
    sign: Callable[[bytes], str]  # message -> base64 signature


def check_passphrase(passphrase: str) -> str:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise InvalidInput(f"a passphrase needs at least {MIN_PASSPHRASE} characters")
    return passphrase


class StaffKeys:
    """The key files of one workspace."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, staff_id: str) -> Path:
        return self.folder / f"{safe_name(staff_id, 'staff id')}.json"

    def _read(self, staff_id: str) -> dict | None:
        path = self._path(staff_id)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:
            raise StoreError(
                f"staff key file {path} cannot be read ({err}); it was left untouched"
            ) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise StoreError(
                f"staff key file {path} is not a staff key file; it was left untouched"
            )
        return data

    def has_key(self, staff_id: str) -> bool:
        data = self._read(staff_id)
        return bool(data and data.get("private"))

    def public_keys(self, staff_id: str) -> list[PublicKey]:
        data = self._read(staff_id) or {}
        return [PublicKey(**k) for k in data.get("public", [])]

    def members_with_keys(self) -> list[str]:
        """Every member who has, or ever had, a key (a retired key still verifies)."""
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.json"))

    def first_key_at(self) -> str:
        """When the first key in this workspace was made ("" if none): from then on every
        change is signed."""
        times = [
            k.created_at for member in self.members_with_keys() for k in self.public_keys(member)
        ]
        return min(times, default="")

    def create(self, staff_id: str, passphrase: str, at: str) -> PublicKey:
        """A new key pair for the member; an older key is retired and kept for verifying.
        Caller holds the workspace lock."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        check_passphrase(passphrase)
        private = Ed25519PrivateKey.generate()
        raw_private = private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        raw_public = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        salt = os.urandom(16)
        kdf = {"salt": base64.b64encode(salt).decode(), "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}
        sealed = _fernet(passphrase, kdf).encrypt(raw_private).decode("ascii")
        data = self._read(staff_id) or {"format": FORMAT, "staff_id": staff_id, "public": []}
        for old in data["public"]:
            old["retired_at"] = old.get("retired_at") or at
        new = PublicKey(base64.b64encode(raw_public).decode(), at)
        data["public"].append(new.__dict__)
        data["private"] = {"kdf": kdf, "sealed": sealed}
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_text(self._path(staff_id), json.dumps(data, indent=1))
        return new

    def retire(self, staff_id: str, at: str) -> None:
        """End the member's key (he left): it signs nothing more and still verifies.
        Caller holds the workspace lock."""
        data = self._read(staff_id)
        if not data:
            return
        for old in data["public"]:
            old["retired_at"] = old.get("retired_at") or at
        data.pop("private", None)
        atomic_write_text(self._path(staff_id), json.dumps(data, indent=1))

    def unlock(self, staff_id: str, passphrase: str) -> Signer:
        """The member's key opened with their passphrase, or WrongPassphrase. The scrypt step
        is deliberately slow (about a tenth of a second): done once per sign-in, not per line."""
        from cryptography.fernet import InvalidToken
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        data = self._read(staff_id)
        if not data or not data.get("private"):
            raise Refused(f"{staff_id} has no signing key: set a passphrase first")
        try:
            raw = _fernet(passphrase or "", data["private"]["kdf"]).decrypt(
                data["private"]["sealed"].encode("ascii")
            )
        except (InvalidToken, ValueError, TypeError):
            raise WrongPassphrase(f"wrong passphrase for {staff_id}") from None
        private = Ed25519PrivateKey.from_private_bytes(raw)
        newest = self.public_keys(staff_id)[-1]

        def sign(message: bytes) -> str:
            return base64.b64encode(private.sign(message)).decode("ascii")

        return Signer(staff_id, newest.kid, sign)

    def sign(self, staff_id: str, passphrase: str, message: bytes) -> str:
        """The member's signature over the message (base64), or WrongPassphrase."""
        try:
            return self.unlock(staff_id, passphrase).sign(message)
        except WrongPassphrase:
            raise WrongPassphrase(f"wrong passphrase for {staff_id}: nothing was signed") from None

    def verify(self, staff_id: str, message: bytes, signature: str) -> bool:
        """Whether any key the member ever had made this signature over the message."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            raw_signature = base64.b64decode(signature, validate=True)
        except ValueError:
            return False
        for key in self.public_keys(staff_id):
            public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key.key))
            try:
                public.verify(raw_signature, message)
                return True
            except InvalidSignature:
                continue
        return False


def _fernet(passphrase: str, kdf: dict):
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    raw = Scrypt(
        salt=base64.b64decode(kdf["salt"]),
        length=32,
        n=int(kdf["n"]),
        r=int(kdf["r"]),
        p=int(kdf["p"]),
    ).derive(passphrase.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(raw))
