"""Demo data: compliance, built through the services as staff would."""

from __future__ import annotations

from facilitator import clock
from facilitator.services.compliance.status import (
    notify_referrer,
    open_breach_tasks,
    set_order_limits,
    standings,
)
from facilitator.services.core.office import Office


def build_demo(office: Office, context: dict) -> None:
    """Give the demo a man in breach of his court order, and another whose referrer was told."""
    found = [s for s in standings(office) if s.person.status == "active" and s.compliance.unexcused]
    found.sort(key=lambda s: (-s.compliance.unexcused, s.person.id))
    for s, order in zip(
        found, ("Demo court order (synthetic)", "Demo probation order (synthetic)")
    ):
        set_order_limits(
            office, s.person.id, order=order, unexcused_absences_allowed=s.compliance.unexcused - 1
        )
    opened = open_breach_tasks(office)
    told = next(
        (t for t in opened if len(found) > 1 and t.participant_id == found[1].person.id), None
    )
    if told:
        notify_referrer(
            office, told.id, "secure_email", min(told.due_on, clock.today().isoformat())
        )
