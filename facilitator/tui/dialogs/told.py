"""Recording that a referrer was told of a compliance task: how, and when."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from facilitator import clock
from facilitator.domain.compliance import HOW_TOLD
from facilitator.tui import keys

TOLD_KEYS = [
    keys.Key("ctrl+s", "save", "Save", display="^s"),
    keys.Key("escape", "cancel", "Cancel", display="esc"),
]


class ToldScreen(ModalScreen):
    """How and when the referrer was told; dismisses with (how, date) or None."""

    BINDINGS = keys.bindings(TOLD_KEYS)
    DEFAULT_CSS = """
    ToldScreen { align: center middle; }
    ToldScreen #told-box { width: 64; height: auto; border: round $accent; padding: 0 1; }
    """

    def __init__(self, task) -> None:
        super().__init__()
        self.notify_task = task

    def compose(self) -> ComposeResult:
        with Vertical(id="told-box"):
            yield Static(Text(f"{self.notify_task.id}: {self.notify_task.what}"))
            yield Select(
                [(h.replace("_", " "), h) for h in HOW_TOLD],
                prompt="How was the referrer told?",
                id="told-how",
            )
            yield Input(clock.today().isoformat(), placeholder="YYYY-MM-DD", id="told-on")
            yield Static("Ctrl+S save · Esc cancel", classes="hint")

    def action_save(self) -> None:
        how = self.query_one("#told-how", Select).value
        if how is Select.BLANK:
            self.notify("Choose how the referrer was told", severity="warning")
            return
        self.dismiss((str(how), self.query_one("#told-on", Input).value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
