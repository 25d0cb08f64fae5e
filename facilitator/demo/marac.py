"""Demo MARAC work: one man referred after a high risk level, with a meeting and its actions
(one done, one due this week), and the information shared about him by hand. Any other
prompt stays open on the due list for the coordinator to decide on."""

from __future__ import annotations

from datetime import timedelta

from facilitator import clock
from facilitator.demo.sign_in import open_as
from facilitator.services.core.group_store import roster
from facilitator.services.core.office import Office
from facilitator.services.core.sharing import record_sharing
from facilitator.services.risk import marac


def build_demo(office: Office, context: dict) -> None:
    coordinator = open_as(office.path, "morgan")
    today = clock.today()
    prompts = marac.prompts(coordinator, open_only=True)
    if prompts:
        first = prompts[0]
        referral = marac.refer(
            coordinator,
            first.participant_id,
            agency="Demo Town MARAC",
            reasons=["strangulation", "victim_fear"],
            summary="Demo: risk found high; synthetic summary for the demo only.",
            on=(today - timedelta(weeks=3)).isoformat(),
            meeting_on=(today - timedelta(weeks=2)).isoformat(),
        )
        marac.add_action(
            coordinator,
            referral.id,
            "Share attendance with probation weekly",
            "morgan",
            (today - timedelta(weeks=1)).isoformat(),
        )
        marac.complete_action(coordinator, f"{referral.id}-A1", today - timedelta(days=8))
        marac.add_action(
            coordinator,
            referral.id,
            "Review his risk assessment after the next session",
            "morgan",
            (today + timedelta(days=2)).isoformat(),
        )
    men = [
        e.participant.id
        for g in context.get("groups", [])[:1]
        for e in roster(office, g.id, today.isoformat())
    ]
    for pid in men[:2]:
        record_sharing(
            coordinator,
            pid,
            information="attendance",
            to_agency="Demo Probation Service",
            basis="agreement",
            means="phone",
            on=(today - timedelta(days=5)).isoformat(),
        )
