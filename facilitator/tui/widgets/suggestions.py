"""The risk scanner's suggestions for the check-in being written: each one confirmed into a
flag (Enter) or dismissed with a reason (d). Severity is said in words, not colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from facilitator.detector.categories import label

MARKS = {"critical": "‼ CRITICAL", "high": "! HIGH", "medium": "· medium"}


@dataclass
class SuggestionItem:
    key: str
    categories: list[str]
    severity: str
    matches: list[str] = field(default_factory=list)
    status: str = "live"  # live (from typing, not saved yet), pending, confirmed, dismissed
    suggestion_id: str = ""
    flag_id: str = ""
    reason: str = ""

    @property
    def open(self) -> bool:
        return self.status in ("live", "pending")


def item_text(item: SuggestionItem) -> Text:
    t = Text()
    if item.status == "confirmed":
        t.append(f"✔ flag {item.flag_id} ".replace("  ", " "), style="bold")
    elif item.status == "dismissed":
        t.append("✗ dismissed ", style="dim")
    t.append(
        MARKS.get(item.severity, item.severity), style="bold" if item.severity != "medium" else ""
    )
    t.append(" " + ", ".join(label(c) for c in item.categories))
    if item.matches:
        t.append(" “" + "”, “".join(item.matches[:3]) + "”", style="italic")
    if item.status == "dismissed" and item.reason:
        t.append(f" — {item.reason}", style="dim")
    return t


class SuggestionList(OptionList):
    BINDINGS = [
        Binding("enter,y", "confirm", "Confirm as flag", show=False),
        Binding("d,n", "dismiss", "Dismiss", show=False),
    ]

    class Decide(Message):
        def __init__(self, item: SuggestionItem, confirm: bool) -> None:
            super().__init__()
            self.item = item
            self.confirm = confirm

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.items: list[SuggestionItem] = []

    def show_items(self, items: list[SuggestionItem]) -> None:
        keep = self.highlighted
        self.items = items
        self.clear_options()
        if items:
            self.add_options([Option(item_text(i), id=i.key) for i in items])
            self.highlighted = min(keep or 0, len(items) - 1)
        else:
            # Always there, so Tab always goes through the same fields in the same order.
            self.add_option(
                Option(
                    Text("Risk: no indicators in the answers or words so far", style="dim"),
                    disabled=True,
                )
            )
        waiting = any(i.open for i in items)
        self.set_class(waiting, "-open")
        self.border_title = "Risk: ⏎ flag it · d dismiss" if waiting else None

    def _current(self) -> SuggestionItem | None:
        if self.highlighted is None or not self.items:
            return None
        return self.items[self.highlighted]

    def action_confirm(self) -> None:
        item = self._current()
        if item and item.open:
            self.post_message(self.Decide(item, True))

    def action_dismiss(self) -> None:
        item = self._current()
        if item and item.open:
            self.post_message(self.Decide(item, False))
