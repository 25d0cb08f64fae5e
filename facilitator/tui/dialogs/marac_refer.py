"""Recording a MARAC referral of a man: the MARAC, why (risk categories), a short summary, the
meeting date when known. Dismisses with a dict of those, or None."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, SelectionList, Static

from facilitator.tui import keys

REFER_KEYS = [
    keys.Key("ctrl+s", "save", "Save", display="^s"),
    keys.Key("escape", "cancel", "Cancel", display="esc"),
]


class MaracReferScreen(ModalScreen):
    BINDINGS = keys.bindings(REFER_KEYS)
    DEFAULT_CSS = """
    MaracReferScreen { align: center middle; }
    MaracReferScreen #refer-box { width: 72; height: auto; max-height: 22; border: round $accent;
        padding: 0 1; }
    MaracReferScreen SelectionList { height: 8; }
    """

    def __init__(self, participant_id: str, categories: dict[str, str]) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.categories = categories  # id -> words

    def compose(self) -> ComposeResult:
        with Vertical(id="refer-box"):
            yield Static(Text(f"MARAC referral of {self.participant_id}", style="bold"))
            yield Input(placeholder="The MARAC referred to, e.g. Riverside MARAC", id="agency")
            yield Static("Why (space to choose one or more):")
            yield SelectionList[str](
                *[(words, cat) for cat, words in self.categories.items()], id="reasons"
            )
            yield Input(
                placeholder="Short summary for the MARAC — never his partner's words",
                id="summary",
            )
            yield Input(placeholder="Meeting date YYYY-MM-DD (if known)", id="meeting")
            yield Static("Ctrl+S save · Esc cancel", classes="hint")

    def action_save(self) -> None:
        agency = self.query_one("#agency", Input).value.strip()
        reasons = list(self.query_one("#reasons", SelectionList).selected)
        if not agency:
            self.notify("Name the MARAC referred to", severity="warning")
            return
        if not reasons:
            self.notify("Choose at least one reason", severity="warning")
            return
        self.dismiss(
            {
                "agency": agency,
                "reasons": reasons,
                "summary": self.query_one("#summary", Input).value.strip(),
                "meeting_on": self.query_one("#meeting", Input).value.strip() or None,
            }
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
