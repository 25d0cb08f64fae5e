"""One man's attendance timeline: every session he was expected at, in every group, oldest
first, with his compliance status and reason on top and the sessions he still has to do.

r opens his referrer report, x exports his attendance, c his whole case timeline, f his case
file. Privacy mode shows his first name and hides the compliance lines.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from facilitator.errors import FacilitatorError
from facilitator.services.reporting.attendance_views import Timeline, timeline
from facilitator.tui import keys
from facilitator.tui.dialogs.attendance_export import ExportScreen
from facilitator.tui.screens.base import FacilitatorScreen
from facilitator.tui.screens.case_file import CaseFileScreen
from facilitator.tui.screens.case_timeline import CaseTimelineScreen
from facilitator.tui.screens.referrer_report import ReferrerReportScreen
from facilitator.tui.widgets.attendance_cells import STATUS_STYLE, cell

KEYS = [
    keys.Key("r", "report", "Report"),
    keys.Key("x", "export", "Export"),
    keys.Key("c", "case", "Case"),
    keys.Key("f", "case_file", "File"),
    keys.Key("f5", "refresh", "Refresh", show=False),
    keys.Key("escape", "back", "Back", display="esc"),
]


def ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5, 7, 8] -> '1-3, 5, 7-8'."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


class AttendanceTimelineScreen(FacilitatorScreen):
    BINDINGS = keys.bindings(KEYS)
    DEFAULT_CSS = """
    AttendanceTimelineScreen #timeline-title { padding: 0 1; text-style: bold; height: auto; }
    AttendanceTimelineScreen #timeline-status { padding: 0 1; height: auto; max-height: 6; }
    AttendanceTimelineScreen #timeline-table { height: 1fr; }
    """

    def __init__(self, participant_id: str, office=None) -> None:
        super().__init__()
        self.participant_id = participant_id
        self._office = office
        self.view: Timeline | None = None
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Attendance timeline · {self.participant_id} · loading…", id="timeline-title")
        yield Static("", id="timeline-status")
        yield DataTable(id="timeline-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="attendance-timeline")
    def load(self) -> None:

        try:
            view = timeline(self.office, self.participant_id)
        except FacilitatorError as err:
            self.app.call_from_thread(self.app.notify, err.message, severity="error", timeout=8)
            return
        self.app.call_from_thread(self._loaded, view)

    def _loaded(self, view: Timeline) -> None:
        self.view = view
        self.draw()
        self.loaded = True

    def draw(self) -> None:
        v = self.view
        if v is None:
            return
        who = v.first_name if self.privacy else f"{v.participant_id} {v.name}"
        self.query_one("#timeline-title", Static).update(f"Attendance timeline · {who}")
        c = v.compliance
        status = Text()
        if not self.privacy:
            status.append(f"{c.symbol} {c.label}", style=STATUS_STYLE.get(c.status, ""))
            status.append(f": {c.reason}\n")
        covered = f"Covered {len(c.covered)} of {c.required} curriculum sessions"
        status.append(
            covered + (f"; still to do: {ranges(c.to_do)}" if c.to_do else "; none left to do")
        )
        if not self.privacy:
            status.append(f"\nLimits: {v.limits}", style="dim")
        self.query_one("#timeline-status", Static).update(status)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns("date", "group", "session", "", "attendance")
        for e in v.entries:
            title = f"{e.curriculum_session or ''} {e.title}".strip()
            table.add_row(e.date, e.group_id, title[:34], cell(e.code), e.words)
        if v.entries:
            table.move_cursor(row=len(v.entries) - 1)
        else:
            table.add_row("", "", "no sessions yet", "", "")

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.loaded = False
        self.load()

    def action_report(self) -> None:

        self.app.push_screen(ReferrerReportScreen(self.participant_id, self._office))

    def action_export(self) -> None:

        self.app.push_screen(ExportScreen(participant_id=self.participant_id, office=self._office))

    def action_case(self) -> None:

        self.app.push_screen(CaseTimelineScreen(self.participant_id, self._office))

    def action_case_file(self) -> None:
        self.app.push_screen(CaseFileScreen(self.participant_id, self._office))
