"""The demo workspace: a synthetic programme with two groups, history and open risk flags.

Every person in it is invented and named so that nobody could take them for real. After the
groups and their history, each workflow adds its part in the order of BUILDERS: later parts
read what earlier ones made (flags need the sessions, outcomes need the intakes).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from facilitator import clock
from facilitator.curriculum.locate import bundled_curricula_dir
from facilitator.demo import casefile as demo_casefile
from facilitator.demo import compliance as demo_compliance
from facilitator.demo import debrief as demo_debrief
from facilitator.demo import intake as demo_intake
from facilitator.demo import letters as demo_letters
from facilitator.demo import marac as demo_marac
from facilitator.demo import one_to_one as demo_one_to_one
from facilitator.demo import outcomes as demo_outcomes
from facilitator.demo import partner as demo_partner
from facilitator.demo import risk as demo_risk
from facilitator.demo import staff_quality as demo_staff_quality
from facilitator.demo.sign_in import give_keys, open_as
from facilitator.domain.checkin import CheckIn
from facilitator.domain.values import WEEKDAYS
from facilitator.services.core import group_store as group_store
from facilitator.services.core import people
from facilitator.services.core.office import Office
from facilitator.services.groupwork import groups as group_service
from facilitator.services.groupwork import sessions
from facilitator.storage.workspace import Workspace

BUILDERS: tuple[Callable[[Office, dict], None], ...] = (
    demo_intake.build_demo,
    demo_one_to_one.build_demo,
    demo_risk.build_demo,
    demo_debrief.build,
    demo_compliance.build_demo,
    demo_partner.build_demo,
    demo_marac.build_demo,
    demo_outcomes.build_demo,
    demo_staff_quality.build_demo,
    demo_casefile.build_demo,
    demo_letters.build_demo,
)

FIRST = [
    "Adam",
    "Ben",
    "Carl",
    "Dev",
    "Eli",
    "Finn",
    "Gus",
    "Hal",
    "Ivan",
    "Jon",
    "Kit",
    "Leo",
    "Max",
    "Ned",
    "Otto",
    "Pete",
    "Rob",
    "Stan",
    "Ted",
    "Vic",
]
SURNAMES = [
    "Example",
    "Sample",
    "Testcase",
    "Placeholder",
    "Demo",
    "Fictional",
    "Madeup",
    "Synthetic",
]
STAFF = [
    ("Sky Demo-Admin", "admin", ["admin", "coordinator"]),
    ("Alex Demo-Facilitator", "alex", ["facilitator"]),
    ("Bea Demo-Facilitator", "bea", ["facilitator"]),
    ("Cal Demo-Facilitator", "cal", ["facilitator"]),
    ("Dee Demo-Facilitator", "dee", ["facilitator"]),
    ("Morgan Demo-Coordinator", "morgan", ["coordinator"]),
    ("Pat Demo-PartnerSupport", "pat", ["partner_support"]),
]
SOURCES = ["court", "probation", "children_services", "self", "probation", "court", "other"]

# Check-in summaries in the facilitators' words, with the stance they judged.
GOOD_WEEKS = [
    (
        "No abusive behaviour reported. Used time-out on Saturday when he felt his voice rising; "
        "went for a walk and came back to finish the talk calmly.",
        "responsible",
    ),
    (
        "Says no abuse this week. Named that he sulked and gave the silent treatment on Monday and "
        "that it was meant to punish; talked about what he could have said instead.",
        "responsible",
    ),
    (
        "No incidents. Completed his control log and noticed checking who she was texting; "
        "stopped himself.",
        "responsible",
    ),
]
HARD_WEEKS = [
    (
        "Shouted at her during an argument about money and called her useless. Said 'it was only "
        "words, she knows I don't mean it'.",
        "minimising",
        ["psychological"],
        ["partner"],
    ),
    (
        "Took her bank card for the weekend 'so she wouldn't waste it'. Says she is bad "
        "with money.",
        "blaming",
        ["economic"],
        ["partner"],
    ),
    (
        "Says nothing happened; later in the round mentioned she 'overreacted' when he "
        "stood in the "
        "doorway so she couldn't leave the room.",
        "denying",
        ["coercive_control"],
        ["partner"],
    ),
    (
        "Sent her many messages after she did not answer; says he was only worried. "
        "Homework not done.",
        "minimising",
        ["harassment_stalking"],
        ["ex_partner"],
    ),
]


def build_demo(path: Path, seed: int = 7) -> Workspace:
    """Create the demo workspace at `path` (which must be new or empty)."""

    ws = Workspace.init(path, "Demo Programme (synthetic data)", bundled_curricula_dir())
    rnd = random.Random(seed)
    office = open_as(ws.path, "admin")
    for name, sid, roles in STAFF:
        people.add_staff(office, name, roles, sid)
    give_keys(ws.path)
    office = open_as(ws.path, "morgan")

    today = clock.today()
    # The first group meets on today's weekday, so the demo opens on a session to run now.

    first, second = WEEKDAYS[today.weekday()], WEEKDAYS[(today.weekday() + 2) % 7]
    plans = [
        (f"{first.capitalize()} evening group", first, ["alex", "bea"]),
        (f"{second.capitalize()} evening group", second, ["cal", "dee"]),
    ]
    names = iter([f"{f} {s}" for s, f in zip(SURNAMES * 5, FIRST * 2)])
    context: dict = {"groups": [], "rnd": rnd}
    for gname, weekday, facs in plans:
        # Twelve weekly sessions, the last on the most recent meeting day before today.
        first_day = _last_weekday(today, weekday) - timedelta(weeks=11)
        group = group_service.create_group(
            office, gname, "core-24", weekday, "18:30", facs, start_date=first_day.isoformat()
        )
        men = []
        later: dict[int, list] = {}  # week -> the men who join at that week's session
        for i in range(9):
            person = people.add_participant(
                office,
                next(names),
                SOURCES[(i + len(context["groups"])) % len(SOURCES)],
                referrer="Demo Referrer Team",
                referrer_reference=f"DEMO-{rnd.randint(1000, 9999)}",
                referred_on=(first_day - timedelta(weeks=4 + i)).isoformat(),
            )
            demo_intake.demo_prepare_participant(office, person, first_day)
            # Rolling entry: most start with the group, a few join later, enrolled when they
            # join so that their first session is the one the group is on that week.
            if i < 6:
                group_service.enrol(office, group.id, person.id, first_day.isoformat())
            else:
                later.setdefault(3 * (i - 5), []).append(person)
            men.append(person)
        _history(office, group, first_day, facs, rnd, later)
        context["groups"].append(group)
    for build in BUILDERS:
        build(office, context)
    return ws


def _history(
    office: Office,
    group,
    first_day: date,
    facs: list[str],
    rnd: random.Random,
    later: dict[int, list],
) -> None:
    for week in range(12):
        day = first_day + timedelta(weeks=week)
        for person in later.get(week, []):
            group_service.enrol(office, group.id, person.id, day.isoformat())
        s = sessions.start_session(office, group.id, day.isoformat())
        men = group_store.roster(office, group.id, day.isoformat())
        for entry in men:
            pid = entry.participant.id
            roll = rnd.random()
            if roll < 0.72:
                sessions.mark_attendance(office, s.id, pid, "present")
            elif roll < 0.82:
                sessions.mark_attendance(
                    office, s.id, pid, "late", minutes_late=rnd.choice([5, 10, 20, 40])
                )
            elif roll < 0.9:
                sessions.mark_attendance(
                    office,
                    s.id,
                    pid,
                    "excused",
                    reason=rnd.choice(
                        ["hospital appointment", "work shift he could not change", "court hearing"]
                    ),
                )
                continue
            else:
                sessions.mark_attendance(office, s.id, pid, "unexcused")
                continue
            if rnd.random() < 0.7:
                summary, stance = rnd.choice(GOOD_WEEKS)
                entry_ci = CheckIn(
                    participant_id=pid,
                    disclosed="no",
                    summary=summary,
                    stance=stance,
                    alternatives_used="time-out" if "time-out" in summary else "",
                    homework=rnd.choice(["done", "done", "partly", "not_done"]),
                )
            else:
                summary, stance, forms, towards = rnd.choice(HARD_WEEKS)
                entry_ci = CheckIn(
                    participant_id=pid,
                    disclosed="yes",
                    forms=forms,
                    towards=towards,
                    summary=summary,
                    stance=stance,
                    homework=rnd.choice(["partly", "not_done"]),
                )
            sessions.record_checkin(office, s.id, entry_ci)
        sessions.close_session(office, s.id, force=True)


def _last_weekday(today: date, weekday: str) -> date:

    target = WEEKDAYS.index(weekday)
    back = (today.weekday() - target) % 7 or 7
    return today - timedelta(days=back)
