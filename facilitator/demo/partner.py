"""Demo data: partner, built through the services as staff would."""

from __future__ import annotations

from datetime import timedelta

from facilitator import clock
from facilitator.demo.sign_in import PARTNER_PASSPHRASE, open_as
from facilitator.domain.values import parse_date
from facilitator.services.core.group_store import roster
from facilitator.services.core.office import Office
from facilitator.services.partner.contact_points import contact_points
from facilitator.services.partner.store import (
    DEMO_PARTNERS,
    init_store,
    key_source,
    open_store,
)


def build_demo(office: Office, context: dict) -> None:
    """Synthetic partner records, for the demo's partner support worker (pat) to see.

    The store opens with PARTNER_PASSPHRASE; every word in it is invented. Most contact points are
    answered a few days after they came; for every third man the latest is still due.
    """

    worker = open_as(office.path, "pat")
    init_store(worker, key_source(PARTNER_PASSPHRASE))
    store = open_store(worker, key_source(PARTNER_PASSPHRASE))
    today = clock.today()
    names = iter(DEMO_PARTNERS)
    points = contact_points(worker)
    for g, group in enumerate(context.get("groups", [])):
        for n, entry in enumerate(roster(worker, group.id, today.isoformat())):
            person = entry.participant
            partner = store.add_partner(
                person.id,
                f"{next(names, 'Ida')} Demo-Partner",
                "ex_partner" if n % 4 == 3 else "partner",
                phone="07700 900000 (demo)",
                safe_contact="Demo: weekday mornings only; never leave a message.",
                notes="Synthetic demo record.",
                day=(today - timedelta(weeks=16)).isoformat(),
            )
            his = [
                p for p in points if p.participant_id == person.id and p.date <= today.isoformat()
            ]
            for k, point in enumerate(his):
                if k == len(his) - 1 and n % 3 == 1:
                    continue
                when = min(parse_date(point.date) + timedelta(days=3), today).isoformat()
                store.record_contact(
                    partner.id,
                    "phone",
                    "reached",
                    when,
                    safety_planning="Demo: safety plan reviewed; safe word and a bag ready "
                    "(synthetic).",
                    her_account="Demo: synthetic account for the demo only.",
                    wishes="Demo: happy for risk concerns to be shared with the risk lead.",
                )
            if g == 0 and n == 1:
                store.raise_concern(partner.id, "victim_fear", "high")
            if g == 0 and n in (0, 2):
                # Her risk checklist at intake, and again a month ago: for one man it rose to
                # high on the count; for the other, below the count, her worker judged it high.
                earlier = {q: "yes" for q in range(1, 9)} | {9: "dont_know"}
                store.record_dash(
                    partner.id,
                    earlier,
                    judged_level="medium",
                    rationale="Demo: synthetic rationale.",
                    on=(today - timedelta(weeks=14)).isoformat(),
                )
                later = {q: "yes" for q in range(1, 16 if n == 0 else 10)}
                store.record_dash(
                    partner.id,
                    later,
                    judged_level="medium" if n == 0 else "high",
                    notes={15: "Demo: synthetic note."},
                    rationale="Demo: synthetic rationale.",
                    on=(today - timedelta(weeks=4)).isoformat(),
                )
