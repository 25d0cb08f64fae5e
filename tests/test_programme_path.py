"""A man's programme walked end to end, the state read back after each step from every store
it touches: roster, status, compliance, partner contact points, outcome time points and
retention. One walk ends in completion, one in exclusion at intake."""

from __future__ import annotations

from datetime import date

import pytest

from facilitator.errors import Refused
from facilitator.services.compliance import ending
from facilitator.services.compliance.status import due_tasks, standing
from facilitator.services.core import people
from facilitator.services.core.group_store import roster
from facilitator.services.core.office import Office
from facilitator.services.evaluation.outcomes import anchors
from facilitator.services.groupwork import groups, sessions
from facilitator.services.intake import assessment
from facilitator.services.partner.contact_points import contact_points
from facilitator.services.records import retention

FAR = date(2045, 1, 1)  # long after any retention period


def _at(monkeypatch, when: str) -> None:
    monkeypatch.setenv("FACILITATOR_NOW", f"{when}T19:00:00")


@pytest.fixture
def admin(office):
    settings = office.ws.read_settings()
    settings["rules"]["sessions_required"] = 3  # a short programme, so the walk can finish it
    with office.stores.writing():
        office.ws.write_settings(settings)
    return Office.open(office.path, "admin")


def _points(office, pid) -> list[tuple[str, str]]:
    return [(c.point, c.date) for c in contact_points(office, pid)]


def _closed(office, pid) -> set[str]:
    return {i.closed_on for i in retention.due(office, today=FAR) if i.participant_id == pid}


def test_referral_to_completion(office, admin, monkeypatch):
    _at(monkeypatch, "2026-10-01")
    dan = people.add_participant(admin, "Dan Walkthrough", "court", referred_on="2026-09-28")
    assert dan.status == "referred" and _points(admin, dan.id) == []
    assert not _closed(admin, dan.id)

    assessment.complete_intake(admin, dan.id, "2026-10-20")
    assert people.get_participant(admin, dan.id).status == "referred"
    assert [p for p, _ in _points(admin, dan.id)] == ["intake"]  # partner support's first call

    _at(monkeypatch, "2026-11-03")
    groups.enrol(admin, "G1", dan.id, "2026-11-03")
    assert people.get_participant(admin, dan.id).status == "active"
    assert dan.id in {r.participant.id for r in roster(admin, "G1", "2026-11-03")}

    for day in ("2026-11-03", "2026-11-10", "2026-11-17"):
        _at(monkeypatch, day)
        s = sessions.start_session(office, "G1", day)
        sessions.mark_attendance(office, s.id, dan.id, "present")
        sessions.close_session(office, s.id, force=True)
        if day == "2026-11-10":  # two of three covered: not complete yet
            with pytest.raises(Refused, match="covered 2 of the 3 sessions required"):
                ending.end_programme(admin, dan.id, "completed", "", day)
            assert people.get_participant(admin, dan.id).status == "active"
            assert standing(admin, dan.id).compliance.status == "on_track"
            assert not [t for t in due_tasks(admin) if t.participant_id == dan.id]
    c = standing(admin, dan.id).compliance
    assert (len(c.covered), c.required, c.status) == (3, 3, "completed")
    assert ("start", "2026-11-03") in _points(admin, dan.id)
    assert not _closed(admin, dan.id)  # still in his programme: nothing can be removed yet

    _at(monkeypatch, "2026-11-17")
    ending.end_programme(admin, dan.id, "completed", "", "2026-11-18")
    assert people.get_participant(admin, dan.id).status == "completed"
    assert dan.id not in {r.participant.id for r in roster(admin, "G1", "2026-11-24")}
    after = _points(admin, dan.id)
    assert ("completion", "2026-11-18") in after and ("follow_up", "2027-05-19") in after
    ends = anchors(admin, dan.id)[dan.id]
    assert (ends.start, ends.end, ends.completed) == ("2026-11-03", "2026-11-18", True)
    assert standing(admin, dan.id).compliance.status == "completed"
    assert _closed(admin, dan.id) == {"2026-11-18"}  # his retention clock starts at the end
    assert not [t for t in due_tasks(admin) if t.participant_id == dan.id]  # nothing to tell


def test_referral_to_exclusion_at_intake(admin, monkeypatch):
    _at(monkeypatch, "2026-11-20")
    eli = people.add_participant(admin, "Eli Walkthrough", "court", referred_on="2026-09-01")
    assessment.start_intake(admin, eli.id, started_on="2026-10-01")
    assert _points(admin, eli.id) == [("intake", "2026-10-01")]
    assessment.decide(admin, eli.id, "not_suitable", ["denies_any_violence"], "2026-11-20")

    person = people.get_participant(admin, eli.id)
    assert person.status == "exited"
    assert not any(e for e in roster(admin, "G1", "2026-11-24") if e.participant.id == eli.id)
    with pytest.raises(Refused, match="cannot be enrolled"):
        groups.enrol(admin, "G1", eli.id, "2026-11-24")
    # Partner support hears of the decision; there is no start and no exit from a group.
    assert _points(admin, eli.id) == [("intake", "2026-10-01"), ("not_suitable", "2026-11-20")]
    found = anchors(admin, eli.id).get(eli.id)
    assert found is None or found.start is None  # no programme time points to follow
    assert standing(admin, eli.id).compliance.status == "exited"
    assert _closed(admin, eli.id) == {"2026-11-20"}
