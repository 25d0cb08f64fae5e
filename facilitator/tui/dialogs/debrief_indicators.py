"""Risk indicators found in a debrief: flag each or dismiss it with a reason before signing.

Returns the decisions (services.debrief_risk.Decision), or None when the facilitator backs out
(nothing is signed then). The detector errs towards flagging; a dismissal needs its reason.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from facilitator.services.debrief.indicators import Decision
from facilitator.tui.dialogs.ask import AskScreen


class IndicatorDecisions(ModalScreen[list[Decision] | None]):
    BINDINGS = [
        Binding("f", "flag", "Flag"),
        Binding("d", "dismiss_one", "Dismiss"),
        Binding("ctrl+s", "done", "Done"),
        Binding("escape", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = """
    IndicatorDecisions { align: center middle; }
    IndicatorDecisions > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: heavy $error; background: $surface; padding: 0 1;
    }
    IndicatorDecisions DataTable { height: auto; max-height: 12; }
    IndicatorDecisions #indicator-problem { height: auto; }
    """

    def __init__(self, indicators: list, men: dict[str, str], doing: str = "sign") -> None:
        """`indicators`: debrief_risk.Indicator waiting for a decision; `men`: id -> name."""
        super().__init__()
        self.indicators = indicators
        self.men = men
        self.doing = doing
        self.decisions: dict[int, Decision] = {}

    def compose(self) -> ComposeResult:
        n = len(self.indicators)
        with Vertical():
            yield Label(
                f"‼ {n} risk indicator{'s' if n != 1 else ''} in the note with no flag yet",
                classes="dialog-title",
            )
            yield Static(f"Flag each one, or dismiss it with a reason, before you {self.doing}.")
            yield DataTable(id="indicators", cursor_type="row")
            yield Static("", id="indicator-problem")
            yield Static(
                "f: flag   d: dismiss (with a reason)   Ctrl+S: done   Esc: cancel",
                classes="dialog-keys",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "man", "indicator", "in the note", "decision")
        for ind in self.indicators:
            table.add_row(
                str(ind.number),
                ind.who,
                f"{ind.label} ({ind.severity})",
                ind.excerpts[0] if ind.excerpts else "",
                "…",
                key=str(ind.number),
            )
        table.focus()

    def _current(self):
        table = self.query_one(DataTable)
        if not self.indicators:
            return None
        return self.indicators[min(table.cursor_row, len(self.indicators) - 1)]

    def _decide(self, ind, decision: Decision, shown: str) -> None:
        self.decisions[ind.number] = decision
        table = self.query_one(DataTable)
        table.update_cell(str(ind.number), table.ordered_columns[-1].key, Text(shown, style="bold"))
        self.query_one("#indicator-problem", Static).update("")
        if table.cursor_row < len(self.indicators) - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_flag(self) -> None:
        ind = self._current()
        if ind is None:
            return
        if ind.participant_id:
            self._decide(ind, Decision(str(ind.number), "flag"), "→ flag")
            return
        known = ", ".join(f"{pid} {name}" for pid, name in self.men.items())

        def check(answer: str) -> str | None:
            return None if answer.strip().upper() in self.men else f"give one of: {known}"

        def chosen(answer: str | None) -> None:
            if answer:
                pid = answer.strip().upper()
                self._decide(
                    ind, Decision(str(ind.number), "flag", participant_id=pid), f"→ flag for {pid}"
                )

        self.app.push_screen(
            AskScreen(f"The note does not say which man: whose flag is it? ({known})", check=check),
            chosen,
        )

    def action_dismiss_one(self) -> None:
        ind = self._current()
        if ind is None:
            return

        def reasoned(reason: str | None) -> None:
            if reason:
                self._decide(
                    ind, Decision(str(ind.number), "dismiss", reason=reason), f"→ dismiss: {reason}"
                )

        self.app.push_screen(
            AskScreen(f"Why does {ind.label} for {ind.who} need no flag?"), reasoned
        )

    def action_done(self) -> None:
        left = [i.number for i in self.indicators if i.number not in self.decisions]
        if left:
            self.query_one("#indicator-problem", Static).update(
                f"⚠ still to decide: {', '.join(str(n) for n in left)} (f: flag, d: dismiss)"
            )
            return
        self.dismiss(list(self.decisions.values()))

    def action_cancel(self) -> None:
        self.dismiss(None)
