"""A yes/no question with the reasons to hesitate listed: y or Enter goes ahead, n or Esc not."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class ConfirmScreen(ModalScreen[bool | None]):
    """Answers True (y, Enter) or False (n; Esc too unless `escape_cancels`, then None)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("enter", "enter", "Yes", show=False),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "escape", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        lines: list[str] | None = None,
        *,
        yes: str = "y / Enter: yes",
        no: str = "n / Esc: no",
        lines_title: str = "",
        escape_cancels: bool = False,
        enter_is_yes: bool = True,
    ) -> None:
        super().__init__()
        # For what cannot be undone (closing a session, starting one on another day) only y
        # answers yes: a second Enter pressed out of habit must not do it.
        self.enter_is_yes = enter_is_yes
        self.escape_cancels = escape_cancels
        self.title_text = title
        self.lines = lines or []
        self.yes = yes
        self.no = no
        self.lines_title = lines_title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            if self.lines:
                if self.lines_title:
                    yield Label(self.lines_title)
                with VerticalScroll(classes="dialog-list"):
                    yield Static(Text("\n".join(f"• {line}" for line in self.lines)))
            cancel = "   ·   Esc: cancel" if self.escape_cancels else ""
            yield Static(f"{self.yes}   ·   {self.no}{cancel}", classes="dialog-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_enter(self) -> None:
        if self.enter_is_yes:
            self.dismiss(True)

    def action_escape(self) -> None:
        self.dismiss(None if self.escape_cancels else False)
