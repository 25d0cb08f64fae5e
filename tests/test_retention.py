"""Retention: exactly the records past their period go, with a fixed clock; a legal
hold stops it; child-protection concerns are kept longer; removals are audited without content."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import as_coordinator, ready_for_group


def _at(monkeypatch, when: str) -> None:
    monkeypatch.setenv("FACILITATOR_NOW", when if "T" in when else f"{when}T19:00:00")


def _run_sessions(
    office, monkeypatch, group_id: str, days: list[str], men: list[str], checkin_words: str
):
    from facilitator.domain.checkin import CheckIn
    from facilitator.services.groupwork import sessions

    for day in days:
        _at(monkeypatch, day)
        s = sessions.start_session(office, group_id, day)
        for pid in men:
            sessions.mark_attendance(office, s.id, pid, "present")
            sessions.record_checkin(
                office, s.id, CheckIn(participant_id=pid, summary=f"{checkin_words} {pid}")
            )
        sessions.close_session(office, s.id, force=True)


@pytest.fixture
def history(office, monkeypatch):
    """Men whose cases closed long ago and recently, one on hold, one with a child-protection flag.

    P0001-3      the fixture's men, referred this year: nothing
    P0004 Dan    completed 2016-03-22: everything past six years
    P0005 Eli    completed 2023-05-09: nothing past its period
    P0006 Finn   completed 2016-03-22, on legal hold
    P0007 Gus    completed 2016-03-22, a child_safeguarding flag (kept 25 years) and another flag
    P0008 Hal    suspended since 2016 (case not closed): nothing
    """
    from facilitator.services.compliance import ending
    from facilitator.services.compliance import status as compliance
    from facilitator.services.core import people
    from facilitator.services.core.office import Office
    from facilitator.services.debrief import notes as debrief
    from facilitator.services.groupwork import groups
    from facilitator.services.risk import flags as risk

    _at(monkeypatch, "2015-11-02")
    admin = Office.open(office.path, "admin")
    for name in ("Dan Example", "Eli Sample", "Finn Testcase", "Gus Placeholder", "Hal Madeup"):
        people.add_participant(
            office, name, "probation", "Demo Probation", "REF-" + name[:3].upper(), "2015-10-01"
        )
    groups.create_group(
        office,
        "Old Tuesday group",
        "core-24",
        "tuesday",
        "18:30",
        ["alex", "bea"],
        start_date="2016-01-05",
        group_id="G9",
    )
    groups.create_group(
        office,
        "Later group",
        "core-24",
        "tuesday",
        "18:30",
        ["alex", "bea"],
        start_date="2023-01-03",
        group_id="G8",
    )
    old = ["P0004", "P0006", "P0007", "P0008"]
    for pid in old:
        ready_for_group(office, pid, "2015-12-01")
        groups.enrol(office, "G9", pid, "2016-01-05")
    _run_sessions(
        office,
        monkeypatch,
        "G9",
        ["2016-01-05", "2016-01-12", "2016-03-15"],
        old,
        "Old check-in words",
    )
    _at(monkeypatch, "2016-01-20")
    risk.raise_flag(office, "P0004", ["escalation"], "Old flag text about P0004")
    risk.raise_flag(office, "P0007", ["child_safeguarding"], "Child protection concern text")
    risk.raise_flag(office, "P0007", ["controlling_behaviour"], "Ordinary concern text")
    compliance.set_order_limits(
        admin, "P0004", order="Old order text", unexcused_absences_allowed=3
    )
    note = debrief.create_note(office, "G9-2016-03-15")
    _at(monkeypatch, "2016-03-22")
    for pid in ("P0004", "P0006", "P0007"):
        ending.end_programme(
            as_coordinator(office), pid, "completed", "", "2016-03-22", decision="old case"
        )
    groups.end_programme(office, "P0008", "suspended", "fifth unexcused absence", "2016-03-22")

    ready_for_group(office, "P0005", "2022-12-20")
    _at(monkeypatch, "2023-01-03")
    groups.enrol(office, "G8", "P0005", "2023-01-03")
    _run_sessions(
        office, monkeypatch, "G8", ["2023-01-03", "2023-01-10"], ["P0005"], "Recent check-in words"
    )
    _at(monkeypatch, "2023-05-09")
    ending.end_programme(
        as_coordinator(office), "P0005", "completed", "", "2023-05-09", decision="old case"
    )

    _at(monkeypatch, "2026-11-24T18:00:00")
    from facilitator.services.core.legal_holds import place_hold

    place_hold(admin, "P0006", "Synthetic civil claim")
    return admin, note


def _held(office, pid):
    from facilitator.services.records.person_records import find

    return find(office, [pid])[pid].holdings


def _snapshot(office, pid):
    """His holdings as they are. A debrief note is shared by the group: only that it names him."""
    return sorted(
        (
            h.kind,
            h.file,
            h.record_id,
            "" if h.kind == "notes" else json.dumps(h.doc, sort_keys=True),
        )
        for h in _held(office, pid)
    )


def test_due_lists_exactly_what_passed_its_period(history):
    from facilitator.services.records.retention import due

    office, _ = history
    items = due(office, date(2026, 11, 24))
    by_man = {}
    for i in items:
        by_man.setdefault(i.participant_id, set()).add(i.kind)
    assert set(by_man) == {"P0004", "P0006", "P0007"}  # Eli's closed 2023, Hal's case is open
    assert by_man["P0004"] == {
        "participant",
        "enrolments",
        "sessions",
        "flags",
        "intake",
        "notes",
        "compliance",
        "assessments",
    }
    assert all(i.held for i in items if i.participant_id == "P0006")
    # Gus: the child-protection flag and his identity stay; the rest goes.
    gus = [i for i in items if i.participant_id == "P0007"]
    assert "participant" not in {i.kind for i in gus}
    assert {i.child_protection for i in gus if i.kind == "flags"} == {
        False
    }  # the other flag, and its copy
    assert {i.closed_on for i in items if i.participant_id == "P0004"} == {"2016-03-22"}
    assert {i.due_on for i in items if i.participant_id == "P0004"} == {"2022-03-22"}

    # The boundary, with a fixed clock: the day before six years nothing of Dan's is due.
    assert not [i for i in due(office, date(2022, 3, 21)) if i.participant_id == "P0004"]
    assert [i for i in due(office, date(2022, 3, 22)) if i.participant_id == "P0004"]


def test_apply_removes_exactly_those_records_and_honours_the_hold(history, invoke):
    office, note = history
    before = {
        pid: _snapshot(office, pid)
        for pid in ("P0001", "P0002", "P0003", "P0005", "P0006", "P0008")
    }
    gus_before = _snapshot(office, "P0007")
    audit_before = sum(1 for _ in office.stores.audit.lines())

    result = invoke("--user", "admin", "retention", "apply", "--yes")
    assert result.exit_code == 0, result.output
    assert "about 2 men" in result.output

    assert _held(office, "P0004") == []  # nothing of Dan's is left anywhere
    for pid, snap in before.items():
        assert _snapshot(office, pid) == snap  # the others, Finn (on hold) and Hal untouched
    gus_after = _snapshot(office, "P0007")
    assert set(gus_after) <= set(gus_before)  # kept as they were, not changed
    assert {k for k, *_ in gus_after} == {"participant", "flags"}
    from facilitator.services.risk import flags as risk

    assert [
        f.categories for f in risk.list_flags(office, "all") if f.participant_id == "P0007"
    ] == [["child_safeguarding"]]

    # The shared note keeps Finn's and Hal's sections; Dan's and Gus's are gone.
    from facilitator.services.debrief import notes as debrief

    kept = debrief.get_note(office, note.id)
    assert "### P0006 Finn Testcase" in kept.body and "### P0008 Hal Madeup" in kept.body
    assert "P0004" not in kept.body and "Dan Example" not in kept.body
    assert "P0007" not in kept.body and "Gus Placeholder" not in kept.body
    assert debrief.file_state(office, kept) == "ok"
    text = (office.path / kept.path).read_text()
    assert "Dan Example" not in text and "Finn Testcase" in text

    # Audited per man and kind, with counts; no content; the chain holds.
    new = list(office.stores.audit.entries())[audit_before:]
    ours = [e for e in new if e["action"].startswith("retention_")]
    assert {(e["id"], e["kind"]) for e in ours if e["id"] == "P0004"} >= {
        ("P0004", "sessions"),
        ("P0004", "participant"),
    }
    assert all(
        set(e)
        <= {"seq", "time", "user", "action", "kind", "id", "records", "status", "prev", "hash"}
        for e in ours
    )
    assert "Old check-in words" not in office.stores.audit.path.read_text()
    assert office.stores.audit.verify() is None

    # Applying again finds nothing more; due lists only the man on hold.
    again = invoke("--user", "admin", "retention", "apply", "--yes")
    assert "about 0 men" in again.output or "nothing" in again.output
    assert {
        i["participant_id"] for i in json.loads(invoke("retention", "due", "--json").output)
    } == {"P0006"}


def test_release_lets_retention_proceed(history, invoke):
    office, _ = history
    assert invoke("--user", "admin", "retention", "release", "P0006").exit_code == 0
    assert invoke("--user", "admin", "retention", "apply", "--yes").exit_code == 0
    assert _held(office, "P0006") == []


def test_apply_asks_first_and_a_no_changes_nothing(history, invoke):
    office, _ = history
    before = _snapshot(office, "P0004")
    result = invoke("--user", "admin", "retention", "apply", input="n\n")
    assert result.exit_code == 1
    assert "records about 2 men are past their retention period" in result.output
    assert _snapshot(office, "P0004") == before


def test_anonymise_keeps_records_for_figures_without_words(history, invoke):
    office, _ = history
    settings = office.ws.read_settings()
    settings["retention"]["action"] = "anonymise"
    with office.ws.lock():
        office.ws.write_settings(settings)
    assert invoke("--user", "admin", "retention", "apply", "--yes").exit_code == 0
    from facilitator.services.core import people

    dan = people.get_participant(office, "P0004")
    assert dan.name == dan.referrer_reference == "(anonymised)" and dan.status == "completed"
    held = _held(office, "P0004")
    assert {h.kind for h in held} >= {"participant", "enrolments", "sessions", "flags"}
    dumped = json.dumps([h.doc for h in held])
    for words in (
        "Dan Example",
        "Old check-in words",
        "Old flag text",
        "Old order text",
        "REF-DAN",
    ):
        assert words not in dumped
    checkins = [h.doc for h in held if h.table == "checkins"]
    assert checkins and all(
        c["stance"] == "not_recorded" for c in checkins
    )  # the answers stay for figures (these check-ins were saved with no stance chosen)


def test_hold_needs_a_reason_and_a_coordinator(history, invoke):
    result = invoke("--user", "alex", "retention", "hold", "P0004", "--reason", "x")
    assert result.exit_code == 1 and "may not place a legal hold" in result.stderr
    result = invoke("--user", "admin", "retention", "hold", "P0004", "--reason", "  ")
    assert result.exit_code == 2
    holds = json.loads(invoke("retention", "holds", "--json").output)
    assert [h["id"] for h in holds] == ["P0006"]


def test_due_names_open_cases_that_went_quiet(history, invoke):
    result = invoke("retention", "due")
    assert result.exit_code == 0
    assert (
        "1 man has nothing dated within the retention period" in result.output
        and "(P0008)" in result.output
    )


def test_partner_records_are_listed_only_to_partner_side_and_left_to_partner_support(
    history, invoke, monkeypatch
):
    from facilitator.services.core import people
    from facilitator.services.core.office import Office
    from facilitator.services.partner import store as partner

    office, _ = history
    pat = Office.open(office.path, "pat")
    passphrase = "synthetic partner store passphrase"
    source = partner.key_source(passphrase)
    partner.init_store(pat, source)
    store = partner.open_store(pat, source)
    store.add_partner("P0004", "Yara Partner-Example", day="2016-01-10")
    people.add_staff(office, "Cora Coordinator", ["coordinator"], "cora")
    his_file = office.path / "partner" / "men" / f"{store.vault.file_name('P0004')}.bin"
    assert his_file.is_file()

    def partner_items(user):
        out = invoke("--user", user, "retention", "due", "--json").output
        return sorted(i["participant_id"] for i in json.loads(out) if i["kind"] == "partner")

    # The file names are keyed: retention cannot tell who has partner records, so every man past
    # the partner period is listed alike (P0006 on hold), P0004 with a record as P0007 without.
    assert partner_items("admin") == ["P0004", "P0006", "P0007"]
    assert partner_items("cora") == []  # the group side is not even told she is in contact
    result = invoke("--user", "cora", "retention", "apply", "--yes")
    assert result.exit_code == 0 and "partner store" not in result.output
    assert _held(office, "P0004")[0].kind == "partner"  # all that is left of him
    assert his_file.exists()  # never touched from the group side
    # His record is gone, yet partner support is still told about him until she has checked.
    assert partner_items("admin") == ["P0004", "P0006", "P0007"]
    out = invoke("--user", "admin", "retention", "apply", "--yes").output
    for pid in ("P0004", "P0007"):
        assert (
            f"partner store: {pid}: any partner records are past their period: partner "
            "support checks "
            f"and removes them with `facilitator partner forget {pid}`"
        ) in out
    monkeypatch.setenv("FACILITATOR_PARTNER_PASSPHRASE", passphrase)
    r = invoke("--user", "pat", "partner", "forget", "P0004", "--yes")
    assert r.exit_code == 0 and "partner records for P0004 deleted" in r.output
    assert not his_file.exists()
    r = invoke("--user", "pat", "partner", "forget", "P0007", "--yes")
    assert r.exit_code == 0 and "no partner records held for P0007" in r.output
    assert partner_items("admin") == [
        "P0006"
    ]  # checked, with or without a record: not listed again
    assert "partner store" not in invoke("--user", "admin", "retention", "apply", "--yes").output
    # What the group side keeps about the check is the same whether she had a record or not.
    checked = json.loads((office.path / "data" / "retention.json").read_text())["partner_checked"]
    assert sorted((d["id"], set(d)) for d in checked.values()) == [
        ("P0004", {"id", "on"}),
        ("P0007", {"id", "on"}),
    ]


def test_partner_support_forgets_every_man_listed_in_one_go(history, invoke, monkeypatch):
    from facilitator.services.core.office import Office
    from facilitator.services.partner import store as partner

    office, _ = history
    pat = Office.open(office.path, "pat")
    passphrase = "synthetic partner store passphrase"
    partner.init_store(pat, partner.key_source(passphrase))
    store = partner.open_store(pat, partner.key_source(passphrase))
    store.add_partner("P0004", "Yara Partner-Example", day="2016-01-10")
    his_file = office.path / "partner" / "men" / f"{store.vault.file_name('P0004')}.bin"
    monkeypatch.setenv("FACILITATOR_PARTNER_PASSPHRASE", passphrase)
    nothing = invoke("--user", "pat", "partner", "forget", "--due", "--yes")
    assert (
        nothing.exit_code == 0 and "nothing to check" in nothing.output
    )  # retention not applied yet
    assert invoke("--user", "admin", "retention", "apply", "--yes").exit_code == 0
    both = invoke("--user", "pat", "partner", "forget", "P0004", "--due")
    assert both.exit_code == 2 and "--due" in both.output
    no = invoke("--user", "pat", "partner", "forget", "--due", input="n\n")
    assert no.exit_code == 1 and his_file.exists()
    from facilitator.services.core.legal_holds import partner_files_left

    waiting = [pid for pid, _, _ in partner_files_left(office)]
    assert "P0004" in waiting
    done = invoke("--user", "pat", "partner", "forget", "--due", input="y\n")
    assert done.exit_code == 0, done.output
    assert (
        f"{len(waiting)} m" in done.output
        and "checked: partner records deleted for 1 (P0004)" in done.output
    )
    assert not his_file.exists()
    assert partner_files_left(office) == []  # every man checked: none listed again
    again = invoke("--user", "pat", "partner", "forget", "--due", "--yes")
    assert "nothing to check" in again.output
    facilitator = invoke("--user", "alex", "partner", "forget", "--due", "--yes")
    assert facilitator.exit_code == 1 and len(facilitator.output.strip().splitlines()) == 1


def test_a_bad_period_setting_is_one_line(history, invoke):
    office, _ = history
    settings = office.ws.read_settings()
    settings["retention"]["years"]["sessions"] = "six"
    with office.ws.lock():
        office.ws.write_settings(settings)
    result = invoke("retention", "due")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == "Error: setting retention.years.sessions is 'six': give a whole number of years"
    )


def test_a_man_excluded_at_intake_is_closed_on_the_day_of_the_decision(office, monkeypatch):
    from facilitator.services.core import people
    from facilitator.services.core.office import Office
    from facilitator.services.intake import assessment
    from facilitator.services.records import retention

    _at(monkeypatch, "2026-11-20")
    admin = Office.open(office.path, "admin")
    person = people.add_participant(admin, "Eli Excluded", "court", referred_on="2026-09-01")
    assessment.start_intake(admin, person.id, started_on="2026-10-01")
    assessment.decide(admin, person.id, "not_suitable", ["denies_any_violence"], "2026-11-20")
    assert people.get_participant(admin, person.id).status == "exited"
    items = [
        i for i in retention.due(admin, today=date(2040, 1, 1)) if i.participant_id == person.id
    ]
    assert items and {i.closed_on for i in items} == {"2026-11-20"}


def test_a_mans_letters_go_with_his_records(history, invoke, monkeypatch):
    """The record of each letter and the letter files themselves (letters/sent/<man>/)."""
    from facilitator.services.letters import service as letters

    office, _ = history
    _at(monkeypatch, "2016-03-24")
    letters.write_letter(office, "end_of_programme", "P0004")
    letters.write_letter(office, "end_of_programme", "P0005")
    _at(monkeypatch, "2026-11-24T18:00:00")
    dan = office.path / "letters" / "sent" / "P0004"
    eli = office.path / "letters" / "sent" / "P0005"
    assert len(list(dan.iterdir())) == 1 and len(list(eli.iterdir())) == 1
    due = json.loads(invoke("--user", "admin", "retention", "due", "--json").output)
    assert any(d["participant_id"] == "P0004" and d["kind"] == "letters" for d in due)
    result = invoke("--user", "admin", "retention", "apply", "--yes")
    assert result.exit_code == 0, result.output
    assert not dan.exists() and not (office.path / "data" / "letters" / "P0004.json").exists()
    assert len(list(eli.iterdir())) == 1  # his case closed recently: kept
    assert [x.participant_id for x in letters.list_letters(office)] == ["P0005"]
