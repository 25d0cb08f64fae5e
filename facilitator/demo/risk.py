"""Demo flags: open ones (one critical and overdue), one in review, closed ones with actions,
the scanner's suggestions decided as a facilitator would, and re-assessments."""

from __future__ import annotations

from datetime import datetime, timedelta

from facilitator.domain.values import parse_date
from facilitator.services.core.group_store import roster
from facilitator.services.core.office import Office
from facilitator.services.core.session_store import get_session, list_sessions
from facilitator.services.risk.assessments import all_assessments, record_assessment
from facilitator.services.risk.flags import close_flag, raise_flag, review_flag
from facilitator.services.risk.settings import current_time
from facilitator.services.risk.suggestions import (
    confirm_suggestion,
    dismiss_suggestion,
    suggest_from_checkin,
)


# -- demo ---------------------------------------------------------------------------------------
def build_demo(office: Office, context: dict) -> None:
    """Demo flags: open ones (one critical and overdue), one in review, closed ones with actions."""

    rnd = context["rnd"]
    now = current_time()
    groups = context["groups"]
    men = [e.participant.id for g in groups for e in roster(office, g.id, now.date().isoformat())]
    if len(men) < 6:
        return
    past = [s for s in list_sessions(office, groups[0].id) if s.date < now.date().isoformat()]
    last_session = past[-1] if past else None
    day = timedelta(days=1)

    def hand(pid, cats, summary, at, severity=None, session=None):
        return raise_flag(office, pid, cats, summary, severity=severity, session_id=session, at=at)

    # Closed earlier in the year, with the actions the reviewers took.
    f = hand(
        men[3],
        ["physical_violence"],
        "Said he pushed her against the door during an argument about contact.",
        now - 70 * day,
    )
    review_flag(
        office,
        f.id,
        ["partner_support_informed", "risk_plan_updated"],
        "Partner support contacted her the same day; risk plan updated with a time-out agreement.",
        at=now - 69 * day,
    )
    close_flag(
        office,
        f.id,
        "Actions complete; his risk plan now covers arguments about contact.",
        at=now - 60 * day,
    )
    f = hand(
        men[5],
        ["threats_to_kill"],
        "Said he told her 'you'll regret it' with a gesture at his throat.",
        now - 45 * day,
        severity="critical",
    )
    review_flag(
        office,
        f.id,
        ["marac_referral", "police_informed"],
        "MARAC referral sent; police informed.",
        at=now - 45 * day,
    )
    close_flag(
        office,
        f.id,
        "Heard at MARAC; safety measures in place for her; monitoring continues.",
        at=now - 30 * day,
    )

    # In review: raised in the evening of the group's last session, reviewed the next day.
    at = now - 4 * day
    if last_session:
        at = datetime.combine(parse_date(last_session.date), datetime.min.time()) + timedelta(
            hours=20, minutes=45
        )
    f = hand(
        men[1],
        ["separation", "controlling_behaviour"],
        "Told the group she has asked him to leave; he keeps checking her phone.",
        at,
        session=last_session.id if last_session else None,
    )
    review_flag(
        office,
        f.id,
        ["partner_support_informed"],
        "Partner support informed; awaiting their contact.",
        at=at + day,
    )

    # Open: a critical one past its deadline, a high one, a medium one.
    hand(
        men[0],
        ["strangulation"],
        "Rang in: said he 'grabbed her by the neck for a second' during Sunday's row.",
        now - 2 * day,
    )
    hand(
        men[2],
        ["stalking"],
        "Has been driving past her new address most evenings.",
        now - timedelta(hours=3),
    )
    hand(
        men[4],
        ["substance_misuse"],
        "Drinking most nights since losing his job.",
        now - rnd.randint(1, 3) * day,
    )
    # A new flag within twelve months of his MARAC referral: marked "MARAC: repeat".
    hand(
        men[5],
        ["controlling_behaviour"],
        "Says he has told her who she may see at weekends.",
        now - 1 * day,
    )

    # The scanner's suggestions on each group's last session, decided as a facilitator would.
    for group in groups:
        done = [s for s in list_sessions(office, group.id) if s.date < now.date().isoformat()]
        if done:
            decide_suggestions(office, done[-1].id)

    # Re-assessments: most men reviewed in the last weeks; every fourth is past his interval.
    assessed = all_assessments(office)
    for i, pid in enumerate(men):
        if i % 4 == 0:
            continue
        earlier = sorted(assessed.get(pid, []), key=lambda a: a.date)
        level = earlier[-1].level if earlier else rnd.choice(["standard", "medium"])
        record_assessment(office, pid, (now.date() - timedelta(weeks=1 + i % 6)).isoformat(), level)


def decide_suggestions(office: Office, session_id: str) -> None:

    confirmed = False
    for checkin in get_session(office, session_id).checkins.values():
        s = suggest_from_checkin(office, session_id, checkin)
        if s is None:
            continue
        if s.severity != "medium" or ("economic_abuse" in s.categories and not confirmed):
            confirm_suggestion(office, s.id)
            confirmed = True
        elif checkin.disclosed == "no":
            dismiss_suggestion(
                office, s.id, "He named it himself from his control log and stopped; no new risk."
            )
        else:
            dismiss_suggestion(
                office, s.id, "Known pattern already in his risk plan; challenged in the round."
            )
