"""Staff members' signing keys: set a passphrase (which makes the key), reset one, sign as the
acting member, and check a signature. The keys themselves are in storage.staff_keys."""

from __future__ import annotations

from facilitator import clock
from facilitator.domain.staff import Staff
from facilitator.services.core.office import Office
from facilitator.storage.staff_keys import StaffKeys


def keys(office: Office) -> StaffKeys:
    return StaffKeys(office.stores.path("staff_keys"))


def set_passphrase(office: Office, staff_id: str, passphrase: str) -> Staff:
    """A member sets their own passphrase (their first key, or a new one); an admin may reset
    another member's, which makes a new key (the old one still verifies what it signed)."""
    actor = office.actor
    member = office.find_staff(staff_id)
    if member.id != actor.id:
        office.require_role("admin", doing="reset another member's passphrase")
    with office.stores.writing():
        keys(office).create(member.id, passphrase, clock.now().isoformat())
        office.audit("passphrase", "staff", member.id)
    return member


def sign_as_actor(office: Office, passphrase: str, message: bytes) -> tuple[str, str]:
    """(who, signature): the acting member's signature over the message."""
    who = office.user
    return who, keys(office).sign(who, passphrase, message)


def verify(office: Office, staff_id: str, message: bytes, signature: str) -> bool:
    return keys(office).verify(staff_id, message, signature)


def retire_key(office: Office, staff_id: str) -> None:
    """The member has left: their key signs nothing more. Caller holds the lock."""
    keys(office).retire(staff_id, clock.now().isoformat())
