"""Check-in suggestions: the scanner suggests, the facilitator confirms or dismisses, both kept."""

from __future__ import annotations

import json

import pytest

from tests.conftest import enrol_all

SID = "G1-2026-11-24"
STRANGLED = "Said he put his hands round her throat during Saturday's row, 'only for a second'."
HOMEWORK = "Did his control log; no incidents this week, used time-out twice."


@pytest.fixture
def session(office, invoke):
    enrol_all(office)
    assert invoke("session", "start", "G1").exit_code == 0
    for pid in ("P0001", "P0002", "P0003"):
        assert invoke("attendance", "mark", SID, pid, "present").exit_code == 0
    return SID


def audit_lines(office):
    return [
        json.loads(line) for line in (office.path / "data/audit.jsonl").read_text().splitlines()
    ]


def test_checkin_suggests_and_confirm_makes_a_flag(office, invoke, session):
    out = invoke(
        "checkin",
        "record",
        SID,
        "P0001",
        "--disclosed",
        "yes",
        "--form",
        "physical",
        "--summary",
        STRANGLED,
        "--stance",
        "minimising",
    ).output
    assert "risk: suggested flag S0001 for P0001: strangulation" in out
    quiet = invoke("checkin", "record", SID, "P0002", "--summary", HOMEWORK).output
    assert "risk:" not in quiet

    listed = json.loads(invoke("risk", "suggestions", SID, "--json").output)
    assert [(s["id"], s["participant_id"], s["status"], s["severity"]) for s in listed] == [
        ("S0001", "P0001", "pending", "critical")
    ]
    assert {"strangulation", "physical_violence"} <= set(listed[0]["categories"])
    assert any("throat" in m["match"] for m in listed[0]["matches"])

    # A pending suggestion holds the session open.
    closing = invoke("session", "close", SID)
    assert closing.exit_code == 1 and "S0001" in closing.output

    done = invoke("risk", "confirm", "S0001")
    assert done.exit_code == 0 and "raised F0001 for P0001" in done.output
    flag = json.loads(invoke("risk", "show", "F0001", "--json").output)
    assert (flag["source"], flag["session_id"], flag["severity"], flag["suggestion_id"]) == (
        "checkin",
        SID,
        "critical",
        "S0001",
    )
    assert flag["summary"] == STRANGLED  # the facilitators' own words from the check-in
    kept = json.loads(invoke("risk", "suggestions", SID, "--json").output)[0]
    assert (kept["status"], kept["flag_id"], kept["decided_by"]) == ("confirmed", "F0001", "admin")

    again = invoke("risk", "confirm", "S0001")
    assert again.exit_code == 1 and "already confirmed as flag F0001" in again.output
    assert len(json.loads(invoke("risk", "list", "--json").output)) == 1

    invoke("checkin", "record", SID, "P0003", "--summary", HOMEWORK)
    assert invoke("session", "close", SID).exit_code == 0


def test_dismissal_is_recorded_with_its_reason(office, invoke, session):
    invoke("checkin", "record", SID, "P0001", "--summary", STRANGLED)
    missing_reason = invoke("risk", "dismiss", "S0001", "--reason", "  ")
    assert missing_reason.exit_code == 2 and missing_reason.output.count("\n") == 1
    res = invoke(
        "risk", "dismiss", "S0001", "--reason", "He was quoting the video we watched in session 3."
    )
    assert res.exit_code == 0 and "dismissed S0001" in res.output

    kept = json.loads(invoke("risk", "suggestions", SID, "--json").output)[0]
    assert kept["status"] == "dismissed"
    assert kept["reason"] == "He was quoting the video we watched in session 3."
    assert kept["decided_by"] == "admin" and kept["flag_id"] == ""
    assert json.loads(invoke("risk", "list", "--status", "all", "--json").output) == []
    actions = [
        (e["action"], e["id"]) for e in audit_lines(office) if e["kind"] == "risk_suggestion"
    ]
    assert actions == [("suggest", "S0001"), ("dismiss", "S0001")]
    assert "video" not in (office.path / "data/audit.jsonl").read_text()

    # Recording the same check-in again does not suggest what was already decided.
    again = invoke("checkin", "record", SID, "P0001", "--summary", STRANGLED).output
    assert "risk:" not in again


def test_rerecorded_checkin_updates_the_pending_suggestion(office, invoke, session):
    invoke(
        "checkin",
        "record",
        SID,
        "P0001",
        "--summary",
        "Drinking every night since he lost his job.",
    )
    invoke("checkin", "record", SID, "P0001", "--summary", STRANGLED)
    listed = json.loads(invoke("risk", "suggestions", SID, "--json").output)
    assert len(listed) == 1 and "strangulation" in listed[0]["categories"]
    assert listed[0]["severity"] == "critical"


def test_unknown_suggestion_is_one_line_and_changes_nothing(office, invoke, session):
    before = sorted(p.name for p in (office.path / "data").rglob("*"))
    for args in (("risk", "confirm", "S0042"), ("risk", "dismiss", "S0042", "--reason", "x")):
        res = invoke(*args)
        assert res.exit_code == 2 and res.output.count("\n") == 1 and "S0042" in res.output
    assert sorted(p.name for p in (office.path / "data").rglob("*")) == before


def test_a_suggested_category_left_out_of_the_flag_needs_a_reason_and_is_kept(
    office, invoke, session
):
    text = "Said she is leaving him for good and he put his hands round her throat when she packed."
    invoke("checkin", "record", SID, "P0001", "--summary", text)
    suggested = json.loads(invoke("risk", "suggestions", SID, "--json").output)[0]["categories"]
    assert {"strangulation", "separation"} <= set(suggested)

    silent = invoke("risk", "confirm", "S0001", "--category", "separation")
    assert (
        silent.exit_code == 2 and "strangulation" in silent.output and "--reason" in silent.output
    )
    assert len(silent.output.strip().splitlines()) == 1
    assert json.loads(invoke("risk", "list", "--json").output) == []  # nothing half made
    assert json.loads(invoke("risk", "suggestions", SID, "--json").output)[0]["status"] == "pending"

    reason = "Co-facilitator checked: he was describing a film scene, not his partner."
    done = invoke("risk", "confirm", "S0001", "--category", "separation", "--reason", reason)
    assert done.exit_code == 0 and "not flagged: " in done.output and "strangulation" in done.output
    kept = json.loads(invoke("risk", "suggestions", SID, "--json").output)[0]
    assert kept["status"] == "confirmed" and kept["reason"] == reason
    assert "strangulation" in kept["not_flagged"] and "separation" not in kept["not_flagged"]
    flag = json.loads(invoke("risk", "show", kept["flag_id"], "--json").output)
    assert flag["categories"] == ["separation"]
    line = [a for a in audit_lines(office) if a.get("action") == "confirm"][-1]
    assert "strangulation" in line.get("not_flagged", "") and reason not in json.dumps(line)
    table = invoke("risk", "suggestions", SID).output
    assert "not flagged: " in table


def test_confirming_every_suggested_category_needs_no_reason(office, invoke, session):
    invoke("checkin", "record", SID, "P0001", "--summary", STRANGLED)
    cats = json.loads(invoke("risk", "suggestions", SID, "--json").output)[0]["categories"]
    args = [a for c in cats + ["stalking"] for a in ("--category", c)]
    done = invoke("risk", "confirm", "S0001", *args)
    assert done.exit_code == 0 and "not flagged" not in done.output
    assert json.loads(invoke("risk", "suggestions", SID, "--json").output)[0]["not_flagged"] == []


def test_the_check_in_form_gets_the_words_that_raised_each_indicator(office):
    """What the form shows beside each suggestion: where it came from and its words, for a
    rule's match, the learned layer's strongest words, and a check-in answer alike."""
    from facilitator.domain.checkin import CheckIn
    from facilitator.services.risk.suggestions import checkin_indicators

    checkin = CheckIn(
        participant_id="P0001",
        summary="He put his hands round her throat. He took a loan out in her name and "
        "spent it all.",
    )
    found = {i["category"]: i for i in checkin_indicators(office, checkin)}
    assert found["strangulation"]["source"] == "rule"
    assert found["strangulation"]["words"] == ["hands round her throat"]
    model = [i for i in found.values() if i["source"] == "model"]
    assert model and all(i["words"] for i in model)
    assert all({"category", "severity", "match", "start", "end"} <= set(i) for i in found.values())
