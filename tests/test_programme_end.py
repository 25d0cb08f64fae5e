"""One way to end a man's programme: `participant status` (completed, suspended, exited) and
`group leave` are the same change, and everything that follows from it agrees."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import enrol_all, ready_for_group

from facilitator.errors import Refused
from facilitator.services.core import people
from facilitator.services.core.group_store import enrolments, roster
from facilitator.services.core.session_store import get_session
from facilitator.services.debrief import prefill
from facilitator.services.evaluation.outcomes import anchors
from facilitator.services.groupwork import groups, sessions
from facilitator.services.partner.contact_points import contact_points
from facilitator.services.records import retention


@pytest.fixture
def group(office):
    enrol_all(office)
    s = sessions.start_session(office, "G1", "2026-11-24")
    for pid in ("P0001", "P0002", "P0003"):
        sessions.mark_attendance(office, s.id, pid, "present")
    sessions.close_session(office, s.id, force=True)
    return office


def _men_on(office, day: str) -> set[str]:
    return {r.participant.id for r in roster(office, "G1", day)}


def test_an_exit_by_status_takes_him_off_the_roster_and_everything_follows(group, invoke):
    result = invoke(
        "--user", "alex", "participant", "status", "P0002", "exited", "--reason", "stopped coming"
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "P0002 is now exited; left G1 on 2026-11-24"
    assert "P0002" not in _men_on(group, "2026-12-01")  # not expected at the next session
    assert people.get_participant(group, "P0002").status == "exited"
    (left,) = enrolments(group, participant_id="P0002")
    assert left.left_on == "2026-11-24" and left.left_reason == "stopped coming"
    assert [(c.point, c.date) for c in contact_points(group, "P0002")][-1] == (
        "exit",
        "2026-11-24",
    )
    assert anchors(group, "P0002")["P0002"].end == "2026-11-24"
    closed = {i.participant_id for i in retention.due(group, today=date(2045, 1, 1))}
    assert "P0002" in closed and "P0001" not in closed  # his clock runs; a man still in does not


def test_leaving_the_group_as_completed_sets_his_status_and_the_completion_points(group, invoke):
    settings = group.ws.read_settings()
    settings["rules"]["sessions_required"] = 1  # he attended the one session held
    with group.stores.writing():
        group.ws.write_settings(settings)
    result = invoke("--user", "alex", "group", "leave", "P0003", "--reason", "completed")
    assert result.exit_code == 0, result.output
    assert people.get_participant(group, "P0003").status == "completed"
    assert ("completion", "2026-11-24") in [
        (c.point, c.date) for c in contact_points(group, "P0003")
    ]
    assert anchors(group, "P0003")["P0003"].completed


def test_a_transfer_keeps_him_in_the_programme_for_his_next_group(group):
    groups.create_group(
        group, "Thursday group", "core-24", "thursday", "18:30", ["alex", "bea"], group_id="G2"
    )
    groups.leave_group(group, "P0001", "transferred to the Thursday group", "2026-11-25")
    assert people.get_participant(group, "P0001").status == "active"
    assert groups.enrol(group, "G2", "P0001", "2026-11-26").group_id == "G2"
    assert not [c for c in contact_points(group, "P0001") if c.point == "exit"]


def test_a_status_that_ends_a_programme_cannot_be_set_on_its_own(group):
    with pytest.raises(Refused, match="ends a man's programme"):
        people.set_participant_status(group, "P0001", "suspended", "fifth unexcused absence")
    assert "P0001" in _men_on(group, "2026-12-01")  # nothing changed half way


def test_an_exit_needs_its_reason_and_a_date_before_he_joined_is_refused(group, invoke):
    no_reason = invoke("--user", "alex", "participant", "status", "P0001", "exited")
    assert no_reason.exit_code == 2 and len(no_reason.output.splitlines()) == 1
    early = invoke(
        "--user", "alex", "participant", "status", "P0001", "suspended",
        "--reason", "review", "--on", "2020-01-01",
    )  # fmt: skip
    assert early.exit_code == 2 and "cannot leave it before" in early.output
    assert people.get_participant(group, "P0001").status == "active"
    assert "P0001" in _men_on(group, "2026-12-01")


def test_a_man_enrolled_after_that_days_session_closed_joins_from_the_next(group, invoke):
    people.add_participant(group, "Dev Latejoin", "court", "Demo Court", "REF-DEV")
    ready_for_group(group, "P0004")
    result = invoke("--user", "admin", "group", "enrol", "G1", "P0004", "--on", "2026-11-24")
    assert result.exit_code == 0, result.output
    assert "from 2026-11-25" in result.output
    assert "P0004" not in _men_on(group, "2026-11-24")
    assert "P0004" in _men_on(group, "2026-12-01")
    record = get_session(group, "G1-2026-11-24")
    assert "P0004" not in {pid for pid, _ in prefill.session_men(group, record)}
