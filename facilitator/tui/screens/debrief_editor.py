"""The debrief editor: the note's Markdown on the left, a live preview on the right.

    DebriefEditor(office, note_id)               an existing note
    DebriefEditor(office, session_id, create=True)  creates the note when the session has none
    (office None: the app's office is used)

Ctrl+S saves the draft; Ctrl+G signs as the acting user (the risk scanner reads the note
first, and any indicator with no flag yet is flagged or dismissed in a dialog). With every
facilitator's signature the note is read-only: the text area then takes an amendment, which
Ctrl+S appends, dated, to the signed note. Privacy mode hides the note.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Header, Markdown, Static, TextArea

from facilitator.detector.categories import label
from facilitator.domain.debrief import FILE_OK
from facilitator.domain.debrief_text import AMENDMENTS_HEADING, amendment_heading
from facilitator.errors import FacilitatorError
from facilitator.services.core.office import Office
from facilitator.services.debrief import indicators as debrief_risk
from facilitator.services.debrief import notes as debrief
from facilitator.services.risk import suggestions as risk_suggestions
from facilitator.tui import keys
from facilitator.tui.dialogs.confirm import ConfirmScreen
from facilitator.tui.dialogs.debrief_indicators import IndicatorDecisions
from facilitator.tui.privacy import follow_privacy
from facilitator.tui.screens.base import FacilitatorScreen

LAYOUTS = ("split", "editor", "preview")
SPLIT_MIN_WIDTH = 100  # narrower, the editor opens at full width (F2 shows the preview)
PREVIEW_DELAY = 0.15  # seconds of quiet typing before the preview is redrawn


class DebriefEditor(FacilitatorScreen):
    BINDINGS = keys.bindings(keys.DEBRIEF)
    help_sections = ("Debrief editor",)
    DEFAULT_CSS = """
    #debrief-status { height: auto; max-height: 3; padding: 0 1; text-style: bold; background: $boost; }
    #debrief-panes { height: 1fr; }
    #debrief-text { width: 1fr; height: 1fr; }
    #debrief-preview-pane { width: 1fr; height: 1fr; border-left: vkey $primary 50%; padding: 0 1; }
    #debrief-panes.-editor #debrief-preview-pane { display: none; }
    #debrief-panes.-preview #debrief-text { display: none; }
    #debrief-record { height: auto; max-height: 4; padding: 0 1; background: $boost; }
    #debrief-privacy { display: none; height: 1fr; content-align: center middle; text-style: bold; }
    DebriefEditor.-private #debrief-panes, DebriefEditor.-private #debrief-record { display: none; }
    DebriefEditor.-private #debrief-privacy { display: block; }
    """

    class Saved(Message):
        def __init__(self, note) -> None:
            super().__init__()
            self.note = note

    class Signed(Message):
        def __init__(self, note) -> None:
            super().__init__()
            self.note = note

    def __init__(self, office: Office | None, note_id: str, *, create: bool = False) -> None:
        super().__init__()
        self._office = office
        self.note_id = note_id
        self.create = create
        self.note = None
        self.started_sha = ""  # the saved text the editor started from
        self.dirty = False
        self.layout_index = 0
        self._preview_timer: Timer | None = None
        self.baseline = ""  # the text area's text as loaded: dirty means it differs

    # -- building ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="debrief-status")
        with Horizontal(id="debrief-panes"):
            yield TextArea("", id="debrief-text", soft_wrap=True)
            with VerticalScroll(id="debrief-preview-pane"):
                yield Markdown("", id="debrief-preview")
        yield Static("", id="debrief-record")
        yield Static(
            "Privacy mode is on: the note is hidden (Ctrl+T shows it).", id="debrief-privacy"
        )
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        note = self._safe(self._load)
        if note is None:
            self.app.call_later(self.app.pop_screen)
            return
        if self.app.size.width < SPLIT_MIN_WIDTH:
            # Two half-width panes at 80 columns leave a line of a few words each.
            self._set_layout("editor")
        self._show(note)
        follow_privacy(self, self._privacy)
        self.query_one("#debrief-text", TextArea).focus()

    def _load(self):
        note = debrief.note_for_session(self.office, self.note_id) if self.create else None
        if note is None and self.create:
            return debrief.create_note(self.office, self.note_id)
        return note or debrief.get_note(self.office, self.note_id)

    def _privacy(self, private: bool) -> None:
        self.set_class(bool(private), "-private")

    # -- showing -------------------------------------------------------------------------
    def _show(self, note) -> None:
        """Put a freshly loaded or saved note on screen (the text area too)."""
        self.note = note
        self.note_id = note.id
        self.started_sha = note.body_sha256
        area = self.query_one("#debrief-text", TextArea)
        self.baseline = "" if note.is_signed else note.body
        if note.is_signed:
            area.placeholder = (
                "Signed and read-only. Write an amendment here: Ctrl+S appends it, dated, "
                "to the note."
            )
        area.load_text(self.baseline)
        self.dirty = False
        self._refresh_labels()
        self._redraw_preview()

    def _refresh_labels(self) -> None:
        note = self.note
        if note is None:
            return
        state = "SIGNED · read-only" if note.is_signed else "DRAFT"
        # ✓ a key that verifies, ✗ one that does not (the note or signature was changed), and
        # a bare name for a signature made before the member had a key.
        marks = {"key verified": " ✓ key", "DOES NOT VERIFY": " ✗ DOES NOT VERIFY"}
        signed = ", ".join(
            f"{s.by}{marks.get(debrief.signature_state(self.office, note, s), '')}"
            for s in note.signature_list
        )
        waiting = ", ".join(note.awaiting)
        # The state first; the line wraps on a narrow terminal rather than losing its end.
        parts = [
            "● unsaved" if self.dirty else "",
            state,
            f"signed: {signed}" if signed else "not signed yet",
            f"waiting for {waiting}" if waiting else "",
            note.id,
            f"session {note.curriculum_session}: {note.title}" if note.title else "",
        ]
        self.query_one("#debrief-status", Static).update(" · ".join(p for p in parts if p))
        lines = []
        if note.signature_list:
            lines.append(
                "Signatures: "
                + "; ".join(f"{s.by} {s.at[:16].replace('T', ' ')}" for s in note.signature_list)
            )
        if note.amendment_list:
            lines.append(
                "Amendments: "
                + "; ".join(
                    f"{a.number} by {a.by} {a.at[:16].replace('T', ' ')}"
                    for a in note.amendment_list
                )
            )
        state = self._safe(debrief.file_state, self.office, note)
        if state and state != FILE_OK:
            lines.append(
                f"⚠ The note's file is {state}: facilitator notes restore {note.id}"
                + ("" if note.is_signed else f" (or notes adopt {note.id})")
            )
        if not lines:
            lines.append(
                "Not signed yet. Ctrl+S saves, Ctrl+G signs as you; both facilitators sign."
            )
        self.query_one("#debrief-record", Static).update("\n".join(lines))

    def preview_text(self) -> str:
        """What the preview shows: the draft as typed, or the signed note, its amendments and the
        amendment being written."""
        typed = self.query_one("#debrief-text", TextArea).text
        note = self.note
        if note is None or not note.is_signed:
            return typed
        text = note.body.rstrip() + "\n"
        amendments = note.amendment_list
        if amendments or typed.strip():
            text += f"\n{AMENDMENTS_HEADING}\n"
        for a in amendments:
            text += f"\n{amendment_heading(a)}\n\n{a.text.rstrip()}\n"
        if typed.strip():
            text += f"\n### New amendment (not added yet: Ctrl+S)\n\n{typed.rstrip()}\n"
        return text

    def _redraw_preview(self) -> None:
        self._preview_timer = None
        self.query_one("#debrief-preview", Markdown).update(self.preview_text())

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        dirty = event.text_area.text != self.baseline
        if dirty != self.dirty:
            self.dirty = dirty
            self._refresh_labels()
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, self._redraw_preview)

    # -- actions -------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.note is None:
            return
        if self.note.is_signed:
            self._amend()
            return
        self._save_draft()

    def _save_draft(self) -> bool:
        text = self.query_one("#debrief-text", TextArea).text
        result = self._safe(
            debrief.save_body, self.office, self.note_id, text, expected_sha256=self.started_sha
        )
        if result is None:
            return False
        note, withdrawn = result
        self.note, self.started_sha, self.dirty = note, note.body_sha256, False
        self.baseline = text
        self._refresh_labels()
        self.post_message(self.Saved(note))
        if withdrawn:
            self.notify(
                f"The text changed after signing: {' and '.join(withdrawn)} must sign again",
                timeout=8,
            )
        else:
            self.notify("Saved" + self._waiting_words(), timeout=6)
        return True

    def _waiting_words(self) -> str:
        """What the saved note put to review: its men's risk suggestions still waiting."""
        if self.note is None:
            return ""
        waiting = self._safe(
            risk_suggestions.list_suggestions, self.office, self.note.session_id, True
        )
        if not waiting:
            return ""
        if self.privacy:  # who and what stay off a screen the room may see
            return f". Risk suggestions waiting for review: {len(waiting)} (risk queue, s)"
        said = "; ".join(
            f"{s.participant_id} {', '.join(label(c) for c in s.categories)}" for s in waiting
        )
        return f". Risk suggestions waiting for review (risk queue, s): {said}"

    def action_sign(self) -> None:
        if self.note is None:
            return
        if self.note.is_signed:
            self.notify(
                f"Already signed by {' and '.join(self.note.signed_by)}: write an amendment and "
                "Ctrl+S"
            )
            return
        if self.dirty and not self._save_draft():
            return
        self._sign(())

    def _sign(self, decisions) -> None:
        try:
            result = debrief.sign_note(self.office, self.note_id, decisions)
        except debrief_risk.IndicatorsPending as pending:
            self._ask_decisions(pending, "sign", self._sign)
            return
        except FacilitatorError as err:
            self.notify(err.message, severity="error", timeout=8)
            return
        self._after(result)
        note = result.note
        if note.is_signed:
            self.notify(
                "Signed by both: the note is read-only now; changes become dated amendments",
                timeout=6,
            )
        else:
            self.notify(
                f"Signed as {self.office.user}; waiting for {', '.join(note.awaiting)}", timeout=6
            )
        self.post_message(self.Signed(note))

    def _amend(self, decisions=()) -> None:
        text = self.query_one("#debrief-text", TextArea).text
        if not text.strip():
            self.notify("Write the amendment in the text area first", severity="warning")
            return
        try:
            result = debrief.amend_note(self.office, self.note_id, text, decisions)
        except debrief_risk.IndicatorsPending as pending:
            self._ask_decisions(pending, "add the amendment", self._amend)
            return
        except FacilitatorError as err:
            self.notify(err.message, severity="error", timeout=8)
            return
        self._after(result)
        added = result.amendment
        self.notify(f"Amendment {added.number} added" if added else "Amendment added", timeout=4)
        self.post_message(self.Saved(result.note))

    def _after(self, result) -> None:
        for flag in result.flags:
            self.notify(
                f"Flag {flag.id} raised for {flag.participant_id} ({flag.severity})",
                title="Risk",
                timeout=8,
            )
        self._show(result.note)

    def _ask_decisions(self, pending, doing: str, retry) -> None:
        men = self._safe(debrief_risk.men_of, self.office, self.note) or {}

        def decided(decisions) -> None:
            if decisions is None:
                self.notify(
                    "Nothing was signed: every risk indicator needs a flag or a reason to dismiss "
                    "it",
                    severity="warning",
                    timeout=6,
                )
                return
            retry(decisions)

        self.app.push_screen(IndicatorDecisions(pending.indicators, men, doing), decided)

    def action_layout(self) -> None:
        self._set_layout(LAYOUTS[(self.layout_index + 1) % len(LAYOUTS)])
        self._redraw_preview()  # shown filled, whatever was typed while it was hidden

    def _set_layout(self, layout: str) -> None:
        self.layout_index = LAYOUTS.index(layout)
        panes = self.query_one("#debrief-panes")
        for name in LAYOUTS:
            panes.set_class(layout == name and name != "split", f"-{name}")

    def action_scan(self) -> None:
        if self.note is None:
            return
        text = self.query_one("#debrief-text", TextArea).text if not self.note.is_signed else None
        found = self._safe(debrief_risk.scan_note, self.office, self.note, text)
        if found is None:
            return
        if not found:
            self.notify("No risk indicator found in the note", timeout=4)
            return
        self.notify(
            "\n".join(i.line() for i in found),
            title="Risk indicators",
            timeout=12,
            severity="warning" if any(not i.handled for i in found) else "information",
        )

    def action_back(self) -> None:
        if not self.dirty:
            self.app.pop_screen()
            return
        what = "amendment" if self.note is not None and self.note.is_signed else "changes"
        self.app.push_screen(
            ConfirmScreen(
                f"Leave without saving your {what}?",
                [],
                yes="y: leave, losing them",
                no="n / Esc: stay (Ctrl+S saves)",
            ),
            lambda leave: leave and self.app.pop_screen(),
        )

    # -- errors --------------------------------------------------------------------------
    def _safe(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except FacilitatorError as err:
            self.notify(err.message, severity="error", timeout=8)
        return None
