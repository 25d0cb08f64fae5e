"""Staff members' signing keys and sign-in: sign in with a passphrase (which unlocks the key
that signs every change made until sign-out), set or reset a passphrase (which makes a key),
sign as the acting member, and check a signature. The keys themselves are in
storage.staff_keys.

Wrong passphrases are counted per member: the third within a minute pauses that member's
sign-in, and each further one doubles the pause, so a passphrase cannot be guessed at speed.
Every wrong try is an audit line."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from facilitator import clock
from facilitator.domain.staff import Staff
from facilitator.errors import Refused
from facilitator.services.core.office import Office, SignInRequired
from facilitator.storage.audit import AuditReport
from facilitator.storage.staff_keys import Signer, StaffKeys, WrongPassphrase
from facilitator.storage.stores import get_doc, put_doc

FAILURES_FILE = "sign_in_failures.json"
TRIES_BEFORE_PAUSE = 3
WINDOW = timedelta(minutes=1)
FIRST_PAUSE = timedelta(seconds=30)
LONGEST_PAUSE = timedelta(minutes=15)


class SignInPaused(Refused):
    """Too many wrong passphrases in a row: this member's sign-in waits a while."""


def keys(office: Office) -> StaffKeys:
    return office.keys


def needs_sign_in(office: Office) -> bool:
    """Whether who acts must be proved before anything is read or written."""
    return office.signer is None and office.keyed


def sign_in(office: Office, staff_ref: str, passphrase: str) -> Staff:
    """Prove who is acting: the member's passphrase opens their key, and from then on every
    change this office makes is theirs and signed. A wrong passphrase is refused in one line,
    recorded, and counted towards a pause."""
    member = office.find_staff(staff_ref)
    office.given_user = member.id
    _ = office.claimed  # a deactivated member is refused before the passphrase is tried
    if not office.keys.has_key(member.id):
        raise SignInRequired(
            f"{member.id} has no signing key yet: an admin sets a first passphrase for them, "
            "which they then change"
        )
    _refuse_while_paused(office, member.id)
    try:
        signer = office.keys.unlock(member.id, passphrase)
    except WrongPassphrase:
        pause = _count_failure(office, member.id)
        more = f"; sign-in is paused for {_words(pause)}" if pause else ""
        raise WrongPassphrase(f"wrong passphrase for {member.id}{more}") from None
    office.signed_in_as(signer)
    _clear_failures(office, member.id)
    return member


def signer_for(office: Office, passphrase: str | None) -> Signer:
    """The acting member's unlocked key: the one they signed in with, else opened now."""
    if office.signer is not None:
        return office.signer
    who = office.claimed.id
    if not passphrase:
        raise Refused(f"{who} signs with their key: give the passphrase")
    return office.keys.unlock(who, passphrase)


def _failures(office: Office, staff_id: str) -> list[datetime]:
    with office.stores.store(FAILURES_FILE, "sign-in failures") as db:
        row = get_doc(db, "failures", staff_id)
    times = []
    for stamp in (row or {}).get("times", []):
        try:
            times.append(datetime.fromisoformat(stamp))
        except (TypeError, ValueError):
            continue
    return times


def _pause_after(times: list[datetime]) -> timedelta:
    """How long sign-in waits after these wrong tries: nothing until three within a minute,
    then 30 seconds, doubling with each further wrong try (at most 15 minutes)."""
    if len(times) < TRIES_BEFORE_PAUSE:
        return timedelta(0)
    recent = times[-TRIES_BEFORE_PAUSE:]
    if recent[-1] - recent[0] > WINDOW:
        return timedelta(0)
    extra = len(times) - TRIES_BEFORE_PAUSE
    return min(FIRST_PAUSE * (2**extra), LONGEST_PAUSE)


def _refuse_while_paused(office: Office, staff_id: str) -> None:
    times = _failures(office, staff_id)
    pause = _pause_after(times)
    if pause and clock.now() < times[-1] + pause:
        left = times[-1] + pause - clock.now()
        with office.stores.writing():
            office.stores.audit.record(staff_id, "sign-in-failed", "staff", staff_id, why="paused")
        raise SignInPaused(
            f"sign-in for {staff_id} is paused after {len(times)} wrong passphrases: try again "
            f"in {_words(left)}"
        )


def _count_failure(office: Office, staff_id: str) -> timedelta:
    now = clock.now()
    with office.stores.writing():
        times = [t for t in _failures(office, staff_id) if now - t <= LONGEST_PAUSE * 2]
        times.append(now)
        with office.stores.store(FAILURES_FILE, "sign-in failures", write=True) as db:
            put_doc(db, "failures", {"id": staff_id, "times": [t.isoformat() for t in times]})
        office.stores.audit.record(
            staff_id, "sign-in-failed", "staff", staff_id, why="wrong passphrase"
        )
    return _pause_after(times)


def _clear_failures(office: Office, staff_id: str) -> None:
    if not _failures(office, staff_id):
        return
    with office.stores.writing():
        with office.stores.store(FAILURES_FILE, "sign-in failures", write=True) as db:
            put_doc(db, "failures", {"id": staff_id, "times": []})


def _words(span: timedelta) -> str:
    seconds = max(1, int(span.total_seconds() + 0.999))
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{(seconds + 59) // 60} minutes"


def set_passphrase(office: Office, staff_id: str, passphrase: str) -> Staff:
    """A member sets their own passphrase (their first key, or a new one) and is signed in
    with it; an admin, signed in with their own key, may reset another member's, which makes
    a new key (the old one still verifies what it signed)."""
    actor = office.actor
    member = office.find_staff(staff_id)
    if not office.keyed and not actor.has_role("admin"):
        raise Refused(
            f"the first signing key in a workspace is an admin's: until an admin has one, "
            f"{actor.id}'s could not be vouched for"
        )
    if member.id != actor.id:
        office.require_role("admin", doing="reset another member's passphrase")
        if office.signer is None:
            raise Refused(
                f"{actor.id} sets their own passphrase first: a key is reset only by an admin "
                "who has signed in with theirs"
            )
    with office.stores.writing():
        office.keys.create(member.id, passphrase, clock.now().isoformat())
        if member.id == actor.id:
            office.signed_in_as(office.keys.unlock(member.id, passphrase))
        office.audit("passphrase", "staff", member.id)
    return member


def sign_as_actor(office: Office, passphrase: str | None, message: bytes) -> tuple[str, str]:
    """(who, signature): the acting member's signature over the message, with the key they
    signed in with (or opened with the passphrase given)."""
    signer = signer_for(office, passphrase)
    return signer.staff_id, signer.sign(message)


def verify(office: Office, staff_id: str, message: bytes, signature: str) -> bool:
    return keys(office).verify(staff_id, message, signature)


def retire_key(office: Office, staff_id: str) -> None:
    """The member has left: their key signs nothing more. Caller holds the lock."""
    keys(office).retire(staff_id, clock.now().isoformat())


def verify_audit(office: Office) -> AuditReport:
    """The audit log checked line by line: its hash chain, and each line's signature against
    the public key of the member who signed it."""
    return office.stores.audit.check(office.keys)


# -- a second process reading for the signed-in member -----------------------------------------
VOUCH_LIFETIME = timedelta(minutes=2)


def _vouch_message(order: dict, at: str) -> bytes:
    body = json.dumps(order, sort_keys=True, ensure_ascii=False)
    return f"facilitator read-only helper\n{at}\n{body}".encode()


def vouch_for_reader(office: Office, order: dict) -> dict | None:
    """A statement, signed with the member's key, that a helper process may read this one
    order for them. None before the workspace has keys (nobody signs in then)."""
    if office.signer is None:
        return None
    at = clock.now().isoformat()
    return {
        "by": office.signer.staff_id,
        "at": at,
        "sig": office.signer.sign(_vouch_message(order, at)),
    }


def accept_reader(office: Office, order: dict, vouched: dict | None) -> None:
    """In the helper: act for the member who vouched for this order, reading only (nothing it
    does can be recorded). Refused unless the member's key signed exactly this order within
    the last two minutes."""
    if not office.keyed:
        return
    try:
        by, at, sig = str(vouched["by"]), str(vouched["at"]), str(vouched["sig"])  # type: ignore[index]
        when = datetime.fromisoformat(at)
    except (TypeError, KeyError, ValueError):
        raise SignInRequired(
            "the export's reading process was not vouched for: nothing was read"
        ) from None
    fresh = timedelta(0) <= clock.now() - when <= VOUCH_LIFETIME
    if (
        by != order.get("user")
        or not fresh
        or not office.keys.verify(by, _vouch_message(order, at), sig)
    ):
        raise SignInRequired("the export's reading process was not vouched for: nothing was read")
    office.reading_for(by)
