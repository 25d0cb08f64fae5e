"""The roster: each man with his attendance as a symbol and a word, his check-in and a flag marker.

One key per attendance status (keys.ROSTER). The widget only says what was asked for, as a
message; the session screen asks for minutes or a reason, saves through the services and
redraws the one row that changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from facilitator.domain.attendance import SYMBOLS
from facilitator.tui import keys

WORDS = {
    "present": "present",
    "late": "late",
    "left_early": "left early",
    "excused": "excused",
    "unexcused": "unexcused",
    None: "unmarked",
}


@dataclass
class RosterRow:
    pid: str
    name: str
    first_name: str
    status: str | None = None
    minutes_late: int = 0
    checkin: str = ""  # "done", "draft" or ""
    flags: int = 0
    in_room: bool = False


def attendance_text(row: RosterRow) -> Text:
    word = WORDS[row.status]
    if row.status == "late" and row.minutes_late:
        word = f"late {row.minutes_late}m"
    style = {"unexcused": "bold", None: "dim"}.get(row.status, "")
    return Text(f"{SYMBOLS[row.status]} {word}", style=style)


def checkin_text(row: RosterRow, privacy: bool) -> Text:
    if row.checkin == "done":
        return Text(" ✔ done")
    if row.checkin == "draft":
        return Text(" ✎ draft", style="italic")
    return Text(" · –" if row.in_room else "", style="dim")


def flag_text(row: RosterRow, privacy: bool) -> Text:
    if privacy or not row.flags:
        return Text("")
    return Text(" ") + Text(f"⚑{row.flags}", style="bold reverse")


FIXED_WIDTH = 12 + 8 + 3  # attendance, check-in, flag


class Roster(DataTable):
    BINDINGS = keys.bindings(keys.ROSTER)

    class Mark(Message):
        def __init__(self, pid: str, status: str) -> None:
            super().__init__()
            self.pid = pid
            self.status = status

    class OpenCheckIn(Message):
        def __init__(self, pid: str) -> None:
            super().__init__()
            self.pid = pid

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, cell_padding=0, **kwargs)
        self.rows_by_pid: dict[str, RosterRow] = {}
        self.privacy = False
        self._drawn_width = 0

    def _add_columns(self) -> None:
        # No cell padding (width is short at 80 columns): the texts carry their own spaces.
        self.add_column("Attendance", key="att", width=12)
        self.add_column(" Name", key="name", width=self._name_width)
        self.add_column("Check-in", key="ci", width=8)
        self.add_column("", key="flag", width=3)

    # -- filling -------------------------------------------------------------------------
    def _shown_name(self, row: RosterRow) -> str:
        name = row.first_name if self.privacy else row.name
        room = self._name_width - 1
        if len(name) > room:
            name = name[: room - 1] + "…"
        return " " + name

    @property
    def _name_width(self) -> int:
        # What is left of the pane once the other columns have theirs (they are fixed).
        return max(8, self.size.width - FIXED_WIDTH) if self.size.width else 16

    def on_resize(self) -> None:
        if self.rows_by_pid and self._name_width != self._drawn_width:
            self.set_rows(list(self.rows_by_pid.values()))

    def set_rows(self, rows: list[RosterRow]) -> None:
        self._drawn_width = self._name_width
        cursor = self.cursor_row
        self.clear(columns=True)  # columns remember their widest cell: start them afresh
        self._add_columns()
        self.rows_by_pid = {r.pid: r for r in rows}
        for r in rows:
            self.add_row(attendance_text(r), self._shown_name(r), checkin_text(r, self.privacy),
                         flag_text(r, self.privacy), key=r.pid)
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1))

    def update_row(self, row: RosterRow) -> None:
        """Redraw one man's row (after a mark or a check-in): cheap, whatever the roster size."""
        self.rows_by_pid[row.pid] = row
        self.update_cell(row.pid, "att", attendance_text(row))
        self.update_cell(row.pid, "ci", checkin_text(row, self.privacy))
        self.update_cell(row.pid, "flag", flag_text(row, self.privacy))

    def set_privacy(self, privacy: bool) -> None:
        self.privacy = privacy
        self.set_rows(list(self.rows_by_pid.values()))

    # -- reading -------------------------------------------------------------------------
    @property
    def selected_pid(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def select_pid(self, pid: str) -> None:
        if pid in self.rows_by_pid:
            self.move_cursor(row=self.get_row_index(pid))

    def next_pid(self, after: str | None, wanted=lambda r: True) -> str | None:
        """The next man after `after` (wrapping round) for whom `wanted(row)` holds."""
        order = list(self.rows_by_pid)
        if not order:
            return None
        start = order.index(after) + 1 if after in order else 0
        for pid in order[start:] + order[:start]:
            if wanted(self.rows_by_pid[pid]):
                return pid
        return None

    # -- actions -------------------------------------------------------------------------
    def action_mark(self, status: str) -> None:
        pid = self.selected_pid
        if pid:
            self.post_message(self.Mark(pid, status))
            # Move on at once (not after the save): the next key is already for the next man.
            if self.cursor_row < self.row_count - 1:
                self.move_cursor(row=self.cursor_row + 1)

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=max(self.row_count - 1, 0))

    def action_checkin(self) -> None:
        pid = self.selected_pid
        if pid:
            self.post_message(self.OpenCheckIn(pid))
