"""Debriefs: the ones due first (said in words: ⚠ DUE), then every note, newest first.

Enter opens the debrief editor on the row's session (writing the note when it has none).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from facilitator.errors import FacilitatorError
from facilitator.services.debrief import notes as debrief
from facilitator.tui import keys
from facilitator.tui.screens.debrief import DebriefScreen


class DebriefTable(DataTable):
    BINDINGS = keys.bindings(keys.DEBRIEF_ROWS)


class DebriefListScreen(Screen):
    BINDINGS = keys.bindings(keys.DEBRIEF_LIST)
    help_sections = ("Debriefs",)
    DEFAULT_CSS = """
    #debrief-list { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.row_sessions: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("Debriefs", id="debrief-list-title", classes="pane-title")
            yield DebriefTable(id="debrief-list", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("session", "no.", "state", "waiting for", "file")
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()
        # Back from a note: the keys are for the list again, whatever had the focus there.
        self.query_one(DataTable).focus()

    def action_refresh(self) -> None:
        office = self.app.office  # type: ignore[attr-defined]
        try:
            due = debrief.due_notes(office)
            notes = debrief.list_notes(office)
        except FacilitatorError as err:
            self.notify(err.message, severity="error")
            return
        table = self.query_one(DataTable)
        # Back from a note the cursor stays on its row (a refresh must not send it to the top).
        was = self.row_sessions[table.cursor_row] if self.row_sessions else None
        table.clear()
        self.row_sessions = []
        due_ids = {d.session_id for d in due}
        for d in due:
            state = Text(f"⚠ DUE · {d.note_status}", style="bold reverse")
            table.add_row(
                d.session_id, str(d.curriculum_session), state, ", ".join(d.awaiting) or "-", ""
            )
            self.row_sessions.append(d.session_id)
        for row in sorted(notes, key=lambda r: (r["date"], r["id"]), reverse=True):
            if row["id"] in due_ids:
                continue
            waiting = [a for a in row["authors"] if a not in row["signed_by"]]
            file = row["file_state"] if row["file_state"] == "ok" else f"⚠ {row['file_state']}"
            table.add_row(
                row["id"],
                str(row["curriculum_session"]),
                row["status"],
                ", ".join(waiting) or "-",
                file,
            )
            self.row_sessions.append(row["id"])
        if was in self.row_sessions:
            table.move_cursor(row=self.row_sessions.index(was), animate=False)
        n = len(due)
        self.query_one("#debrief-list-title", Static).update(
            f"Debriefs · {n} due" if n else "Debriefs · none due"
        )
        if not self.row_sessions:
            self.query_one("#debrief-list-title", Static).update(
                "Debriefs · none yet: close a session to write one"
            )

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open_note()

    def action_open_note(self) -> None:
        table = self.query_one(DataTable)
        if not self.row_sessions:
            return

        self.app.push_screen(DebriefScreen(self.row_sessions[table.cursor_row]))

    def action_back(self) -> None:
        self.app.pop_screen()
