"""Ask one short thing (minutes late, a reason): Enter answers, Esc cancels."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class AskScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        question: str,
        value: str = "",
        *,
        check: Callable[[str], str | None] | None = None,
        numbers: bool = False,
        hint: str = "Enter to save · Esc to cancel",
    ) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.check = check
        self.numbers = numbers
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title")
            yield Input(
                self.value,
                id="answer",
                type="integer" if self.numbers else "text",
                select_on_focus=True,
            )
            yield Static("", id="problem", classes="problem")
            yield Static(self.hint, classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        answer = event.value.strip()
        problem = self.check(answer) if self.check else (None if answer else "this needs an answer")
        if problem:
            self.query_one("#problem", Static).update(f"⚠ {problem}")
            return
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)


def minutes_check(answer: str) -> str | None:
    if not answer.isdigit() or not 0 < int(answer) <= 600:
        return "give the minutes as a whole number, e.g. 10"
    return None


def optional_minutes_check(answer: str) -> str | None:
    if answer and (not answer.isdigit() or int(answer) > 600):
        return "give the minutes as a whole number, or leave it empty"
    return None
