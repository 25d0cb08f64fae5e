"""Writing a letter about one man from the UI: choose the kind, read it as text, write it.

Opened from the referrers-to-tell list (`l`), on the breach notice for the task chosen there.
The preview is exactly the letter `facilitator letter write` keeps (the programme's template,
filled); Ctrl+W writes it into the workspace (letters/sent/) and records it on his file. Below,
the letters already written about him. Coordinators only. Privacy mode hides the preview and
the list: a letter names him and his referrer.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.errors import FacilitatorError
from facilitator.services.letters import service as letters
from facilitator.services.letters.kinds import KINDS
from facilitator.tui import keys
from facilitator.tui.screens.base import FacilitatorScreen

KEYS = [
    keys.Key("ctrl+w", "write_letter", "Write letter", priority=True, display="^w"),
    keys.Key("f5", "refresh", "Preview again", show=False),
    keys.Key("escape", "back", "Back", display="esc"),
]


class LettersScreen(FacilitatorScreen):
    BINDINGS = keys.bindings(KEYS)
    DEFAULT_CSS = """
    LettersScreen #letters-title { padding: 0 1; text-style: bold; height: auto; }
    LettersScreen #letters-kinds { height: 9; }
    LettersScreen #letters-status { padding: 0 1; height: auto; }
    LettersScreen #letters-preview-box { height: 1fr; border-top: solid $accent; }
    LettersScreen #letters-preview { padding: 0 1; }
    LettersScreen #letters-sent { height: 6; border-top: solid $accent; }
    """

    def __init__(
        self,
        participant_id: str,
        office=None,
        kind: str = "breach_notice",
        task_id: str | None = None,
    ) -> None:
        super().__init__()
        self.participant_id = participant_id.strip().upper()
        self._office = office
        self.kind = kind
        self.task_id = task_id
        self.text = ""
        self.loaded = False
        self.written: letters.Letter | None = None
        self.allowed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Letters · {self.participant_id}", id="letters-title")
        yield OptionList(
            *[Option(f"{k.title} (to the {k.to})", id=k.id) for k in KINDS], id="letters-kinds"
        )
        yield Static("", id="letters-status")
        with VerticalScroll(id="letters-preview-box"):
            yield Static("", id="letters-preview")
        yield DataTable(id="letters-sent", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        actor = self.office.actor
        if not actor.has_role("coordinator", "admin"):
            self._status(
                f"{actor.id} may not write letters: it needs the role coordinator", error=True
            )
            return
        self.allowed = True
        chooser = self.query_one(OptionList)
        chooser.highlighted = next((i for i, k in enumerate(KINDS) if k.id == self.kind), 0)
        chooser.focus()
        self.preview()
        self.list_sent()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.allowed and event.option.id and event.option.id != self.kind:
            self.kind = event.option.id
            self.action_refresh()

    # -- reading -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="letters-preview")
    def preview(self) -> None:
        """The letter as it would be written, without keeping or recording anything."""
        task = self.task_id if self.kind == "breach_notice" else None
        try:
            composed = letters.compose(self.office, self.kind, self.participant_id, task_id=task)
        except FacilitatorError as err:
            self.app.call_from_thread(self._previewed, "", err.message)
            return
        self.app.call_from_thread(self._previewed, composed.plain, "")

    def _previewed(self, text: str, problem: str) -> None:
        self.text = text
        if problem:
            self._status(problem, error=True)
        else:
            self._status("Ctrl+W writes this letter and records it on his file.")
        shown = "Privacy mode is on: the letter is hidden (Ctrl+T)." if self.privacy else text
        self.query_one("#letters-preview", Static).update(Text(shown))
        self.loaded = True

    @work(thread=True, exclusive=True, group="letters-sent")
    def list_sent(self) -> None:
        found = self.from_worker(letters.list_letters, self.office, self.participant_id)
        if found is not None:
            self.app.call_from_thread(self._listed, found)

    def _listed(self, found: list) -> None:
        table = self.query_one("#letters-sent", DataTable)
        table.clear(columns=True)
        table.add_columns("letter", "kind", "date", "to", "by")
        if self.privacy:
            return
        for x in reversed(found):
            table.add_row(x.id, x.kind.replace("_", " "), x.date, x.addressee, x.written_by)

    # -- actions -------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        if not self.allowed:
            return
        self.loaded = False
        self.preview()

    def action_write_letter(self) -> None:
        if not self.allowed:
            return
        task = self.task_id if self.kind == "breach_notice" else None
        try:
            done = letters.write_letter(self.office, self.kind, self.participant_id, task_id=task)
        except FacilitatorError as err:
            self._status(err.message, error=True)
            return
        self.written = done
        self._status(f"{done.id} written: {done.file}")
        self.app.notify(f"{done.id} written to {done.addressee}", title="Letter", timeout=8)
        self.list_sent()

    def _status(self, text: str, error: bool = False) -> None:
        self.query_one("#letters-status", Static).update(
            Text(f"✗ {text}", style="bold red") if error else Text(text)
        )
