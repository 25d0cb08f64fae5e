"""The demo workspace keeps its own rules: what a trainer shows from it must be what the tool
would have recorded."""

from __future__ import annotations

import pytest

from facilitator.demo.workspace import build_demo
from facilitator.services.core.group_store import enrolments, list_groups, roster
from facilitator.services.core.office import Office
from facilitator.services.core.session_store import get_session, list_sessions


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "ws"
    build_demo(path)
    return Office.open(path, "admin")


def test_a_late_joiner_joins_at_the_session_the_group_was_on(demo):
    late = 0
    for group in list_groups(demo):
        held = sorted(list_sessions(demo, group.id), key=lambda s: s.date)
        for e in enrolments(demo, group_id=group.id):
            first = next(s for s in held if s.date >= e.joined_on)
            assert e.joined_at_session == first.curriculum_session, e.id
            late += first.curriculum_session > 1
    assert late >= 2  # the demo shows rolling entry


def test_every_man_on_a_closed_sessions_roster_has_his_mark(demo):
    for group in list_groups(demo):
        for s in list_sessions(demo, group.id):
            if not s.is_closed:
                continue
            marked = set(get_session(demo, s.id).attendance)
            expected = {r.participant.id for r in roster(demo, group.id, s.date)}
            assert expected <= marked, s.id
