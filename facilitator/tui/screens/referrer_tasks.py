"""Referrers still to be told of a breach (the `compliance due` list), and recording that they
were: t asks how and when, and closes the task; l writes the letter (the breach notice, or
another kind). Overdue ones come first, marked in words.

Enter opens the man's attendance timeline. Privacy mode hides the list (office work).
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from facilitator import clock
from facilitator.errors import FacilitatorError
from facilitator.services.compliance import status as compliance
from facilitator.services.compliance.status import notify_referrer
from facilitator.services.groupwork import attendance as attendance_records
from facilitator.tui import keys
from facilitator.tui.dialogs.told import ToldScreen
from facilitator.tui.privacy import privacy_on
from facilitator.tui.screens.attendance_timeline import AttendanceTimelineScreen
from facilitator.tui.screens.base import ListScreen
from facilitator.tui.screens.letters import LettersScreen

KEYS = [
    keys.Key("t", "told", "Referrer told"),
    keys.Key("l", "letter", "Letter"),
    keys.Key("enter", "timeline", "Timeline", display="⏎"),
    keys.Key("a", "toggle_all", "Open / all"),
    keys.Key("f5", "refresh", "Refresh", show=False),
    keys.Key("escape", "back", "Back", display="esc"),
]


class ReferrerTasksScreen(ListScreen):
    BINDINGS = keys.bindings(KEYS)
    DEFAULT_CSS = """
    ReferrerTasksScreen #tasks-title { padding: 0 1; text-style: bold; height: auto; }
    ReferrerTasksScreen #tasks-table { height: 1fr; }
    ReferrerTasksScreen #tasks-detail { padding: 0 1; height: auto; max-height: 4; }
    """

    def __init__(self, office=None) -> None:
        super().__init__()
        self._office = office
        self.tasks: list = []
        self.names: dict[str, str] = {}
        self.show_all = False
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Referrers to tell of a breach", id="tasks-title")
        yield DataTable(id="tasks-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="tasks-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="referrer-tasks")
    def load(self) -> None:
        rows = self.from_worker(self._read)
        if rows is not None:
            self.app.call_from_thread(self._loaded, *rows)

    def _read(self) -> tuple[list, dict[str, str]]:
        rows = compliance.due_tasks(self.office)
        if self.show_all:
            rows = compliance.list_tasks(self.office)
        names = {pid: p.name for pid, p in attendance_records.participants(self.office).items()}
        return rows, names

    def _loaded(self, rows, names) -> None:
        today = clock.today()
        self.tasks = sorted(
            rows, key=lambda t: (t.state != "open", not t.is_overdue(today), t.due_on, t.id)
        )
        self.names = names
        privacy = privacy_on(self.app)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns("task", "man", "due", "breach")
        for t in self.tasks:
            if t.state == "done":
                due = Text(f"✓ told {t.told_on}")
            elif t.is_overdue(today):
                due = Text(f"⚠ OVERDUE {t.due_on}", style="bold reverse")
            else:
                due = Text(f"· by {t.due_on}")
            who = (
                t.participant_id
                if privacy
                else f"{t.participant_id} {names.get(t.participant_id, '')}"
            )
            table.add_row(t.id, who, due, "" if privacy else t.what[:60], key=t.id)
        overdue = sum(1 for t in self.tasks if t.is_overdue(today))
        title = f"Referrers to tell of a breach · {sum(t.state == 'open' for t in self.tasks)} open"
        if overdue:
            title += f" · {overdue} OVERDUE"
        self.query_one("#tasks-title", Static).update(
            title + (" · showing closed too" if self.show_all else "")
        )
        if not self.tasks:
            self.query_one("#tasks-detail", Static).update("No referrer is waiting to be told.")
        self.loaded = True

    def selected(self):
        table = self.query_one(DataTable)
        if not self.tasks or table.row_count == 0:
            return None
        return self.tasks[min(table.cursor_row, len(self.tasks) - 1)]

    def on_data_table_row_highlighted(self, _event) -> None:
        task = self.selected()
        if task is not None and not privacy_on(self.app):
            self.query_one("#tasks-detail", Static).update(Text(task.what))

    def on_data_table_row_selected(self, _event) -> None:
        self.action_timeline()

    def action_timeline(self) -> None:
        task = self.selected()
        if task is not None:
            self.app.push_screen(AttendanceTimelineScreen(task.participant_id, self._office))

    def action_letter(self) -> None:
        """Write a letter about the chosen man: the breach notice for this task, or another kind."""
        task = self.selected()
        if task is not None:
            self.app.push_screen(
                LettersScreen(task.participant_id, self._office, "breach_notice", task.id)
            )

    def action_told(self) -> None:
        task = self.selected()
        if task is None or task.state != "open":
            return

        def record(answer) -> None:
            if not answer:
                return

            how, day = answer
            try:
                done = notify_referrer(self.office, task.id, how, day or None)
            except FacilitatorError as err:
                self.app.notify(err.message, severity="error", timeout=8)
                return
            self.app.notify(f"{done.id} closed: referrer told on {done.told_on}", timeout=5)
            self.action_refresh()

        self.app.push_screen(ToldScreen(task), record)
