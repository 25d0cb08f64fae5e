"""A session on another weekday than the group's is a rescheduling: it needs its reason, which
is kept with the session and in the audit."""

from __future__ import annotations

import pytest
from conftest import enrol_all

from facilitator.services.core import session_store


@pytest.fixture
def group(office, monkeypatch):
    enrol_all(office)  # G1 meets on Tuesdays
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-26T18:00:00")  # a Thursday
    return office


def test_another_weekday_without_a_reason_is_refused_in_one_line(group, invoke):
    result = invoke("--user", "alex", "session", "start", "G1", "--date", "2026-11-26")
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert "G1 meets on Tuesdays and 2026-11-26 is a Thursday" in line
    assert "--reason" in line
    assert session_store.find_session(group, "G1", "2026-11-26") is None


def test_the_reason_is_kept_with_the_session_and_in_the_audit(group, invoke):
    result = invoke(
        "--user", "alex", "session", "start", "G1", "--date", "2026-11-26",
        "--reason", "rescheduled: the room was flooded on Tuesday",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "not on the group's day: rescheduled: the room was flooded" in result.output
    held = session_store.find_session(group, "G1", "2026-11-26")
    assert held.rescheduled_reason == "rescheduled: the room was flooded on Tuesday"
    started = [e for e in group.stores.audit.entries() if e.get("action") == "start"]
    assert started[-1].get("rescheduled") == "rescheduled: the room was flooded on Tuesday"


def test_the_groups_own_day_needs_no_reason(group, invoke):
    result = invoke("--user", "alex", "session", "start", "G1", "--date", "2026-11-24")
    assert result.exit_code == 0, result.output
    assert session_store.find_session(group, "G1", "2026-11-24").rescheduled_reason == ""
