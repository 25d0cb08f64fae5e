"""Debrief notes: created from a closed session, signed by both facilitators, amended
once signed, due when unsigned, and a file changed outside the tool is reported."""

from __future__ import annotations

import json

import pytest

from facilitator.domain.debrief_text import split_front_matter
from facilitator.errors import NotFound, Refused
from tests.conftest import enrol_all

SID = "G1-2026-11-24"


def _as(office, user):
    from facilitator.services.core.office import Office

    return Office.open(office.path, user)


@pytest.fixture
def closed(office):
    """Session 1 of G1 on 2026-11-24: Adam present (minimising), Ben 10 min late (responsible),
    Carl absent; a flag raised for Adam in the session; closed at 18:00 (the fixed clock)."""
    from facilitator.domain.checkin import CheckIn
    from facilitator.services.groupwork import sessions
    from facilitator.services.risk import flags as risk

    enrol_all(office)
    sessions.start_session(office, "G1", "2026-11-24")
    sessions.mark_attendance(office, SID, "P0001", "present")
    sessions.mark_attendance(office, SID, "P0002", "late", minutes_late=10)
    sessions.mark_attendance(office, SID, "P0003", "unexcused")
    sessions.record_checkin(
        office,
        SID,
        CheckIn(
            participant_id="P0001",
            disclosed="yes",
            forms=["psychological"],
            towards=["partner"],
            summary="Shouted at her on Friday.",
            stance="minimising",
        ),
    )
    sessions.record_checkin(office, SID, CheckIn(participant_id="P0002", stance="responsible"))
    flag = risk.raise_flag(
        office,
        "P0001",
        ["controlling_behaviour"],
        "Checks her phone every evening.",
        session_id=SID,
    )
    sessions.close_session(office, SID, force=True)
    office.flag_id = flag.id  # type: ignore[attr-defined]
    return office


def _write(office, note_id, extra=""):
    """Put the facilitators' words into the note, as alex."""
    from facilitator.services.debrief import notes as debrief

    note = debrief.get_note(office, note_id)
    body = note.body.replace(
        "## Group process\n", "## Group process\n\nA settled group; good work on the exercise.\n"
    )
    debrief.save_body(_as(office, "alex"), note_id, body + extra)


def test_note_from_closed_session_holds_attendees_stances_and_flags(closed):
    from facilitator.curriculum import load_curriculum
    from facilitator.services.debrief import notes as debrief

    note = debrief.create_note(closed, SID)
    path = debrief.note_path(closed, note)
    assert path == closed.path / "session_notes" / "G1" / "2026-11-24-session-01.md"
    head, body = split_front_matter(path.read_text(encoding="utf-8"))
    title = load_curriculum("core-24", closed.ws.curricula_dir).session(1).title
    assert head["session"] == SID and head["curriculum_session"] == 1 and head["title"] == title
    assert (
        head["authors"] == ["alex", "bea"]
        and head["status"] == "draft"
        and head["signatures"] == []
    )
    assert f"session 1: {title}" in body and "Tuesday 24 November 2026" in body
    # Who attended and how: all three in the attendance table; only the men in the room get a
    # section.
    assert "| P0001 | Adam Example | ✓ present |" in body
    assert "| P0002 | Ben Sample | ◔ late (10 min) |" in body
    assert "| P0003 | Carl Testcase | ✗ absent, not excused |" in body
    adam = body.split("### P0001 Adam Example")[1].split("###")[0]
    ben = body.split("### P0002 Ben Sample")[1].split("##")[0]
    assert "Check-in stance: partly (minimises)" in adam
    assert "Check-in stance: takes responsibility" in ben and "late (10 min)" in ben
    assert "### P0003" not in body
    flags = body.split("## Flags raised this session")[1].split("##")[0]
    assert closed.flag_id in flags and "P0001" in flags and "Controlling behaviour" in flags
    # The check-in's words are not copied into the note.
    assert "Shouted at her" not in body


def test_creation_refused_for_an_open_session(office, invoke):
    from facilitator.services.groupwork import sessions

    enrol_all(office)
    sessions.start_session(office, "G1", "2026-11-24")
    result = invoke("--user", "alex", "notes", "new", SID)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: session {SID} is still open: close it first, then write its debrief "
        f"(see `facilitator session close {SID}`)"
    ]
    assert not (office.path / "session_notes" / "G1").exists()


def test_a_second_note_for_a_session_is_refused(closed):
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    with pytest.raises(Refused, match="already has a debrief note"):
        debrief.create_note(closed, SID)


def test_one_signature_leaves_a_draft_and_two_sign_it(closed, invoke):
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    _write(closed, SID)
    first = invoke("--user", "alex", "notes", "sign", SID)
    assert first.exit_code == 0, first.output
    assert "still a draft, waiting for bea" in first.output
    note = debrief.get_note(closed, SID)
    assert note.status == "draft" and note.signed_by == ["alex"]

    second = invoke("--user", "bea", "notes", "sign", SID)
    assert second.exit_code == 0, second.output
    note = debrief.get_note(closed, SID)
    assert note.status == "signed" and note.signed_by == ["alex", "bea"]
    head, _ = split_front_matter(debrief.note_path(closed, note).read_text(encoding="utf-8"))
    assert head["status"] == "signed"
    assert head["signatures"] == [
        {"by": "alex", "at": "2026-11-24T18:00:00"},
        {"by": "bea", "at": "2026-11-24T18:00:00"},
    ]
    shown = json.loads(invoke("notes", "show", SID, "--json").output)
    assert shown["status"] == "signed" and shown["awaiting"] == []


def test_only_the_sessions_facilitators_sign_and_each_once(closed, invoke):
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    _write(closed, SID)
    refused = invoke("--user", "admin", "notes", "sign", SID)
    assert refused.exit_code == 1
    assert "admin is not a facilitator of session" in refused.output
    assert any(
        e["action"] == "refused" and e["kind"] == "debrief" for e in closed.stores.audit.entries()
    )
    assert invoke("--user", "alex", "notes", "sign", SID).exit_code == 0
    again = invoke("--user", "alex", "notes", "sign", SID)
    assert again.exit_code == 1 and "alex has already signed" in again.output


def test_an_unwritten_note_cannot_be_signed(closed):
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    with pytest.raises(Refused, match="still the template"):
        debrief.sign_note(_as(closed, "alex"), SID)


def test_changing_a_draft_after_a_signature_withdraws_it(closed):
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    _write(closed, SID)
    debrief.sign_note(_as(closed, "alex"), SID)
    note = debrief.get_note(closed, SID)
    _, withdrawn = debrief.save_body(_as(closed, "bea"), SID, note.body + "\nBea adds a line.\n")
    assert withdrawn == ["alex"]
    assert debrief.get_note(closed, SID).signed_by == []


def test_a_signed_note_refuses_edits_and_takes_amendments(closed, invoke, tmp_path):
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    _write(closed, SID)
    debrief.sign_note(_as(closed, "alex"), SID)
    debrief.sign_note(_as(closed, "bea"), SID)
    signed = debrief.get_note(closed, SID)

    with pytest.raises(Refused, match="read-only"):
        debrief.save_body(_as(closed, "alex"), SID, "new words")
    other = tmp_path / "other.md"
    other.write_text("Replacing everything.\n")
    edit = invoke("--user", "alex", "notes", "edit", SID, "--from", str(other))
    assert edit.exit_code == 1 and "add an amendment instead" in edit.output

    amended = invoke(
        "--user", "bea", "notes", "amend", SID, "--text", "Ben arrived 10 minutes late, not 20."
    )
    assert amended.exit_code == 0, amended.output
    note = debrief.get_note(closed, SID)
    assert note.body == signed.body and note.status == "signed"
    text = debrief.note_path(closed, note).read_text(encoding="utf-8")
    assert text.index("## Amendments") > text.index("## Points for supervision")
    assert "### Amendment 1: 2026-11-24 18:00, bea\n\nBen arrived 10 minutes late, not 20." in text
    entry = [e for e in closed.stores.audit.entries() if e["action"] == "amend"][-1]
    assert entry["kind"] == "debrief" and entry["id"] == SID and entry["user"] == "bea"
    assert "Ben arrived" not in json.dumps(
        list(closed.stores.audit.entries())
    )  # no content in the audit


def test_amending_a_draft_is_refused(closed):
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    with pytest.raises(Refused, match="is a draft"):
        debrief.amend_note(_as(closed, "alex"), SID, "An afterthought.")


def test_due_notes_with_a_fixed_clock(closed, invoke, monkeypatch):
    from facilitator.services.debrief import notes as debrief

    # Closed at 18:00 on the 24th; due_hours is 48.
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-26T17:59:00")
    assert debrief.due_notes(closed) == []
    assert "(no debrief is due)" in invoke("notes", "list", "--due").output

    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-26T18:00:00")
    rows = json.loads(invoke("notes", "list", "--due", "--json").output)
    assert [(r["session_id"], r["note_status"], r["awaiting"]) for r in rows] == [
        (SID, "no note", ["alex", "bea"])
    ]
    assert rows[0]["due_at"] == "2026-11-26T18:00:00"

    debrief.create_note(_as(closed, "alex"), SID)
    _write(closed, SID)
    debrief.sign_note(_as(closed, "alex"), SID)
    due = debrief.due_notes(closed)
    assert [(d.note_status, d.awaiting) for d in due] == [("draft", ["bea"])]
    debrief.sign_note(_as(closed, "bea"), SID)
    assert debrief.due_notes(closed) == []


def test_sessions_before_due_from_are_never_due(closed, monkeypatch):
    from facilitator.services.debrief import notes as debrief

    monkeypatch.setenv("FACILITATOR_NOW", "2026-12-10T12:00:00")
    assert [d.session_id for d in debrief.due_notes(closed)] == [SID]
    with closed.stores.writing():
        settings = closed.ws.read_settings()
        settings["debrief"]["due_from"] = "2026-11-25"
        closed.ws.write_settings(settings)
    assert debrief.due_notes(closed) == []


def test_a_note_edited_outside_the_tool_is_reported(closed, invoke):
    from facilitator.services.debrief import notes as debrief

    note = debrief.create_note(closed, SID)
    path = debrief.note_path(closed, note)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "## Group process\n", "## Group process\n\nTyped in vim.\n"
        )
    )

    listed = invoke("notes", "list")
    assert "changed outside the tool" in listed.output
    assert (
        json.loads(invoke("notes", "list", "--json").output)[0]["file_state"]
        == "changed outside the tool"
    )
    shown = invoke("notes", "show", SID)
    assert "warning: the file is changed outside the tool" in shown.output
    assert (
        "Typed in vim." not in shown.output.split("warning:")[1]
    )  # the saved note is what is shown
    signing = invoke("--user", "alex", "notes", "sign", SID)
    assert signing.exit_code == 1 and "was changed outside the tool" in signing.output
    with pytest.raises(Refused, match="changed outside the tool"):
        debrief.save_body(_as(closed, "alex"), SID, "Overwriting it.")

    # Taking the file's text as the draft is a decision, audited.
    assert invoke("--user", "alex", "notes", "adopt", SID).exit_code == 0
    assert "Typed in vim." in debrief.get_note(closed, SID).body
    assert debrief.file_state(closed, debrief.get_note(closed, SID)) == "ok"
    assert any(e["action"] == "adopt" for e in closed.stores.audit.entries())


def test_a_signed_note_changed_outside_the_tool_can_only_be_restored(closed, invoke):
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    _write(closed, SID)
    debrief.sign_note(_as(closed, "alex"), SID)
    debrief.sign_note(_as(closed, "bea"), SID)
    note = debrief.get_note(closed, SID)
    path = debrief.note_path(closed, note)
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("A settled group", "A difficult group"))
    adopt = invoke("--user", "alex", "notes", "adopt", SID)
    assert adopt.exit_code == 1 and "is signed" in adopt.output
    assert invoke("--user", "alex", "notes", "restore", SID).exit_code == 0
    assert path.read_text(encoding="utf-8") == original

    path.unlink()
    assert "file missing" in invoke("notes", "list").output


@pytest.mark.parametrize("note_id", ["G1-2030-01-01", "G9-2026-11-24", "yesterday"])
def test_an_unknown_note_id_is_one_line_and_non_zero(closed, invoke, note_id):
    for command in (
        ["notes", "show", note_id],
        ["--user", "alex", "notes", "sign", note_id],
        ["--user", "alex", "notes", "amend", note_id, "--text", "x"],
        ["notes", "scan", note_id],
    ):
        result = invoke(*command)
        assert result.exit_code == 2, command
        expected = f"Error: no debrief note '{note_id}' (see `facilitator notes list`)"
        assert result.output.splitlines() == [expected]
    with pytest.raises(NotFound):
        from facilitator.services.debrief import notes as debrief

        debrief.get_note(closed, note_id)


def test_notes_list_by_group_and_as_json(closed, invoke):
    from facilitator.services.debrief import notes as debrief

    assert "(no debrief notes yet)" in invoke("notes", "list").output
    debrief.create_note(closed, SID)
    rows = json.loads(invoke("notes", "list", "--group", "g1", "--json").output)
    assert [(r["id"], r["status"], r["authors"], r["file_state"]) for r in rows] == [
        (SID, "draft", ["alex", "bea"], "ok")
    ]


def test_edit_from_a_file_replaces_the_draft(closed, invoke, tmp_path):
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    source = tmp_path / "mine.md"
    source.write_text("---\nstatus: signed\n---\n\n# Our debrief\n\nWritten elsewhere.\n")
    result = invoke("--user", "bea", "notes", "edit", SID, "--from", str(source))
    assert result.exit_code == 0, result.output
    note = debrief.get_note(closed, SID)
    # The words are taken; the front matter stays the tool's (a file cannot sign a note).
    assert note.body == "# Our debrief\n\nWritten elsewhere.\n" and note.status == "draft"


def test_the_template_ships_with_the_package():
    import tomllib
    from pathlib import Path

    from facilitator.services.debrief.notes import bundled_template_path

    root = Path(__file__).resolve().parent.parent
    assert bundled_template_path().is_file()
    build = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["hatch"]["build"][
        "targets"
    ]["wheel"]
    assert (
        build["force-include"]["session_notes/debrief-template.md"]
        == "facilitator/_bundled_notes/debrief-template.md"
    )


def test_a_workspace_template_is_used_when_present(closed, invoke):
    from facilitator.services.debrief import notes as debrief

    assert invoke("notes", "template", "--copy").exit_code == 0
    own = closed.ws.notes_dir / "debrief-template.md"
    own.write_text("# {{group_name}} on {{date}}\n\n{{#men}}- {{name}}: {{stance}}\n{{/men}}")
    note = debrief.create_note(closed, SID)
    assert note.body == (
        "# Tuesday group on Tuesday 24 November 2026\n\n"
        "- Adam Example: partly (minimises)\n- Ben Sample: takes responsibility\n"
    )
    own.write_text("{{nonsense}}")
    with pytest.raises(Exception, match="unknown placeholder"):
        debrief.create_note(closed, "G1-2026-11-24")


# -- risk indicators in the note -----------------------------------------------------------------
def _write_in(office, note_id, pid, words):
    """Put `words` under the man's section of the note (as alex)."""
    from facilitator.services.debrief import notes as debrief

    note = debrief.get_note(office, note_id)
    marker = "- Concerns: "
    at = note.body.index(marker, note.body.index(f"### {pid} "))
    body = note.body[:at] + marker + words + note.body[at + len(marker) :]
    debrief.save_body(_as(office, "alex"), note_id, body)


def test_a_flag_is_offered_for_an_indicator_found_in_the_note(closed, invoke):
    from facilitator.services.debrief import notes as debrief
    from facilitator.services.risk import flags as risk

    debrief.create_note(closed, SID)
    _write_in(
        closed,
        SID,
        "P0002",
        "said after the session that he put his hands round her throat on Sunday.",
    )
    found = json.loads(invoke("notes", "scan", SID, "--json").output)
    assert [
        (i["number"], i["participant_id"], i["category"], i["severity"], i["handled"])
        for i in found
    ] == [(1, "P0002", "strangulation", "critical", "")]

    refused = invoke("--user", "alex", "notes", "sign", SID)
    assert refused.exit_code == 1
    lines = refused.output.splitlines()
    assert lines[0].startswith("  1. P0002 Ben Sample: Strangulation (critical) “")
    assert lines[-1].startswith(
        f"Error: note {SID}: 1 risk indicator with no flag yet; before you sign, flag each"
    )
    assert debrief.get_note(closed, SID).signed_by == []

    signed = invoke("--user", "alex", "notes", "sign", SID, "--flag", "1")
    assert signed.exit_code == 0, signed.output
    flag = next(f for f in risk.list_flags(closed, "all") if f.source == "debrief")
    assert (flag.participant_id, flag.categories, flag.severity, flag.session_id) == (
        "P0002",
        ["strangulation"],
        "critical",
        SID,
    )
    assert f"raised flag {flag.id} for P0002" in signed.output
    note = debrief.get_note(closed, SID)
    assert note.signed_by == ["alex"] and note.handled_list[0].flag_id == flag.id
    # Handled once is handled: the second facilitator signs without being asked again.
    assert invoke("--user", "bea", "notes", "sign", SID).exit_code == 0
    assert debrief.get_note(closed, SID).is_signed
    assert len([f for f in risk.list_flags(closed, "all") if f.source == "debrief"]) == 1


def test_an_indicator_already_flagged_for_that_man_is_not_offered(closed, invoke):
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    _write_in(
        closed, SID, "P0001", "he checks her phone every evening."
    )  # flagged in the session already
    found = json.loads(invoke("notes", "scan", SID, "--json").output)
    handled = {i["category"]: i["handled"] for i in found if i["participant_id"] == "P0001"}
    assert handled["controlling_behaviour"] == f"flag {closed.flag_id} raised this session"
    # Checking her phone is stalking too: the learned layer raises it, and the flag raised
    # this session does not name it, so it alone is still offered.
    assert [c for c, how in handled.items() if not how] == ["stalking"]
    assert invoke("--user", "alex", "notes", "sign", SID).exit_code != 0  # still to decide
    assert invoke("--user", "alex", "notes", "sign", SID, "--flag", "all").exit_code == 0


def test_a_dismissal_needs_a_reason_and_is_kept(closed, invoke):
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    _write_in(
        closed, SID, "P0002", "talked about his fishing trips; he keeps a knife in his tackle box."
    )
    bare = invoke("--user", "alex", "notes", "sign", SID, "--dismiss", "1")
    assert bare.exit_code == 2 and "reason for dismissing indicator 1" in bare.output
    ok = invoke(
        "--user",
        "alex",
        "notes",
        "sign",
        SID,
        "--dismiss",
        "1",
        "--reason",
        "Fishing gear, checked with him; no threat made",
    )
    assert ok.exit_code == 0, ok.output
    h = debrief.get_note(closed, SID).handled_list[0]
    assert (h.action, h.participant_id, h.reason, h.by) == (
        "dismissed",
        "P0002",
        "Fishing gear, checked with him; no threat made",
        "alex",
    )
    entries = list(closed.stores.audit.entries())
    assert any(e["action"] == "dismiss" and e["kind"] == "debrief_indicator" for e in entries)
    assert "Fishing" not in json.dumps(entries)


def test_an_indicator_naming_no_man_is_flagged_for_the_man_named(closed, invoke):
    from facilitator.services.debrief import notes as debrief
    from facilitator.services.risk import flags as risk

    debrief.create_note(closed, SID)
    note = debrief.get_note(closed, SID)
    body = note.body.replace(
        "## Safety of partners and children\n",
        "## Safety of partners and children\n\nSomeone keeps a knife by the door.\n",
    )
    debrief.save_body(_as(closed, "alex"), SID, body)
    unnamed = invoke("--user", "alex", "notes", "sign", SID, "--flag", "1")
    assert unnamed.exit_code == 2 and "does not say which man it is about" in unnamed.output
    # Each indicator the sentence raised (the rule's weapon, and any the model adds) is
    # flagged for the man named.
    from facilitator.services.debrief.indicators import scan_note

    found = scan_note(closed, debrief.get_note(closed, SID))
    assert found and all(not i.participant_id for i in found)
    choices = [a for n in range(1, len(found) + 1) for a in ("--flag", f"{n}:P0001")]
    signed = invoke("--user", "alex", "notes", "sign", SID, *choices)
    assert signed.exit_code == 0, signed.output
    flags = [f for f in risk.list_flags(closed, "all") if f.source == "debrief"]
    assert {f.participant_id for f in flags} == {"P0001"}
    assert "weapons" in {c for f in flags for c in f.categories}


def test_an_amendment_is_scanned_too(closed, invoke):
    from facilitator.services.debrief import notes as debrief
    from facilitator.services.risk import flags as risk

    debrief.create_note(closed, SID)
    _write(closed, SID)
    debrief.sign_note(_as(closed, "alex"), SID)
    debrief.sign_note(_as(closed, "bea"), SID)
    words = "Ben rang the next day: he said he choked her last week."
    refused = invoke("--user", "bea", "notes", "amend", SID, "--text", words)
    assert refused.exit_code == 1 and "before you amend" in refused.output
    assert debrief.get_note(closed, SID).amendments == []
    assert (
        invoke("--user", "bea", "notes", "amend", SID, "--text", words, "--flag", "all").exit_code
        == 0
    )
    assert [f.participant_id for f in risk.list_flags(closed, "all") if f.source == "debrief"] == [
        "P0002"
    ]
    assert len(debrief.get_note(closed, SID).amendments) == 1


def test_a_partner_contact_flag_is_never_listed_nor_counted(closed, invoke):
    from facilitator.services.debrief import notes as debrief
    from facilitator.services.risk import flags as risk

    risk.raise_partner_concern(_as(closed, "pat"), "P0002", "strangulation")
    note = debrief.create_note(closed, SID)
    assert "P0002" not in note.body.split("## Flags raised this session")[1].split("##")[0]
    _write_in(closed, SID, "P0002", "said he put his hands round her throat on Sunday.")
    found = json.loads(invoke("notes", "scan", SID, "--json").output)
    assert [(i["participant_id"], i["category"], i["handled"]) for i in found] == [
        ("P0002", "strangulation", "")
    ]


def test_edit_opens_the_editor_on_the_draft(closed, invoke, monkeypatch, tmp_path):
    import sys

    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\nwith open(sys.argv[1], 'a') as f:\n    f.write('Added in the editor.\\n')\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    result = invoke("--user", "bea", "notes", "edit", SID)
    assert result.exit_code == 0, result.output
    assert debrief.get_note(closed, SID).body.endswith("Added in the editor.\n")


def test_the_demo_has_a_signed_note_a_draft_and_a_due_debrief(tmp_path):
    from facilitator.demo.workspace import build_demo
    from facilitator.services.core.office import Office
    from facilitator.services.debrief import notes as debrief

    build_demo(tmp_path / "demo")
    office = Office.open(tmp_path / "demo", "morgan")
    notes = {r["status"]: r for r in debrief.list_notes(office)}
    assert set(notes) == {"signed", "draft"}
    assert notes["signed"]["amendments"] == 1 and len(notes["signed"]["signed_by"]) == 2
    assert len(notes["draft"]["signed_by"]) == 1
    assert all(r["file_state"] == "ok" for r in debrief.list_notes(office))
    due = debrief.due_notes(office)
    assert {d.note_status for d in due} == {"no note", "draft"}
    assert len([d for d in due if d.note_status == "no note"]) == 1


def test_a_member_with_a_key_signs_with_it_and_a_tampered_signature_is_reported(
    closed, invoke, monkeypatch
):
    from helpers.signed import give_keys, passphrase_of, signed_in

    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    _write(closed, SID)
    give_keys(closed.path)
    monkeypatch.setenv("FACILITATOR_PASSPHRASE", "not alex's passphrase")
    wrong = invoke("--user", "alex", "notes", "sign", SID)
    assert wrong.exit_code == 1 and "wrong passphrase for alex" in wrong.output
    assert debrief.get_note(signed_in(closed.path, "admin"), SID).signed_by == []
    for who in ("alex", "bea"):
        monkeypatch.setenv("FACILITATOR_PASSPHRASE", passphrase_of(who))
        assert invoke("--user", who, "notes", "sign", SID).exit_code == 0
    shown = invoke("--user", "bea", "notes", "show", SID).output
    assert shown.count("(key verified)") == 2

    # Someone edits the store to put another text hash under alex's signature.
    store = closed.path / "data/debrief/G1/2026/2026-11-24.json"
    data = json.loads(store.read_text())
    doc = next(iter(data["note"].values()))
    doc["signatures"][0]["key_signature"] = doc["signatures"][1]["key_signature"]
    store.write_text(json.dumps(data))
    shown = invoke("--user", "bea", "notes", "show", SID).output
    assert "alex" in shown and "(DOES NOT VERIFY)" in shown and shown.count("(key verified)") == 1


def test_an_amendment_is_signed_with_the_members_key_and_an_edit_is_reported(
    closed, invoke, monkeypatch
):
    from helpers.signed import give_keys, passphrase_of

    from facilitator.services.debrief import notes as debrief

    debrief.create_note(closed, SID)
    _write(closed, SID)
    give_keys(closed.path)
    for who in ("alex", "bea"):
        monkeypatch.setenv("FACILITATOR_PASSPHRASE", passphrase_of(who))
        assert invoke("--user", who, "notes", "sign", SID).exit_code == 0
    monkeypatch.setenv("FACILITATOR_PASSPHRASE", passphrase_of("alex"))
    amended = invoke("--user", "alex", "notes", "amend", SID, "--text", "Ben left at the break.")
    assert amended.exit_code == 0, amended.output
    shown = invoke("--user", "alex", "notes", "show", SID).output
    assert "1 by alex" in shown and "(key verified)" in shown.split("amendments")[1]

    # Someone edits the amendment's words in the store: its signature no longer verifies.
    store = closed.path / "data/debrief/G1/2026/2026-11-24.json"
    data = json.loads(store.read_text())
    doc = next(iter(data["note"].values()))
    doc["amendments"][0]["text"] = "Ben stayed to the end."
    store.write_text(json.dumps(data))
    shown = invoke("--user", "alex", "notes", "show", SID).output
    assert "1 by alex" in shown and "(DOES NOT VERIFY)" in shown.split("amendments")[1]
