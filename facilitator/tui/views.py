"""What the screens show, gathered from the services (the UI never opens a store itself).

Plain functions returning plain data, so they can run in a worker thread and be tested
without a terminal.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from facilitator import clock
from facilitator.curriculum.locate import (
    curriculum_if_readable,
    session_title,
)
from facilitator.domain.group import Group
from facilitator.domain.values import WEEKDAYS
from facilitator.errors import FacilitatorError, NotFound
from facilitator.services.compliance import status as compliance_status
from facilitator.services.core import group_store as group_store
from facilitator.services.core import session_store as session_store
from facilitator.services.core.group_store import RosterEntry
from facilitator.services.core.office import Office
from facilitator.services.core.session_store import SessionRecord
from facilitator.services.debrief import notes as debrief_notes
from facilitator.services.evaluation import staff_quality
from facilitator.services.groupwork import drafts
from facilitator.services.groupwork import plan as group_plan
from facilitator.services.groupwork import sessions as session_service
from facilitator.services.records import backup
from facilitator.services.risk import flags as risk_flags
from facilitator.services.risk import marac


# -- curricula ---------------------------------------------------------------------------------
def plan_for(office: Office, group: Group, number: int):
    """The curriculum session a group session follows (CurriculumSession), or None."""
    c = curriculum_if_readable(group.curriculum, office.ws.curricula_dir)
    return c.session(number) if c is not None else None


# -- home --------------------------------------------------------------------------------------
@dataclass
class GroupSummary:
    group: Group
    men: int
    next_day: str
    number: int
    title: str = ""
    today_state: str = ""  # "open", "closed" or "" when there is no session today
    unclosed: str = ""  # the date of an earlier session left open, if any
    cancelled: str = ""  # the date of a session cancelled in the next weeks, if any
    time: str = ""  # the next session's time, when the plan moved it

    @property
    def state(self) -> str:
        if self.unclosed:
            return f"⚠ {date.fromisoformat(self.unclosed):%d %b} open"
        if self.today_state in ("open", "closed"):
            return {"open": "● open", "closed": "✓ closed"}[self.today_state]
        if self.cancelled:
            return f"✗ {date.fromisoformat(self.cancelled):%d %b} cancelled"
        return ""

    @property
    def when(self) -> str:
        today = clock.today().isoformat()
        if self.next_day == today:
            return f"today {self.group.time}"
        d = date.fromisoformat(self.next_day)
        return f"{d.strftime('%a %d %b')} {self.time or self.group.time}"


def _next_meeting(group: Group, today: date) -> date:
    target = WEEKDAYS.index(group.weekday)
    return today + timedelta(days=(target - today.weekday()) % 7)


def home_groups(office: Office, with_titles: bool = True) -> tuple[list[GroupSummary], int]:
    """The groups running now with their next session, and how many ended or empty ones were
    left out."""
    today = clock.today()
    day = today.isoformat()
    recent = (today - timedelta(weeks=8)).isoformat()
    rows: list[GroupSummary] = []
    hidden = 0
    for g in group_store.list_groups(office):
        # Ended groups are not even opened: after ten years they are most of them.
        if g.ended_on and g.ended_on <= day:
            hidden += 1
            continue
        men = len(group_store.enrolled_ids(office, g.id, day))
        if not men and (g.start_date or "") < recent:
            hidden += 1
            continue
        todays = session_store.find_session(office, g.id, day)
        if todays and todays.state != "closed":
            next_day, number, state = day, todays.curriculum_session, "open"
        else:
            nxt = _next_meeting(g, today)
            if todays:  # closed today: the next one is next week
                nxt = nxt + timedelta(days=7) if nxt == today else nxt
            next_day = nxt.isoformat()
            number = session_store.next_curriculum_session(office, g, next_day)
            state = "closed" if todays else ""
        row = GroupSummary(
            g, men, next_day, number, today_state=state, unclosed=unclosed_before(office, g.id, day)
        )
        if state != "open" and group_plan.plan_changes(office, g.id):
            # Cancelled or moved sessions: the plan says which is next (closed days follow in
            # add_closed_days: the holidays library is too slow to load for the first draw).
            _follow_plan(office, row, closures=False)
        rows.append(row)
    if with_titles:
        add_closed_days(office, rows)
        add_titles(office, rows)
    me = acting(office)
    rows.sort(key=lambda r: home_order(r.group, me, today))
    return rows, hidden


def home_order(group: Group, me: str, today: date) -> tuple:
    """The groups the acting member runs first, then by how soon their weekday comes round
    (today's first), time and id. Nothing a session does today moves a group: closing G1 must
    not put another group under the cursor."""
    mine = me in group.facilitators
    days = (WEEKDAYS.index(group.weekday) - today.weekday()) % 7 if group.weekday in WEEKDAYS else 7
    return (not mine, days, group.time, group.id)


def meets_today(group: Group) -> bool:
    return WEEKDAYS[clock.today().weekday()] == group.weekday


def acting(office: Office) -> str:
    try:
        return office.user or ""
    except FacilitatorError:
        return ""


def _follow_plan(office: Office, row: GroupSummary, closures: bool) -> None:
    """The next session and any cancellation in the next three weeks, from the group's plan."""
    today = clock.today()
    entries = group_plan.build_plan(
        office, row.group, today, today + timedelta(weeks=3), closures=closures
    )
    ahead = [
        e
        for e in entries
        if e.state == group_plan.PLANNED
        or (e.state == group_plan.HELD and e.session_state != "closed")
    ]
    if ahead and ahead[0].number is not None:
        row.next_day, row.number, row.time = ahead[0].date, ahead[0].number, ahead[0].time
    cancelled = [e.date for e in entries if e.state == group_plan.CANCELLED]
    row.cancelled = cancelled[0] if cancelled else ""


def add_closed_days(office: Office, rows: list[GroupSummary]) -> None:
    """The next session of each group not running now, skipping the programme's closed days."""
    for r in rows:
        if r.today_state != "open":
            try:
                _follow_plan(office, r, closures=True)
            except FacilitatorError:
                pass  # a holiday setting the library does not know: the weekly date stands


def unclosed_before(office: Office, group_id: str, day: str) -> str:
    """The date of the group's last session before `day` if it was never closed."""
    earlier = [s for s in session_store.list_sessions(office, group_id) if s.date < day]
    return earlier[-1].date if earlier and earlier[-1].state != "closed" else ""


def add_titles(office: Office, rows: list[GroupSummary]) -> None:
    for r in rows:
        r.title = session_title(r.group.curriculum, office.ws.curricula_dir, r.number)


# -- things due --------------------------------------------------------------------------------
@dataclass
class DueItems:
    risk: dict | None = None  # {"open", "overdue", "critical"}; None until read, or unreadable
    debriefs: list[str] = field(default_factory=list)
    loading: set[str] = field(default_factory=set)  # parts still being counted
    compliance: list[str] = field(default_factory=list)
    supervision: list[str] = field(default_factory=list)
    marac: list[str] = field(default_factory=list)
    # A part whose store could not be read (the reason is in `problems`, naming the file).
    risk_failed: bool = False
    debriefs_failed: bool = False
    compliance_failed: bool = False
    supervision_failed: bool = False
    marac_failed: bool = False
    backup_failed: bool = False
    backup: str | None = None
    problems: list[str] = field(default_factory=list)  # a store that failed, in one line each
    risk_problem: str = ""  # why the risk queue could not be read, naming its file


def describe(item: Any) -> str:
    """One line for a due item whatever shape the feature returns it in."""
    if isinstance(item, str):
        return item
    if hasattr(item, "note_status"):  # services.debrief.DueNote
        awaiting = ", ".join(getattr(item, "awaiting", []) or [])
        return f"{item.session_id} #{item.curriculum_session}: {item.note_status}" + (
            f", awaiting {awaiting}" if awaiting else ""
        )
    if hasattr(item, "what") and hasattr(item, "participant_id"):  # services.compliance tasks
        due = getattr(item, "due_on", "")
        return f"{item.participant_id}: {item.what}" + (f" (due {due})" if due else "")
    for name in ("line", "text", "describe", "label", "title", "summary"):
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if callable(value):
            value = value()
        if value:
            return str(value)
    if isinstance(item, dict):
        return ", ".join(f"{k}: {v}" for k, v in item.items() if isinstance(v, (str, int)))[:120]
    return str(item)


# What each part of the home screen's "due" boxes reads: the service that counts it.
DUE_READERS: dict[str, tuple[str, Callable[[Office], Any]]] = {
    "risk": ("Risk queue", risk_flags.queue_counts),
    "backup": ("Backup", backup.last_backup_status),
    "debriefs": ("Debriefs due", debrief_notes.due_notes),
    "compliance": ("Compliance tasks due", compliance_status.due_tasks),
    "supervision": ("Supervision due", staff_quality.supervision_due),
    "marac": ("MARAC due", marac.due),
}


def due_items(
    office: Office, which: tuple[str, ...] = tuple(DUE_READERS), out: DueItems | None = None
) -> DueItems:
    """What is due; `which` picks some (the risk counts come first on the home screen, the
    longer lists after). A store that cannot be read is named in `problems`, and its part
    stays empty: one damaged file must not take the home screen down."""
    out = out or DueItems()
    for target in which:
        what, read = DUE_READERS[target]
        try:
            value = read(office)
        except FacilitatorError as err:
            # The file named from the workspace down, so the line fits the box at 80 columns.
            message = err.message.replace(f"{office.path}{os.sep}", "")
            out.problems.append(f"{what}: {message}")
            setattr(out, f"{target}_failed", True)
            if target == "risk":
                out.risk_problem = message
            continue
        if target == "risk":
            out.risk = dict(value or {})
        elif target == "backup":
            out.backup = value
        else:
            setattr(out, target, [describe(v) for v in value or []])
    return out


# -- a session ---------------------------------------------------------------------------------
@dataclass
class SessionView:
    record: SessionRecord
    group: Group
    roster: list[RosterEntry]
    plan: Any = None  # CurriculumSession or None
    drafts: dict[str, dict] = field(default_factory=dict)
    runner: dict = field(default_factory=dict)

    @property
    def sid(self) -> str:
        return self.record.session.id


def load_session(
    office: Office, group_id: str, day: str | None = None, reason: str = ""
) -> SessionView:
    """The group's session on `day` (today when not given, started if needed; `reason`: why
    today, when the group meets on another weekday), with everything the screen shows."""
    group = group_store.get_group(office, group_id)
    if day:
        session = session_store.find_session(office, group.id, day)
        if session is None:
            raise NotFound(f"group {group.id} has no session on {day}")
    else:
        session = session_service.open_or_start_session(office, group.id, reason=reason)
    return session_view(office, session.id, group)


def session_view(office: Office, sid: str, group: Group | None = None) -> SessionView:

    record = session_store.get_session(office, sid)
    group = group or group_store.get_group(office, record.session.group_id)
    return SessionView(
        record=record,
        group=group,
        roster=group_store.roster(office, group.id, record.session.date),
        plan=plan_for(office, group, record.session.curriculum_session),
        drafts=drafts.checkin_drafts(office, sid),
        runner=drafts.runner_state(office, sid),
    )
