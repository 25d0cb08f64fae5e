""" "Any abuse since last time?" left unasked is saved as "not recorded", never as a "no"
nobody gave: in the CLI, in a one-to-one's check-in and in the room's form."""

from __future__ import annotations

import json

import pytest
from conftest import enrol_all
from helpers.tui import make_app, open_session, wait_for

from facilitator.domain.checkin import CheckIn
from facilitator.errors import InvalidInput
from facilitator.services.core import session_store
from facilitator.services.groupwork import sessions

SID = "G1-2026-11-24"


@pytest.fixture
def group(office):
    enrol_all(office)
    s = sessions.start_session(office, "G1")
    sessions.mark_attendance(office, s.id, "P0001", "present")
    return office


def test_a_checkin_with_the_question_unasked_is_not_recorded(group, invoke):
    result = invoke(
        "--user", "alex", "checkin", "record", SID, "P0001", "--summary", "Talked about work",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    saved = session_store.get_session(group, SID).checkins["P0001"]
    assert saved.disclosed == "not_recorded"
    shown = invoke("--user", "alex", "session", "show", SID).output
    row = next(line for line in shown.splitlines() if line.startswith("P0001"))
    assert "not recorded" in row and " no " not in f" {row} "


def test_an_asked_no_is_kept_as_no(group, invoke):
    result = invoke("--user", "alex", "checkin", "record", SID, "P0001", "--disclosed", "no")
    assert result.exit_code == 0, result.output
    assert session_store.get_session(group, SID).checkins["P0001"].disclosed == "no"


def test_forms_of_behaviour_need_a_yes_not_an_unasked_question():
    with pytest.raises(InvalidInput, match="'not recorded': use --disclosed yes"):
        CheckIn(participant_id="P0001", forms=["physical"])


def test_a_one_to_one_checkin_unasked_is_not_recorded(office, invoke):
    result = invoke(
        "--user", "alex", "individual", "record", "P0001", "crisis", "--date", "2026-11-24",
        "--summary", "Talked about his job",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    listed = invoke("--user", "alex", "individual", "list", "--participant", "P0001", "--json")
    (one,) = json.loads(listed.output)
    assert one["checkin"]["disclosed"] == "not_recorded"


async def test_the_rooms_form_starts_at_not_recorded(group):
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        app.screen.roster.select_pid("P0001")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.form_pid == "P0001", what="P0001's form")
        assert app.screen.form.fields()["disclosed"] == "not_recorded"
