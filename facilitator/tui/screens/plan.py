"""A group's plan: its sessions for the next weeks, with closed days, cancellations, moves and
cover. A coordinator cancels (c), moves (m) or puts a cover facilitator on (v) the session under
the cursor; each asks its questions one at a time, and a refusal is one line.

No man is named here: the plan is dates, curriculum sessions and facilitators only.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from facilitator.domain.values import parse_date
from facilitator.errors import FacilitatorError
from facilitator.services.groupwork import plan as group_plan
from facilitator.tui import keys
from facilitator.tui.dialogs.ask import AskScreen

WEEKS = 16


def _date_check(answer: str) -> str | None:
    try:
        parse_date(answer)
    except FacilitatorError as err:
        return err.message
    return None


class PlanScreen(Screen):
    BINDINGS = keys.bindings(keys.PLAN)
    help_sections = ("A group's plan",)
    DEFAULT_CSS = """
    #plan-table { height: 1fr; }
    """

    def __init__(self, group_id: str) -> None:
        super().__init__()
        self.group_id = group_id
        self.entries: list[group_plan.PlannedSession] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(f"Plan · {self.group_id}", id="plan-title", classes="pane-title")
            yield DataTable(id="plan-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        # The title last: at 80 columns it is the one cut short.
        self.query_one(DataTable).add_columns("date", "facilitators", "changes", "session")
        self.action_refresh()

    def action_refresh(self) -> None:
        office = self.app.office  # type: ignore[attr-defined]
        try:
            self.entries = group_plan.group_plan(office, self.group_id, WEEKS)
        except FacilitatorError as err:
            self.notify(err.message, severity="error")
            return
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for e in self.entries:
            day = f"{parse_date(e.date):%a %d %b %Y}"
            if e.state == group_plan.CANCELLED:
                what = Text(f"✗ CANCELLED: {e.reason}", style="bold")
            elif e.state == group_plan.CLOSED_DAY:
                what = Text(f"– closed: {e.reason}", style="dim")
            else:
                done = f" ({e.session_state})" if e.state == group_plan.HELD else ""
                what = Text(f"{e.number} {e.title}{done}")
            notes = []
            if e.moved_from:
                notes.append(f"moved from {e.moved_from}: {e.reason}")
            if e.cover:
                notes.append("cover: " + ", ".join(f"{b} for {a}" for a, b in e.cover.items()))
            table.add_row(
                day, ", ".join(e.facilitators) if e.happens else "", "; ".join(notes), what
            )
        if self.entries:
            table.move_cursor(row=min(keep, len(self.entries) - 1))
        self.query_one("#plan-title", Static).update(f"Plan · {self.group_id} · next {WEEKS} weeks")

    def _current(self) -> group_plan.PlannedSession | None:
        if not self.entries:
            return None
        return self.entries[self.query_one(DataTable).cursor_row]

    def _do(self, fn, *args) -> None:
        try:
            fn(self.app.office, self.group_id, *args)  # type: ignore[attr-defined]
        except FacilitatorError as err:
            self.notify(err.message, severity="error", timeout=8)
            return
        self.action_refresh()

    def action_cancel_session(self) -> None:
        entry = self._current()
        if entry is None:
            return

        def answered(reason: str | None) -> None:
            if reason:
                self._do(group_plan.cancel_session, entry.date, reason)

        self.app.push_screen(
            AskScreen(f"Cancel the session on {entry.date}: the reason?"), answered
        )

    def action_move_session(self) -> None:
        entry = self._current()
        if entry is None:
            return

        def got_date(to: str | None) -> None:
            if not to:
                return

            def got_reason(reason: str | None) -> None:
                if reason:
                    self._do(group_plan.move_session, entry.date, to, reason)

            self.app.push_screen(AskScreen(f"Move it to {to}: the reason?"), got_reason)

        self.app.push_screen(
            AskScreen(f"Move the session on {entry.date} to (YYYY-MM-DD)?", check=_date_check),
            got_date,
        )

    def action_cover_session(self) -> None:
        entry = self._current()
        if entry is None:
            return

        def got_absent(absent: str | None) -> None:
            if not absent:
                return

            def got_cover(cover: str | None) -> None:
                if cover:
                    self._do(group_plan.cover_session, entry.date, absent, cover)

            self.app.push_screen(AskScreen(f"Who covers for {absent} (staff id)?"), got_cover)

        self.app.push_screen(
            AskScreen(
                f"Cover on {entry.date}: which facilitator is away "
                f"({', '.join(entry.facilitators)})?"
            ),
            got_absent,
        )

    def action_back(self) -> None:
        self.app.pop_screen()
