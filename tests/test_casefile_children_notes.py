"""His children and his case notes: a child protection plan or a change in his contact with a
child, and a disclosure in a case note, reach the risk review; a note is settled after 24 hours
and from then on only amended."""

from __future__ import annotations

import json

import pytest

from facilitator.errors import AccessDenied, InvalidInput, Refused
from facilitator.services.casefile import case_notes, children
from facilitator.services.risk import suggestions


def _audit_text(office) -> str:
    return (office.path / "data/audit.jsonl").read_text()


def test_child_recorded_and_listed_by_first_name_and_age(office, invoke):
    r = invoke(
        "--user",
        "alex",
        "participant",
        "child",
        "add",
        "P0001",
        "Mia",
        "--date-of-birth",
        "2019-06-01",
        "--lives-with",
        "mother",
        "--contact",
        "supervised",
        "--contact-note",
        "Saturdays at the contact centre",
    )
    assert r.exit_code == 0, r.output
    assert "added P0001 child K1: Mia (7)" in r.output
    assert "risk prompt" not in r.output  # nothing yet to review
    invoke("--user", "alex", "participant", "child", "add", "P0001", "Leo", "--age", "3")
    listed = invoke("--user", "alex", "participant", "child", "list", "P0001").output
    assert "Mia (7)" in listed and "supervised (Saturdays at the contact centre)" in listed
    assert "Leo (3)" in listed
    data = json.loads(
        invoke("--user", "alex", "participant", "child", "list", "P0001", "--json").output
    )
    assert [c["first_name"] for c in data] == ["Mia", "Leo"]
    assert "Mia" not in _audit_text(office) and "contact centre" not in _audit_text(office)


def test_a_child_protection_plan_prompts_the_risk_review(office, invoke):
    r = invoke(
        "--user",
        "alex",
        "participant",
        "child",
        "add",
        "P0002",
        "Ava",
        "--plan",
        "child_protection",
        "--social-worker",
        "Sam Worker",
    )
    assert r.exit_code == 0, r.output
    assert "risk prompt S0001 (child_safeguarding, high) waits for review" in r.output
    (s,) = suggestions.list_suggestions(office, "P0002", pending_only=True)
    assert s.session_id == "P0002-K1" and s.categories == ["child_safeguarding"]
    listed = invoke("--user", "alex", "risk", "suggestions", "P0002").output
    assert "S0001" in listed and "child protection plan recorded for Ava" in listed
    r = invoke("--user", "alex", "risk", "confirm", "S0001")
    assert r.exit_code == 0, r.output
    assert "F0001" in r.output


def test_each_change_in_contact_is_put_to_review_even_after_a_dismissal(office, invoke):
    invoke("--user", "alex", "participant", "child", "add", "P0001", "Mia", "--contact", "none")
    r = invoke(
        "--user",
        "alex",
        "participant",
        "child",
        "change",
        "P0001",
        "K1",
        "--contact",
        "court_order",
    )
    assert "risk prompt S0001" in r.output
    invoke("--user", "alex", "risk", "dismiss", "S0001", "--reason", "order agreed in court")
    r = invoke(
        "--user",
        "alex",
        "participant",
        "child",
        "change",
        "P0001",
        "K1",
        "--contact",
        "unsupervised",
    )
    assert "risk prompt S0002" in r.output, r.output
    # A change that is not a risk point (a note on the arrangement) prompts nothing.
    r = invoke(
        "--user",
        "alex",
        "participant",
        "child",
        "change",
        "P0001",
        "K1",
        "--contact-note",
        "alternate weekends",
    )
    assert r.exit_code == 0 and "risk prompt" not in r.output
    assert '"fields": "contact_note"' in _audit_text(office)


def test_child_bad_input_and_who_may_read(office, invoke):
    r = invoke("--user", "alex", "participant", "child", "add", "P0001", "Mia Surname")
    assert r.exit_code == 2 and "first name only" in r.output
    r = invoke("--user", "alex", "participant", "child", "add", "P0001", "Mia", "--plan", "x")
    assert r.exit_code == 2 and "unknown child's plan 'x'" in r.output
    r = invoke("--user", "alex", "participant", "child", "change", "P0001", "K9", "--age", "4")
    assert r.exit_code == 2 and "no child 'K9'" in r.output
    with pytest.raises(AccessDenied):
        children.list_children(_as(office, "pat"), "P0001")


def _as(office, user):
    from facilitator.services.core.office import Office

    return Office.open(office.path, user)


def test_a_case_note_is_scanned_like_a_check_in(office, invoke):
    r = invoke(
        "--user",
        "alex",
        "participant",
        "note",
        "add",
        "P0001",
        "--kind",
        "phone_call",
        "--text",
        "Probation called: he put his hands around her neck last week.",
    )
    assert r.exit_code == 0, r.output
    assert "added P0001 note N1 (phone call, 2026-11-24)" in r.output
    assert "risk suggestion S0001 (strangulation" in r.output
    (s,) = suggestions.list_suggestions(office, "P0001-N1")
    assert s.severity == "critical"
    flag = suggestions.confirm_suggestion(office, s.id)
    assert flag.summary == "Suggested from the case note P0001-N1: strangulation"
    assert flag.session_id == "P0001-N1" and flag.severity == "critical"
    r = invoke(
        "--user",
        "alex",
        "participant",
        "note",
        "add",
        "P0001",
        "--kind",
        "missed_session_call",
        "--text",
        "Called about the missed session; he was at work.",
    )
    assert "risk suggestion" not in r.output
    assert "hands around" not in _audit_text(office)


def test_a_note_is_edited_for_24_hours_then_only_amended(office, invoke, monkeypatch):
    invoke(
        "--user",
        "alex",
        "participant",
        "note",
        "add",
        "P0001",
        "--text",
        "Spoke to him.",
        "--date",
        "2026-11-23",
    )
    r = invoke("--user", "bea", "participant", "note", "edit", "P0001", "N1", "--text", "x")
    assert r.exit_code == 1 and "is alex's: add an amendment" in r.output
    r = invoke("--user", "alex", "participant", "note", "edit", "P0001", "N1", "--text", "Fixed.")
    assert r.exit_code == 0
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-25T18:00:00")
    r = invoke("--user", "alex", "participant", "note", "edit", "P0001", "N1", "--text", "Again")
    assert r.exit_code == 1 and "more than 24 hours ago: add an amendment" in r.output
    r = invoke(
        "--user",
        "bea",
        "participant",
        "note",
        "amend",
        "P0001",
        "N1",
        "--text",
        "He later said he smashed the door.",
    )
    assert r.exit_code == 0, r.output
    assert "amendment 1 to P0001 note N1" in r.output and "property_damage" in r.output
    listed = invoke("--user", "alex", "participant", "note", "list", "P0001").output
    assert "Fixed." in listed and "amendment 1, 2026-11-25 18:00 by bea:" in listed
    assert "smashed the door" in listed


def test_note_list_newest_first_and_by_kind(office):
    case_notes.add_note(office, "P0001", "First.", "phone_call", "2026-11-01")
    case_notes.add_note(office, "P0001", "Second.", "meeting", "2026-11-20")
    assert [n.text for n in case_notes.list_notes(office, "P0001")] == ["Second.", "First."]
    assert [n.id for n in case_notes.list_notes(office, "P0001", "phone-call")] == ["N1"]
    with pytest.raises(InvalidInput, match="unknown note kind"):
        case_notes.add_note(office, "P0001", "x", "gossip")
    with pytest.raises(InvalidInput, match="in the future"):
        case_notes.add_note(office, "P0001", "x", "other", "2027-01-01")
    with pytest.raises(InvalidInput, match="empty"):
        case_notes.add_note(office, "P0001", "  ")
    with pytest.raises(AccessDenied):
        case_notes.add_note(_as(office, "pat"), "P0001", "partner said ...")
    with pytest.raises(Refused):
        case_notes.edit_note(_as(office, "bea"), "P0001", "N1", "x")
