"""Compliance rules against hand-worked cases (facilitator/domain/compliance.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from facilitator.domain.compliance import (
    Mark,
    NotifyTask,
    OrderLimits,
    Rules,
    add_working_days,
    evaluate,
)
from facilitator.errors import InvalidInput

RULES = Rules()  # the defaults: 4 unexcused allowed, 2 in a row, 80% after 6, late 30 min = absence


def marks(
    codes: str, start_number: int = 1, cycle: int = 24, start: date = date(2026, 1, 6)
) -> list[Mark]:
    """One weekly mark per letter: p present, e excused, u unexcused, L late 45 min, l late 10 min,
    O left early missing 40 min, . not marked."""
    out = []
    for i, c in enumerate(codes):
        day = (start + timedelta(weeks=i)).isoformat()
        number = (start_number - 1 + i) % cycle + 1
        status, late, missed = {
            "p": ("present", 0, 0),
            "e": ("excused", 0, 0),
            "u": ("unexcused", 0, 0),
            "L": ("late", 45, 0),
            "l": ("late", 10, 0),
            "O": ("left_early", 0, 40),
            ".": (None, 0, 0),
        }[c]
        out.append(Mark(day, number, status, late, missed))
    return out


def test_all_present_is_on_track_with_what_is_left_to_do():
    c = evaluate(marks("pppp"), RULES, 24)
    assert c.status == "on_track"
    assert c.covered == [1, 2, 3, 4] and c.to_do == list(range(5, 25))
    assert (
        c.reason == "on track; attended 4 of 4 sessions expected (100%), 4 of 24 curriculum "
        "sessions covered, 20 to do"
    )


def test_fourth_unexcused_is_a_warning_and_fifth_a_breach_dated_on_its_session():
    # u p u p u p u: four unexcused, never two in a row; 3 of 7 attended is below 80% too.
    rules = Rules(min_attendance_percent=0)
    four = evaluate(marks("upupupu"), rules, 24)
    assert four.status == "warning"
    assert four.unexcused == 4
    assert "one more passes the limit of 4 (programme rules)" in four.reason
    five = evaluate(marks("upupupupu"), rules, 24)
    assert five.status == "breach"
    (breach,) = five.breaches
    assert (breach.rule, breach.count, breach.limit, breach.on) == (
        "unexcused_absences",
        5,
        4,
        "2026-03-03",
    )
    assert five.reason.startswith(
        "breach, action needed: 5 unexcused absences passed the limit of 4 (programme "
        "rules) on 2026-03-03"
    )


def test_excused_then_unexcused_counts_one_unexcused_and_no_run():
    c = evaluate(marks("ppppppppepu"), RULES, 24)
    assert (c.excused, c.unexcused, c.longest_run, c.current_run) == (1, 1, 1, 1)
    # Excused absences are left out of the percentage: 9 attended of 10 expected, and one
    # more absence (9 of 11, 82%) would still be above 80%.
    assert c.attendance_percent == 90.0
    assert c.status == "on_track"
    # Had the excused week been unexcused: 9 of 11, two absences, and a warning (9 of 12 is 75%).
    assert evaluate(marks("ppppppppupu"), RULES, 24).status == "warning"


def test_an_excused_absence_neither_breaks_nor_extends_a_run():
    c = evaluate(marks("ppppppueu"), Rules(min_attendance_percent=0), 24)
    assert c.longest_run == 2 and c.current_run == 2
    assert c.status == "warning"
    assert "2 unexcused absences in a row: one more passes the limit of 2" in c.reason
    three = evaluate(marks("ppppppueuu"), Rules(min_attendance_percent=0), 24)
    assert three.status == "breach"
    assert [(b.rule, b.count, b.on) for b in three.breaches] == [
        ("consecutive_unexcused", 3, "2026-03-10")
    ]


def test_attending_breaks_a_run():
    c = evaluate(marks("uupupp"), Rules(min_attendance_percent=0), 24)
    assert c.longest_run == 2 and c.current_run == 0
    assert c.status == "on_track"


def test_late_past_the_threshold_counts_as_an_unexcused_absence_and_covers_nothing():
    c = evaluate(marks("pLlO"), RULES, 24)
    # L: 45 min late, O: left after missing 40 min, both >= 30: absences. l: 10 min, attended.
    assert (c.attended, c.unexcused, c.late_as_absence) == (2, 2, 2)
    assert c.covered == [1, 3]
    assert c.longest_run == 1  # p L l O: the 10-minute late in between broke the run
    assert "2 late or left early past the limit, counted as absence" in c.reason


def test_late_exactly_at_the_threshold_counts_and_zero_switches_it_off():
    at = [Mark("2026-01-06", 1, "late", 30)]
    assert evaluate(at, RULES, 24).unexcused == 1
    assert evaluate(at, Rules(late_minutes_count_as_absence=0), 24).attended == 1
    assert evaluate([Mark("2026-01-06", 1, "late", 29)], RULES, 24).attended == 1


def test_rolling_entry_catches_up_missed_sessions_in_the_next_cycle():
    # Joins at session 20 of a 24-session cycle and misses 22 (excused): sessions 20-24, then
    # 1-21 in the next cycle, then 22 at last.
    codes = "ppepp" + "p" * 21 + "p"
    c = evaluate(marks(codes, start_number=20), RULES, 24)
    assert c.covered == list(range(1, 25)) and c.to_do == []
    assert c.status == "completed"
    assert c.reason.startswith("completed: covered every curriculum session")
    # One week earlier he still lacked session 22, missed in his first cycle.
    before = evaluate(marks(codes[:-1], start_number=20), RULES, 24)
    assert before.to_do == [22] and before.status == "on_track"


def test_sessions_required_below_the_cycle_completes_earlier():
    c = evaluate(marks("p" * 22), Rules(sessions_required=22), 24)
    assert c.status == "completed" and c.to_do == [23, 24]
    assert "completed: covered 22 sessions" in c.reason


def test_percentage_judged_only_after_enough_sessions():
    early = evaluate(marks("pup"), RULES, 24)  # 67% after 3: too soon to judge
    assert early.status == "on_track" and not early.breaches
    late = evaluate(marks("pupppu"), RULES, 24)  # 4 of 6 = 67% after 6 expected
    assert late.status == "breach"
    assert [b.rule for b in late.breaches] == ["min_attendance"]
    assert (
        "attendance 67% is below the minimum of 80% (programme rules) since 2026-02-10"
        in late.reason
    )


def test_warning_when_one_more_absence_takes_him_below_the_minimum():
    c = evaluate(marks("ppppu"), RULES, 24)  # 4/5 = 80%; one more absence: 4/6 = 67%
    assert c.status == "warning"
    assert "one more absence takes his attendance below 80%" in c.reason


def test_unmarked_sessions_are_reported_never_counted():
    c = evaluate(marks("p.p"), RULES, 24)
    assert (c.attended, c.unexcused, c.unmarked, c.sessions_held) == (2, 0, 1, 2)


def test_order_limits_win_over_the_programme():
    order = OrderLimits("P0001", unexcused_absences_allowed=2, order="Family court order FC-1")
    rules = RULES.with_order(order)
    assert rules.unexcused_absences_allowed == 2 and rules.consecutive_unexcused_allowed == 2
    c = evaluate(marks("pupupupu"), Rules(min_attendance_percent=0).with_order(order), 24)
    assert c.status == "breach"
    assert c.breaches[0].source == "Family court order FC-1"
    assert "3 unexcused absences passed the limit of 2 (Family court order FC-1)" in c.reason
    # The same marks under the programme's rules alone: a warning at most.
    assert evaluate(marks("pupupupu"), Rules(min_attendance_percent=0), 24).status == "warning"


def test_order_can_be_more_lenient_than_the_programme():
    order = OrderLimits("P0001", unexcused_absences_allowed=6, min_attendance_percent=0)
    c = evaluate(marks("upupupupup"), RULES.with_order(order), 24)
    assert c.unexcused == 5 and c.status == "on_track"


def test_participant_status_comes_first():
    breach = marks("uuuuuu")
    assert evaluate(breach, RULES, 24, "suspended", "2026-02-20").reason.startswith(
        "suspended since 2026-02-20"
    )
    assert evaluate(breach, RULES, 24, "exited").status == "exited"
    assert evaluate(marks("pp"), RULES, 24, "completed").status == "completed"


def test_no_sessions_yet():
    c = evaluate([], RULES, 24)
    assert (
        c.status == "on_track"
        and c.reason
        == "on track: no sessions held yet; 0 of 24 curriculum sessions covered, 24 to do"
    )


def test_bad_limits_are_refused_in_words():
    with pytest.raises(InvalidInput, match="minimum attendance 120 is out of range"):
        OrderLimits("P0001", min_attendance_percent=120)
    with pytest.raises(
        InvalidInput, match="rules.unexcused_absences_allowed 'many' is not a whole number"
    ):
        Rules.from_settings({"unexcused_absences_allowed": "many"})


def test_working_days_skip_weekends_and_holidays():
    friday = date(2026, 11, 27)
    assert add_working_days(friday, 1) == date(2026, 11, 30)
    assert add_working_days(date(2026, 11, 24), 1) == date(2026, 11, 25)
    assert add_working_days(date(2026, 12, 24), 1, ["2026-12-25"]) == date(2026, 12, 28)
    assert add_working_days(friday, 0) == friday


def test_a_task_closed_needs_how_and_when():
    task = NotifyTask(
        "RN0001",
        "P0001",
        "unexcused_absences:4",
        "unexcused_absences",
        "2026-11-24",
        "x",
        "2026-11-24",
        "2026-11-25",
    )
    assert task.is_overdue(date(2026, 11, 26)) and not task.is_overdue(date(2026, 11, 25))
    with pytest.raises(InvalidInput, match="unknown how the referrer was told 'pigeon'"):
        NotifyTask.from_dict(
            task.to_dict() | {"state": "done", "told_how": "pigeon", "told_on": "2026-11-25"}
        )


def test_one_to_one_catch_ups_cover_sessions_too():
    c = evaluate(marks("p" * 22), RULES, 24, also_covered=[23, 24])
    assert c.status == "completed" and c.to_do == []
    assert evaluate(marks("p" * 22), RULES, 24).to_do == [23, 24]


def test_a_percentage_breach_ends_when_attendance_recovers():
    low = evaluate(marks("puuppp"), Rules(consecutive_unexcused_allowed=5), 24)  # 4 of 6: 67%
    assert [b.rule for b in low.breaches] == ["min_attendance"]
    recovered = evaluate(
        marks("puuppp" + "p" * 10), Rules(consecutive_unexcused_allowed=5), 24
    )  # 14 of 16
    assert recovered.breaches == [] and recovered.status == "on_track"
