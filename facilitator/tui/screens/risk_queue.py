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


def _get(flag, name, default=None):
    return flag.get(name, default) if isinstance(flag, dict) else getattr(flag, name, default)


def flag_state(flag, now: datetime) -> tuple[Text, bool]:
    """The marker column: OVERDUE and CRITICAL in words, and whether the row must stand out."""
    status = _get(flag, "status", "open")
    deadline = str(_get(flag, "deadline", "") or "")
    overdue = status != "closed" and bool(deadline) and now > datetime.fromisoformat(deadline)
    critical = _get(flag, "severity") == "critical" and status != "closed"
    t = Text()
    if overdue:
        t.append("⚠ OVERDUE", style="bold reverse")
    if critical:
        if overdue:
            t.append(" ")
        t.append("‼ CRITICAL", style="bold reverse")
    if not t.plain:
        t.append(
            "✓ closed"
            if status == "closed"
            else ("◐ in review" if status == "in_review" else "· open")
        )
    return t, overdue or critical


def sort_key(flag, now: datetime) -> tuple:
    """Overdue first, then by deadline; the most severe first among equal deadlines."""
    status = _get(flag, "status", "open")
    deadline = str(_get(flag, "deadline", "") or "9999")
    overdue = status != "closed" and deadline < now.isoformat()
    rank = {"critical": 0, "high": 1, "medium": 2}.get(_get(flag, "severity"), 3)
    return (status == "closed", not overdue, deadline, rank, str(_get(flag, "id", "")))


def when(deadline: str, now: datetime) -> str:
    if not deadline:
        return ""
    d = datetime.fromisoformat(deadline)
    if d.date() == now.date():
        return f"today {d:%H:%M}"
    return f"{d:%a %d %b %H:%M}"


class QueueTable(DataTable):
    BINDINGS = keys.bindings(keys.QUEUE_TABLE)


class RiskQueueScreen(FacilitatorScreen):
    BINDINGS = keys.bindings(keys.RISK_QUEUE)

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
            yield Static("", id="queue-detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Risk review queue"
        table = self.query_one(DataTable)
        table.add_column("State", key="state")
        table.add_column("Due", key="due")
        table.add_column("Flag", key="id")
        table.add_column("Severity", key="sev")
        table.add_column("Categories", key="cats")
        table.add_column("Man", key="man")
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
        self.flags = sorted(flags, key=lambda f: sort_key(f, now))
        self.names = names
        self._show()

    def _show(self) -> None:
        now = clock.now()
        table = self.query_one(DataTable)
        # After a review or a close the cursor stays on that flag, else on the one that took its
        # place: the next key must never act on a flag the reviewer was not looking at.
        kept = self._selected()
        kept_id, kept_row = (str(_get(kept, "id")) if kept else None), table.cursor_row
        table.clear()
        privacy = privacy_on(self.app)
        overdue = sum(1 for f in self.flags if flag_state(f, now)[0].plain.startswith("⚠"))
        critical = sum(
            1
            for f in self.flags
            if _get(f, "severity") == "critical" and _get(f, "status") != "closed"
        )
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
            self.query_one("#queue-detail", Static).update(
                "Flags are hidden in privacy mode (Ctrl+T shows them)."
            )
            return
        for f in self.flags:
            state, loud = flag_state(f, now)
            pid = _get(f, "participant_id", "")
            name = self.names.get(pid, (pid, pid))[0]
            cats = ", ".join(label(c) for c in _get(f, "categories", []) or [])
            row: list[str | Text] = [
                state,
                when(str(_get(f, "deadline", "") or ""), now),
                str(_get(f, "id", "")),
                str(_get(f, "severity", "")),
                cats,
                f"{pid} {name}",
            ]
            if loud:
                row = [c if isinstance(c, Text) else Text(str(c), style="bold") for c in row]
            table.add_row(*row, key=str(_get(f, "id", "")))
        ids = [str(_get(f, "id", "")) for f in self.flags]
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
                detail.append(f"\n  … and {len(self.marac) - 3} more (facilitator marac actions)")
        self.query_one("#queue-detail", Static).update(detail)

    # -- actions -------------------------------------------------------------------------
    def _selected(self):
        table = self.query_one(DataTable)
        if privacy_on(self.app) or not table.row_count:
            return None
        fid = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((f for f in self.flags if str(_get(f, "id")) == fid), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_show_flag()

    def action_show_flag(self) -> None:
        f = self._selected()
        if f is None:
            return
        lines = [
            f"Man: {_get(f, 'participant_id')} "
            f"{self.names.get(_get(f, 'participant_id'), ('', ''))[0]}",
            f"Categories: {', '.join(label(c) for c in _get(f, 'categories', []) or [])} · severity "
            f"{_get(f, 'severity')}",
            f"Raised {str(_get(f, 'raised_at', ''))[:16]} by {_get(f, 'raised_by', '')}"
            + (f" in session {_get(f, 'session_id')}" if _get(f, "session_id") else ""),
            f"Deadline {str(_get(f, 'deadline', ''))[:16]} · status {_get(f, 'status')}",
            f"Summary: {_get(f, 'summary', '')}",
        ]
        for m in _get(f, "markers", []) or []:
            lines.append(f"⚠ {m}")
        for r in _get(f, "reviews", []) or []:
            lines.append(
                f"Review {str(r.get('at', ''))[:16]} {r.get('by', '')}: "
                f"{', '.join(r.get('actions', []))} — {r.get('note', '')}"
            )
        dialog = FlagDetailsDialog(f"Flag {_get(f, 'id')}", lines)

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
                    review_flag, self.facilitator_app.office, str(_get(f, "id")), actions, note
                )
                is not None
            ):
                self.notify(f"Review recorded on {_get(f, 'id')}")
                self.load()

        self.app.push_screen(ReviewDialog(str(_get(f, "id"))), done)

    def action_close_flag(self) -> None:
        f = self._selected()
        if f is None:
            return

        fid = str(_get(f, "id"))
        if not _get(f, "actions_taken", []):  # the domain's rule, said here with its key
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
