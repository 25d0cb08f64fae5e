"""The debrief editor: write, live preview, sign; a signed note takes amendments."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Markdown, Static, TextArea
from textual.widgets._markdown import MarkdownBlock

from tests.test_debrief_notes import SID, _as, _write, closed  # noqa: F401  (closed is a fixture)


class EditorApp(App):
    """Only the editor, on a workspace opened for one facilitator, privacy mode off (the
    editor hides its text when an app has no privacy switch at all)."""

    privacy = False

    def __init__(self, office, note_id: str, create: bool = False) -> None:
        super().__init__()
        self.office = office
        self.note_id = note_id
        self.create = create

    def on_mount(self) -> None:
        from facilitator.tui.screens.debrief_editor import DebriefEditor

        self.push_screen(DebriefEditor(self.office, self.note_id, create=self.create))


async def _until(pilot, condition, what: str, tries: int = 100):
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def _type(pilot, text: str) -> None:
    names = {
        " ": "space",
        "\n": "enter",
        ".": "full_stop",
        ",": "comma",
        ":": "colon",
        "#": "number_sign",
    }
    await pilot.press(*[names.get(c, c) for c in text])


def _editor(app):
    from facilitator.tui.screens.debrief_editor import DebriefEditor

    assert isinstance(app.screen, DebriefEditor)
    return app.screen


def _status(app) -> str:
    return str(app.screen.query_one("#debrief-status", Static).render())


async def test_write_preview_save_and_sign(closed):  # noqa: F811
    from facilitator.services.debrief import notes as debrief

    app = EditorApp(_as(closed, "alex"), SID, create=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(
            pilot, lambda: getattr(app.screen, "note", None) is not None, "the note to load"
        )
        editor = _editor(app)
        assert debrief.note_for_session(closed, SID) is not None  # created on opening
        assert "DRAFT" in _status(app) and "waiting for alex, bea" in _status(app)
        area = editor.query_one("#debrief-text", TextArea)
        assert area.text.startswith("# Debrief: Tuesday group, session 1")

        # Write: a new section at the end, typed key by key.
        area.move_cursor(area.document.end)
        await _type(pilot, "\n## Worked well\n\nRole play went deep.")
        assert "● unsaved" in _status(app)

        # The preview follows: the typed heading is a rendered block of the Markdown widget.
        preview = editor.query_one("#debrief-preview", Markdown)
        await _until(
            pilot, lambda: "Role play went deep." in preview.source, "the preview to update"
        )
        await _until(
            pilot,
            lambda: any(
                "Worked well" in str(getattr(b, "source", "") or "")
                for b in preview.query(MarkdownBlock)
            ),
            "the heading to render",
        )

        # Save, then sign as alex: still a draft, waiting for bea.
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: not editor.dirty, "the save")
        assert "Role play went deep." in debrief.get_note(closed, SID).body
        await pilot.press("ctrl+g")
        await _until(pilot, lambda: editor.note.signed_by == ["alex"], "alex's signature")
        assert debrief.get_note(closed, SID).status == "draft"
        assert (
            "signed: alex" in _status(app)
            and "✗" not in _status(app)
            and "waiting for bea" in _status(app)
        )


async def test_second_signature_makes_it_read_only_and_edits_become_amendments(closed):  # noqa: F811
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(_as(closed, "alex"), SID)
    _write(closed, SID)
    debrief.sign_note(_as(closed, "alex"), SID)

    app = EditorApp(_as(closed, "bea"), SID)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(
            pilot, lambda: getattr(app.screen, "note", None) is not None, "the note to load"
        )
        editor = _editor(app)
        await pilot.press("ctrl+g")
        await _until(pilot, lambda: editor.note.is_signed, "the note to be signed")
        assert "SIGNED · read-only" in _status(app)
        area = editor.query_one("#debrief-text", TextArea)
        assert area.text == ""  # the text area now takes an amendment

        await _type(pilot, "Ben was 10 minutes late, not 20.")
        preview = editor.query_one("#debrief-preview", Markdown)
        await _until(
            pilot, lambda: "New amendment" in preview.source, "the amendment in the preview"
        )
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: len(editor.note.amendments) == 1, "the amendment to be added")
        note = debrief.get_note(closed, SID)
        assert (
            note.status == "signed"
            and note.amendment_list[0].text == "Ben was 10 minutes late, not 20."
        )
        assert note.amendment_list[0].by == "bea"
        record = str(editor.query_one("#debrief-record", Static).render())
        assert "Amendments: 1 by bea" in record and "Signatures: alex" in record
        await _until(
            pilot, lambda: "### Amendment 1" in preview.source, "the added amendment in the preview"
        )


async def test_someone_who_did_not_run_the_session_is_told_and_nothing_is_signed(closed):  # noqa: F811
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(_as(closed, "alex"), SID)
    _write(closed, SID)
    app = EditorApp(_as(closed, "admin"), SID)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(
            pilot, lambda: getattr(app.screen, "note", None) is not None, "the note to load"
        )
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert any("admin is not a facilitator" in n.message for n in app._notifications)
        assert debrief.get_note(closed, SID).signed_by == []


async def test_privacy_mode_hides_the_note(closed):  # noqa: F811
    from textual.reactive import reactive

    class PrivateApp(EditorApp):
        privacy: reactive[bool] = reactive(True)

    app = PrivateApp(_as(closed, "alex"), SID, create=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(
            pilot, lambda: getattr(app.screen, "note", None) is not None, "the note to load"
        )
        editor = _editor(app)
        assert editor.has_class("-private")
        assert editor.query_one("#debrief-panes").display is False
        assert editor.query_one("#debrief-privacy").display is True
        app.privacy = False
        await pilot.pause()
        assert editor.query_one("#debrief-panes").display is True
        assert editor.query_one("#debrief-privacy").display is False


async def test_leaving_with_unsaved_changes_asks_first(closed):  # noqa: F811
    from facilitator.tui.dialogs.confirm import ConfirmScreen

    app = EditorApp(_as(closed, "alex"), SID, create=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(
            pilot, lambda: getattr(app.screen, "note", None) is not None, "the note to load"
        )
        await _type(pilot, "x")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert _editor(app).dirty


async def test_fits_an_80_by_24_terminal(closed):  # noqa: F811
    app = EditorApp(_as(closed, "alex"), SID, create=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(
            pilot, lambda: getattr(app.screen, "note", None) is not None, "the note to load"
        )
        editor = _editor(app)
        for wid in ("#debrief-status", "#debrief-text", "#debrief-record"):
            region = editor.query_one(wid).region
            assert region.width > 0 and region.height > 0 and region.bottom <= 24, wid
        # At 80 columns the editor opens alone, at full width; F2 cycles: preview only, both,
        # editor only.
        assert editor.query_one("#debrief-text").region.width >= 76
        assert not editor.query_one("#debrief-preview-pane").display
        shown = []
        for _ in range(3):
            await pilot.press("f2")
            shown.append(
                (
                    editor.query_one("#debrief-text").display,
                    editor.query_one("#debrief-preview-pane").display,
                )
            )
        assert shown == [(False, True), (True, True), (True, False)]


async def test_the_app_opens_the_editor_after_a_session_and_lists_debriefs(closed, monkeypatch):  # noqa: F811
    from facilitator.tui.app import FacilitatorApp
    from facilitator.tui.screens.debrief import DebriefScreen
    from facilitator.tui.screens.debriefs import DebriefListScreen

    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-27T09:00:00")  # the session's debrief is due
    app = FacilitatorApp(_as(closed, "alex"))
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: app.home_ready, "the home screen")
        await pilot.press("d")
        await _until(pilot, lambda: isinstance(app.screen, DebriefListScreen), "the debrief list")
        listed = app.screen.query_one("DataTable")
        assert listed.row_count == 1 and "DUE" in str(listed.get_row_at(0)[2])
        await pilot.press("enter")
        await _until(
            pilot,
            lambda: isinstance(app.screen, DebriefScreen) and app.screen.note is not None,
            "the editor on the due session",
        )
        assert app.screen.note.id == SID
        await pilot.press("escape")
        await _until(pilot, lambda: isinstance(app.screen, DebriefListScreen), "back to the list")
        await pilot.pause()
        assert "draft" in str(app.screen.query_one("DataTable").get_row_at(0)[2])


async def test_signing_a_note_with_a_risk_indicator_offers_the_flag_first(closed):  # noqa: F811
    from facilitator.services.debrief import notes as debrief
    from facilitator.services.risk import flags as risk
    from facilitator.tui.dialogs.debrief_indicators import IndicatorDecisions
    from tests.test_debrief_notes import _write_in

    debrief.create_note(_as(closed, "alex"), SID)
    _write_in(closed, SID, "P0002", "said he put his hands round her throat on Sunday.")
    app = EditorApp(_as(closed, "alex"), SID)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(
            pilot, lambda: getattr(app.screen, "note", None) is not None, "the note to load"
        )
        editor = app.screen
        await pilot.press("ctrl+g")
        await _until(
            pilot, lambda: isinstance(app.screen, IndicatorDecisions), "the indicator dialog"
        )
        rows = app.screen.query_one("DataTable")
        assert rows.row_count == 1 and "Strangulation" in str(rows.get_row_at(0)[2])
        await pilot.press("ctrl+s")  # not yet: each indicator needs a decision
        await pilot.pause()
        assert isinstance(app.screen, IndicatorDecisions)
        await pilot.press("f", "ctrl+s")
        await _until(
            pilot, lambda: editor.note.signed_by == ["alex"], "the signature after the flag"
        )
        flags = [f for f in risk.list_flags(closed, "all") if f.source == "debrief"]
        assert [(f.participant_id, f.categories) for f in flags] == [("P0002", ["strangulation"])]


async def test_closing_a_session_opens_the_editor_on_its_new_note(closed):  # noqa: F811
    from facilitator.tui.app import FacilitatorApp
    from facilitator.tui.screens.debrief import DebriefScreen

    app = FacilitatorApp(_as(closed, "bea"))
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: app.home_ready, "the home screen")
        app.open_debrief(SID)  # what the session screen calls once the session is closed
        await _until(
            pilot,
            lambda: isinstance(app.screen, DebriefScreen) and app.screen.note is not None,
            "the editor",
        )
        assert app.screen.note.created_by == "bea" and "DRAFT" in _status(app)


def test_the_help_screen_lists_the_debrief_keys():
    from rich.console import Console

    from facilitator.tui.dialogs.help import help_table

    console = Console(width=120, record=True)
    console.print(help_table())
    text = console.export_text()
    assert "Debrief editor" in text and "Ctrl+G" in text and "Risk check" in text


async def test_saving_a_disclosure_queues_it_for_review_and_says_so(closed):  # noqa: F811
    from facilitator.services.debrief import notes as debrief
    from facilitator.services.risk import suggestions as risk_suggestions

    debrief.create_note(_as(closed, "alex"), SID)
    app = EditorApp(_as(closed, "alex"), SID)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(
            pilot, lambda: getattr(app.screen, "note", None) is not None, "the note to load"
        )
        area = app.screen.query_one("#debrief-text", TextArea)
        at = area.text.index("- Concerns: ", area.text.index("### P0002 "))
        area.text = (
            area.text[:at] + "- Concerns: said he put his hands round her throat on Sunday."
            + area.text[at + len("- Concerns: ") :]
        )  # fmt: skip
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _until(
            pilot,
            lambda: any("waiting for review" in str(n.message) for n in app._notifications),
            "the save to say what it queued",
        )
        said = next(str(n.message) for n in app._notifications if "waiting" in str(n.message))
        assert "P0002 Strangulation" in said
    (s,) = risk_suggestions.list_suggestions(closed, SID, pending_only=True)
    assert (s.participant_id, s.categories) == ("P0002", ["strangulation"])


async def test_back_from_a_note_the_list_still_answers_enter_and_says_so(closed, monkeypatch):  # noqa: F811
    from facilitator.tui.app import FacilitatorApp
    from facilitator.tui.screens.debrief import DebriefScreen
    from facilitator.tui.screens.debriefs import DebriefListScreen
    from tests.helpers.tui import screen_text

    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-27T09:00:00")
    app = FacilitatorApp(_as(closed, "alex"))
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: app.home_ready, "the home screen")
        await pilot.press("d")
        await _until(pilot, lambda: isinstance(app.screen, DebriefListScreen), "the debrief list")
        await pilot.pause()
        assert "⏎ Open" in screen_text(app).splitlines()[-1]
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, DebriefScreen), "the note")
        await pilot.press("escape")
        await _until(pilot, lambda: isinstance(app.screen, DebriefListScreen), "back to the list")
        await pilot.pause()
        assert app.focused is app.screen.query_one("DataTable")
        assert "⏎ Open" in screen_text(app).splitlines()[-1]
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, DebriefScreen), "the note again")
