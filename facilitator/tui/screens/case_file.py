"""One man's case file: his details, the agencies' workers involved with him, his children and
his case notes, newest first, with what the risk scanner made of each note.

e edits his details; n writes a case note; a amends the highlighted note (its words stay as
written), c corrects it in place (its writer, in its first 24 hours); y confirms the note's
risk suggestion as a flag and d dismisses it with a reason, as a check-in's are; t opens his
case timeline.

Privacy mode (failing closed) shows his first name and the notes' dates only: no detail, no
agency worker, no child, no note's words or risk, and the forms will not open.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from facilitator import clock
from facilitator.detector.categories import label
from facilitator.domain.casefile import AgencyContact, CaseNote, Child
from facilitator.domain.risk_flag import Suggestion
from facilitator.services.casefile import agency_contacts, case_notes, children, details
from facilitator.services.casefile.case_notes import Saved
from facilitator.services.core.people import get_participant
from facilitator.services.risk import suggestions as risk_suggestions
from facilitator.tui import keys
from facilitator.tui.dialogs.ask import AskScreen
from facilitator.tui.dialogs.case_file_forms import DetailsDialog, NoteDialog
from facilitator.tui.privacy import follow_privacy
from facilitator.tui.screens.base import FacilitatorScreen
from facilitator.tui.screens.case_timeline import CaseTimelineScreen

HIDDEN = "(hidden: privacy mode)"


@dataclass
class CaseFile:
    """What the screen shows, read in one go off the UI thread."""

    name: str
    first_name: str
    details: list[tuple[str, str]] = field(default_factory=list)
    contacts: list[AgencyContact] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    notes: list[CaseNote] = field(default_factory=list)
    suggestions: dict[str, Suggestion] = field(default_factory=dict)  # by id


def read_case_file(office, participant_id: str) -> CaseFile:
    person = get_participant(office, participant_id)
    held = details.get_details(office, person.id)
    found = {s.id: s for s in risk_suggestions.list_suggestions(office, person.id)}
    return CaseFile(
        name=person.name,
        first_name=person.first_name,
        details=details.detail_rows(office, held),
        contacts=agency_contacts.list_contacts(office, person.id),
        children=children.list_children(office, person.id),
        notes=case_notes.list_notes(office, person.id),
        suggestions=found,
    )


def risk_words(s: Suggestion | None) -> str:
    """What became of a note's risk suggestion, in words (never colour alone)."""
    if s is None:
        return ""
    if s.status == "confirmed":
        return f"flag {s.flag_id}"
    if s.status == "dismissed":
        return "dismissed"
    return f"! {s.severity}: y/d"


class CaseFileScreen(FacilitatorScreen):
    BINDINGS = keys.bindings(keys.CASE_FILE)
    DEFAULT_CSS = """
    CaseFileScreen #case-file-title { padding: 0 1; text-style: bold; height: auto; }
    CaseFileScreen #case-file-facts { height: 1fr; padding: 0 1; }
    CaseFileScreen #case-file-facts Static { height: auto; }
    CaseFileScreen #case-notes { height: 1fr; }
    CaseFileScreen #case-note-text { height: auto; max-height: 5; padding: 0 1; }
    """

    def __init__(self, participant_id: str, office=None) -> None:
        super().__init__()
        self.participant_id = participant_id.strip().upper()
        self._office = office
        self.file: CaseFile | None = None
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Case file · {self.participant_id} · loading…", id="case-file-title")
        with VerticalScroll(id="case-file-facts"):
            yield Static("", id="case-file-details")
            yield Static("", id="case-file-contacts")
            yield Static("", id="case-file-children")
        yield DataTable(id="case-notes", cursor_type="row", zebra_stripes=True)
        yield Static("", id="case-note-text")
        yield Footer()

    def on_mount(self) -> None:
        follow_privacy(self, lambda _private: self.draw())
        self.query_one("#case-notes", DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="case-file")
    def load(self) -> None:
        found = self.from_worker(read_case_file, self.office, self.participant_id)
        if found is not None:
            self.app.call_from_thread(self._loaded, found)

    def _loaded(self, found: CaseFile) -> None:
        self.file = found
        self.draw()
        self.loaded = True

    # -- drawing -------------------------------------------------------------------------
    def draw(self) -> None:
        f = self.file
        if f is None:
            return
        private = self.privacy
        who = f.first_name if private else f.name
        self.query_one("#case-file-title", Static).update(
            f"Case file · {self.participant_id} {who} · {len(f.notes)} case notes"
        )
        self.query_one("#case-file-details", Static).update(self._details(f, private))
        self.query_one("#case-file-contacts", Static).update(self._contacts(f, private))
        self.query_one("#case-file-children", Static).update(self._children(f, private))
        table = self.query_one("#case-notes", DataTable)
        at = table.cursor_row
        table.clear(columns=True)
        table.add_columns("date", "kind", "by", "note", "risk")
        for n in f.notes:
            if private:
                table.add_row(n.date, "", "", HIDDEN, "", key=n.id)
                continue
            words = n.text.splitlines()[0] if n.text else ""
            if n.amendment_list:
                words = f"[{len(n.amendment_list)} amended] {words}"
            table.add_row(
                n.date,
                n.kind.replace("_", " "),
                n.written_by,
                words if len(words) <= 32 else words[:31] + "…",
                risk_words(f.suggestions.get(n.suggestion_id)),
                key=n.id,
            )
        if not f.notes:
            table.add_row("", "", "", "no case notes yet (n writes one)", "")
        elif at:
            table.move_cursor(row=min(at, len(f.notes) - 1))
        self._show_note()

    def _details(self, f: CaseFile, private: bool) -> Text:
        t = Text("His details", style="bold")
        if private:
            return t.append(f"  {HIDDEN}", style="")
        if not f.details:
            return t.append("  none recorded (e edits them)", style="dim")
        for name, value in f.details:
            t.append(f"\n  {name}: ", style="")
            t.append(value, style="")
        return t

    def _contacts(self, f: CaseFile, private: bool) -> Text:
        t = Text("Agency contacts", style="bold")
        if private:
            return t.append(f"  {HIDDEN}", style="")
        if not f.contacts:
            return t.append("  none recorded", style="dim")
        for c in f.contacts:
            reach = " · ".join(x for x in (c.email, c.phone) if x)
            t.append(f"\n  {c.id} {c.label()}", style="")
            t.append(f" — shares {c.sharing_words}" + (f" — {reach}" if reach else ""), style="dim")
        return t

    def _children(self, f: CaseFile, private: bool) -> Text:
        t = Text("Children", style="bold")
        if private:
            return t.append(f"  {HIDDEN}", style="")
        if not f.children:
            return t.append("  none recorded", style="dim")
        today = clock.today()
        for k in f.children:
            contact = k.contact.replace("_", " ") + (
                f" ({k.contact_note})" if k.contact_note else ""
            )
            t.append(f"\n  {k.id} {k.words(today)}: lives with {k.lives_with.replace('_', ' ')}")
            t.append(f"; his contact {contact}")
            if k.plan != "none":
                t.append(f"; {k.plan.replace('_', ' ')} plan", style="bold")
            if k.social_worker:
                t.append(f"; social worker {k.social_worker}", style="dim")
        return t

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_note()

    def _show_note(self) -> None:
        note = self.highlighted_note()
        shown = self.query_one("#case-note-text", Static)
        if note is None or self.file is None:
            shown.update("")
            return
        if self.privacy:
            shown.update(f"{note.id} {note.date}: {HIDDEN}")
            return
        t = Text(f"{note.id} {note.date} by {note.written_by}: ", style="bold")
        t.append(note.text, style="")
        for a in note.amendment_list:
            t.append(f"\n  amendment {a.number}, {a.at[:16].replace('T', ' ')} by {a.by}: ")
            t.append(a.text)
        s = self.file.suggestions.get(note.suggestion_id)
        if s is not None and s.pending:
            cats = ", ".join(label(c) for c in s.categories)
            t.append(f"\nRisk suggestion {s.id}, {s.severity.upper()}: {cats}", style="bold")
            t.append(" — y confirms it as a flag, d dismisses it with a reason")
        shown.update(t)

    def highlighted_note(self) -> CaseNote | None:
        if self.file is None or not self.file.notes:
            return None
        row = self.query_one("#case-notes", DataTable).cursor_row
        return self.file.notes[row] if 0 <= row < len(self.file.notes) else None

    # -- actions -------------------------------------------------------------------------
    def _open_allowed(self, doing: str) -> bool:
        if self.privacy:
            self.notify(f"Privacy mode is on: turn it off (Ctrl+T) to {doing}", severity="warning")
            return False
        if not self.loaded:
            return False
        return True

    def action_edit_details(self) -> None:
        if self._open_allowed("change his details"):
            self.app.push_screen(
                DetailsDialog(self.participant_id, self._office), self._details_saved
            )

    def _details_saved(self, changed: list[str] | None) -> None:
        if changed:
            self.notify("Saved: " + ", ".join(c.replace("_", " ") for c in changed))
            self.action_refresh()

    def action_new_note(self) -> None:
        if self._open_allowed("write a case note"):
            self.app.push_screen(NoteDialog(self.participant_id, office=self._office), self._saved)

    def action_amend_note(self) -> None:
        note = self.highlighted_note()
        if note is None:
            self.notify("No case note to amend: n writes one", severity="warning")
        elif self._open_allowed("amend a note"):
            self.app.push_screen(
                NoteDialog(self.participant_id, "amend", note, self._office), self._saved
            )

    def action_correct_note(self) -> None:
        note = self.highlighted_note()
        if note is None:
            self.notify("No case note to correct", severity="warning")
        elif self._open_allowed("correct a note"):
            self.app.push_screen(
                NoteDialog(self.participant_id, "correct", note, self._office), self._saved
            )

    def _saved(self, saved: Saved | None) -> None:
        if saved is None:
            return
        what = (
            f"amendment {saved.amendment.number} to note {saved.note.id}"
            if saved.amendment
            else f"note {saved.note.id}"
        )
        s = saved.suggestion
        if s is not None and s.pending:
            self.notify(
                f"Saved {what}. Risk suggestion {s.id} ({s.severity}) waits for review: "
                "y flags it, d dismisses it",
                severity="warning",
                timeout=10,
            )
        else:
            self.notify(f"Saved {what}")
        self.action_refresh()

    def _pending(self) -> Suggestion | None:
        note = self.highlighted_note()
        if note is None or self.file is None:
            return None
        s = self.file.suggestions.get(note.suggestion_id)
        if s is None or not s.pending:
            self.notify(f"Note {note.id} has no risk suggestion waiting", severity="warning")
            return None
        return s

    def action_confirm_suggestion(self) -> None:
        s = self._pending()
        if s is not None:
            self._confirm(s.id)

    @work(thread=True, exclusive=True, group="case-file-decide")
    def _confirm(self, suggestion_id: str) -> None:
        flag = self.from_worker(risk_suggestions.confirm_suggestion, self.office, suggestion_id)
        if flag is not None:
            self.app.call_from_thread(
                self.notify, f"Flag {flag.id} ({flag.severity}) is in the risk queue"
            )
            self.app.call_from_thread(self.action_refresh)

    def action_dismiss_suggestion(self) -> None:
        s = self._pending()
        if s is None:
            return
        sid = s.id

        def answered(reason: str | None) -> None:
            if reason:
                self._dismiss(sid, reason)

        self.app.push_screen(
            AskScreen(f"Why is suggestion {sid} not a risk? (kept with it)"), answered
        )

    @work(thread=True, exclusive=True, group="case-file-decide")
    def _dismiss(self, suggestion_id: str, reason: str) -> None:
        done = self.from_worker(
            risk_suggestions.dismiss_suggestion, self.office, suggestion_id, reason
        )
        if done is not None:
            self.app.call_from_thread(self.notify, f"Suggestion {suggestion_id} dismissed")
            self.app.call_from_thread(self.action_refresh)

    def action_timeline(self) -> None:
        self.app.push_screen(CaseTimelineScreen(self.participant_id, self._office))

    def action_refresh(self) -> None:
        self.loaded = False
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
