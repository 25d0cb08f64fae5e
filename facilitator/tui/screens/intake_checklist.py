"""A man's intake checklist: every step, done or not, and what stands between him and a group.

`IntakeChecklistScreen(participant_id, office=None)`: the office defaults to the app's.
Each line says done or not in a symbol and a word ([x] done / [ ] missing), never colour alone.
Privacy mode shows his first name and whether each step is done, without the details
(risk items and level, decision reasons). Group-side data only: nothing from partner support.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from facilitator.errors import FacilitatorError
from facilitator.services.core import people
from facilitator.services.intake import assessment as intake
from facilitator.tui import keys
from facilitator.tui.privacy import privacy_on
from facilitator.tui.screens.base import FacilitatorScreen

KEYS = [
    keys.Key("escape", "back", "Back", display="esc"),
    keys.Key("f5", "refresh", "Refresh"),
]


def checklist_text(items, privacy: bool) -> Text:
    text = Text()
    for item in items:
        text.append(
            "[x] done     " if item.done else "[ ] MISSING  ", style="bold" if not item.done else ""
        )
        text.append(item.what)
        if item.detail and not privacy:
            text.append(f"  ({item.detail})", style="dim")
        text.append("\n")
    return text


class IntakeChecklistScreen(FacilitatorScreen):
    BINDINGS = keys.bindings(KEYS)
    DEFAULT_CSS = """
    IntakeChecklistScreen #intake-title { padding: 0 1; text-style: bold; }
    IntakeChecklistScreen #intake-items { padding: 1 1 0 1; height: auto; }
    IntakeChecklistScreen #intake-verdict { padding: 1 1; height: auto; }
    """

    def __init__(self, participant_id: str, office=None) -> None:
        super().__init__()
        self.participant_id = participant_id
        self._office = office
        self.items: list = []
        self.ready = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="intake-title")
            yield Static(id="intake-items")
            yield Static(id="intake-verdict")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_checklist()

    def _privacy(self) -> bool:
        return privacy_on(self.app)

    def refresh_checklist(self) -> None:

        try:
            person = people.get_participant(self.office, self.participant_id)
            self.items = intake.checklist(self.office, person.id)
            gaps = intake.missing(self.office, person)
        except FacilitatorError as err:
            self.query_one("#intake-title", Static).update(err.message)
            return
        self.ready = not gaps
        name = person.first_name if self._privacy() else person.name
        self.query_one("#intake-title", Static).update(f"Intake · {person.id} {name}")
        self.query_one("#intake-items", Static).update(checklist_text(self.items, self._privacy()))
        verdict = Text()
        if self.ready:
            verdict.append("✓ READY to join a group", style="bold")
        else:
            verdict.append("✗ NOT READY to join a group", style="bold reverse")
            if not self._privacy():
                verdict.append("\nmissing: " + "; ".join(gaps))
        self.query_one("#intake-verdict", Static).update(verdict)

    def action_refresh(self) -> None:
        self.refresh_checklist()

    def action_back(self) -> None:
        self.app.pop_screen()
