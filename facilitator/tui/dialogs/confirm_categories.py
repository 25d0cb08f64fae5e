"""Confirm a suggestion that found more than one category: which go into the flag.

Every category starts ticked, so Ctrl+S (or Enter in the reason box) confirms them all at once,
as Enter on a one-category suggestion does. Untick one (space) and the reason it is not a risk
is asked for, as for a dismissal: a category left out is a decision, and it is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, SelectionList, Static

from facilitator.detector.categories import label


@dataclass
class CategoryChoice:
    categories: list[str]  # to flag
    reason: str  # why the others are not a risk ("" when none is left out)


class ConfirmCategoriesDialog(ModalScreen[CategoryChoice | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Confirm flag", priority=True),
    ]

    def __init__(self, categories: list[str], matches: list[str]) -> None:
        super().__init__()
        self.suggested = categories
        self.matches = matches

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-categories"):
            yield Static("⚑ Confirm as a flag: which categories?", classes="dialog-title")
            if self.matches:
                yield Static(
                    "Found: “" + "”, “".join(self.matches[:4]) + "”", classes="dialog-note"
                )
            yield SelectionList[str](
                *[(label(c), c, True) for c in self.suggested], id="categories"
            )
            yield Static("Reason for any category left out (kept, as for a dismissal)")
            yield Input(id="reason")
            yield Static("", id="problem", classes="problem")
            yield Static("space ticks · Ctrl+S confirms · Esc cancels", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#categories", SelectionList).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        chosen = list(self.query_one("#categories", SelectionList).selected)
        reason = self.query_one("#reason", Input).value.strip()
        problem = None
        if not chosen:
            problem = "tick at least one category, or Esc and dismiss the suggestion (d)"
        elif len(chosen) < len(self.suggested) and not reason:
            left = ", ".join(label(c) for c in self.suggested if c not in chosen)
            problem = f"say why {left} is not a risk"
            self.query_one("#reason", Input).focus()
        if problem:
            self.query_one("#problem", Static).update(f"⚠ {problem}")
            return
        ordered = [c for c in self.suggested if c in chosen]
        self.dismiss(CategoryChoice(ordered, reason if len(ordered) < len(self.suggested) else ""))

    def action_cancel(self) -> None:
        self.dismiss(None)
