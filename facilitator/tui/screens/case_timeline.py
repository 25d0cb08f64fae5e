"""One man's case timeline: everything in his case, newest first (services/records/timeline).

k cycles the kind shown (all, sessions, case notes, flags, ...). Privacy mode shows his first
name and, for every event, only its date, its kind and, for a session, his attendance: no case
note's words, no flag's categories, no child's name.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from facilitator.services.core.people import get_participant
from facilitator.services.records.timeline import KINDS, Event, timeline
from facilitator.tui import keys
from facilitator.tui.screens.base import FacilitatorScreen

KEYS = [
    keys.Key("k", "next_kind", "Kind"),
    keys.Key("f5", "refresh", "Refresh", show=False),
    keys.Key("escape", "back", "Back", display="esc"),
]
# What privacy mode still shows of an event: nothing but its kind, except a session's mark.
SAFE_IN_PRIVACY = {"session", "one_to_one", "enrolment"}


class CaseTimelineScreen(FacilitatorScreen):
    BINDINGS = keys.bindings(KEYS)
    DEFAULT_CSS = """
    CaseTimelineScreen #case-title { padding: 0 1; text-style: bold; height: auto; }
    CaseTimelineScreen #case-table { height: 1fr; }
    """

    def __init__(self, participant_id: str, office=None) -> None:
        super().__init__()
        self.participant_id = participant_id
        self._office = office
        self.events: list[Event] = []
        self.kind: str | None = None  # None: every kind
        self.man_name = ""
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Case timeline · {self.participant_id} · loading…", id="case-title")
        yield DataTable(id="case-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="case-timeline")
    def load(self) -> None:
        found = self.from_worker(self._read)
        if found is not None:
            self.app.call_from_thread(self._loaded, *found)

    def _read(self) -> tuple[str, list[Event]]:
        person = get_participant(self.office, self.participant_id)
        return person.name, timeline(self.office, person.id)

    def _loaded(self, name: str, events: list[Event]) -> None:
        self.man_name, self.events = name, events
        self.draw()
        self.loaded = True

    def draw(self) -> None:
        who = self.man_name.split()[0] if self.privacy and self.man_name else self.man_name
        shown = [e for e in self.events if self.kind is None or e.kind == self.kind]
        kind_words = (self.kind or "every kind").replace("_", " ")
        self.query_one("#case-title", Static).update(
            f"Case timeline · {self.participant_id} {who} · {kind_words} · {len(shown)} events"
        )
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns("date", "kind", "what")
        for e in shown:
            table.add_row(e.day, e.kind.replace("_", " "), self._words(e))
        if not shown:
            table.add_row("", "", "nothing recorded")

    def _words(self, e: Event) -> str:
        if not self.privacy:
            return e.what
        if e.kind in SAFE_IN_PRIVACY:
            return str(e.detail.get("attendance", "")).replace("_", " ")
        return "(hidden: privacy mode)"

    def action_next_kind(self) -> None:
        present = [k for k in KINDS if any(e.kind == k for e in self.events)]
        order: list[str | None] = [None, *present]
        at = order.index(self.kind) if self.kind in order else 0
        self.kind = order[(at + 1) % len(order)]
        self.draw()

    def action_refresh(self) -> None:
        self.loaded = False
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
