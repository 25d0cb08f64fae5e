"""The retention store: legal holds that stop retention removing a man's records, and which
men's partner records partner support still has to check.

    data/retention.json      holds, partner_left, partner_checked
"""

from __future__ import annotations

from facilitator import clock
from facilitator.domain.values import require_text
from facilitator.errors import NotFound, Refused
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.storage.stores import all_docs, get_doc, put_doc, remove_doc

HOLD_STORE = "retention.json"
# What the partner store may hold for a man, as retention lists it (never her details).
PARTNER_HOLDING = "partner:his records, if any"


# -- holds ---------------------------------------------------------------------------------
def list_holds(office: Office) -> list[dict]:
    if not office.stores.path(HOLD_STORE).exists():
        return []
    with office.stores.store(HOLD_STORE, "retention") as db:
        return sorted(all_docs(db, "holds"), key=lambda d: d["id"])


def held_ids(office: Office) -> set[str]:
    return {h["id"] for h in list_holds(office)}


def place_hold(office: Office, participant_id: str, reason: str) -> dict:
    office.require_role("coordinator", doing="place a legal hold")
    reason = require_text(reason, "the reason for the hold")
    pid = known_id(office, participant_id)
    with office.stores.writing():
        with office.stores.store(HOLD_STORE, "retention", write=True) as db:
            if get_doc(db, "holds", pid):
                raise Refused(f"{pid} is already on hold")
            hold = {
                "id": pid,
                "reason": reason,
                "placed_by": office.user,
                "placed_at": clock.now().isoformat(),
            }
            put_doc(db, "holds", hold)
        office.audit("hold", "retention", pid)
    return hold


def release_hold(office: Office, participant_id: str) -> None:
    office.require_role("coordinator", doing="release a legal hold")
    pid = participant_id.strip().upper()
    with office.stores.writing():
        with office.stores.store(HOLD_STORE, "retention", write=True) as db:
            if not get_doc(db, "holds", pid):
                raise NotFound(f"{pid} is not on hold", command="facilitator retention holds")
            remove_doc(db, "holds", pid)
        office.audit("release", "retention", pid)


def known_id(office: Office, participant_id: str) -> str:

    return get_participant(office, participant_id).id


def partner_files_left(office: Office) -> list[tuple[str, str, str]]:
    """(man, what the partner store may hold, since) for men retention removed whose partner
    records partner support has not yet checked with `partner forget`."""
    if not office.stores.path(HOLD_STORE).exists():
        return []
    with office.stores.store(HOLD_STORE, "retention") as db:
        rows = all_docs(db, "partner_left")
    return [
        (row["id"], PARTNER_HOLDING, row["since"]) for row in sorted(rows, key=lambda r: r["id"])
    ]


def partner_records_forgotten(office: Office, participant_id: str) -> None:
    """Partner support has run `partner forget` for him: retention stops listing him. Caller
    holds the lock. Done whether or not the store held anything, so the rows say nothing."""
    with office.stores.store(HOLD_STORE, "retention", write=True) as db:
        if get_doc(db, "partner_left", participant_id):
            remove_doc(db, "partner_left", participant_id)
        put_doc(db, "partner_checked", {"id": participant_id, "on": clock.today().isoformat()})


def partner_checked(office: Office) -> set[str]:
    """Men partner support has run `partner forget` for: their partner records are not listed
    again."""
    if not office.stores.path(HOLD_STORE).exists():
        return set()
    with office.stores.store(HOLD_STORE, "retention") as db:
        return {row["id"] for row in all_docs(db, "partner_checked")}
