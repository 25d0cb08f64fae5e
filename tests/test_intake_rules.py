"""Intake: a man joins a group only after a complete intake that found him suitable."""

from __future__ import annotations

import json

import pytest

from facilitator.errors import InvalidInput, Refused
from facilitator.services.core import people
from facilitator.services.groupwork import groups
from facilitator.services.intake import assessment as intake


def _enrol(office, pid="P0001"):
    return groups.enrol(office, "G1", pid, "2026-11-03")


def test_enrolment_refused_until_intake_complete_and_suitable(office):
    with pytest.raises(Refused, match="missing: intake not started"):
        _enrol(office)
    intake.start_intake(office, "P0001", started_on="2026-10-01")
    with pytest.raises(Refused) as err:
        _enrol(office)
    message = str(err.value)
    for gap in (
        "assessment sessions (0 of 2 recorded)",
        "signed programme agreement",
        "signed information sharing and limits of confidentiality",
        "signed consent to partner contact",
        "initial risk assessment",
        "eligibility decision",
    ):
        assert gap in message
    intake.record_assessment_session(office, "P0001", "2026-10-02", "alex")
    intake.record_assessment_session(office, "P0001", "2026-10-09", "bea")
    for name in ("programme_agreement", "information_sharing", "partner_contact_consent"):
        intake.record_agreement(office, "P0001", name, "signed", "2026-10-09")
    intake.record_risk_assessment(
        office,
        "P0001",
        {"separation": "present", "weapons": "absent"},
        "medium",
        "2026-12-01",
        "2026-10-09",
    )
    with pytest.raises(Refused) as err:
        _enrol(office)
    assert str(err.value).endswith("missing: eligibility decision")
    intake.decide(office, "P0001", "deferred", ["waiting_for_court_outcome"], "2026-10-10")
    with pytest.raises(
        Refused, match="the last decision, 2026-10-10, was deferred: waiting for court outcome"
    ):
        _enrol(office)
    intake.decide(office, "P0001", "suitable", [], "2026-10-20")
    assert _enrol(office).participant_id == "P0001"


def test_refusing_partner_contact_consent_is_an_exclusion(office, invoke):
    intake.start_intake(office, "P0002", started_on="2026-10-01")
    result = invoke(
        "intake",
        "record",
        "agreement",
        "P0002",
        "partner_contact_consent",
        "refused",
        "--date",
        "2026-10-05",
    )
    assert result.exit_code == 0, result.output
    assert "P0002 is excluded (refused partner contact consent)" in result.output
    found = intake.get_intake(office, "P0002")
    assert (found.decision.outcome, found.decision.reasons, found.decision.date) == (
        "excluded",
        ["refused_partner_contact_consent"],
        "2026-10-05",
    )
    person = people.get_participant(office, "P0002")
    assert person.status == "exited" and "excluded at intake" in person.status_reason
    with pytest.raises(Refused):
        _enrol(office, "P0002")
    # Found suitable while the refusal stands: refused, and it says why.
    with pytest.raises(Refused, match="consent to partner contact was refused on 2026-10-05"):
        intake.decide(office, "P0002", "suitable")


def test_he_can_sign_later_and_be_found_suitable(office):
    intake.complete_intake(office, "P0003", "2026-10-01")
    intake.record_agreement(office, "P0003", "partner_contact_consent", "refused", "2026-10-02")
    assert people.get_participant(office, "P0003").status == "exited"
    intake.record_agreement(office, "P0003", "partner_contact_consent", "signed", "2026-10-03")
    intake.decide(office, "P0003", "suitable", day="2026-10-03")
    assert people.get_participant(office, "P0003").status == "referred"
    assert _enrol(office, "P0003").participant_id == "P0003"


def test_not_suitable_needs_a_reason_from_the_settings_list(office):
    intake.start_intake(office, "P0001")
    with pytest.raises(InvalidInput, match="needs at least one reason"):
        intake.decide(office, "P0001", "not_suitable")
    with pytest.raises(InvalidInput, match="unknown reason 'bad_attitude'"):
        intake.decide(office, "P0001", "not_suitable", ["bad_attitude"])
    intake.decide(office, "P0001", "not_suitable", ["denies_any_violence"])
    assert people.get_participant(office, "P0001").status == "exited"


def test_risk_assessment_items_levels_and_review(office, invoke):
    intake.start_intake(office, "P0001")
    r = invoke(
        "intake",
        "record",
        "risk",
        "P0001",
        "--item",
        "strangulation=present",
        "--item",
        "weapons=absent",
        "--level",
        "high",
        "--date",
        "2026-11-20",
    )
    assert r.exit_code == 0, r.output
    assert (
        "initial risk high, 1 item(s) present, next review 2027-01-15" in r.output
    )  # 8 weeks by default
    risk = intake.get_intake(office, "P0001").risk_assessment
    assert risk.items["strangulation"] == "present" and risk.items["weapons"] == "absent"
    assert risk.items["separation"] == "unknown"  # every risk item is scored
    bad = invoke(
        "intake", "record", "risk", "P0001", "--item", "strangling=present", "--level", "high"
    )
    assert bad.exit_code == 2 and "unknown risk item 'strangling'" in bad.output
    bad = invoke("intake", "record", "risk", "P0001", "--item", "weapons=maybe", "--level", "high")
    assert bad.exit_code == 2 and "unknown score for weapons 'maybe'" in bad.output
    bad = invoke(
        "intake", "record", "risk", "P0001", "--level", "high", "--next-review", "2026-11-01"
    )
    assert bad.exit_code == 2 and "must come after" in bad.output


def test_initial_risk_assessment_reaches_the_risk_service(office):
    from facilitator.services.risk import assessments as risk

    intake.start_intake(office, "P0001")
    intake.record_risk_assessment(office, "P0001", {}, "medium", day="2026-11-20")
    assert [(a.date, a.level) for a in risk.assessments_of(office, "P0001")] == [
        ("2026-11-20", "medium")
    ]


def test_intake_cli_start_show_decide(office, invoke):
    r = invoke(
        "intake", "start", "P0001", "--date", "2026-11-01", "--referral-received", "2026-10-28"
    )
    assert r.exit_code == 0 and "referral received 2026-10-28" in r.output
    again = invoke("intake", "start", "P0001")
    assert again.exit_code == 1 and "was started on 2026-11-01" in again.output
    shown = invoke("intake", "show", "P0001").output
    assert "[x] referral received: 2026-10-28" in shown and "[ ] found suitable: not yet" in shown
    assert "not ready to join a group" in shown
    assert invoke("intake", "record", "assessment", "P0001", "--worker", "alex").exit_code == 0
    dup = invoke("intake", "record", "assessment", "P0001", "--worker", "alex")
    assert dup.exit_code == 1 and "already recorded" in dup.output
    r = invoke("intake", "decide", "P0001", "not_suitable", "--reason", "acute_mental_illness")
    assert r.exit_code == 0 and "partner support will see a contact task" in r.output
    data = json.loads(invoke("intake", "show", "P0001", "--json").output)
    assert data["ready"] is False and data["intake"]["decisions"][-1]["outcome"] == "not_suitable"
    shown = json.loads(invoke("participant", "show", "P0001", "--json").output)
    assert shown["intake_decision"] == "not_suitable" and shown["intake_status"].startswith(
        "missing: "
    )
    assert "intake_status" in invoke("participant", "show", "P0001").output
    listed = json.loads(invoke("intake", "list", "--json").output)
    assert [row["participant_id"] for row in listed] == ["P0001"]


def test_no_intake_yet_is_one_line_with_the_way_forward(office, invoke):
    r = invoke("group", "enrol", "G1", "P0001")
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [
        "Error: P0001 cannot join a group until his intake is complete and he was found suitable; "
        "missing: intake not started (see `facilitator intake start P0001`)"
    ]
    r = invoke("intake", "record", "assessment", "P0001")
    assert r.exit_code == 1 and "has no intake yet" in r.output
