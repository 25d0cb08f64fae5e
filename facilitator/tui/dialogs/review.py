"""Record a review step on a flag: the actions taken (digits pick them) and a note (Enter saves)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from facilitator.domain.risk_flag import ACTION_LABELS, review_problem
from facilitator.domain.risk_flag import ACTIONS as RULE_ACTIONS
from facilitator.tui.widgets.choice_row import ChoiceRow

# The review actions in words (the row keeps each label whole on its line).
ACTIONS = [(a, ACTION_LABELS[a]) for a in RULE_ACTIONS]


class ReviewDialog(ModalScreen[tuple[list[str], str] | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # Not a priority key: it waits behind the keys typed before it (a digit just pressed
        # is ticked before the save reads the ticks).
        Binding("ctrl+s", "save", "Save"),
        Binding("enter", "save", "Save", show=False),  # from the actions too, as it says
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
        note = self.query_one("#note", Input).value.strip()
        problem = review_problem(actions, note)
        if problem:
            # The dialog stays open with every tick and word kept; the reason is said here.
            self.query_one("#problem", Static).update(f"⚠ {problem}")
            if "note" in problem:
                self.query_one("#note", Input).focus()
            return
        self.dismiss((actions, note))

    def action_cancel(self) -> None:
        self.dismiss(None)
