"""The case file's forms: his details, and a case note (a new one, an amendment, or its
writer's correction in the first 24 hours).

Each form saves through the casefile services itself, so a value they refuse is said in the
form, on one line, and nothing typed is lost. Each dismisses with what was saved, or None.

In privacy mode (it fails closed) the values are masked and a note's words are not drawn: the
room sees the form's labels only.
"""

from __future__ import annotations

from typing import ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Select, Static, TextArea

from facilitator import clock
from facilitator.domain.casefile import DETAIL_FIELDS, DETAIL_LABELS, NOTE_KINDS, CaseNote
from facilitator.errors import FacilitatorError
from facilitator.services.casefile import case_notes
from facilitator.services.casefile.details import edit_details, get_details, monitoring_fields
from facilitator.tui import keys
from facilitator.tui.privacy import follow_privacy
from facilitator.tui.screens.base import FacilitatorModal

HIDDEN = "(hidden: privacy mode)"
# What each detail expects, shown in its empty field.
HINTS = {
    "date_of_birth": "YYYY-MM-DD",
    "phone": "digits, spaces, + ( ) -",
    "safe_to_call": "e.g. weekdays 09:00-12:00",
    "email": "name@example.org",
    "interpreter_needed": "yes or no",
}


class _KeepsEarlyKeys:
    """A form opened by a key and typed into at once: what is typed before its first field
    has the focus goes into that field, never lost and never taken as a key of the screen."""

    AUTO_FOCUS: ClassVar[str | None]

    def on_key(self, event) -> None:
        screen = cast(FacilitatorModal, self)
        if screen.focused is not None or not event.is_printable or not event.character:
            return
        target = screen.query(self.AUTO_FOCUS or "Input").first()
        event.stop()
        event.prevent_default()
        target.focus()
        if isinstance(target, TextArea):
            target.insert(event.character)
        elif isinstance(target, Input):
            target.insert_text_at_cursor(event.character)


class DetailsDialog(_KeepsEarlyKeys, FacilitatorModal):
    """Every detail and every monitoring field the programme asks, in one form; Ctrl+S saves
    the ones changed ("" clears one)."""

    BINDINGS = keys.bindings(keys.CASE_FILE_DIALOG)
    AUTO_FOCUS = "#details-fields Input"
    DEFAULT_CSS = """
    DetailsDialog { align: center middle; }
    DetailsDialog #details-box { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    DetailsDialog #details-fields { height: auto; max-height: 15; }
    DetailsDialog .detail-row { height: 3; }
    DetailsDialog .detail-label { width: 22; padding: 1 1 0 0; }
    DetailsDialog .detail-row Input { width: 1fr; }
    """

    def __init__(self, participant_id: str, office=None) -> None:
        super().__init__()
        self.participant_id = participant_id
        self._office = office
        self.fields: list[str] = []
        self.held: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        details = get_details(self.office, self.participant_id)
        self.held = {**details.values, **details.monitoring}
        self.fields = list(DETAIL_FIELDS) + monitoring_fields(self.office)
        with Vertical(id="details-box"):
            yield Static(
                Text(f"His details · {details.participant_id}", style="bold"), id="details-title"
            )
            with VerticalScroll(id="details-fields"):
                for name in self.fields:
                    label = DETAIL_LABELS.get(name, name.replace("_", " "))
                    hint = HINTS.get(
                        name, "or 'prefer not to say'" if name not in DETAIL_LABELS else ""
                    )
                    with Horizontal(classes="detail-row"):
                        yield Static(label, classes="detail-label")
                        yield Input(self.held.get(name, ""), placeholder=hint, id=f"detail-{name}")
            yield Static("", id="details-problem", classes="problem")
            yield Static(
                "Ctrl+S save · Esc cancel · an emptied field is cleared", classes="dialog-keys"
            )

    def on_mount(self) -> None:
        follow_privacy(self, self._privacy)

    def _privacy(self, private: bool) -> None:
        for name in self.fields:
            self.query_one(f"#detail-{name}", Input).password = private

    def changes(self) -> dict[str, str]:
        out = {}
        for name in self.fields:
            value = self.query_one(f"#detail-{name}", Input).value.strip()
            if value != self.held.get(name, ""):
                out[name] = value
        return out

    def action_save(self) -> None:
        wanted = self.changes()
        if not wanted:
            self.dismiss([])
            return
        try:
            _, changed = edit_details(self.office, self.participant_id, wanted)
        except FacilitatorError as err:
            self.query_one("#details-problem", Static).update(f"⚠ {err.message}")
            return
        self.dismiss(changed)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteDialog(_KeepsEarlyKeys, FacilitatorModal):
    """A case note: `mode` is "add" (kind, date, words), "amend" (the note as written, and the
    amendment's words) or "correct" (its words, changed in place by its writer in the first 24
    hours). Dismisses with case_notes.Saved, or None."""

    BINDINGS = keys.bindings(keys.CASE_FILE_DIALOG)
    # The words first: typing straight after n lands in them (kind and date by Tab after).
    AUTO_FOCUS = "#note-text"
    DEFAULT_CSS = """
    NoteDialog { align: center middle; }
    NoteDialog #note-box { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    NoteDialog #note-written { height: auto; max-height: 6; color: $text-muted; }
    NoteDialog #note-text { height: 7; }
    NoteDialog .row Select { width: 1fr; }
    NoteDialog .row Input { width: 18; }
    """

    def __init__(
        self, participant_id: str, mode: str = "add", note: CaseNote | None = None, office=None
    ) -> None:
        super().__init__()
        if mode not in ("add", "amend", "correct") or (mode != "add" and note is None):
            raise ValueError(f"NoteDialog mode {mode!r} needs its note")
        self.participant_id = participant_id
        self.mode = mode
        self.note = note
        self._office = office

    def _title(self) -> str:
        if self.mode == "add":
            return f"New case note · {self.participant_id}"
        assert self.note is not None
        did = "Amend" if self.mode == "amend" else "Correct"
        return f"{did} note {self.note.id} of {self.note.date} · {self.participant_id}"

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Text(self._title(), style="bold"))
            if self.mode == "add":
                with Horizontal(classes="row"):
                    yield Select(
                        [(k.replace("_", " "), k) for k in NOTE_KINDS],
                        value="other",
                        allow_blank=False,
                        id="note-kind",
                    )
                    yield Input(clock.today().isoformat(), placeholder="YYYY-MM-DD", id="note-date")
            elif self.mode == "amend":
                yield Static("", id="note-written")
                yield Static("The note stays as written; the amendment is dated and yours:")
            yield TextArea(
                self.note.text if self.mode == "correct" and self.note else "", id="note-text"
            )
            yield Static("", id="note-hidden")
            yield Static("", id="note-problem", classes="problem")
            yield Static(
                "Ctrl+S save · Esc cancel · never a partner's words here", classes="dialog-keys"
            )

    def on_mount(self) -> None:
        follow_privacy(self, self._privacy)

    def _privacy(self, private: bool) -> None:
        area = self.query_one("#note-text", TextArea)
        area.display = not private
        self.query_one("#note-hidden", Static).update(
            f"Words {HIDDEN}: turn it off (Ctrl+T) to write" if private else ""
        )
        if self.mode == "amend" and self.note is not None:
            self.query_one("#note-written", Static).update(
                HIDDEN if private else self.note.full_text()
            )

    def action_save(self) -> None:
        text = self.query_one("#note-text", TextArea).text
        try:
            if self.mode == "add":
                kind = self.query_one("#note-kind", Select).value
                day = self.query_one("#note-date", Input).value.strip() or None
                saved = case_notes.add_note(self.office, self.participant_id, text, str(kind), day)
            elif self.mode == "amend":
                assert self.note is not None
                saved = case_notes.amend_note(self.office, self.participant_id, self.note.id, text)
            else:
                assert self.note is not None
                saved = case_notes.edit_note(self.office, self.participant_id, self.note.id, text)
        except FacilitatorError as err:
            self.query_one("#note-problem", Static).update(f"⚠ {err.message}")
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        self.dismiss(None)
