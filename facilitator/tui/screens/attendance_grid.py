"""The attendance grid of one group: men down the side, sessions across, a symbol in each cell
(✓ present, ◔ late, ◑ left early, ⊘ late past the limit, E excused, ✗ unexcused, · not marked),
coloured as well but never by colour alone; each man's compliance status in words beside him.

Enter opens the man's timeline, r his referrer report, x exports the group. Privacy mode
shows first names only and hides compliance (the room may see the screen).
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from facilitator.errors import FacilitatorError
from facilitator.services.reporting.attendance_views import WORDS, Grid, group_grid
from facilitator.tui import keys
from facilitator.tui.dialogs.attendance_export import ExportScreen
from facilitator.tui.screens.attendance_timeline import AttendanceTimelineScreen
from facilitator.tui.screens.base import FacilitatorScreen
from facilitator.tui.screens.referrer_report import ReferrerReportScreen
from facilitator.tui.widgets.attendance_cells import LEGEND, cell, status_text

KEYS = [
    keys.Key("enter", "timeline", "Timeline", display="⏎"),
    keys.Key("r", "report", "Report"),
    keys.Key("x", "export", "Export"),
    keys.Key("f5", "refresh", "Refresh", show=False),
    keys.Key("escape", "back", "Back", display="esc"),
]


class AttendanceGridScreen(FacilitatorScreen):
    follows_privacy = True  # redraws itself when the switch changes
    BINDINGS = keys.bindings(KEYS)
    DEFAULT_CSS = """
    AttendanceGridScreen #grid-title { padding: 0 1; text-style: bold; height: auto; }
    AttendanceGridScreen #grid-table { height: 1fr; }
    AttendanceGridScreen #grid-detail { padding: 0 1; height: auto; max-height: 4; }
    AttendanceGridScreen #grid-legend { padding: 0 1; height: auto; color: $text-muted; }
    """

    def __init__(self, group_id: str, office=None) -> None:
        super().__init__()
        self.group_id = group_id
        self._office = office
        self.grid: Grid | None = None
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Attendance · group {self.group_id} · loading…", id="grid-title")
        table: DataTable = DataTable(
            id="grid-table",
            cursor_type="cell",
            header_height=2,
            fixed_columns=2,
            zebra_stripes=True,
        )
        yield table
        yield Static("", id="grid-detail")
        yield Static(LEGEND, id="grid-legend")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.watch(self.app, "privacy", lambda _v: self.draw(), init=False)

    @work(thread=True, exclusive=True, group="attendance-grid")
    def load(self) -> None:

        try:
            grid = group_grid(self.office, self.group_id)
        except FacilitatorError as err:
            self.app.call_from_thread(self.app.notify, err.message, severity="error", timeout=8)
            return
        self.app.call_from_thread(self._loaded, grid)

    def _loaded(self, grid: Grid) -> None:
        self.grid = grid
        self.draw()
        self.loaded = True

    def draw(self) -> None:
        grid = self.grid
        if grid is None:
            return
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("man", key="man")
        table.add_column("status" if not self.privacy else "", key="status")
        for day, number in grid.sessions:
            table.add_column(Text(f"{day[5:]}\n#{number}", justify="center"), key=day, width=5)
        for row in grid.rows:
            name = row.first_name if self.privacy else f"{row.participant_id} {row.name}"
            if not row.current:
                name += " (left)"
            status = Text("") if self.privacy else status_text(row.compliance)
            table.add_row(
                name,
                status,
                *(cell(row.cells.get(day)) for day, _ in grid.sessions),
                key=row.participant_id,
            )
        if grid.sessions:
            table.move_cursor(column=len(grid.sessions) + 1)  # the latest session
        men = len(grid.rows)
        self.query_one("#grid-title", Static).update(
            f"Attendance · {grid.group_id} {grid.group_name} · {men} men · {len(grid.sessions)} "
            "sessions"
        )
        self._show_detail()

    # -- the cell under the cursor ------------------------------------------------------------
    def selected_participant(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.grid or not self.grid.rows or table.row_count == 0:
            return None
        return self.grid.rows[min(table.cursor_row, len(self.grid.rows) - 1)].participant_id

    def on_data_table_cell_highlighted(self, _event: DataTable.CellHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        grid = self.grid
        detail = self.query_one("#grid-detail", Static)
        pid = self.selected_participant()
        if grid is None or pid is None:
            detail.update("No men have been enrolled in this group." if grid else "")
            return
        row = next(r for r in grid.rows if r.participant_id == pid)
        col = self.query_one(DataTable).cursor_column - 2
        who = row.first_name if self.privacy else f"{row.participant_id} {row.name}"
        lines = []
        if 0 <= col < len(grid.sessions):
            day, number = grid.sessions[col]
            code = row.cells.get(day)
            what = WORDS[code] if code else "not in the group then"
            lines.append(f"{who} · {day} · session {number} {grid.titles.get(number, '')}: {what}")
        if row.compliance is not None and not self.privacy:
            lines.append(row.compliance.reason)
        detail.update("\n".join(lines))

    # -- actions -------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.loaded = False
        self.load()

    def action_timeline(self) -> None:
        pid = self.selected_participant()
        if pid:
            self.app.push_screen(AttendanceTimelineScreen(pid, self._office))

    def action_report(self) -> None:
        pid = self.selected_participant()
        if pid:
            self.app.push_screen(ReferrerReportScreen(pid, self._office))

    def action_export(self) -> None:

        self.app.push_screen(ExportScreen(group_id=self.group_id, office=self._office))

    def on_data_table_cell_selected(self, _event: DataTable.CellSelected) -> None:
        self.action_timeline()
