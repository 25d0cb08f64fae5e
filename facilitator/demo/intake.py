"""Demo data: intake, built through the services as staff would."""

from __future__ import annotations

from datetime import date, timedelta

from facilitator import clock
from facilitator.domain.participant import Participant
from facilitator.domain.values import parse_date
from facilitator.services.core.office import Office
from facilitator.services.core.people import add_participant
from facilitator.services.intake.assessment import (
    complete_intake,
    decide,
    record_agreement,
    record_assessment_session,
    risk_items,
    start_intake,
)


# -- demo ----------------------------------------------------------------------------------
def demo_prepare_participant(office: Office, person: Participant, first_day: date) -> None:
    """Each demo man arrives with a complete, suitable intake finished before he joins."""
    start = max(parse_date(person.referred_on) + timedelta(days=7), first_day - timedelta(weeks=3))
    items = (
        {"separation": "present", "controlling_behaviour": "present"}
        if person.id[-1] in "37"
        else {}
    )
    level = "medium" if items else "standard"
    complete_intake(
        office,
        person.id,
        start,
        level,
        {k: v for k, v in items.items() if k in risk_items(office)},
        workers=["alex", "bea"],
    )


def build_demo(office: Office, context: dict) -> None:
    """Men still in intake, so the demo shows each way it can go; and some one-to-one work."""

    today = clock.today()
    cases = [
        ("Quinn Demo", "progress"),
        ("Ray Fictional", "deferred"),
        ("Sam Madeup", "refused"),
        ("Tom Synthetic", "not_suitable"),
    ]
    for name, case in cases:
        referred = today - timedelta(weeks=3)
        person = add_participant(
            office, name, "probation", "Demo Referrer Team", "DEMO-INTAKE", referred.isoformat()
        )
        start_intake(office, person.id, started_on=(referred + timedelta(days=3)).isoformat())
        record_assessment_session(
            office, person.id, (referred + timedelta(days=7)).isoformat(), "alex"
        )
        if case == "progress":
            continue
        record_agreement(
            office,
            person.id,
            "programme_agreement",
            "signed",
            (referred + timedelta(days=7)).isoformat(),
        )
        if case == "refused":
            record_agreement(
                office,
                person.id,
                "partner_contact_consent",
                "refused",
                (referred + timedelta(days=8)).isoformat(),
            )
        elif case == "deferred":
            decide(
                office,
                person.id,
                "deferred",
                ["waiting_for_court_outcome"],
                (referred + timedelta(days=8)).isoformat(),
            )
        else:
            decide(
                office,
                person.id,
                "not_suitable",
                ["acute_mental_illness"],
                (referred + timedelta(days=8)).isoformat(),
            )
