"""Where flags live: the live queue, closed flags by month and each man's flag history.

data/risk/open.json                    flags not yet closed (the live queue)
data/risk/closed/<yyyy-mm>.json        closed flags, by the month they were closed
data/risk/men/<participant>.json       each man's flags as the escalation rules need them
"""

from __future__ import annotations

from facilitator.domain.risk_flag import FlagHistory, RiskFlag
from facilitator.errors import NotFound
from facilitator.services.core.office import Office
from facilitator.storage.stores import all_docs, get_doc, put_doc, safe_name

OPEN_STORE = "risk/open.json"


# -- flag stores -------------------------------------------------------------------------------
# Closing takes three small writes, in an order that a crash at any point leaves readable:
# (1) the closed flag replaces the live one in open.json, (2) it is added to its month's closed
# file, (3) it leaves open.json. A flag found in both places is the same closed flag.
def closed_store(month: str) -> str:
    return f"risk/closed/{month}.json"


def closed_months(office: Office) -> list[str]:
    folder = office.stores.path("risk", "closed")
    if not folder.is_dir():
        return []
    return sorted(
        (p.stem for p in folder.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9].json")), reverse=True
    )


def man_store(participant_id: str) -> str:
    return f"risk/men/{safe_name(participant_id, 'participant id')}.json"


def open_flags(office: Office) -> list[RiskFlag]:
    with office.stores.store(OPEN_STORE, "risk_open") as db:
        return [RiskFlag.from_dict(d) for d in all_docs(db, "flags")]


def closed_flags(office: Office) -> list[RiskFlag]:
    seen: dict[str, RiskFlag] = {}
    for month in closed_months(office):
        with office.stores.store(closed_store(month), "risk_closed") as db:
            for d in all_docs(db, "flags"):
                seen.setdefault(d["id"], RiskFlag.from_dict(d))
    # A close interrupted after step (1) has its closed copy only in open.json.
    for f in open_flags(office):
        if f.is_closed:
            seen.setdefault(f.id, f)
    return list(seen.values())


def all_flags(office: Office) -> list[RiskFlag]:
    closed = closed_flags(office)
    ids = {f.id for f in closed}
    return closed + [f for f in open_flags(office) if f.id not in ids]


def flag_key(flag_id: str) -> str:
    return (flag_id or "").strip().upper()


def get_flag(office: Office, flag_id: str) -> RiskFlag:
    key = flag_key(flag_id)
    with office.stores.store(OPEN_STORE, "risk_open") as db:
        doc = get_doc(db, "flags", key)
    if doc:
        return RiskFlag.from_dict(doc)
    # Closed flags: look for the id in the raw files first, and parse only the one that has it.
    needle = f'"id":"{key}"'.encode()
    for month in closed_months(office):
        path = office.stores.path("risk", "closed", f"{month}.json")
        if needle in path.read_bytes():
            with office.stores.store(closed_store(month), "risk_closed") as db:
                doc = get_doc(db, "flags", key)
            if doc:
                return RiskFlag.from_dict(doc)
    raise NotFound(
        f"no risk flag with id '{flag_id}'", command="facilitator risk list --status all"
    )


def save_open(office: Office, flag: RiskFlag) -> None:
    with office.stores.store(OPEN_STORE, "risk_open", write=True) as db:
        put_doc(db, "flags", flag.to_dict())


def save_history(office: Office, flag: RiskFlag) -> None:
    """Keep the man's own record of his flags up to date (what escalation reads)."""
    with office.stores.store(man_store(flag.participant_id), "risk_man", write=True) as db:
        put_doc(db, "flags", FlagHistory.of(flag).to_dict())


def history_of(office: Office, participant_id: str) -> list[FlagHistory]:
    with office.stores.store(man_store(participant_id), "risk_man") as db:
        return [FlagHistory.from_dict(d) for d in all_docs(db, "flags")]
