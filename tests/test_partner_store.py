"""Partner support behind the wall: who may open it, its key, and its contact tasks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import as_coordinator

from facilitator.errors import AccessDenied, Refused
from facilitator.services.compliance import ending
from facilitator.services.core import people
from facilitator.services.core.office import Office
from facilitator.services.groupwork import groups
from facilitator.services.intake import assessment as intake
from facilitator.services.partner import store as partner

PASSPHRASE = "correct horse battery staple"
SUBCOMMANDS = [
    ["init"],
    ["add", "P0001", "Someone"],
    ["list"],
    ["show", "P0001-PT1"],
    ["due"],
    ["contact", "P0001-PT1", "--mode", "phone"],
    ["concern", "P0001-PT1", "--category", "weapons"],
]


@pytest.fixture
def pat(office):
    return Office.open(office.path, "pat")


@pytest.fixture
def store(pat, monkeypatch):
    monkeypatch.setenv("FACILITATOR_PARTNER_PASSPHRASE", PASSPHRASE)
    partner.init_store(pat, partner.key_source(PASSPHRASE))
    return partner.open_store(pat, partner.key_source(PASSPHRASE))


def _files(root: Path) -> dict[str, bytes]:
    # The audit log is left out: a refusal is recorded there on purpose.
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith("audit.jsonl")
    }


def _one_line(result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


# -- who may open it ---------------------------------------------------------------------------
@pytest.mark.parametrize("args", SUBCOMMANDS, ids=lambda a: a[0])
def test_a_facilitator_cannot_open_the_partner_store(store, invoke, office, args):
    before = _files(office.path / "partner")
    result = invoke("--user", "alex", "partner", *args)
    assert result.exit_code == 1
    assert _one_line(result) == (
        "Error: alex (facilitator) may not "
        + ("set up" if args == ["init"] else "open")
        + " the partner store: it needs the role partner_support"
    )
    last = list(office.stores.audit.entries())[-1]
    assert (last["user"], last["action"], last["kind"]) == ("alex", "refused", "access")
    assert _files(office.path / "partner") == before


def test_a_coordinator_cannot_either_but_admin_and_partner_support_can(store, office, invoke):
    people.add_staff(
        Office.open(office.path, "admin"), "Morgan Coordinator", ["coordinator"], "morgan"
    )
    assert invoke("--user", "morgan", "partner", "list").exit_code == 1
    assert invoke("--user", "admin", "partner", "list").exit_code == 0
    assert invoke("--user", "pat", "partner", "list").exit_code == 0
    with pytest.raises(AccessDenied):
        partner.open_store(Office.open(office.path, "bea"), partner.key_source(PASSPHRASE))


# -- the key -----------------------------------------------------------------------------------
def test_wrong_or_missing_passphrase_is_one_line_and_nothing_is_rewritten(
    store, office, invoke, monkeypatch
):
    p = store.add_partner("P0001", "Erin Sample", phone="0100")
    store.record_contact(p.id, "phone", her_account="account words")
    before = _files(office.path)
    monkeypatch.setenv("FACILITATOR_PARTNER_PASSPHRASE", "not the passphrase")
    for args in (
        ["list"],
        ["due"],
        ["add", "P0002", "Fay Sample"],
        ["contact", p.id, "--mode", "phone"],
        ["concern", p.id, "--category", "weapons"],
    ):
        result = invoke("--user", "pat", "partner", *args)
        assert result.exit_code == 1
        assert _one_line(result) == (
            f"Error: wrong passphrase for the partner store at {office.path / 'partner'}: "
            f"nothing was read or changed"
        )
    monkeypatch.delenv("FACILITATOR_PARTNER_PASSPHRASE")
    result = invoke("--user", "pat", "partner", "list", input="")
    assert result.exit_code == 1 and "no passphrase given" in _one_line(result)
    assert _files(office.path) == before
    # Typed at the prompt (here: piped in) it opens.
    result = invoke("--user", "pat", "partner", "list", input=PASSPHRASE + "\n")
    assert result.exit_code == 0 and "Erin Sample" in result.output


def test_key_file_kept_outside_the_workspace(office, invoke, tmp_path, monkeypatch):
    monkeypatch.delenv("FACILITATOR_PARTNER_PASSPHRASE", raising=False)
    inside = office.path / "partner.key"
    r = invoke("--user", "pat", "partner", "init", "--key-file", str(inside), "--new-key-file")
    assert r.exit_code == 1 and "keep the key file outside the workspace" in _one_line(r)
    assert not inside.exists()
    key = tmp_path / "usb" / "partner.key"
    r = invoke("--user", "pat", "partner", "init", "--key-file", str(key), "--new-key-file")
    assert r.exit_code == 0, r.output
    assert key.stat().st_mode & 0o777 == 0o600
    assert (
        invoke(
            "--user", "pat", "partner", "add", "P0001", "Erin Sample", "--key-file", str(key)
        ).exit_code
        == 0
    )
    before = _files(office.path)
    missing = invoke("--user", "pat", "partner", "list", "--key-file", str(tmp_path / "lost.key"))
    assert missing.exit_code == 2 and _one_line(missing).startswith("Error: key file ")
    assert "not found" in missing.output
    other = tmp_path / "other.key"
    from facilitator.storage.partner_vault import new_key_file

    new_key_file(other)
    wrong = invoke("--user", "pat", "partner", "list", "--key-file", str(other))
    assert wrong.exit_code == 1 and "wrong key file" in _one_line(wrong)
    nokey = invoke("--user", "pat", "partner", "list", input="some passphrase\n")
    assert nokey.exit_code == 1 and "opened with its key file" in _one_line(nokey)
    assert _files(office.path) == before
    listed = invoke("--user", "pat", "partner", "list", "--key-file", str(key), "--json")
    assert [p["name"] for p in json.loads(listed.output)] == ["Erin Sample"]


def test_no_store_yet_and_a_second_init(office, invoke, monkeypatch):
    monkeypatch.setenv("FACILITATOR_PARTNER_PASSPHRASE", PASSPHRASE)
    r = invoke("--user", "pat", "partner", "list")
    assert (
        r.exit_code == 1
        and "partner support sets it up (see `facilitator partner init`)" in _one_line(r)
    )
    assert invoke("--user", "pat", "partner", "init").exit_code == 0
    again = invoke("--user", "pat", "partner", "init")
    assert again.exit_code == 1 and "already exists" in _one_line(again)


def test_the_store_can_live_elsewhere(office, pat, tmp_path):
    settings = office.ws.read_settings()
    settings["partner"]["store_path"] = str(tmp_path / "other-drive" / "partner")
    with office.stores.writing():
        office.ws.write_settings(settings)
    pat = Office.open(office.path, "pat")
    partner.init_store(pat, partner.key_source(PASSPHRASE))
    store = partner.open_store(pat, partner.key_source(PASSPHRASE))
    store.add_partner("P0001", "Erin Sample")
    assert (
        tmp_path / "other-drive" / "partner" / "men" / f"{store.vault.file_name('P0001')}.bin"
    ).is_file()
    assert not (office.path / "partner").exists()


# -- records -----------------------------------------------------------------------------------
def test_partners_contacts_and_the_cli(store, invoke):
    r = invoke(
        "--user",
        "pat",
        "partner",
        "add",
        "P0001",
        "Erin Sample",
        "--relationship",
        "ex_partner",
        "--safe-contact",
        "mornings",
    )
    assert r.exit_code == 0 and "added P0001-PT1: ex-partner of P0001" in r.output
    r = invoke(
        "--user",
        "pat",
        "partner",
        "contact",
        "P0001-PT1",
        "--mode",
        "phone",
        "--date",
        "2026-11-20",
        "--safety-planning",
        "bag packed",
        "--account",
        "he follows her",
        "--wishes",
        "share with police",
    )
    assert r.exit_code == 0 and "recorded P0001-PT1-C1: 2026-11-20 phone, reached" in r.output
    shown = json.loads(invoke("--user", "pat", "partner", "show", "p0001-pt1", "--json").output)
    assert (
        shown["contacts"][0]["her_account"] == "he follows her"
        and shown["safe_contact"] == "mornings"
    )
    bad = invoke("--user", "pat", "partner", "contact", "P0001-PT1", "--mode", "carrier pigeon")
    assert bad.exit_code == 2 and "unknown contact mode" in _one_line(bad)
    future = invoke(
        "--user",
        "pat",
        "partner",
        "contact",
        "P0001-PT1",
        "--mode",
        "phone",
        "--date",
        "2026-12-01",
    )
    assert future.exit_code == 1 and "in the future" in _one_line(future)
    nobody = invoke("--user", "pat", "partner", "add", "P0042", "Someone")
    assert nobody.exit_code == 2 and "no participant with id 'P0042'" in _one_line(nobody)
    assert invoke("--user", "pat", "partner", "show", "P0001-PT9").exit_code == 2


def test_a_concern_reaches_the_risk_queue_without_her_words(store, office, invoke):
    from facilitator.services.risk import flags as risk

    p = store.add_partner("P0002", "Fay Sample")
    c = store.record_contact(p.id, "in_person", her_account="He keeps a knife in the car")
    r = invoke(
        "--user", "pat", "partner", "concern", p.id, "--category", "weapons", "--contact", c.id
    )
    assert r.exit_code == 0, r.output
    flag = risk.list_flags(office, "open")[0]
    assert (flag.participant_id, flag.categories, flag.source) == (
        "P0002",
        ["weapons"],
        "partner_contact",
    )
    assert "knife" not in json.dumps(flag.to_dict())
    assert [x.flag_id for x in store.concerns(p.id)] == [flag.id]


# -- contact points as tasks -------------------------------------------------------------------
def _due(store, at: str, monkeypatch) -> list[tuple]:
    monkeypatch.setenv("FACILITATOR_NOW", f"{at}T09:00:00")
    return [(t.participant_id, t.partner_id, t.point, t.due_on, t.overdue) for t in store.due()]


def _at(monkeypatch, day: str) -> None:
    monkeypatch.setenv("FACILITATOR_NOW", f"{day}T09:00:00")


def _contact(store, monkeypatch, partner_id, outcome, day, **extra):
    _at(monkeypatch, day)  # recorded on the day it happened
    return store.record_contact(partner_id, "phone", outcome, day, **extra)


def test_contact_tasks_fall_due_through_his_programme(store, office, monkeypatch):
    _at(monkeypatch, "2026-10-01")
    intake.complete_intake(office, "P0001", "2026-10-01")
    # Told at his intake, before anyone is on record: find her.
    assert _due(store, "2026-10-01", monkeypatch) == [("P0001", "", "intake", "2026-10-15", False)]
    p = store.add_partner("P0001", "Erin Sample")
    assert _due(store, "2026-10-16", monkeypatch) == [("P0001", p.id, "intake", "2026-10-15", True)]
    _contact(store, monkeypatch, p.id, "no_answer", "2026-10-16")
    assert [t.attempts for t in store.due()] == [1]  # tried, not reached: still due
    _contact(store, monkeypatch, p.id, "reached", "2026-10-17")
    assert _due(store, "2026-10-17", monkeypatch) == []

    _at(monkeypatch, "2026-11-03")
    groups.enrol(office, "G1", "P0001", "2026-11-03")
    assert _due(store, "2026-11-03", monkeypatch) == [("P0001", p.id, "start", "2026-11-10", False)]
    _contact(
        store, monkeypatch, p.id, "declined", "2026-11-04"
    )  # she did not want to talk: answered
    assert _due(store, "2026-11-04", monkeypatch) == []

    _at(monkeypatch, "2026-11-24")
    groups.end_programme(office, "P0001", "suspended", "fifth unexcused absence", "2026-11-24")
    assert _due(store, "2026-11-24", monkeypatch) == [
        ("P0001", p.id, "suspension", "2026-11-27", False)
    ]
    _contact(store, monkeypatch, p.id, "reached", "2026-11-24")

    _at(monkeypatch, "2027-01-05")
    people.set_participant_status(office, "P0001", "active")
    groups.enrol(office, "G1", "P0001", "2027-01-05")
    _contact(store, monkeypatch, p.id, "reached", "2027-01-06")
    _at(monkeypatch, "2027-06-01")
    ending.end_programme(
        as_coordinator(office),
        "P0001",
        "completed",
        "",
        "2027-06-01",
        decision="covered the rest elsewhere",
    )
    assert _due(store, "2027-06-01", monkeypatch) == [
        ("P0001", p.id, "completion", "2027-06-15", False)
    ]
    _contact(store, monkeypatch, p.id, "reached", "2027-06-02")
    # Follow-up falls due 26 weeks after completion, and not a day before.
    assert _due(store, "2027-11-29", monkeypatch) == []
    assert _due(store, "2027-11-30", monkeypatch) == [
        ("P0001", p.id, "follow_up", "2027-12-14", False)
    ]


def test_not_suitable_exclusion_and_drop_out_are_contact_points(store, office, monkeypatch):
    _at(monkeypatch, "2026-11-02")
    intake.start_intake(office, "P0002", started_on="2026-10-20")
    intake.decide(office, "P0002", "not_suitable", ["denies_any_violence"], "2026-11-02")
    intake.start_intake(office, "P0003", started_on="2026-10-20")
    intake.record_agreement(office, "P0003", "partner_contact_consent", "refused", "2026-11-02")
    for pid in ("P0002", "P0003"):
        store.record_contact(
            store.add_partner(pid, f"Partner of {pid}").id, "phone", "reached", "2026-10-21"
        )
    _at(monkeypatch, "2026-11-02")
    assert sorted(_due(store, "2026-11-02", monkeypatch)) == [
        ("P0002", "P0002-PT1", "not_suitable", "2026-11-05", False),
        ("P0003", "P0003-PT1", "exclusion", "2026-11-05", False),
    ]
    # A man who leaves during the programme: drop-out.
    dan = people.add_participant(office, "Dan Outsider", "court")
    intake.complete_intake(office, dan.id, "2026-10-01")
    groups.enrol(office, "G1", dan.id, "2026-11-03")
    p = store.add_partner(dan.id, "Gail Sample")
    _contact(store, monkeypatch, p.id, "reached", "2026-11-04")
    _at(monkeypatch, "2026-11-17")
    groups.end_programme(office, dan.id, "exited", "stopped coming", "2026-11-17")
    assert [t for t in _due(store, "2026-11-17", monkeypatch) if t[0] == dan.id] == [
        (dan.id, p.id, "exit", "2026-11-20", False)
    ]


def test_no_further_contact_stops_her_tasks(store, office, monkeypatch):
    _at(monkeypatch, "2026-10-01")
    intake.complete_intake(office, "P0001", "2026-10-01")
    p = store.add_partner("P0001", "Erin Sample")
    _contact(store, monkeypatch, p.id, "declined", "2026-10-02", no_further_contact=True)
    _at(monkeypatch, "2026-11-03")
    groups.enrol(office, "G1", "P0001", "2026-11-03")
    assert _due(store, "2026-11-03", monkeypatch) == []
    assert store.get_partner(p.id).service == "no_further_contact"


def test_due_from_the_cli(store, office, invoke):
    intake.complete_intake(office, "P0001", "2026-11-01")
    r = invoke("--user", "pat", "partner", "due")
    assert r.exit_code == 0
    assert "OVERDUE 2026-11-15  P0001        (none on record)  his intake" in r.output
    data = json.loads(invoke("--user", "pat", "partner", "due", "--json").output)
    assert data == [
        {
            "participant_id": "P0001",
            "partner_id": "",
            "point": "intake",
            "event_date": "2026-11-01",
            "due_on": "2026-11-15",
            "overdue": True,
            "attempts": 0,
        }
    ]


def test_refusal_without_a_role_never_prompts(store, invoke):
    # The role is checked before any passphrase is asked for.
    result = invoke("--user", "bea", "partner", "list", input=PASSPHRASE + "\n")
    assert "passphrase" not in result.output.lower()
    assert result.exit_code == 1


def test_refused_error_type(office):
    with pytest.raises(Refused):
        partner.open_store(
            Office.open(office.path, "pat"), partner.key_source(PASSPHRASE)
        )  # no store yet


def test_a_damaged_store_file_is_named_and_left_untouched(store, office, invoke):
    store.add_partner("P0001", "Erin Sample")
    record = office.path / "partner" / "men" / f"{store.vault.file_name('P0001')}.bin"
    damaged = record.read_bytes()[:-20] + b"x" * 20
    record.write_bytes(damaged)
    for args in (["list"], ["add", "P0001", "Fay Sample"]):
        result = invoke("--user", "pat", "partner", *args)
        assert result.exit_code == 1
        assert _one_line(result) == (
            f"Error: partner store file {record} is damaged or was written with "
            f"another key; it was left untouched: restore it from a backup"
        )
        assert record.read_bytes() == damaged
    meta = office.path / "partner" / "vault.json"
    meta.write_text("{not json")
    result = invoke("--user", "pat", "partner", "list")
    assert (
        result.exit_code == 1 and "damaged" in _one_line(result) and meta.read_text() == "{not json"
    )


def test_partner_support_can_forget_a_mans_records_unless_held(
    tmp_path, invoke, monkeypatch, demo_sign_in
):
    from facilitator.demo.sign_in import PARTNER_PASSPHRASE as DEMO_PASSPHRASE
    from facilitator.demo.workspace import build_demo

    ws = tmp_path / "demo"
    build_demo(ws)
    monkeypatch.setenv("FACILITATOR_WORKSPACE", str(ws))
    monkeypatch.setenv("FACILITATOR_PARTNER_PASSPHRASE", DEMO_PASSPHRASE)
    listed = invoke("--user", "pat", "partner", "list", "--json").output
    pid = __import__("json").loads(listed)[0]["participant_id"]
    from facilitator.demo.sign_in import open_as

    vault = partner.open_store(open_as(ws, "pat"), partner.key_source(DEMO_PASSPHRASE)).vault
    his_file = ws / "partner" / "men" / f"{vault.file_name(pid)}.bin"
    assert his_file.is_file()
    # A facilitator cannot; a hold stops it; partner support can once it is released.
    assert invoke("--user", "alex", "partner", "forget", pid, "--yes").exit_code == 1
    assert (
        invoke(
            "--user", "admin", "retention", "hold", pid, "--reason", "Family court case open"
        ).exit_code
        == 0
    )
    r = invoke("--user", "pat", "partner", "forget", pid, "--yes")
    assert r.exit_code == 1 and "legal hold" in r.output
    assert his_file.is_file()
    assert invoke("--user", "admin", "retention", "release", pid).exit_code == 0
    r = invoke("--user", "pat", "partner", "forget", pid, "--yes")
    assert r.exit_code == 0, r.output
    assert not his_file.exists()
    assert pid not in invoke("--user", "pat", "partner", "list", "--json").output


def test_a_short_partner_passphrase_is_refused_and_nothing_created(office, invoke, monkeypatch):
    monkeypatch.setenv("FACILITATOR_PARTNER_PASSPHRASE", "short")
    r = invoke("--user", "pat", "partner", "init")
    assert r.exit_code == 2 and "at least 12 characters" in r.output
    assert not (office.path / "partner").exists() or not any((office.path / "partner").iterdir())


def test_a_wrong_passphrase_is_audited_without_content(office, invoke, monkeypatch):
    monkeypatch.setenv("FACILITATOR_PARTNER_PASSPHRASE", PASSPHRASE)
    assert invoke("--user", "pat", "partner", "init").exit_code == 0
    monkeypatch.setenv("FACILITATOR_PARTNER_PASSPHRASE", "entirely the wrong passphrase")
    r = invoke("--user", "pat", "partner", "list")
    assert r.exit_code == 1 and "wrong" in r.output
    log = (office.path / "data" / "audit.jsonl").read_text().splitlines()
    last = __import__("json").loads(log[-1])
    assert last["action"] == "refused" and last["why"] == "wrong_key" and last["user"] == "pat"
    assert "entirely" not in "\n".join(log)
