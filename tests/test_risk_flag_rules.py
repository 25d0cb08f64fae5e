"""The pure flag rules: deadlines (weekends), escalation, review and close rules, overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from facilitator.domain.risk_flag import (
    CLUSTER_OF_THREE,
    MARAC_POTENTIAL,
    MARAC_REPEAT,
    RiskFlag,
    check_close,
    check_review,
    deadline_for,
    escalate,
    is_overdue,
)
from facilitator.errors import InvalidInput, Refused

HOURS = {"critical": 0, "high": 24, "medium": 168}
TUESDAY = datetime(2026, 11, 24, 18, 0)
FRIDAY = datetime(2026, 11, 27, 18, 0)
SATURDAY = datetime(2026, 11, 28, 10, 0)


def flag(
    fid="F0001", cats=("physical_violence",), severity="high", at=TUESDAY, reviews=(), status="open"
):
    return RiskFlag(
        id=fid,
        participant_id="P0001",
        categories=list(cats),
        severity=severity,
        summary="s",
        source="hand",
        raised_by="alex",
        raised_at=at.isoformat(),
        deadline=deadline_for(severity, at, HOURS).isoformat(),
        reviews=list(reviews),
        status=status,
    )


def review(at, *actions, note="done"):
    return {"at": at.isoformat(), "by": "admin", "actions": list(actions), "note": note}


# -- deadlines -----------------------------------------------------------------------------
def test_critical_is_due_by_the_end_of_the_same_day():
    assert deadline_for("critical", TUESDAY, HOURS) == datetime(2026, 11, 24, 23, 59, 59)
    assert deadline_for("critical", SATURDAY, HOURS) == datetime(2026, 11, 28, 23, 59, 59)


def test_high_is_due_within_one_working_day():
    assert deadline_for("high", TUESDAY, HOURS) == datetime(2026, 11, 25, 18, 0)


def test_high_raised_on_friday_evening_is_due_on_monday_evening_not_saturday():
    assert deadline_for("high", FRIDAY, HOURS) == datetime(2026, 11, 30, 18, 0)


def test_high_raised_at_the_weekend_gets_the_whole_of_monday():
    assert deadline_for("high", SATURDAY, HOURS) == datetime(2026, 12, 1, 0, 0)


def test_medium_is_due_in_seven_calendar_days():
    assert deadline_for("medium", FRIDAY, HOURS) == FRIDAY + timedelta(days=7)


def test_deadline_hours_come_from_the_settings():
    assert deadline_for("high", TUESDAY, {**HOURS, "high": 4}) == datetime(2026, 11, 24, 22, 0)
    with pytest.raises(InvalidInput):
        deadline_for("high", TUESDAY, {"critical": 0})


def test_overdue_only_after_the_deadline_and_only_while_no_review_is_recorded():
    f = flag(severity="high")
    assert not is_overdue(f, datetime(2026, 11, 25, 18, 0))
    assert is_overdue(f, datetime(2026, 11, 25, 18, 1))
    f.status = "in_review"
    assert not is_overdue(f, datetime(2026, 12, 25))
    f.status = "closed"
    assert not is_overdue(f, datetime(2026, 12, 25))


# -- escalation -----------------------------------------------------------------------------
def test_cluster_of_three_across_his_flags_makes_the_new_flag_critical():
    earlier = [
        flag("F1", ["separation"], at=TUESDAY - timedelta(days=30)),
        flag("F2", ["controlling_behaviour"], "medium", at=TUESDAY - timedelta(days=10)),
    ]
    sev, markers = escalate(
        ["physical_violence"], "high", TUESDAY, earlier, cluster_window_days=180
    )
    assert sev == "critical"
    assert CLUSTER_OF_THREE in markers


def test_cluster_counts_only_flags_inside_the_window():
    earlier = [
        flag("F1", ["separation"], at=TUESDAY - timedelta(days=200)),
        flag("F2", ["controlling_behaviour"], "medium", at=TUESDAY - timedelta(days=10)),
    ]
    sev, markers = escalate(["sexual_violence"], "high", TUESDAY, earlier, cluster_window_days=180)
    assert sev == "high" and CLUSTER_OF_THREE not in markers


def test_cluster_within_one_flag():
    sev, markers = escalate(
        ["separation", "controlling_behaviour", "sexual_violence"], "high", TUESDAY, [], 180
    )
    assert sev == "critical" and CLUSTER_OF_THREE in markers


def test_two_of_the_three_is_not_a_cluster():
    sev, markers = escalate(["separation", "controlling_behaviour"], "high", TUESDAY, [], 180)
    assert sev == "high" and markers == []


def test_third_flag_within_twelve_months_marks_marac_potential_escalation():
    earlier = [
        flag("F1", at=TUESDAY - timedelta(days=300)),
        flag("F2", at=TUESDAY - timedelta(days=20)),
    ]
    _, markers = escalate(["stalking"], "high", TUESDAY, earlier, 180)
    assert MARAC_POTENTIAL in markers
    _, markers = escalate(["stalking"], "high", TUESDAY, earlier[1:], 180)
    assert MARAC_POTENTIAL not in markers


def test_a_flag_older_than_twelve_months_does_not_count_towards_marac():
    earlier = [
        flag("F1", at=datetime(2025, 11, 24, 17, 0)),
        flag("F2", at=TUESDAY - timedelta(days=20)),
    ]
    _, markers = escalate(["stalking"], "high", TUESDAY, earlier, 180)
    assert MARAC_POTENTIAL not in markers


def test_new_flag_within_twelve_months_of_a_marac_referral_marks_repeat():
    referred = flag(
        "F1",
        at=TUESDAY - timedelta(days=100),
        reviews=[review(TUESDAY - timedelta(days=99), "marac_referral")],
        status="closed",
    )
    _, markers = escalate(["substance_misuse"], "medium", TUESDAY, [referred], 180)
    assert MARAC_REPEAT in markers


def test_marac_referral_more_than_twelve_months_ago_is_not_a_repeat():
    referred = flag(
        "F1",
        at=TUESDAY - timedelta(days=400),
        reviews=[review(TUESDAY - timedelta(days=399), "marac_referral")],
        status="closed",
    )
    _, markers = escalate(["substance_misuse"], "medium", TUESDAY, [referred], 180)
    assert MARAC_REPEAT not in markers


# -- review and close -----------------------------------------------------------------------
def test_no_further_action_needs_a_reason():
    with pytest.raises(InvalidInput, match="reason"):
        check_review(flag(), ["no_further_action"], "  ")
    assert check_review(flag(), ["no_further_action"], "He was describing a film plot.") == [
        "no_further_action"
    ]


def test_review_rejects_unknown_actions_and_nfa_mixed_with_actions():
    with pytest.raises(InvalidInput, match="unknown action"):
        check_review(flag(), ["phoned_a_friend"], "x")
    with pytest.raises(InvalidInput):
        check_review(flag(), ["no_further_action", "police_informed"], "x")
    with pytest.raises(InvalidInput):
        check_review(flag(), [], "x")


def test_closing_needs_an_outcome_and_a_recorded_action():
    f = flag()
    with pytest.raises(Refused, match="no actions recorded"):
        check_close(f, "done")
    f.reviews.append(review(TUESDAY, "risk_plan_updated"))
    with pytest.raises(InvalidInput):
        check_close(f, " ")
    assert check_close(f, "Plan updated.") == "Plan updated."


def test_critical_cannot_close_on_no_further_action_without_a_written_reason():
    f = flag(
        cats=["strangulation"],
        severity="critical",
        reviews=[review(TUESDAY, "no_further_action", note="x y")],
    )
    for outcome in ("NFA", "no further action", "closed"):
        with pytest.raises(Refused, match="written reason"):
            check_close(f, outcome)
    reason = (
        "He was describing a training drill at his judo club, confirmed by his probation officer."
    )
    assert check_close(f, reason) == reason


def test_a_high_flag_may_close_on_no_further_action_with_a_short_outcome():
    f = flag(
        reviews=[
            review(TUESDAY, "no_further_action", note="Mis-heard; he said 'throw' not 'throat'.")
        ]
    )
    assert check_close(f, "NFA") == "NFA"


def test_a_closed_flag_cannot_be_reviewed_or_closed_again():
    f = flag(reviews=[review(TUESDAY, "police_informed")], status="closed")
    with pytest.raises(Refused):
        check_review(f, ["police_informed"], "x")
    with pytest.raises(Refused):
        check_close(f, "again")
