"""What the screens show, gathered from the services (the UI never opens a store itself).

Plain functions returning plain data, so they can run in a worker thread and be tested
without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from facilitator import clock
from facilitator.domain.group import Group
from facilitator.domain.values import WEEKDAYS
from facilitator.services.groupwork import groups as group_service
from facilitator.services.groupwork import sessions as session_service
from facilitator.services.groupwork.groups import RosterEntry
from facilitator.services.core.office import Office
from facilitator.services.groupwork.sessions import SessionRecord
from facilitator.tui.hooks import optional

# -- curricula ---------------------------------------------------------------------------------
_curricula: dict[tuple[str, float], Any] = {}


def curriculum(office: Office, curriculum_id: str):
    """The parsed curriculum (cached per folder and change time), or None when it cannot be read."""
    try:
        from facilitator.curriculum.locate import curricula_roots, find_curriculum_folder
        from facilitator.curriculum.parser import parse_curriculum
    except ImportError:
        return None
    try:
        folder = find_curriculum_folder(curriculum_id, curricula_roots(office.ws.curricula_dir))
        stamp = max((p.stat().st_mtime for p in Path(folder).iterdir()), default=0.0)
    except Exception:
        return None
    key = (str(folder), stamp)
    if key not in _curricula:
        try:
            _curricula[key] = parse_curriculum(folder).curriculum
        except Exception:
            return None
    return _curricula[key]


def plan_for(office: Office, group: Group, number: int):
    """The curriculum session a group session follows (CurriculumSession), or None."""
    c = curriculum(office, group.curriculum)
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

    @property
    def state(self) -> str:
        if self.unclosed:
            return f"⚠ {date.fromisoformat(self.unclosed):%d %b} open"
        return {"open": "● open", "closed": "✓ closed"}.get(self.today_state, "")

    @property
    def when(self) -> str:
        today = clock.today().isoformat()
        if self.next_day == today:
            return f"today {self.group.time}"
        d = date.fromisoformat(self.next_day)
        return f"{d.strftime('%a %d %b')} {self.group.time}"


def _next_meeting(group: Group, today: date) -> date:
    target = WEEKDAYS.index(group.weekday)
    return today + timedelta(days=(target - today.weekday()) % 7)


def home_groups(office: Office, with_titles: bool = True) -> tuple[list[GroupSummary], int]:
    """The groups running now with their next session, and how many ended or empty ones were left out."""
    today = clock.today()
    day = today.isoformat()
    recent = (today - timedelta(weeks=8)).isoformat()
    rows: list[GroupSummary] = []
    hidden = 0
    for g in group_service.list_groups(office):
        # Ended groups are not even opened: after ten years they are most of them.
        if g.ended_on and g.ended_on <= day:
            hidden += 1
            continue
        men = len(group_service.enrolled_ids(office, g.id, day))
        if not men and (g.start_date or "") < recent:
            hidden += 1
            continue
        todays = session_service.find_session(office, g.id, day)
        if todays and todays.state != "closed":
            next_day, number, state = day, todays.curriculum_session, "open"
        else:
            nxt = _next_meeting(g, today)
            if todays:  # closed today: the next one is next week
                nxt = nxt + timedelta(days=7) if nxt == today else nxt
            next_day = nxt.isoformat()
            number = session_service.next_curriculum_session(office, g, next_day)
            state = "closed" if todays else ""
        rows.append(GroupSummary(g, men, next_day, number, today_state=state,
                                 unclosed=unclosed_before(office, g.id, day)))
    rows.sort(key=lambda r: (r.next_day, r.group.time, r.group.id))
    if with_titles:
        add_titles(office, rows)
    return rows, hidden


def unclosed_before(office: Office, group_id: str, day: str) -> str:
    """The date of the group's last session before `day` if it was never closed."""
    earlier = [s for s in session_service.list_sessions(office, group_id) if s.date < day]
    return earlier[-1].date if earlier and earlier[-1].state != "closed" else ""


_titles: dict[tuple[str, float], str] = {}


def session_title(office: Office, curriculum_id: str, number: int) -> str:
    """One session's title, read from its own file (NN-….md) rather than parsing the whole
    curriculum: the home screen needs a title per group, not the guidance of 24 sessions."""
    try:
        from facilitator.curriculum.locate import curricula_roots, find_curriculum_folder
        from facilitator.curriculum.parser import SESSION_FILE, parse_session_text

        folder = Path(find_curriculum_folder(curriculum_id, curricula_roots(office.ws.curricula_dir)))
        for path in sorted(folder.glob("*.md")):
            m = SESSION_FILE.match(path.name)
            if not m or int(m.group(1)) != number:
                continue
            key = (str(path), path.stat().st_mtime)
            if key not in _titles:
                session = parse_session_text(path, path.read_text(encoding="utf-8"), [])
                _titles[key] = session.title if session.number == number else ""
            if _titles[key]:
                return _titles[key]
    except Exception:  # noqa: BLE001 - a file that cannot be read quickly: the full parse below says why
        pass
    c = curriculum(office, curriculum_id)  # files not named by number: the whole curriculum
    plan = c.session(number) if c is not None else None
    return plan.title if plan is not None else ""


def add_titles(office: Office, rows: list[GroupSummary]) -> None:
    for r in rows:
        r.title = session_title(office, r.group.curriculum, r.number)


# -- things due --------------------------------------------------------------------------------
@dataclass
class DueItems:
    risk: dict | None = None  # {"open", "overdue", "critical"} when the risk feature is present
    debriefs: list[str] = field(default_factory=list)
    debriefs_available: bool = False
    loading: set[str] = field(default_factory=set)  # parts still being counted
    compliance: list[str] = field(default_factory=list)
    compliance_available: bool = False
    supervision: list[str] = field(default_factory=list)
    supervision_available: bool = False
    backup: str | None = None
    problems: list[str] = field(default_factory=list)  # a hook that failed, said in one line


def describe(item: Any) -> str:
    """One line for a due item whatever shape the feature returns it in."""
    if isinstance(item, str):
        return item
    if hasattr(item, "note_status"):  # services.debrief.DueNote
        awaiting = ", ".join(getattr(item, "awaiting", []) or [])
        return f"{item.session_id} #{item.curriculum_session}: {item.note_status}" + (f", awaiting {awaiting}" if awaiting else "")
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


DUE_HOOKS = (
    ("facilitator.services.risk.flags", "queue_counts", "risk"),
    ("facilitator.services.records.backup", "last_backup_status", "backup"),
    ("facilitator.services.debrief.notes", "due_notes", "debriefs"),
    ("facilitator.services.compliance.status", "due_tasks", "compliance"),
    ("facilitator.services.evaluation.staff_quality", "supervision_due", "supervision"),
)


def due_items(office: Office, which: tuple[str, ...] = ("risk", "backup", "debriefs", "compliance", "supervision"),
              out: DueItems | None = None) -> DueItems:
    """What is due, from the features that are installed; `which` picks some (the risk counts
    come first on the home screen, the longer lists after)."""
    out = out or DueItems()
    for module, attr, target in DUE_HOOKS:
        if target not in which:
            continue
        try:
            fn = optional(module, attr)
            if fn is None:
                continue
            value = fn(office)
        except Exception as err:  # one broken feature must not take the home screen down
            out.problems.append(f"{module.rsplit('.', 1)[-1]}: {err}")
            continue
        if target == "risk":
            out.risk = dict(value or {})
        elif target == "backup":
            out.backup = value
        else:
            setattr(out, target, [describe(v) for v in value or []])
            setattr(out, f"{target}_available", True)
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


def load_session(office: Office, group_id: str, day: str | None = None) -> SessionView:
    """The group's session on `day` (today when not given, started if needed), with everything
    the screen shows."""
    group = group_service.get_group(office, group_id)
    if day:
        session = session_service.find_session(office, group.id, day)
        if session is None:
            from facilitator.errors import NotFound

            raise NotFound(f"group {group.id} has no session on {day}")
    else:
        session = session_service.open_or_start_session(office, group.id)
    return session_view(office, session.id, group)


def session_view(office: Office, sid: str, group: Group | None = None) -> SessionView:
    from facilitator.services.groupwork import drafts

    record = session_service.get_session(office, sid)
    group = group or group_service.get_group(office, record.session.group_id)
    return SessionView(
        record=record,
        group=group,
        roster=group_service.roster(office, group.id, record.session.date),
        plan=plan_for(office, group, record.session.curriculum_session),
        drafts=drafts.checkin_drafts(office, sid),
        runner=drafts.runner_state(office, sid),
    )


def meets_today(group: Group) -> bool:
    return WEEKDAYS[clock.today().weekday()] == group.weekday
