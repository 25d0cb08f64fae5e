"""A group's plan of dated sessions: closed days skipped, cancellations, moves, cover, and
starting a session taking the planned one. The clock is fixed at Tuesday 2026-11-24."""

from __future__ import annotations

import json

import pytest

from facilitator.errors import NotFound, Refused
from facilitator.services.core import people
from facilitator.services.groupwork import groups, plan, sessions
from tests.conftest import as_coordinator, enrol_all


def _settings(office, **sections):
    settings = office.ws.read_settings()
    for name, values in sections.items():
        settings.setdefault(name, {}).update(values)
    with office.stores.writing():
        office.ws.write_settings(settings)


def _friday_group(office):
    return groups.create_group(
        office,
        "Friday group",
        "core-24",
        "friday",
        "10:00",
        ["alex", "bea"],
        start_date="2026-11-27",
        group_id="G2",
        location="Community Hall",
    )


def test_a_term_across_christmas_and_a_bank_holiday_skips_them_and_the_curriculum_carries_on(
    office,
):
    _friday_group(office)
    _settings(office, rules={"holidays": ["2027-02-19"]})  # the programme's own closure day
    term = plan.group_plan(office, "G2", weeks=16)
    by_day = {e.date: e for e in term}
    # Christmas Day and New Year's Day fall on Fridays: the group does not meet.
    assert by_day["2026-12-25"].state == plan.CLOSED_DAY
    assert "Christmas" in by_day["2026-12-25"].reason
    assert by_day["2027-01-01"].state == plan.CLOSED_DAY
    assert by_day["2027-02-19"].state == plan.CLOSED_DAY
    assert by_day["2027-02-19"].reason == "closure day"
    held = [e for e in term if e.happens]
    assert [e.number for e in held] == list(range(1, len(held) + 1))
    assert by_day["2026-12-18"].number == 4
    assert by_day["2027-01-08"].number == 5  # on from the last session before the break
    assert all(e.time == "10:00" and e.location == "Community Hall" for e in held)
    assert held[0].title  # the curriculum's own title


def test_an_easter_bank_holiday_is_skipped_for_a_monday_group(office):
    groups.create_group(
        office,
        "Monday group",
        "core-24",
        "monday",
        "18:00",
        ["alex", "bea"],
        start_date="2027-03-01",
        group_id="G3",
    )
    term = plan.group_plan(office, "G3", weeks=10, since="2027-03-01")
    states = {e.date: e.state for e in term}
    assert states["2027-03-29"] == plan.CLOSED_DAY  # Easter Monday
    assert states["2027-03-22"] == plan.PLANNED
    assert states["2027-04-05"] == plan.PLANNED


def test_plan_command_prints_the_term_and_json(office, invoke):
    _friday_group(office)
    result = invoke("group", "plan", "G2", "--weeks", "6")
    assert result.exit_code == 0, result.output
    assert "2026-12-25" in result.output and "closed: Christmas Day" in result.output
    data = json.loads(invoke("group", "plan", "G2", "--weeks", "6", "--json").output)
    assert data[0]["date"] == "2026-11-27" and data[0]["curriculum_session"] == 1
    assert data[0]["weekday"] == "friday"


def test_cancelling_moves_the_curriculum_on(office):
    enrol_all(office)
    coordinator = as_coordinator(office)
    before = {e.date: e.number for e in plan.group_plan(office, "G1", weeks=4, since="2026-12-01")}
    plan.cancel_session(coordinator, "G1", "2026-12-01", "facilitator off sick")
    after = {e.date: e for e in plan.group_plan(office, "G1", weeks=4, since="2026-12-01")}
    assert after["2026-12-01"].state == plan.CANCELLED
    assert after["2026-12-01"].reason == "facilitator off sick"
    assert after["2026-12-08"].number == before["2026-12-01"]
    assert after["2026-12-15"].number == before["2026-12-08"]


def test_moving_a_session_keeps_its_place_and_starting_it_takes_the_plan(office, monkeypatch):
    enrol_all(office)
    coordinator = as_coordinator(office)
    number = {e.date: e.number for e in plan.group_plan(office, "G1", weeks=2)}["2026-11-24"]
    moved = plan.move_session(coordinator, "G1", "2026-11-24", "2026-11-26", "venue closed")
    assert moved.date == "2026-11-26" and moved.number == number
    with pytest.raises(Refused, match="was moved to 2026-11-26"):
        sessions.start_session(office, "G1", "2026-11-24")
    people.add_staff(coordinator, "Cal Cover", ["facilitator"], "cal")
    plan.cover_session(coordinator, "G1", "2026-11-26", "bea", "cal")
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-26T18:00:00")
    started = sessions.start_session(office, "G1")  # no --reason: the move gives it
    assert started.curriculum_session == number
    assert "venue closed" in started.rescheduled_reason
    assert started.facilitators_present == ["alex", "cal"]


def test_a_cancelled_session_is_not_started(office, monkeypatch):
    enrol_all(office)
    plan.cancel_session(as_coordinator(office), "G1", "2026-11-24", "venue closed")
    with pytest.raises(Refused, match="cancelled"):
        sessions.start_session(office, "G1")


def test_only_a_coordinator_changes_the_plan(office):
    from facilitator.errors import AccessDenied

    with pytest.raises(AccessDenied):
        plan.cancel_session(office, "G1", "2026-12-01", "off sick")


@pytest.mark.parametrize(
    "args, words",
    [
        (("group", "plan", "G9"), "no group with id 'G9'"),
        (("group", "cancel", "G1", "2026-12-02", "--reason", "x"), "no session planned on"),
        (
            ("group", "move", "G1", "2026-12-02", "--to", "2026-12-03", "--reason", "x"),
            "no session planned on",
        ),
        (
            ("group", "move", "G1", "2026-12-01", "--to", "2026-12-25", "--reason", "x"),
            "closed day (Christmas Day)",
        ),
        (
            ("group", "move", "G1", "2026-12-01", "--to", "2026-12-08", "--reason", "x"),
            "already has a session on 2026-12-08",
        ),
        (
            ("group", "cover", "G1", "2026-12-01", "--for", "pat", "--by", "alex"),
            "does not facilitate",
        ),
        (("group", "plan", "G1", "--weeks", "0"), "out of range"),
    ],
)
def test_bad_input_is_one_clear_line(office, invoke, args, words):
    result = invoke("--user", "admin", *args)
    assert result.exit_code != 0
    err = result.stderr if hasattr(result, "stderr") else result.output
    assert words in err, err
    assert len(err.strip().splitlines()) <= 2  # the line, and at most a hint
    assert "Traceback" not in err


def test_a_date_not_in_the_plan_is_not_found(office):
    with pytest.raises(NotFound):
        plan.cancel_session(as_coordinator(office), "G1", "2026-12-02", "x")


def test_a_session_is_not_moved_onto_a_cancelled_one(office):
    coordinator = as_coordinator(office)
    plan.cancel_session(coordinator, "G1", "2026-12-08", "venue closed")
    with pytest.raises(Refused, match="on 2026-12-08 is cancelled"):
        plan.move_session(coordinator, "G1", "2026-12-01", "2026-12-08", "swap")
