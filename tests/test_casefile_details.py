"""His details and his agency contacts: each optional, each change audited by field name only,
shown in `participant show`; agency contacts found by one lookup the letters use."""

from __future__ import annotations

import json

import pytest

from facilitator.errors import InvalidInput, NotFound
from facilitator.services.casefile import agency_contacts, details


def _audit_text(office) -> str:
    return (office.path / "data/audit.jsonl").read_text()


def test_edit_shows_in_participant_show_and_audits_field_names_only(office, invoke):
    r = invoke(
        "--user",
        "alex",
        "participant",
        "edit",
        "P0001",
        "--date-of-birth",
        "1985-04-02",
        "--address",
        "12 Testing Row, Sampletown",
        "--phone",
        "07700 900123",
        "--safe-to-call",
        "weekdays 09:00-12:00",
        "--preferred-language",
        "Polish",
        "--interpreter-needed",
        "yes",
        "--access-needs",
        "Step-free room",
        "--ethnicity",
        "prefer not to say",
    )
    assert r.exit_code == 0, r.output
    assert "changed date of birth, address, phone" in r.output
    shown = invoke("--user", "alex", "participant", "show", "P0001").output
    assert "1985-04-02 (age 41)" in shown
    assert "12 Testing Row, Sampletown" in shown
    assert "weekdays 09:00-12:00" in shown
    assert "prefer not to say" in shown
    data = json.loads(invoke("--user", "alex", "participant", "show", "P0001", "--json").output)
    assert data["details"]["preferred_language"] == "Polish"
    assert data["monitoring"] == {"ethnicity": "prefer not to say"}
    audit = _audit_text(office)
    assert "participant_details" in audit and "date_of_birth" in audit
    for value in ("1985-04-02", "Testing Row", "07700", "Polish", "prefer not"):
        assert value not in audit


def test_a_wrong_date_is_one_clear_line_and_changes_nothing(office, invoke):
    invoke("--user", "alex", "participant", "edit", "P0001", "--phone", "0123 456789")
    r = invoke(
        "--user",
        "alex",
        "participant",
        "edit",
        "P0001",
        "--date-of-birth",
        "1985-13-40",
        "--phone",
        "0999 999999",
    )
    assert r.exit_code == 2
    assert r.output.strip().splitlines() == [
        "Error: date of birth '1985-13-40' is not a date: use YYYY-MM-DD, e.g. 2026-11-24"
    ]
    assert details.get_details(office, "P0001").values == {"phone": "0123 456789"}


def test_bad_values_refused(office):
    for change in (
        {"date_of_birth": "2030-01-01"},
        {"email": "not-an-address"},
        {"phone": "call me"},
        {"safe_to_call": "18:00-09:00"},
        {"religion": "\x1b[31mx"},
    ):
        with pytest.raises(InvalidInput):
            details.edit_details(office, "P0001", change)


def test_monitoring_fields_are_those_the_programme_enables(office, invoke):
    r = invoke("--user", "alex", "participant", "edit", "P0002", "--nationality", "British")
    assert r.exit_code == 2 and "not asked by this programme" in r.output
    settings = office.ws.read_settings()
    settings.setdefault("casefile", {})["monitoring"] = ["nationality"]
    with office.stores.writing():
        office.ws.write_settings(settings)
    r = invoke("--user", "alex", "participant", "edit", "P0002", "--nationality", "British")
    assert r.exit_code == 0, r.output
    r = invoke("--user", "alex", "participant", "edit", "P0002", "--ethnicity", "x")
    assert r.exit_code == 2


def test_clearing_and_unchanged(office, invoke):
    invoke("--user", "alex", "participant", "edit", "P0001", "--email", "adam@example.org")
    r = invoke("--user", "alex", "participant", "edit", "P0001", "--email", "adam@example.org")
    assert "nothing changed" in r.output
    invoke("--user", "alex", "participant", "edit", "P0001", "--email", "")
    assert details.get_details(office, "P0001").values == {}


def test_partner_support_may_not_edit_his_details(office, invoke):
    r = invoke("--user", "pat", "participant", "edit", "P0001", "--phone", "0123 456789")
    assert r.exit_code == 1 and "may not change a man's details" in r.output


def test_agency_contacts_add_list_find_remove(office, invoke):
    r = invoke(
        "--user",
        "alex",
        "participant",
        "contact",
        "add",
        "P0001",
        "--role",
        "probation_officer",
        "--agency",
        "Sampleshire Probation",
        "--name",
        "Dana Officer",
        "--email",
        "dana@probation.example.org",
        "--sharing",
        "attendance_and_engagement",
    )
    assert r.exit_code == 0, r.output
    assert "added P0001 contact C1: Dana Officer, probation officer, Sampleshire Probation" in (
        r.output
    )
    invoke(
        "--user",
        "alex",
        "participant",
        "contact",
        "add",
        "p0001",
        "--role",
        "gp",
        "--agency",
        "Example Surgery",
    )
    listed = invoke("--user", "alex", "participant", "contact", "list", "P0001").output
    assert "Dana Officer" in listed and "attendance and engagement" in listed and "GP" in listed
    found = agency_contacts.find(office, "p0001", "c1")
    assert found.email == "dana@probation.example.org" and found.role == "probation_officer"
    assert [c.id for c in agency_contacts.of_role(office, "P0001", "gp")] == ["C2"]
    r = invoke("--user", "alex", "participant", "contact", "remove", "P0001", "C1")
    assert r.exit_code == 0
    with pytest.raises(NotFound, match="his contacts: C2"):
        agency_contacts.find(office, "P0001", "C1")
    assert [c.id for c in agency_contacts.list_contacts(office, "P0001", True)] == ["C1", "C2"]
    data = json.loads(
        invoke("--user", "alex", "participant", "contact", "list", "P0001", "--json").output
    )
    assert [c["id"] for c in data] == ["C2"]
    # A new contact takes a new number: a removed one's id is never reused.
    again = agency_contacts.add(office, "P0001", role="police", agency="Example Police")
    assert again.id == "C3"
    assert "dana@" not in _audit_text(office) and "Dana" not in _audit_text(office)


def test_agency_contact_bad_input(office, invoke):
    r = invoke(
        "--user",
        "alex",
        "participant",
        "contact",
        "add",
        "P0001",
        "--role",
        "astrologer",
        "--agency",
        "X",
    )
    assert r.exit_code == 2 and "unknown agency role 'astrologer'" in r.output
    r = invoke(
        "--user", "alex", "participant", "contact", "add", "P0009", "--role", "gp", "--agency", "X"
    )
    assert r.exit_code == 2 and "no participant with id 'P0009'" in r.output
    assert agency_contacts.list_contacts(office, "P0001") == []
