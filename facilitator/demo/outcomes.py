"""Demo data: outcomes, built through the services as staff would."""

from __future__ import annotations

from datetime import date, timedelta

from facilitator import clock
from facilitator.domain.outcomes import (
    Questionnaire,
)
from facilitator.services.core.office import Office
from facilitator.services.evaluation.outcomes import (
    _demo_partners,
    anchors,
    questionnaire_for,
    record_man,
)


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
    recorder = Office.open(office.path, "alex")
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
