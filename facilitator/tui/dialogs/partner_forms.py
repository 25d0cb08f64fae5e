"""Partner support's forms: a contact with her, and a risk concern for the queue (category and
severity only)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from facilitator.detector.categories import CATEGORIES
from facilitator.domain.partner import MODES, OUTCOMES
from facilitator.tui import keys

FORM_KEYS = [
    keys.Key("ctrl+s", "save", "Save", display="^s"),
    keys.Key("escape", "cancel", "Cancel", display="esc"),
]


class ContactForm(ModalScreen[dict | None]):
    BINDINGS = keys.bindings(FORM_KEYS)
    DEFAULT_CSS = """
    ContactForm > Vertical {
        width: 76; height: auto; border: round $accent; padding: 0 1; background: $panel;
    }
    ContactForm { align: center middle; }
    """

    def __init__(self, partner_id: str) -> None:
        super().__init__()
        self.partner_id = partner_id

    def compose(self) -> ComposeResult:

        with Vertical():
            yield Static(f"Contact with {self.partner_id}  (Ctrl+S saves, Esc cancels)")
            yield Select(
                [(m.replace("_", " "), m) for m in MODES],
                value="phone",
                allow_blank=False,
                id="mode",
            )
            yield Select(
                [(o.replace("_", " "), o) for o in OUTCOMES],
                value="reached",
                allow_blank=False,
                id="outcome",
            )
            yield Input(placeholder="date YYYY-MM-DD (empty: today)", id="date")
            yield Input(placeholder="safety planning", id="safety")
            yield Input(placeholder="her account of his behaviour", id="account")
            yield Input(placeholder="her wishes about information sharing", id="wishes")

    def action_save(self) -> None:
        def value(wid: str) -> str:
            return self.query_one(f"#{wid}", Input).value.strip()

        self.dismiss(
            {
                "partner_id": self.partner_id,
                "mode": self.query_one("#mode", Select).value,
                "outcome": self.query_one("#outcome", Select).value,
                "day": value("date") or None,
                "safety_planning": value("safety"),
                "her_account": value("account"),
                "wishes": value("wishes"),
            }
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConcernForm(ModalScreen[dict | None]):
    BINDINGS = keys.bindings(FORM_KEYS)
    DEFAULT_CSS = """
    ConcernForm > Vertical {
        width: 70; height: auto; border: round $accent; padding: 0 1; background: $panel;
    }
    ConcernForm { align: center middle; }
    """

    def __init__(self, partner_id: str) -> None:
        super().__init__()
        self.partner_id = partner_id

    def compose(self) -> ComposeResult:

        with Vertical():
            yield Static(
                f"Risk concern about {self.partner_id}'s safety: only the category and severity "
                f"reach the risk queue.  (Ctrl+S raises, Esc cancels)"
            )
            yield Select(
                [(c.label, c.id) for c in CATEGORIES],
                value="victim_fear",
                allow_blank=False,
                id="category",
            )
            yield Select(
                [
                    ("default for the category", ""),
                    ("medium", "medium"),
                    ("high", "high"),
                    ("critical", "critical"),
                ],
                value="",
                allow_blank=False,
                id="severity",
            )

    def action_save(self) -> None:
        severity = self.query_one("#severity", Select).value
        self.dismiss(
            {
                "partner_id": self.partner_id,
                "category": self.query_one("#category", Select).value,
                "severity": severity or None,
            }
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
