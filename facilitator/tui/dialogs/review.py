"""Record a review step on a flag: the actions taken (digits pick them) and a note (Enter saves)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from facilitator.domain.risk_flag import ACTION_LABELS
from facilitator.domain.risk_flag import ACTIONS as RULE_ACTIONS
from facilitator.tui.widgets.choice_row import ChoiceRow

# The review actions in words (the row keeps each label whole on its line).
ACTIONS = [(a, ACTION_LABELS[a]) for a in RULE_ACTIONS]


class ReviewDialog(ModalScreen[tuple[list[str], str] | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(self, flag_id: str) -> None:
        super().__init__()
        self.flag_id = flag_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Review of flag {self.flag_id}: what was done?", classes="dialog-title")
            yield ChoiceRow(ACTIONS, multiple=True, id="actions")
            yield Label("Note (no further action needs the reason)")
            yield Input(id="note")
            yield Static("", id="problem", classes="problem")
            yield Static(
                "digits pick actions · Tab to the note · Enter or Ctrl+S saves · Esc cancels",
                classes="dialog-keys",
            )

    def on_mount(self) -> None:
        self.query_one(ChoiceRow).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        actions = list(self.query_one(ChoiceRow).value)
        if not actions:
            self.query_one("#problem", Static).update("⚠ pick at least one action (its number)")
            return
        self.dismiss((actions, self.query_one("#note", Input).value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
