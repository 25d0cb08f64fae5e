"""One flag in full, from the risk queue: Enter or Esc goes back, v reviews it, x closes it."""

from __future__ import annotations

from textual.binding import Binding

from facilitator.tui.dialogs.confirm import ConfirmScreen


class FlagDetailsDialog(ConfirmScreen):
    """Answers True with `then` set to "review" or "close" when one of those keys was pressed;
    the keys it shows are the keys it answers to."""

    BINDINGS = [
        Binding("enter", "answer(False)", "Back", show=False),
        Binding("escape", "answer(False)", "Back", show=False),
        Binding("v", "then('review')", "Review"),
        Binding("x", "then('close')", "Close flag"),
    ]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__(
            title, lines, yes="Enter / Esc: back to the queue", no="v: review it · x: close it"
        )
        self.then = ""

    def action_then(self, what: str) -> None:
        self.then = what
        self.dismiss(True)
