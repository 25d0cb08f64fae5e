"""The history builder writes a workspace the services read as if they had written it."""

from __future__ import annotations

from facilitator.demo.history import build_history
from facilitator.services.core.group_store import list_groups
from facilitator.services.core.office import Office
from facilitator.services.core.people import list_participants
from facilitator.services.core.session_store import get_session, list_sessions


def test_a_small_history_is_read_back_whole_by_the_services(tmp_path):
    info = build_history(tmp_path / "h", groups=3, years=1, men_per_group=6, seed=7)
    assert info.built and info.sessions > 0 and info.checkins > 0
    office = Office.open(info.path, "admin")
    sessions = list_sessions(office)
    assert len(sessions) == info.sessions
    assert len(list_groups(office)) == info.groups
    assert len(list_participants(office)) == info.participants
    marks = sum(len(get_session(office, s.id).attendance) for s in sessions)
    assert marks == info.attendance
    assert office.stores.audit.verify() is None  # the chain is whole, as the services keep it


def test_a_second_build_with_the_same_arguments_is_found_not_rebuilt(tmp_path):
    first = build_history(tmp_path / "h", groups=2, years=1, men_per_group=4, seed=3)
    again = build_history(tmp_path / "h", groups=2, years=1, men_per_group=4, seed=3)
    assert first.built and not again.built and again.sessions == first.sessions
