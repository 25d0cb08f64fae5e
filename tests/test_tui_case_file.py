"""The case file screen: his details (edited in a form), his agency contacts and children shown,
case notes written, amended and corrected in the UI, and a note's risk suggestion flagged or
dismissed there as a check-in's is; privacy mode hides all of it and keeps the forms shut."""

from __future__ import annotations

import json

import pytest
from conftest import enrol_all
from helpers.tui import burst, make_app, screen_text, wait_for
from textual.widgets import DataTable, Input

from facilitator.services.casefile import agency_contacts, case_notes, children, details
from facilitator.services.core.office import Office
from facilitator.services.risk import flags as risk
from facilitator.services.risk import suggestions

ADDRESS = "12 Wrenfold Close"
CONTACT = "Dana Halvorsen"
CHILD = "Peregrina"
NOTE = "Rang him about the caravan move."


@pytest.fixture
def case(office, monkeypatch):
    enrol_all(office)
    details.edit_details(office, "P0001", {"address": ADDRESS, "phone": "07700 900555"})
    agency_contacts.add(
        office, "P0001", role="probation_officer", agency="Sample Probation", name=CONTACT
    )
    children.add_child(office, "P0001", CHILD, age=6, contact="supervised", plan="child_in_need")
    # Written two days before "now": settled, so only amended from here on.
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-22T10:00:00")
    case_notes.add_note(Office.open(office.path, "alex"), "P0001", NOTE, "phone_call")
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T18:00:00")
    return Office.open(office.path, "admin")


def _rows(app) -> list[list[str]]:
    table = app.screen.query_one("#case-notes", DataTable)
    return [
        [getattr(c, "plain", str(c)) for c in table.get_row_at(i)] for i in range(table.row_count)
    ]


async def _open(pilot, app, pid="P0001"):
    from facilitator.tui.screens.case_file import CaseFileScreen

    await wait_for(pilot, lambda: app.home_ready, what="home")
    app.push_screen(CaseFileScreen(pid))
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, CaseFileScreen) and app.screen.loaded,
        what="the case file",
    )
    await pilot.pause()
    return app.screen


def _typed(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


async def test_f_on_his_timelines_opens_the_case_file_with_everything_in_it(case):
    from facilitator.tui.screens.attendance_timeline import AttendanceTimelineScreen
    from facilitator.tui.screens.case_file import CaseFileScreen
    from facilitator.tui.screens.case_timeline import CaseTimelineScreen

    app = make_app(case, privacy=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home_ready, what="home")
        app.push_screen(AttendanceTimelineScreen("P0001"))
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="attendance")
        await pilot.press("f")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, CaseFileScreen) and app.screen.loaded,
            what="the case file",
        )
        await pilot.pause()
        text = screen_text(app)
        assert "Case file · P0001 Adam Example" in text
        for shown in (ADDRESS, CONTACT, "probation officer", f"{CHILD} (6)", "child in need"):
            assert shown in text, shown
        assert _rows(app)[0][:3] == ["2026-11-22", "phone call", "alex"]
        assert NOTE in text  # the highlighted note in full
        for key in ("Details", "Note", "Amend", "Timeline"):
            assert key in text, key  # its keys are in the footer
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseTimelineScreen))
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AttendanceTimelineScreen)


async def test_his_details_are_edited_in_a_form_and_a_bad_value_keeps_what_was_typed(case):
    from facilitator.tui.dialogs.case_file_forms import DetailsDialog

    app = make_app(case, privacy=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailsDialog), what="the form")
        dialog = app.screen
        assert dialog.query_one("#detail-address", Input).value == ADDRESS
        assert app.focused is dialog.query_one("#detail-date_of_birth", Input)  # the first
        await burst(pilot, *"1985-13-02", "ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "date of birth '1985-13-02' is not a date" in screen_text(app)
        assert dialog.query_one("#detail-date_of_birth", Input).value == "1985-13-02"
        field = dialog.query_one("#detail-date_of_birth", Input)
        field.value = ""
        dialog.query_one("#detail-phone", Input).value = ""  # emptied: cleared
        await burst(pilot, *"1985-04-02", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and screen.loaded, what="saved")
        await pilot.pause()
        held = details.get_details(case, "P0001").values
        assert held["date_of_birth"] == "1985-04-02" and "phone" not in held
        assert "date of birth: 1985-04-02 (age 41)" in screen_text(app)
    audit = (case.path / "data/audit.jsonl").read_text().splitlines()
    last = [json.loads(e) for e in audit if '"participant_details"' in e][-1]
    assert last["fields"] == "date_of_birth,phone" and "1985" not in json.dumps(last)


async def test_a_note_written_in_the_ui_is_scanned_and_its_suggestion_flagged_there(case):
    from facilitator.tui.dialogs.case_file_forms import NoteDialog

    app = make_app(case, privacy=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        # The keys arrive in one burst: n opens the form and the words land in it.
        await burst(pilot, "n", *_typed("He said he grabbed her by the throat."), "ctrl+s")
        await wait_for(pilot, lambda: screen.loaded and len(_rows(app)) == 2, what="the note")
        await pilot.pause()
        assert not isinstance(app.screen, NoteDialog)
        top = _rows(app)[0]
        assert top[0] == "2026-11-24" and top[3] == "He said he grabbed her by the t…"
        assert "N2 2026-11-24 by admin: He said he grabbed her by the throat." in screen_text(app)
        assert top[4] == "! critical: y/d"
        text = screen_text(app)
        assert "Risk suggestion S0001, CRITICAL: Physical violence, Strangulation" in text
        (s,) = suggestions.list_suggestions(case, "P0001-N2", pending_only=True)
        await pilot.press("y")
        await wait_for(
            pilot, lambda: screen.loaded and _rows(app)[0][4].startswith("flag F"), what="flag"
        )
        (flag,) = [f for f in risk.list_flags(case, "open") if f.suggestion_id == s.id]
        assert flag.severity == "critical" and flag.summary.startswith(
            "Suggested from the case note P0001-N2"
        )
        # A second note, its suggestion dismissed with a reason.
        await burst(pilot, "n", *_typed("He punched the wall at home."), "ctrl+s")
        await wait_for(pilot, lambda: screen.loaded and len(_rows(app)) == 3, what="note 3")
        await pilot.press("d")
        await pilot.pause()
        await burst(pilot, *_typed("a film he described"), "enter")
        await wait_for(
            pilot, lambda: screen.loaded and _rows(app)[0][4] == "dismissed", what="dismissed"
        )
        (gone,) = suggestions.list_suggestions(case, "P0001-N3")
        assert gone.status == "dismissed" and gone.reason == "a film he described"


async def test_a_settled_note_is_only_amended_and_keeps_its_words(case):
    from facilitator.tui.dialogs.case_file_forms import NoteDialog

    app = make_app(case, privacy=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("c")  # correcting in place: past its 24 hours
        await wait_for(pilot, lambda: isinstance(app.screen, NoteDialog), what="the form")
        await burst(pilot, "ctrl+s")
        assert "more than 24 hours ago: add an amendment" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await burst(pilot, "a", *_typed("He moved on the 20th, not the 27th."), "ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and screen.loaded, what="amended")
        await pilot.pause()
        (note,) = case_notes.list_notes(case, "P0001")
        assert note.text == NOTE
        assert [a.text for a in note.amendment_list] == ["He moved on the 20th, not the 27th."]
        assert _rows(app)[0][3].startswith("[1 amended]")
        text = screen_text(app)
        assert "amendment 1, 2026-11-24 18:00 by admin" in text
    audit = [json.loads(e) for e in (case.path / "data/audit.jsonl").read_text().splitlines()]
    assert [(e["action"], e["id"]) for e in audit if e["kind"] == "case_note"][-1] == (
        "amend",
        "P0001/N1",
    )


async def test_privacy_mode_hides_the_whole_file_and_keeps_the_forms_shut(case):
    from facilitator.tui.screens.case_file import CaseFileScreen

    app = make_app(case, privacy=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        text = screen_text(app)
        assert "Case file · P0001 Adam" in text and "Example" not in text
        for hidden in (ADDRESS, CONTACT, "Sample Probation", CHILD, NOTE, "phone call"):
            assert hidden not in text, hidden
        for key in ("e", "n", "a", "c"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, CaseFileScreen), key
        said = [n.message for n in app._notifications]
        assert sum("Privacy mode is on: turn it off (Ctrl+T)" in m for m in said) == 4
        # Turned off, the file shows; turned on again, it is hidden at once.
        app.privacy = False
        await wait_for(pilot, lambda: ADDRESS in screen_text(app), what="shown")
        app.privacy = True
        await wait_for(pilot, lambda: ADDRESS not in screen_text(app), what="hidden again")
        assert NOTE not in screen_text(app) and screen.loaded
