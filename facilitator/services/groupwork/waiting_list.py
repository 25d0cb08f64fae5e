"""The waiting list: men found suitable at intake and not yet in a group, longest wait first.

A man is on it from the date of the decision that found him suitable (his intake complete)
until he is enrolled; his wait is counted in days to today. When a place frees up in a group,
the first man on the list is the one offered it.
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitator import clock
from facilitator.domain.values import parse_date
from facilitator.services.core.group_store import enrolments, list_groups
from facilitator.services.core.office import Office
from facilitator.services.core.people import list_participants
from facilitator.services.groupwork.capacity import max_size, places_taken
from facilitator.services.intake.assessment import list_intakes, missing

WAITING_STATUSES = ("referred", "active")


@dataclass
class Waiting:
    participant_id: str
    name: str
    referrer: str
    found_suitable_on: str
    days_waiting: int

    def to_dict(self) -> dict:
        return {
            "participant_id": self.participant_id,
            "name": self.name,
            "referrer": self.referrer,
            "found_suitable_on": self.found_suitable_on,
            "days_waiting": self.days_waiting,
        }


def waiting_list(office: Office) -> list[Waiting]:
    """Men found suitable and in no group, ordered by the date they were found suitable."""
    today = clock.today()
    people = {p.id: p for p in list_participants(office)}
    in_group = {e.participant_id for e in enrolments(office) if not e.left_on}
    out = []
    for intake in list_intakes(office):
        person = people.get(intake.participant_id)
        decision = intake.decision
        if person is None or decision is None or decision.outcome != "suitable":
            continue
        if person.id in in_group or person.status not in WAITING_STATUSES:
            continue
        if missing(office, person):
            continue  # not ready for a group yet: his intake is the coordinator's next step
        found = parse_date(decision.date)
        out.append(
            Waiting(
                person.id,
                person.name,
                person.referrer,
                found.isoformat(),
                max((today - found).days, 0),
            )
        )
    out.sort(key=lambda w: (w.found_suitable_on, w.participant_id))
    return out


@dataclass
class FreePlace:
    group_id: str
    group_name: str
    free: int
    offer_to: Waiting | None  # the first man waiting, who is offered it


def free_places(office: Office, day: str | None = None) -> list[FreePlace]:
    """Groups with a place free on `day` (default today), each offered to the first waiting."""
    day = day or clock.today().isoformat()
    waiting = waiting_list(office)
    out = []
    for group in list_groups(office):
        if group.ended_on and group.ended_on <= day:
            continue
        free = max_size(office, group) - len(places_taken(office, group, day))
        if free > 0:
            out.append(FreePlace(group.id, group.name, free, waiting[0] if waiting else None))
    return out


def offer_after_leaving(office: Office, group_id: str) -> str:
    """One line for whoever just ended a man's place: the place and who is offered it."""
    place = next((p for p in free_places(office) if p.group_id == group_id), None)
    if place is None or place.offer_to is None:
        return ""
    w = place.offer_to
    return (
        f"a place is free in {place.group_id}: first on the waiting list is {w.participant_id} "
        f"{w.name}, waiting {w.days_waiting} days since {w.found_suitable_on}"
    )
