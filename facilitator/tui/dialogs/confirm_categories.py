"""Confirm a suggestion that found more than one category: which go into the flag.

Every category starts ticked (☑), so Enter or Ctrl+S confirms them all at once, as Enter on a
one-category suggestion does. Space unticks one (☐): Enter never does, so a habit key cannot
drop a category in silence. A category left out needs the reason it is not a risk, as for a
dismissal: it is a decision, and it is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from facilitator.detector.categories import label


class TickList(OptionList):
    """Categories with a visible mark each (☑ ticked, ☐ not), never colour alone."""

    BINDINGS = [
        Binding("space", "tick", "Tick / untick", show=False),
        # Enter confirms the dialog, as in every other one; it must not reach the list's own pick.
        Binding("enter", "screen.save", "Confirm", show=False, priority=True),
    ]

    def __init__(self, categories: list[str], **kwargs) -> None:
        self.categories = categories
        self.ticked = set(categories)
        super().__init__(*[self._prompt(c) for c in categories], **kwargs)

    def _prompt(self, category: str) -> str:
        return f"{'☑' if category in self.ticked else '☐'} {label(category)}"

    @property
    def selected(self) -> list[str]:
        return [c for c in self.categories if c in self.ticked]

    def action_tick(self) -> None:
        if self.highlighted is None:
            return
        category = self.categories[self.highlighted]
        self.ticked ^= {category}
        self.replace_option_prompt_at_index(self.highlighted, self._prompt(category))


@dataclass
class CategoryChoice:
    categories: list[str]  # to flag
    reason: str  # why the others are not a risk ("" when none is left out)


class ConfirmCategoriesDialog(ModalScreen[CategoryChoice | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Confirm flag"),
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
            yield TickList(self.suggested, id="categories")
            yield Static("Reason for any category left out (kept, as for a dismissal)")
            yield Input(id="reason")
            yield Static("", id="problem", classes="problem")
            yield Static(
                "Space ticks/unticks · Enter or Ctrl+S confirms · Esc cancels",
                classes="dialog-keys",
            )

    def on_mount(self) -> None:
        categories = self.query_one("#categories", TickList)
        categories.highlighted = 0
        categories.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        chosen = self.query_one("#categories", TickList).selected
        reason = self.query_one("#reason", Input).value.strip()
        problem = None
        if not chosen:
            problem = "tick at least one category (Space), or Esc and dismiss the suggestion (d)"
        elif len(chosen) < len(self.suggested) and not reason:
            left = ", ".join(label(c) for c in self.suggested if c not in chosen)
            problem = f"say why {left} is not a risk, then Enter"
            self.query_one("#reason", Input).focus()
        if problem:
            self.query_one("#problem", Static).update(f"⚠ {problem}")
            return
        ordered = [c for c in self.suggested if c in chosen]
        self.dismiss(CategoryChoice(ordered, reason if len(ordered) < len(self.suggested) else ""))

    def action_cancel(self) -> None:
        self.dismiss(None)
