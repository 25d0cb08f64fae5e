"""The compliance due list looks only at the men in scope (enrolled, or left in the last four
weeks) and builds only their enrolments: it must find exactly what reading every enrolment of
every group finds, breaches from an earlier group and leaving dates written by hand included."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from conftest import enrol_all, ready_for_group

from facilitator import clock
from facilitator.services.compliance import status as compliance
from facilitator.services.core import people
from facilitator.services.core.office import Office
from facilitator.services.groupwork import attendance as records
from facilitator.services.groupwork import groups, sessions
from facilitator.storage.files import atomic_write_text


def run(office, group_id, day, marks):
    s = sessions.start_session(office, group_id, day)
    for pid, status in marks.items():
        sessions.mark_attendance(office, s.id, pid, status)
    sessions.close_session(office, s.id, force=True)


@pytest.fixture
def history(office):
    """G2 ran in 2025. P0001 missed two of its sessions, moved to G1 this month and is in scope:
    his old absences pass his order's limit. P0002 missed the same and left G2 in 2025: out of
    scope. P0003 missed one G1 session against a limit of none and left a fortnight ago: in
    scope. P0004 only came to G2, and his leaving date was typed into the store by hand."""
    coordinator = Office.open(office.path, "admin")
    people.add_participant(office, "Dan Placeholder", "court", "Demo Court", "REF-DAN")
    groups.create_group(
        office,
        "Old Tuesday group",
        "core-24",
        "tuesday",
        "18:30",
        ["alex", "bea"],
        start_date="2025-01-07",
        group_id="G2",
    )
    for p in people.list_participants(office):
        ready_for_group(office, p.id, "2024-12-10")
        groups.enrol(office, "G2", p.id, "2025-01-07")
    for pid in ("P0001", "P0002", "P0003"):
        compliance.set_order_limits(
            coordinator,
            pid,
            order="Synthetic order",
            unexcused_absences_allowed=0 if pid == "P0003" else 1,
        )
    run(
        office,
        "G2",
        "2025-01-07",
        {"P0001": "unexcused", "P0002": "unexcused", "P0003": "present", "P0004": "present"},
    )
    run(
        office,
        "G2",
        "2025-01-14",
        {"P0001": "unexcused", "P0002": "unexcused", "P0003": "present", "P0004": "present"},
    )
    groups.leave_group(office, "P0002", "exited", "2025-02-01")
    groups.leave_group(office, "P0004", "exited", "2025-02-01")
    for pid in ("P0001", "P0003"):
        groups.leave_group(office, pid, "transferred", "2025-06-01")
    for pid in ("P0001", "P0003"):
        groups.enrol(office, "G1", pid, "2026-11-03")
    run(office, "G1", "2026-11-03", {"P0001": "present", "P0003": "unexcused"})
    groups.leave_group(office, "P0003", "suspended", "2026-11-10")
    return office


def _hand_edit_left_on(office, pid, value):
    path = office.stores.path("enrolments", "G2.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    for row in data["enrolments"].values():
        if row["participant_id"] == pid:
            row["left_on"] = value
    atomic_write_text(path, json.dumps(data))


def reference(office) -> list[compliance.Standing]:
    """The men in scope found the plain way: every enrolment of every group built and read."""
    recent = (clock.today() - timedelta(days=compliance.RECENTLY_LEFT_DAYS)).isoformat()
    every = records.all_enrolments(office)
    wanted = {e.participant_id for e in every if not e.left_on or e.left_on >= recent}
    return compliance.standings(office, wanted, enrolments=every)


def seen(found) -> list[tuple]:
    return [
        (s.person.id, s.compliance.to_dict(), [e.to_dict() for e in s.enrolments]) for s in found
    ]


def test_men_in_scope_and_their_whole_record_as_a_full_read_finds_them(history):
    found = compliance._in_scope(history)
    assert seen(found) == seen(reference(history))
    assert [s.person.id for s in found] == ["P0001", "P0003"]
    p1 = next(s for s in found if s.person.id == "P0001")
    assert [e.group_id for e in p1.enrolments] == ["G1", "G2"]  # his earlier group's record too
    assert p1.compliance.unexcused == 2


def test_breaches_from_an_earlier_group_and_a_recent_leaver_reach_the_referrer(history):
    tasks = compliance.due_tasks(history)
    assert sorted((t.participant_id, t.breach_on) for t in tasks) == [
        ("P0001", "2025-01-14"),
        ("P0003", "2026-11-03"),
    ]
    expected = {(s.person.id, b.key) for s in reference(history) for b in s.compliance.breaches}
    assert {(t.participant_id, t.breach_key) for t in tasks} == expected


@pytest.mark.parametrize(
    "typed, in_scope",
    [
        ("20261101", True),  # basic ISO format: read as 2026-11-01, in the last four weeks
        ("20261001", False),  # read as 2026-10-01; as plain text it would sort after 2026-10-27
        (" 2026-11-20 ", True),  # spaces around it
        ("2025-02-01", False),
    ],
)
def test_leaving_dates_typed_by_hand_are_read_as_the_record_reads_them(history, typed, in_scope):
    _hand_edit_left_on(history, "P0004", typed)
    found = compliance._in_scope(history)
    assert seen(found) == seen(reference(history))
    assert ("P0004" in [s.person.id for s in found]) is in_scope


def test_a_leaving_date_that_is_no_date_fails_as_before(history):
    from facilitator.errors import InvalidInput

    _hand_edit_left_on(history, "P0004", "last spring")
    with pytest.raises(InvalidInput, match="leaving date 'last spring' is not a date"):
        reference(history)
    with pytest.raises(InvalidInput, match="leaving date 'last spring' is not a date"):
        compliance._in_scope(history)


def test_a_workspace_with_nobody_enrolled_has_no_one_in_scope(office):
    assert compliance._in_scope(office) == [] == reference(office)
    enrol_all(office)
    assert seen(compliance._in_scope(office)) == seen(reference(office))
