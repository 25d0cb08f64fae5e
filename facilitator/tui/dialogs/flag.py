"""Flag a disclosure by hand, the moment it is said: who, category, severity, summary.

The urgent case is three keys: Ctrl+F (the selected man, strangulation highlighted), Enter
(category; severity comes with it, focus moves to the summary, already filled in), Enter (save).
A letter jumps to the next category starting with it. Ctrl+S saves from any field.

In privacy mode (the room can see the screen) a flag is raised just as fast: the men are named
by first name, the categories stay readable, since they are the same list for everyone and
the facilitator must pick one in seconds, and the summary is masked (it starts as what the
check-in form says about him). The dialog shows no flag already raised, in any mode.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from facilitator.detector.categories import label
from facilitator.tui.privacy import follow_privacy
from facilitator.tui.widgets.choice_row import ChoiceRow

SEVERITIES = [("medium", "medium"), ("high", "high"), ("critical", "CRITICAL")]


@dataclass
class FlagRequest:
    participant_id: str
    category: str
    severity: str
    summary: str


class CategoryList(OptionList):
    """Type a letter to jump to the next category starting with it."""

    def on_key(self, event) -> None:
        ch = (event.character or "").lower()
        if len(ch) == 1 and ch.isalpha():
            event.stop()
            event.prevent_default()
            n = self.option_count
            start = (self.highlighted or 0) + 1
            for step in range(n):
                i = (start + step) % n
                if str(self.get_option_at_index(i).id).startswith(ch):
                    self.highlighted = i
                    break


class FlagDialog(ModalScreen[FlagRequest | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save flag"),
    ]

    def __init__(
        self,
        men: list[tuple[str, str]],
        selected: str | None,
        categories: list[tuple[str, str]],
        default_summary: str,
    ) -> None:
        super().__init__()
        self.men = men  # (participant id, name as shown)
        self.selected = selected
        self.categories = categories  # (category id, default severity)
        self.default_summary = default_summary

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="flag-dialog"):
            yield Label("⚑ Flag a disclosure", classes="dialog-title")
            with Horizontal(classes="row"):
                yield Label("For ")
                yield Select(
                    self.men,
                    value=self.selected if self.selected else Select.BLANK,
                    allow_blank=False,
                    id="man",
                    compact=True,
                )
            yield Label("Category (letter jumps, Enter picks)")
            yield CategoryList(
                *[Option(f"{label(c)} ({s})", id=c) for c, s in self.categories], id="category"
            )
            with Horizontal(classes="row"):
                yield Label("Severity ")
                yield ChoiceRow(SEVERITIES, id="severity", value=self.categories[0][1])
            yield Label("Summary (Enter saves)", id="summary-label")
            yield Input(self.default_summary, id="flag-summary", select_on_focus=True)
            yield Static("", id="problem", classes="problem")
            yield Static("Enter: next / save · Ctrl+S save · Esc cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        cats = self.query_one(CategoryList)
        cats.highlighted = 0
        cats.focus()
        follow_privacy(self, self._privacy)

    def _privacy(self, private: bool) -> None:
        self.query_one("#flag-summary", Input).password = private
        self.query_one("#summary-label", Label).update(
            "Summary, hidden: privacy mode (Enter saves)" if private else "Summary (Enter saves)"
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        severity = dict(self.categories).get(str(event.option.id))
        if severity:
            self.query_one("#severity", ChoiceRow).value = severity

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#flag-summary", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        man = self.query_one("#man", Select).value
        cats = self.query_one(CategoryList)
        summary = self.query_one("#flag-summary", Input).value.strip()
        problem = None
        if man is Select.BLANK or not man:
            problem = "choose the man this is about"
        elif cats.highlighted is None:
            problem = "choose a category"
        elif not summary:
            problem = "write a short summary"
        if problem:
            self.query_one("#problem", Static).update(f"⚠ {problem}")
            return
        if cats.highlighted is None:
            self.query_one("#problem", Static).update("⚠ Choose the category first")
            return
        category = str(cats.get_option_at_index(cats.highlighted).id)
        self.dismiss(
            FlagRequest(
                str(man), category, str(self.query_one("#severity", ChoiceRow).value), summary
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
