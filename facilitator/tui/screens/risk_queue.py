"""The risk review queue: open flags by deadline, the overdue and critical ones first in line
and marked in words and symbols (⚠ OVERDUE, ‼ CRITICAL), reversed, never by colour alone.

Enter shows a flag; v records a review step (actions and a note); x closes it with its outcome;
s lists the risk suggestions waiting for a decision (check-ins, debriefs, one-to-ones, case notes).
Privacy mode hides the queue entirely: it is for the office, not the room.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static

from facilitator import clock
from facilitator.detector.categories import label
from facilitator.domain.risk_flag import (
    ACTION_LABELS,
    REVIEW_STATE_LABELS,
    RiskFlag,
    is_overdue,
    queue_rank,
    review_state,
)
from facilitator.errors import FacilitatorError
from facilitator.services.core.people import list_participants
from facilitator.services.risk import marac
from facilitator.services.risk.flags import close_flag, list_flags, review_flag
from facilitator.tui import keys
from facilitator.tui.dialogs.ask import AskScreen
from facilitator.tui.dialogs.flag_details import FlagDetailsDialog
from facilitator.tui.dialogs.review import ReviewDialog
from facilitator.tui.privacy import privacy_on
from facilitator.tui.screens.base import FacilitatorScreen
from facilitator.tui.screens.marac import MaracScreen
from facilitator.tui.screens.suggestions import SuggestionsScreen


def flag_state(flag: RiskFlag, now: datetime) -> Text:
    """The state column in words and symbols: ⚠ OVERDUE, ◐ in review, · open, ✓ closed.
    Overdue is the domain's rule, the same one the home screen counts and `risk list` marks."""
    state = review_state(flag, now)
    if state == "overdue":
        return Text("⚠ OVERDUE", style="bold reverse")
    return Text(STATE_MARKS[state] + " " + REVIEW_STATE_LABELS[state])


def severity_text(flag: RiskFlag) -> Text:
    """‼ CRITICAL shouted while the flag is not closed; other severities as words."""
    if flag.severity == "critical" and not flag.is_closed:
        return Text("‼ CRITICAL", style="bold reverse")
    return Text(flag.severity)


def stands_out(flag: RiskFlag, now: datetime) -> bool:
    return is_overdue(flag, now) or (flag.severity == "critical" and not flag.is_closed)


STATE_MARKS = {"open": "·", "in_review": "◐", "closed": "✓"}

# The columns that matter fit in 80: state, deadline, who the flag is about, severity and the
# flag's id; categories take what is left and are written out in full under the table.
MAN_WIDTH = 20
FIXED_COLUMNS = 70  # the other columns' widest words, with the space around every cell


def when(deadline: str, now: datetime) -> str:
    if not deadline:
        return ""
    d = datetime.fromisoformat(deadline)
    if d.date() == now.date():
        return f"today {d:%H:%M}"
    return f"{d:%d %b %H:%M}"


def clipped(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class QueueTable(DataTable):
    BINDINGS = keys.bindings(keys.QUEUE_TABLE)


class RiskQueueScreen(FacilitatorScreen):
    follows_privacy = True  # redraws itself when the switch changes
    BINDINGS = keys.bindings(keys.RISK_QUEUE)
    help_sections = ("Risk queue",)

    def __init__(self) -> None:
        super().__init__()
        self.include_closed = False
        self.flags: list = []
        self.names: dict[str, tuple[str, str]] = {}
        self.marac: list[str] = []  # MARAC prompts open and actions due, one line each

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="queue-body"):
            yield Static("", id="queue-title", classes="pane-title")
            yield QueueTable(id="queue", cursor_type="row")
            yield Static("", id="queue-current")
            yield Static("", id="queue-detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Risk review queue"
        table = self.query_one(DataTable)
        table.add_column("State", key="state")
        table.add_column("Due", key="due")
        table.add_column("Man", key="man")
        table.add_column("Severity", key="sev")
        table.add_column("Flag", key="id")
        table.add_column("Categories", key="cats")
        table.focus()
        self.watch(self.app, "privacy", lambda _v: self._show(), init=False)
        self.load()

    @work(thread=True, exclusive=True, group="queue-load")
    def load(self) -> None:
        office = self.facilitator_app.office
        try:
            flags = list_flags(office, "all" if self.include_closed else "open")

            names = {p.id: (p.name, p.first_name) for p in list_participants(office)}
            self.marac = [d.line for d in marac.due(office)]
        except FacilitatorError as err:
            self.app.call_from_thread(self._failed, err.message)
            return
        except Exception as err:  # noqa: BLE001
            self.app.call_from_thread(self._failed, f"unexpected failure: {err}")
            return
        self.app.call_from_thread(self._loaded, flags, names)

    def _failed(self, message: str) -> None:
        self.query_one("#queue-title", Static).update(Text(f"⚠ {message}", style="bold"))

    def _loaded(self, flags: list, names: dict) -> None:
        now = clock.now()
        self.flags = sorted(flags, key=lambda f: queue_rank(f, now))
        self.names = names
        self._show()

    def _show(self) -> None:
        now = clock.now()
        table = self.query_one(DataTable)
        # After a review or a close the cursor stays on that flag, else on the one that took its
        # place: the next key must never act on a flag the reviewer was not looking at.
        kept = self._selected()
        kept_id, kept_row = (kept.id if kept else None), table.cursor_row
        table.clear()
        privacy = privacy_on(self.app)
        overdue = sum(1 for f in self.flags if is_overdue(f, now))
        critical = sum(1 for f in self.flags if f.severity == "critical" and f.status != "closed")
        which = "All" if self.include_closed else "Open"
        if privacy:  # the counts too, as on the home screen
            head = Text(f"{which} flags: hidden (privacy mode)")
        else:
            head = Text(f"{which} flags: {len(self.flags)}")
            if overdue:
                head.append(f"   ⚠ {overdue} OVERDUE", style="bold reverse")
            if critical:
                head.append(f"   ‼ {critical} CRITICAL", style="bold reverse")
        self.query_one("#queue-title", Static).update(head)
        if privacy:
            self.query_one("#queue-current", Static).update("")
            self.query_one("#queue-detail", Static).update(
                "Flags are hidden in privacy mode (Ctrl+T shows them)."
            )
            return
        # Categories take the room left, so nothing needs scrolling sideways.
        scrollbar = 2 if len(self.flags) >= table.size.height else 0
        cats_width = max(10, self.size.width - FIXED_COLUMNS - scrollbar)
        for f in self.flags:
            pid = f.participant_id
            name = self.names.get(pid, (pid, pid))[0]
            row: list[str | Text] = [
                flag_state(f, now),
                when(f.deadline, now),
                clipped(f"{pid} {name}", MAN_WIDTH),
                severity_text(f),
                f.id,
                clipped(", ".join(label(c) for c in f.categories), cats_width),
            ]
            if stands_out(f, now):
                row = [c if isinstance(c, Text) else Text(str(c), style="bold") for c in row]
            table.add_row(*row, key=f.id)
        ids = [f.id for f in self.flags]
        if ids:
            at = ids.index(kept_id) if kept_id in ids else min(kept_row, len(ids) - 1)
            table.move_cursor(row=at, animate=False)
        detail = Text(
            "" if self.flags else "No open flags." if not self.include_closed else "No flags."
        )
        if self.marac:
            detail.append("\n" if detail.plain else "")
            detail.append(f"MARAC due: {len(self.marac)}", style="bold")
            for line in self.marac[:3]:
                detail.append(f"\n  • {line}")
            if len(self.marac) > 3:
                detail.append(f"\n  … and {len(self.marac) - 3} more (m shows them all)")
        self.query_one("#queue-detail", Static).update(detail)

    # -- actions -------------------------------------------------------------------------
    def _selected(self):
        table = self.query_one(DataTable)
        if privacy_on(self.app) or not table.row_count:
            return None
        fid = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((f for f in self.flags if f.id == fid), None)

    def on_resize(self) -> None:
        self._show()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted flag's man and categories in full, whatever the table had room for."""
        event.stop()
        f = self._selected()
        line = Text()
        if f is not None:
            name = self.names.get(f.participant_id, ("", ""))[0]
            line.append(f"{f.id} ", style="bold")
            line.append(f"{f.participant_id} {name}: ")
            line.append(", ".join(label(c) for c in f.categories))
            line.append(" · ⏎ details")
        self.query_one("#queue-current", Static).update(line)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_show_flag()

    def action_show_flag(self) -> None:
        f = self._selected()
        if f is None:
            return
        now = clock.now()
        lines = [
            f"Man: {f.participant_id} {self.names.get(f.participant_id, ('', ''))[0]}",
            f"Categories: {', '.join(label(c) for c in f.categories)} · severity {f.severity}",
            f"Raised {f.raised_at[:16].replace('T', ' ')} by {f.raised_by}"
            + (f" in session {f.session_id}" if f.session_id else ""),
            f"Deadline {f.deadline[:16].replace('T', ' ')} · "
            + REVIEW_STATE_LABELS[review_state(f, now)],
            f"Summary: {f.summary}",
        ]
        for m in f.markers:
            lines.append(f"⚠ {m}")
        for r in f.reviews:
            done = ", ".join(ACTION_LABELS.get(a, a) for a in r.get("actions", []))
            lines.append(
                f"Review {str(r.get('at', ''))[:16].replace('T', ' ')} {r.get('by', '')}: "
                f"{done} — {r.get('note', '')}"
            )
        dialog = FlagDetailsDialog(f"Flag {f.id}", lines)

        def chosen(go_on: bool | None) -> None:
            if go_on and dialog.then == "review":
                self.action_review_flag()
            elif go_on and dialog.then == "close":
                self.action_close_flag()

        self.app.push_screen(dialog, chosen)

    def action_review_flag(self) -> None:
        f = self._selected()
        if f is None:
            return

        def done(answer: tuple[list[str], str] | None) -> None:
            if answer is None:
                return
            actions, note = answer
            if (
                self.facilitator_app.safely(
                    review_flag, self.facilitator_app.office, f.id, actions, note
                )
                is not None
            ):
                self.notify(f"Review recorded on {f.id}")
                self.load()

        self.app.push_screen(ReviewDialog(f.id), done)

    def action_close_flag(self) -> None:
        f = self._selected()
        if f is None:
            return

        fid = f.id
        if not f.actions_taken:  # the domain's rule, said here with its key
            self.notify(
                f"Flag {fid} has no review yet: press v to record what was done, then x closes it",
                severity="warning",
            )
            return

        def ask(typed: str = "") -> None:
            self.app.push_screen(
                AskScreen(f"Outcome of flag {fid} (why it can close)", typed), done
            )

        def done(outcome: str | None) -> None:
            if not outcome:
                return
            if (
                self.facilitator_app.safely(close_flag, self.facilitator_app.office, fid, outcome)
                is not None
            ):
                self.notify(f"Flag {fid} closed")
                self.load()
            else:
                ask(outcome)  # refused: the question comes back with what was typed

        ask()

    def action_marac(self) -> None:
        self.app.push_screen(MaracScreen())

    def action_suggestions(self) -> None:
        def back(_result: object) -> None:
            self.load()  # a confirmed suggestion is a new flag in the queue

        self.app.push_screen(SuggestionsScreen(), back)

    def action_toggle_all(self) -> None:
        self.include_closed = not self.include_closed
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
