"""Demo data: outcomes, built through the services as staff would."""

from __future__ import annotations

from datetime import date, timedelta

from facilitator import clock
from facilitator.demo.sign_in import PARTNER_PASSPHRASE, open_as
from facilitator.domain.outcomes import (
    Questionnaire,
)
from facilitator.services.core.office import Office
from facilitator.services.evaluation.outcomes import (
    anchors,
    questionnaire_for,
    record_man,
    record_partner,
)
from facilitator.services.partner.store import PartnerVault, key_source, open_store, store_folder


# -- demo -------------------------------------------------------------------------------------
def build_demo(office: Office, context: dict) -> None:
    """Answers at intake and, where due, mid-programme from the demo men and their partners
    (improving on the whole, not for everyone); staff training and supervision records."""

    rnd = context["rnd"]
    today = clock.today()
    q_man = questionnaire_for(office, "man")
    found = anchors(office)

    def answers(q: Questionnaire, level: float) -> dict[str, int]:
        out = {}
        for scale, item in q.items():
            top = len(scale.answers.choices) - 1
            bad = level if scale.better == "lower" else 1 - level
            value = round(max(0.0, min(1.0, bad + rnd.uniform(-0.2, 0.2))) * top)
            out[item.id] = top - value if item.reverse else value
        return out

    levels: dict[str, float] = {}
    recorder = open_as(office.path, "alex")
    for pid, a in sorted(found.items()):
        levels[pid] = rnd.uniform(0.35, 0.7)
        for point, shift in (("intake", 0.0), ("mid", rnd.uniform(-0.35, 0.05))):
            day = a.date_of("mid" if point == "mid" else "intake")
            if day is None or day > today.isoformat() or (point == "mid" and rnd.random() < 0.3):
                continue
            when = min(
                date.fromisoformat(day) + timedelta(days=rnd.randint(0, 6)), today
            ).isoformat()
            record_man(recorder, pid, point, answers(q_man, levels[pid] + shift), when)
    _demo_partners(office, found, levels, answers, rnd, today)


def _demo_partners(office, found, levels, answers, rnd, today) -> None:
    """Her answers at intake and mid-programme, in the partner store."""
    if not PartnerVault.exists(store_folder(office)):
        return
    store = open_store(open_as(office.path, "pat"), key_source(PARTNER_PASSPHRASE))
    q = questionnaire_for(office, "partner")
    for partner in store.partners():
        a = found.get(partner.participant_id)
        if a is None:
            continue
        for point, shift in (("intake", 0.05), ("mid", rnd.uniform(-0.3, 0.05))):
            day = a.date_of(point)
            if day is None or day > today.isoformat() or (point == "mid" and rnd.random() < 0.25):
                continue
            when = min(
                date.fromisoformat(day) + timedelta(days=rnd.randint(3, 12)), today
            ).isoformat()
            level = levels.get(partner.participant_id, 0.5) + shift
            record_partner(store, partner.id, point, answers(q, level), when)
