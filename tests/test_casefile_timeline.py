"""His timeline: every kind of event in his case, newest first, filterable by kind; of a flag
only its categories and state, never its summary; of a check-in only his stance."""

from __future__ import annotations

import json

import pytest

from facilitator.domain.checkin import CheckIn
from facilitator.errors import InvalidInput
from facilitator.services.casefile import agency_contacts, case_notes, children
from facilitator.services.core.office import Office
from facilitator.services.groupwork import one_to_one, sessions
from facilitator.services.records import timeline as service
from facilitator.services.risk import flags as risk
from tests.conftest import as_coordinator, enrol_all

SUMMARY = "Synthetic flag summary that must not show on the timeline."


@pytest.fixture
def history(office):
    enrol_all(office)
    s = sessions.start_session(office, "G1", "2026-11-10")
    sessions.mark_attendance(office, s.id, "P0001", "present")
    sessions.record_checkin(
        office, s.id, CheckIn(participant_id="P0001", summary="Used time-out.", stance="minimising")
    )
    sessions.close_session(office, s.id, force=True)
    s = sessions.start_session(office, "G1", "2026-11-17")
    sessions.mark_attendance(office, s.id, "P0001", "unexcused")
    sessions.close_session(office, s.id, force=True)
    one_to_one.record_individual_session(office, "P0001", "crisis", "present", "2026-11-12", "bea")
    risk.raise_flag(office, "P0001", ["escalation"], SUMMARY)
    risk.raise_partner_concern(Office.open(office.path, "pat"), "P0001", "weapons")
    agency_contacts.add(office, "P0001", role="social_worker", agency="Sample Children's Services")
    children.add_child(office, "P0001", "Mia", age=5, contact="supervised")
    case_notes.add_note(
        office, "P0001", "Called probation about the missed session.", "phone_call", "2026-11-18"
    )
    return office


def test_every_kind_newest_first(history, invoke):
    r = invoke("--user", "alex", "participant", "timeline", "P0001")
    assert r.exit_code == 0, r.output
    out = r.output
    for words in (
        "referred by court (Demo Court), reference REF-ADA",
        "intake decision: suitable",
        "joined group G1 at session 1",
        "session 1 (G1): present, stance minimising",
        "session 2 (G1): unexcused",
        "one-to-one (crisis) with bea: present",
        "risk flag F0001: escalation (open)",
        "risk flag F0002: weapons (open)",
        "agency contact added: (no name), social worker, Sample Children's Services",
        "child recorded: Mia; his contact supervised",
        "case note (phone call) by alex: Called probation about the missed session.",
    ):
        assert words in out, words
    assert SUMMARY not in out and "Used time-out" not in out
    # Where a flag came from is not shown: a partner-sourced one would point at her.
    assert not any("risk flag" in line and "partner" in line for line in out.splitlines())
    events = service.timeline(history, "P0001")
    days = [e.at for e in events]
    assert days == sorted(days, reverse=True)
    assert {e.kind for e in events} >= {"referral", "intake", "enrolment", "session", "flag"}


def test_filter_by_kind_and_json(history, invoke):
    r = invoke(
        "--user",
        "alex",
        "participant",
        "timeline",
        "p0001",
        "--kind",
        "session",
        "--kind",
        "case-note",
        "--json",
    )
    data = json.loads(r.output)
    assert {d["kind"] for d in data} == {"session", "case_note"}
    assert [d["date"] for d in data] == ["2026-11-18", "2026-11-17", "2026-11-10"]
    assert data[-1]["detail"] == {
        "attendance": "present",
        "stance": "minimising",
        "state": "closed",
    }
    flags = json.loads(
        invoke(
            "--user", "alex", "participant", "timeline", "P0001", "--kind", "flag", "--json"
        ).output
    )
    assert [f["detail"] for f in flags] and all(
        set(f["detail"]) == {"categories", "state"} for f in flags
    )
    assert SUMMARY not in json.dumps(flags)


def test_status_changes_and_closed_flags(history, invoke):
    coordinator = as_coordinator(history)
    flag = risk.list_flags(coordinator)[0]
    risk.review_flag(coordinator, flag.id, ["risk_plan_updated"], "Synthetic review note.")
    risk.close_flag(coordinator, flag.id, "Synthetic outcome words.")
    r = invoke("--user", "admin", "participant", "status", "P0002", "exited", "--reason", "moved")
    assert r.exit_code == 0, r.output
    out = invoke("--user", "alex", "participant", "timeline", "P0002", "--kind", "status").output
    assert "status exited (moved)" in out
    shown = invoke("--user", "alex", "participant", "timeline", "P0001", "--kind", "flag").output
    assert f"risk flag {flag.id}" in shown and "(closed)" in shown
    assert "Synthetic review note" not in shown and "Synthetic outcome" not in shown


def test_bad_kind_and_unknown_man(office, invoke):
    r = invoke("--user", "alex", "participant", "timeline", "P0001", "--kind", "gossip")
    assert r.exit_code == 2 and "unknown timeline kind 'gossip'" in r.output
    r = invoke("--user", "alex", "participant", "timeline", "P0042")
    assert r.exit_code == 2 and "no participant with id 'P0042'" in r.output
    with pytest.raises(InvalidInput):
        service.timeline(office, "P0001", ["nothing"])


def test_partner_support_does_not_read_his_timeline(office, invoke):
    r = invoke("--user", "pat", "participant", "timeline", "P0001")
    assert r.exit_code == 1 and "may not read a man's timeline" in r.output
