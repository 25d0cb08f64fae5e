"""The audit log does not tell the group side which men have partner records.

Partner-side lines name records by a keyed pseudonym (`pr-` + 16 hex digits), never by an id that
carries the man's; `partner forget` writes the same line whether or not there was anything to
forget; partner support, with the key, reads a man's lines back with `partner audit`.
"""

from __future__ import annotations

import json
import re

import pytest
from test_partner_store import pat, store  # noqa: F401  (fixtures: pat's store, passphrase in the environment)

from facilitator.services.risk import flags as risk

PSEUDONYM = re.compile(r"^pr-[0-9a-f]{16}$")


@pytest.fixture
def history(store):
    """P0001: a partner, a contact, a concern from it; then partner support forgets him."""
    p = store.add_partner("P0001", "Erin Sample", phone="0100")
    c = store.record_contact(p.id, "phone", her_account="synthetic account")
    concern, flag = store.raise_concern(p.id, "weapons", "high", contact_id=c.id)
    return {"partner": p.id, "contact": c.id, "concern": concern.id, "flag": flag.id}


def _lines(office) -> list[dict]:
    return [json.loads(line) for line in office.stores.audit.lines()]


def _partner_lines(office) -> list[dict]:
    return [e for e in _lines(office) if e["kind"].startswith("partner")]


def test_partner_lines_name_neither_the_man_nor_his_records(store, history, office, invoke):
    assert store.forget("P0001") is True
    lines = _partner_lines(office)
    about_him = [e for e in lines if e["kind"] != "partner_store"]
    assert [(e["action"], e["kind"]) for e in about_him] == [
        ("add", "partner"),
        ("record", "partner_contact"),
        ("record", "partner_concern"),
        ("delete", "partner_records"),
    ]
    for e in about_him:
        assert PSEUDONYM.match(e["id"]), e
    for e in lines:
        text = json.dumps(e)
        assert "P0001" not in text and not any(
            rid in text for rid in history.values() if rid.startswith("P")
        )
    # Every record has its own pseudonym, and none is the name of his file in the store.
    assert len({e["id"] for e in about_him}) == 4
    assert store.vault.file_name("P0001") not in json.dumps(lines)
    assert invoke("audit", "verify").exit_code == 0


def test_the_partner_concern_still_raises_a_group_side_flag_audited_as_before(
    history, office, invoke
):
    flags = risk.list_flags(office, "all")
    assert [(f.id, f.participant_id, f.source) for f in flags] == [
        (history["flag"], "P0001", "partner_contact")
    ]
    raised = [e for e in _lines(office) if e["kind"] == "risk_flag" and e["action"] == "raise"]
    assert len(raised) == 1
    assert {
        k: raised[0][k] for k in ("user", "id", "participant", "source", "severity", "categories")
    } == {
        "user": "pat",
        "id": history["flag"],
        "participant": "P0001",
        "source": "partner_contact",
        "severity": "high",
        "categories": "weapons",
    }
    assert "partner contact" in invoke("--user", "alex", "risk", "list").output


def test_forget_writes_the_same_line_whether_or_not_anything_was_held(store, history, office):
    assert store.forget("P0002") is False  # nothing ever held about him
    assert store.forget("P0001") is True
    nothing, something = [e for e in _lines(office) if e["kind"] == "partner_records"]
    assert nothing.keys() == something.keys()
    assert (
        (nothing["user"], nothing["action"])
        == (something["user"], something["action"])
        == ("pat", "delete")
    )
    assert nothing["id"] == store.vault.audit_pseudonym("P0002")
    assert something["id"] == store.vault.audit_pseudonym("P0001")
    assert "P0002" not in json.dumps(_partner_lines(office))


def test_partner_support_reads_his_lines_back(store, history, office, invoke):
    store.add_partner("P0002", "Fay Sample")
    r = invoke("--user", "pat", "partner", "audit", "p0001", "--json")
    assert r.exit_code == 0, r.output
    seen = [(e["user"], e["action"], e["kind"], e["record"]) for e in json.loads(r.output)]
    assert seen == [
        ("pat", "add", "partner", history["partner"]),
        ("pat", "record", "partner_contact", history["contact"]),
        ("pat", "record", "partner_concern", history["concern"]),
    ]
    table = invoke("--user", "pat", "partner", "audit", "P0001").output
    assert history["contact"] in table and "P0002" not in table

    assert invoke("--user", "pat", "partner", "forget", "P0001", "--yes").exit_code == 0
    after = json.loads(invoke("--user", "pat", "partner", "audit", "P0001", "--json").output)
    # His records went with the file; the line saying so is still found by his id.
    assert [(e["action"], e["kind"], e["record"], e["time"]) for e in after] == [
        ("delete", "partner_records", "P0001", "2026-11-24T18:00:00")
    ]
    assert invoke("audit", "verify").exit_code == 0


def test_lines_written_in_clear_by_earlier_versions_are_found_and_the_chain_holds(
    store, office, invoke
):
    with office.stores.writing():  # as an earlier version wrote them
        office.stores.audit.record("pat", "add", "partner", "P0001-PT1")
        office.stores.audit.record("pat", "add", "partner", "P0002-PT1")
    store.add_partner("P0001", "Erin Sample")
    found = json.loads(invoke("--user", "pat", "partner", "audit", "P0001", "--json").output)
    assert [(e["record"], e["id"]) for e in found] == [
        ("P0001-PT1", "P0001-PT1"),
        ("P0001-PT1", store.vault.audit_pseudonym("P0001-PT1")),
    ]
    assert invoke("audit", "verify").exit_code == 0


def test_a_facilitator_is_refused_in_one_line_audited_without_his_id(
    store, history, office, invoke
):
    before = office.stores.audit.path.read_text()
    r = invoke("--user", "alex", "partner", "audit", "P0001")
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [
        "Error: alex (facilitator) may not open the partner store: it needs the role "
        "partner_support"
    ]
    new = office.stores.audit.path.read_text()[len(before) :].splitlines()
    assert len(new) == 1
    last = json.loads(new[0])
    assert (last["user"], last["action"], last["kind"]) == ("alex", "refused", "access")
    assert "P0001" not in new[0]


def test_pseudonyms_depend_on_the_stores_key(store, tmp_path):
    from facilitator.storage.partner_vault import KeySource, PartnerVault

    other = PartnerVault.create(tmp_path / "other", KeySource(passphrase="another long passphrase"))
    mine = store.vault.audit_pseudonym("P0001-PT1")
    assert PSEUDONYM.match(mine) and mine == store.vault.audit_pseudonym("P0001-PT1")
    assert other.audit_pseudonym("P0001-PT1") != mine
    assert store.vault.audit_pseudonym("P0001-PT2") != mine
