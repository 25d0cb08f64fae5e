"""Demo data: one to one, built through the services as staff would."""

from __future__ import annotations

from facilitator import clock
from facilitator.domain.checkin import CheckIn
from facilitator.services.core.group_store import roster
from facilitator.services.core.office import Office
from facilitator.services.groupwork.one_to_one import record_individual_session


def build_demo(office: Office, context: dict) -> None:
    """A few catch-ups and one crisis session in the demo (after the intake records)."""
    from datetime import timedelta

    today = clock.today()
    for group in context.get("groups", [])[:1]:
        men = roster(office, group.id, today.isoformat())[:3]
        for n, entry in enumerate(men):
            day = (today - timedelta(days=10 + n)).isoformat()
            kind = "crisis" if n == 2 else "catch_up"
            record_individual_session(
                office,
                entry.participant.id,
                kind,
                "present",
                day,
                "alex",
                curriculum_session=0 if kind == "crisis" else 3 + n,
                checkin=CheckIn(
                    participant_id=entry.participant.id,
                    disclosed="no",
                    summary="One-to-one: went through the missed session's exercise; used "
                    "time-out twice.",
                    homework="done",
                ),
            )
