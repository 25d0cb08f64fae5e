"""Risk suggestions waiting for a decision, wherever the scanner found them: group check-ins,
debrief notes, one-to-ones, case notes and children's records. Enter confirms one as a flag
(with the categories it suggests), d dismisses it with a reason. Opened from the risk queue;
privacy mode hides the list: what a man disclosed is for the office, not the room.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from facilitator.detector.categories import label
from facilitator.domain.risk_flag import Suggestion
from facilitator.services.core.people import list_participants
from facilitator.services.risk import suggestions as risk_suggestions
from facilitator.tui import keys
from facilitator.tui.dialogs.ask import AskScreen
from facilitator.tui.privacy import privacy_on
from facilitator.tui.screens.base import ListScreen
from facilitator.tui.widgets.suggestions import MARKS


class SuggestionsScreen(ListScreen):
    follows_privacy = True  # redraws itself when the switch changes
    BINDINGS = keys.bindings(keys.SUGGESTIONS)
    DEFAULT_CSS = """
    SuggestionsScreen #suggestions-title { padding: 0 1; text-style: bold; height: auto; }
    SuggestionsScreen #suggestions-table { height: 1fr; }
    SuggestionsScreen #suggestions-detail { padding: 0 1; height: auto; max-height: 5; }
    """

    def __init__(self, office=None) -> None:
        super().__init__()
        self._office = office
        self.rows: list[Suggestion] = []
        self.names: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Risk suggestions", id="suggestions-title")
        yield DataTable(id="suggestions-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="suggestions-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Risk suggestions waiting for a decision"
        table = self.query_one(DataTable)
        table.add_columns("severity", "man", "categories", "from")
        table.focus()
        self.watch(self.app, "privacy", lambda _v: self._show(), init=False)
        self.load()

    @work(thread=True, exclusive=True, group="suggestions-load")
    def load(self) -> None:
        found = self.from_worker(self._read)
        if found is not None:
            self.app.call_from_thread(self._loaded, *found)

    def _read(self) -> tuple[list[Suggestion], dict[str, str]]:
        names = {p.id: p.name for p in list_participants(self.office)}
        return risk_suggestions.waiting_for_review(self.office), names

    def _loaded(self, rows: list[Suggestion], names: dict[str, str]) -> None:
        self.rows, self.names = rows, names
        self.loaded = True
        self._show()

    def _show(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        title = self.query_one("#suggestions-title", Static)
        detail = self.query_one("#suggestions-detail", Static)
        if privacy_on(self.app):
            title.update("Risk suggestions: hidden (privacy mode)")
            detail.update("Risk suggestions are hidden in privacy mode (Ctrl+T shows them).")
            return
        title.update(f"Risk suggestions waiting for a decision: {len(self.rows)}")
        for s in self.rows:
            table.add_row(
                Text(MARKS.get(s.severity, s.severity), style="bold"),
                f"{s.participant_id} {self.names.get(s.participant_id, '')}".strip(),
                ", ".join(label(c) for c in s.categories),
                risk_suggestions.where_from(s),
                key=s.id,
            )
        self._describe()

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._describe()

    def _describe(self) -> None:
        detail = self.query_one("#suggestions-detail", Static)
        s = self.selected()
        if s is None:
            detail.update("" if self.rows else "Nothing waiting: every suggestion is decided.")
            return
        words = [m.get("match", "") for m in s.matches if m.get("match")][:2]
        text = Text(f"{s.id}: ", style="bold")
        text.append("; ".join(f"“{w}”" for w in words) or "no words kept")
        detail.update(text)

    def selected(self) -> Suggestion | None:
        table = self.query_one(DataTable)
        if privacy_on(self.app) or not self.rows or table.row_count == 0:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_confirm()

    def action_confirm(self) -> None:
        s = self.selected()
        if s is None:
            return
        flag = self.facilitator_app.safely(risk_suggestions.confirm_suggestion, self.office, s.id)
        if flag is not None:
            self.app.notify(f"{s.id} confirmed: flag {flag.id} is in the risk queue", timeout=6)
            self.action_refresh()

    def action_dismiss_suggestion(self) -> None:
        s = self.selected()
        if s is None:
            return

        def ask(typed: str = "") -> None:
            self.app.push_screen(
                AskScreen(f"Why {s.id} is no risk (kept with the dismissal)", typed), done
            )

        def done(reason: str | None) -> None:
            if not reason:
                return
            if (
                self.facilitator_app.safely(
                    risk_suggestions.dismiss_suggestion, self.office, s.id, reason
                )
                is not None
            ):
                self.app.notify(f"{s.id} dismissed", timeout=5)
                self.action_refresh()
            else:
                ask(reason)

        ask()
