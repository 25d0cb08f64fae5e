"""Reading groups, their enrolments and rosters (the group and enrolment stores)."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator import clock
from facilitator.domain.enrolment import Enrolment
from facilitator.domain.group import Group
from facilitator.domain.participant import Participant
from facilitator.domain.values import parse_date
from facilitator.errors import NotFound
from facilitator.services.core.office import Office
from facilitator.services.core.people import list_participants
from facilitator.storage.stores import all_docs, get_doc, peek_docs


def list_groups(office: Office) -> list[Group]:
    # Uncopied: the store was read afresh for this call and is let go when it returns, so its
    # records are the groups' own.
    with office.stores.groups() as db:
        return [Group.from_dict(d) for d in peek_docs(db, "groups")]


def get_group(office: Office, group_id: str) -> Group:
    with office.stores.groups() as db:
        doc = get_doc(db, "groups", group_id.strip())
        if doc is None:
            # Be forgiving about case: "g1" finds G1.
            doc = next(
                (d for d in all_docs(db, "groups") if d["id"].lower() == group_id.strip().lower()),
                None,
            )
    if doc is None:
        raise NotFound(f"no group with id '{group_id}'", command="facilitator group list")
    return Group.from_dict(doc)


def enrolments(
    office: Office, group_id: str | None = None, participant_id: str | None = None
) -> list[Enrolment]:
    """Enrolments of one group (one small file), or across every group when none is given."""
    rows: list[Enrolment] = []
    for gid in [group_id] if group_id else office.stores.enrolment_groups():
        with office.stores.enrolments(gid) as db:
            rows.extend(Enrolment.from_dict(d) for d in all_docs(db, "enrolments"))
    return [e for e in rows if participant_id is None or e.participant_id == participant_id]


def enrolled_ids(office: Office, group_id: str, day: str) -> set[str]:
    """Ids of the men enrolled on that day: the cheap check a mark or a check-in needs."""
    with office.stores.enrolments(group_id) as db:
        return {
            d["participant_id"]
            for d in peek_docs(db, "enrolments")
            if d["joined_on"] <= day and (not d.get("left_on") or day < d["left_on"])
        }


@dataclass
class RosterEntry:
    participant: Participant
    enrolment: Enrolment


def roster(office: Office, group_id: str, day: str | None = None) -> list[RosterEntry]:
    """The men enrolled in the group on that day, in the order they joined."""
    day = parse_date(day).isoformat() if day else clock.today().isoformat()
    people = {p.id: p for p in list_participants(office)}
    rows = [e for e in enrolments(office, group_id=group_id) if e.active_on(day)]
    rows.sort(key=lambda e: (e.joined_on, e.participant_id))
    return [RosterEntry(people[e.participant_id], e) for e in rows if e.participant_id in people]
