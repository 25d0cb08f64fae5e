"""The demo's staff sign in like real staff, with passphrases that are published for the demo
only: `demo-<id>-passphrase` (so alex signs in with demo-alex-passphrase). The partner store's
demo passphrase is `demo-partner-passphrase`.

Building the demo acts as several members in turn; each member's key is opened once (the
passphrase step is deliberately slow) and reused for every office the build opens as them.
"""

from __future__ import annotations

from pathlib import Path

from facilitator.services.core import identity
from facilitator.services.core.office import Office
from facilitator.storage.staff_keys import Signer

PARTNER_PASSPHRASE = "demo-partner-passphrase"
_unlocked: dict[tuple[str, str], Signer] = {}


def passphrase_of(staff_id: str) -> str:
    return f"demo-{staff_id}-passphrase"


def give_keys(path: Path, admin: str = "admin") -> None:
    """The demo admin sets their passphrase (the workspace's first key), then a first one for
    every other member, as a real admin would on the day keys are introduced."""
    office = Office.open(path, admin)
    identity.set_passphrase(office, admin, passphrase_of(admin))
    _remember(path, office)
    for member in office.staff():
        if member.id != admin and member.is_active:
            identity.set_passphrase(office, member.id, passphrase_of(member.id))


def open_as(path: Path, staff_id: str) -> Office:
    """An office signed in as the member, with their demo passphrase."""
    office = Office.open(path, staff_id)
    if not identity.needs_sign_in(office):
        return office
    signer = _unlocked.get((str(Path(path).resolve()), staff_id))
    if signer is not None and office.keys.has_key(staff_id):
        office.signed_in_as(signer)
        return office
    identity.sign_in(office, staff_id, passphrase_of(staff_id))
    _remember(path, office)
    return office


def _remember(path: Path, office: Office) -> None:
    if office.signer is not None:
        _unlocked[(str(Path(path).resolve()), office.signer.staff_id)] = office.signer
