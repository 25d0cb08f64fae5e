"""Demo data: a few men's case files (details, agency workers, children, case notes), made
through the services as staff would. Nothing here raises a risk prompt, so the demo's risk
queue is the risk step's alone."""

from __future__ import annotations

from datetime import timedelta

from facilitator import clock
from facilitator.services.casefile import agency_contacts, case_notes, children, details
from facilitator.services.core.group_store import roster
from facilitator.services.core.office import Office

DETAILS: list[dict[str, str | None]] = [
    {
        "date_of_birth": "1986-03-14",
        "phone": "07700 900001",
        "safe_to_call": "weekdays 09:00-17:00",
        "preferred_language": "English",
    },
    {
        "date_of_birth": "1979-11-02",
        "preferred_language": "Polish",
        "interpreter_needed": "yes",
        "access_needs": "Step-free access to the group room",
    },
    {"date_of_birth": "1992-07-21", "ethnicity": "prefer not to say"},
]


def build_demo(office: Office, context: dict) -> None:
    today = clock.today()
    for group in context.get("groups", [])[:1]:
        men = [e.participant for e in roster(office, group.id, today.isoformat())[:3]]
        for n, person in enumerate(men):
            details.edit_details(office, person.id, DETAILS[n])
            agency_contacts.add(
                office,
                person.id,
                role="probation_officer",
                agency="Demo Probation Service",
                name=f"Officer Demo-{n + 1}",
                email=f"officer{n + 1}@probation.example.org",
                sharing="attendance_and_engagement",
            )
            case_notes.add_note(
                office,
                person.id,
                "Phone call with his probation officer: attendance so far confirmed, next "
                "review booked.",
                "phone_call",
                (today - timedelta(days=7 + n)).isoformat(),
            )
        if men:
            children.add_child(
                office,
                men[0].id,
                "Sam",
                age=6,
                lives_with="mother",
                contact="supervised",
                contact_note="Fortnightly at the family centre",
                plan="child_in_need",
            )
