"""MARAC work for the coordinator: men waiting for a decision on a referral (prompts), then
every referral's actions not yet done, overdue first. r records a referral for the man under the
cursor, d marks an action done. Privacy mode hides the list: this is office work, and a prompt
says that risk to someone was found high.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from facilitator import clock
from facilitator.detector.categories import label
from facilitator.errors import FacilitatorError
from facilitator.services.risk import marac
from facilitator.services.risk.settings import category_severities
from facilitator.tui import keys
from facilitator.tui.dialogs.marac_refer import MaracReferScreen
from facilitator.tui.privacy import privacy_on
from facilitator.tui.screens.base import ListScreen


class MaracScreen(ListScreen):
    follows_privacy = True  # redraws itself when the switch changes
    BINDINGS = keys.bindings(keys.MARAC)
    help_sections = ("MARAC",)
    DEFAULT_CSS = """
    MaracScreen #marac-title { padding: 0 1; text-style: bold; height: auto; }
    MaracScreen #marac-table { height: 1fr; }
    MaracScreen #marac-detail { padding: 0 1; height: auto; max-height: 4; }
    """

    def __init__(self, office=None) -> None:
        super().__init__()
        self._office = office
        # (kind, item, referral): kind "prompt" or "action"
        self.rows: list[tuple[str, Any, Any]] = []
        self.show_all = False
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("MARAC", id="marac-title")
        yield DataTable(id="marac-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="marac-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "MARAC referrals and actions"
        self.watch(self.app, "privacy", lambda _v: self._show(), init=False)
        self.load()

    @work(thread=True, exclusive=True, group="marac-load")
    def load(self) -> None:
        rows = self.from_worker(self._read)
        if rows is not None:
            self.app.call_from_thread(self._loaded, rows)

    def _read(self) -> list[tuple[str, Any, Any]]:
        today = clock.today()
        rows: list[tuple[str, Any, Any]] = [
            ("prompt", p, None) for p in marac.prompts(self.office, open_only=True)
        ]
        due = marac.actions_due(self.office, None if self.show_all else today)
        rows += [("action", a, r) for r, a in due]
        return rows

    def _loaded(self, rows) -> None:
        self.rows = rows
        self.loaded = True
        self._show()

    def _show(self) -> None:
        today = clock.today()
        table = self.query_one(DataTable)
        table.clear(columns=True)
        title = self.query_one("#marac-title", Static)
        detail = self.query_one("#marac-detail", Static)
        if privacy_on(self.app):
            title.update("MARAC: hidden (privacy mode)")
            detail.update("MARAC work is hidden in privacy mode (Ctrl+T shows it).")
            return
        table.add_columns("what", "man", "due", "detail")
        prompts = actions = overdue = 0
        for kind, item, referral in self.rows:
            if kind == "prompt":
                prompts += 1
                table.add_row(
                    Text("refer?", style="bold"),
                    item.participant_id,
                    f"since {item.raised_on}",
                    f"{item.level} risk ({marac.PROMPT_SOURCES.get(item.source, item.source)})",
                )
            else:
                actions += 1
                late = item.overdue(today)
                overdue += late
                due = (
                    Text(f"⚠ OVERDUE {item.due_on}", style="bold reverse")
                    if late
                    else Text(f"by {item.due_on}")
                )
                table.add_row(item.id, referral.participant_id, due, f"{item.text} — {item.owner}")
        head = f"MARAC · {prompts} to decide · {actions} action(s) " + (
            "open" if self.show_all else "due"
        )
        if overdue:
            head += f" · {overdue} OVERDUE"
        title.update(head)
        detail.update(
            "" if self.rows else "Nothing waiting: no prompt open and no MARAC action due."
        )

    def selected(self):
        table = self.query_one(DataTable)
        if privacy_on(self.app) or not self.rows or table.row_count == 0:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def action_done(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen[0] != "action":
            self.app.notify("Choose an action (a row with an MR… id) to mark done", timeout=5)
            return
        action = chosen[1]
        try:
            done = marac.complete_action(self.office, action.id)
        except FacilitatorError as err:
            self.app.notify(err.message, severity="error", timeout=8)
            return
        self.app.notify(f"{done.id} done on {done.done_on}", timeout=5)
        self.action_refresh()

    def action_refer(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        kind, item, referral = chosen
        pid = item.participant_id if kind == "prompt" else referral.participant_id
        categories = {c: label(c) for c in category_severities(self.office)}

        def record(answer) -> None:
            if not answer:
                return
            try:
                made = marac.refer(self.office, pid, **answer)
            except FacilitatorError as err:
                self.app.notify(err.message, severity="error", timeout=8)
                return
            repeat = " (a repeat referral)" if made.repeat else ""
            self.app.notify(f"{made.id}: {pid} referred to {made.agency}{repeat}", timeout=6)
            self.action_refresh()

        self.app.push_screen(MaracReferScreen(pid, categories), record)
