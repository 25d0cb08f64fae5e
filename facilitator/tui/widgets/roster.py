"""The roster: each man with his attendance as a symbol and a word, his check-in and a flag marker.

One key per attendance status (keys.ROSTER). The widget only says what was asked for, as a
message; the session screen asks for minutes or a reason, saves through the services and
redraws the one row that changed.

Not a DataTable: there every change re-renders every cell (≈15 ms a frame). Here each man is
one line widget, so a mark redraws one line; the cursor row carries a ▸ as well as a colour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from facilitator.domain.attendance import SYMBOLS
from facilitator.domain.text import printable
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


def short_name(name: str, first_name: str, room: int, privacy: bool = False) -> str:
    """His name as it fits the roster's column: in full, else his first name and the initials
    of the rest ("Christopher R."), else his first name, as a facilitator would write it on a
    register. Cut with an ellipsis only when even the first name is longer than the column.
    In privacy mode, his first name only."""
    first = first_name or name.split(" ", 1)[0]
    if privacy:
        forms = [first]
    else:
        rest = name[len(first) :].split() if name.startswith(first) else name.split()[1:]
        forms = [name, " ".join([first, *(w[0] + "." for w in rest if w)]), first]
    for form in forms:
        if len(form) <= room:
            return form
    return first[: max(room - 1, 1)] + "…"


FIXED_WIDTH = 1 + 12 + 8 + 3  # cursor mark, attendance, check-in, flag
HEADER = "Attendance"


class RosterLine(Static):
    """One man's row."""

    def __init__(self, pid: str) -> None:
        super().__init__("", id=f"man-{pid}", classes="roster-line")
        self.pid = pid

    def on_click(self, event: Click) -> None:
        self.post_message(Roster.Clicked(self.pid))


class Roster(Vertical, can_focus=True):
    BINDINGS = keys.bindings(keys.ROSTER) + [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
    ]

    class Mark(Message):
        def __init__(self, pid: str, status: str) -> None:
            super().__init__()
            self.pid = pid
            self.status = status

    class OpenCheckIn(Message):
        def __init__(self, pid: str) -> None:
            super().__init__()
            self.pid = pid

    class Clicked(Message):
        def __init__(self, pid: str) -> None:
            super().__init__()
            self.pid = pid

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows_by_pid: dict[str, RosterRow] = {}
        self.order: list[str] = []
        self.privacy = False
        self.cursor_row = 0
        self._drawn_width = 0
        # The screen's handlers for a mark key and for Enter, called at once (focus moves now).
        self.on_mark: Callable[[str, str], None] | None = None
        self.on_open: Callable[[str], None] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="roster-header")
        yield VerticalScroll(id="roster-lines", can_focus=False)

    # -- drawing -------------------------------------------------------------------------
    @property
    def _name_width(self) -> int:
        # What is left of the pane once the other columns have theirs (they are fixed).
        return max(8, self.size.width - FIXED_WIDTH) if self.size.width else 16

    def _shown_name(self, row: RosterRow) -> str:
        return " " + short_name(
            printable(row.name), printable(row.first_name), self._name_width - 1, self.privacy
        )

    def line_text(self, row: RosterRow, here: bool = False) -> Text:
        text = Text("▸" if here else " ", style="bold")
        text.append_text(attendance_text(row))
        text.pad_right(1 + 12 - text.cell_len)
        text.append(self._shown_name(row).ljust(self._name_width))
        ci = checkin_text(row, self.privacy)
        ci.pad_right(8 - ci.cell_len)
        text.append_text(ci)
        text.append_text(flag_text(row, self.privacy))
        text.no_wrap = True
        return text

    def _draw(self, pid: str) -> None:
        here = self.order.index(pid) == self.cursor_row
        line = self.query_one(f"#man-{pid}", RosterLine)
        line.update(self.line_text(self.rows_by_pid[pid], here), layout=False)
        line.set_class(here, "-cursor")

    def _draw_header(self) -> None:
        header = Text(
            " " + HEADER.ljust(12) + " Name".ljust(self._name_width) + "Check-in", style="bold"
        )
        self.query_one("#roster-header", Static).update(header, layout=False)

    def on_resize(self) -> None:
        if self.rows_by_pid and self._name_width != self._drawn_width:
            self._drawn_width = self._name_width
            self._draw_header()
            for pid in self.order:
                self._draw(pid)

    # -- filling -------------------------------------------------------------------------
    def set_rows(self, rows: list[RosterRow]) -> None:
        self._drawn_width = self._name_width
        lines = self.query_one("#roster-lines", VerticalScroll)
        lines.remove_children()
        self.rows_by_pid = {r.pid: r for r in rows}
        self.order = [r.pid for r in rows]
        self.cursor_row = min(self.cursor_row, max(len(rows) - 1, 0))
        lines.mount_all([RosterLine(pid) for pid in self.order])
        self._draw_header()
        for pid in self.order:
            self._draw(pid)

    def update_row(self, row: RosterRow) -> None:
        """Redraw one man's row (after a mark or a check-in): one line, whatever the roster size."""
        self.rows_by_pid[row.pid] = row
        self._draw(row.pid)

    def set_privacy(self, privacy: bool) -> None:
        self.privacy = privacy
        for pid in self.order:
            self._draw(pid)

    def row_text(self, pid: str) -> str:
        """The row as shown (tests and benchmarks read it)."""
        return self.line_text(self.rows_by_pid[pid]).plain

    # -- the cursor ----------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.order)

    @property
    def selected_pid(self) -> str | None:
        return self.order[self.cursor_row] if self.order else None

    def move_cursor(self, row: int) -> None:
        if not self.order:
            return
        row = min(max(row, 0), len(self.order) - 1)
        old, self.cursor_row = self.cursor_row, row
        if 0 <= old < len(self.order) and old != row:
            self._draw(self.order[old])
        self._draw(self.order[row])
        line = self.query_one(f"#man-{self.order[row]}", RosterLine)
        self.query_one("#roster-lines", VerticalScroll).scroll_to_widget(line, animate=False)

    def select_pid(self, pid: str) -> None:
        if pid in self.rows_by_pid:
            self.move_cursor(self.order.index(pid))

    def next_pid(self, after: str | None, wanted=lambda r: True) -> str | None:
        """The next man after `after` (wrapping round) for whom `wanted(row)` holds."""
        order = self.order
        if not order:
            return None
        start = order.index(after) + 1 if after in order else 0
        for pid in order[start:] + order[:start]:
            if wanted(self.rows_by_pid[pid]):
                return pid
        return None

    def on_roster_clicked(self, event: Roster.Clicked) -> None:
        event.stop()
        self.focus()
        self.select_pid(event.pid)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A closed session shows only what works there: no attendance keys in its footer
        # until a correction is asked for (Ctrl+R).
        if action == "mark":
            session = getattr(self.screen, "session", None)
            if session is not None and session.is_closed and not self.screen.correcting:  # type: ignore[attr-defined]
                return False  # hidden (None would show them dimmed)
        return True

    # -- actions -------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_mark(self, status: str) -> None:
        pid = self.selected_pid
        if pid:
            if self.on_mark is not None:
                # Handled now, not as a message: the save and the cursor move then reach the
                # screen in the same frame (a message would cost one frame more, ~17 ms).
                self.on_mark(pid, status)
            else:
                self.post_message(self.Mark(pid, status))
            # Move on at once (not after the save): the next key is already for the next man.
            if self.cursor_row < self.row_count - 1:
                self.move_cursor(self.cursor_row + 1)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_checkin(self) -> None:
        pid = self.selected_pid
        if pid and self.on_open is not None:
            self.on_open(pid)
        elif pid:
            self.post_message(self.OpenCheckIn(pid))
