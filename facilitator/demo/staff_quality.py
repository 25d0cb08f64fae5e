"""Demo data: staff quality, built through the services as staff would."""

from __future__ import annotations

from facilitator import clock
from facilitator.services.core.office import Office
from facilitator.services.evaluation.staff_quality import (
    add_supervision,
    add_training,
    quality_rules,
)


def build_demo(office: Office, context: dict) -> None:
    """Core training for everyone who works with men or partners, refreshers, monthly supervision;
    one facilitator's supervision has lapsed so the home screen has a warning to show."""
    from datetime import timedelta

    today = clock.today()
    rules = quality_rules(office)
    supervisor = next(
        (m.id for m in office.staff() if m.has_role("coordinator")), "External supervisor"
    )
    members = [m for m in office.staff() if m.has_role(*rules.supervised_roles)]
    for n, m in enumerate(members):
        for k, hours in enumerate((21, 14)):
            add_training(
                office,
                m.id,
                "core",
                hours,
                (today - timedelta(days=400 - 7 * k)).isoformat(),
                f"Core practitioner training, part {k + 1}",
                "Demo Training Network",
            )
        if n % 3 != 2:
            add_training(
                office,
                m.id,
                "refresher",
                6,
                (today - timedelta(days=60 + 7 * n)).isoformat(),
                "Annual refresher: risk and coercive control",
                "Demo Training Network",
            )
        lapsed = n == 1
        for month in range(3, 0, -1):
            day = today - timedelta(weeks=4 * month + (10 if lapsed else 0) + n % 3)
            add_supervision(
                office,
                m.id,
                supervisor if m.id != supervisor else "External supervisor",
                day.isoformat(),
                "group" if month == 3 else "individual",
                60,
            )
