"""A group's plan: its sessions dated ahead, from its weekday, time and curriculum.

The plan is worked out, never stored whole: the weekly dates from the group's start, less the
programme's closed days (public holidays and its own closure days, services.core.closures),
each given the curriculum session it will be on, counting on from the sessions already held.
What the coordinator changes is kept, one small file per group (`data/plans/<group>.json`,
one row per planned date changed):

    cancelled   the session will not happen (facilitator off sick, venue closed): its
                curriculum session moves on to the next date, and the men are marked
                "session cancelled", which never counts as an absence
    moved_to    the session is held on another date instead (it keeps its place in the order)
    cover       facilitator -> the one covering for him on that session

A session started on a date of the plan takes that entry (services.groupwork.sessions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from facilitator import clock
from facilitator.curriculum.locate import curriculum_if_readable
from facilitator.domain.group import Group
from facilitator.domain.values import WEEKDAYS, check_text_size, parse_date, require_text
from facilitator.errors import InvalidInput, NotFound, Refused
from facilitator.services.core.closures import closed_day_names
from facilitator.services.core.group_store import get_group
from facilitator.services.core.office import Office
from facilitator.services.core.session_store import index_rows
from facilitator.storage.stores import all_docs, get_doc, put_doc

DEFAULT_WEEKS = 12
DEFAULT_MINUTES = 150
# Entry states a user sees: planned, held (started, open or closed), cancelled, and closed
# days the group does not meet on (no curriculum session is used up).
PLANNED, HELD, CANCELLED, CLOSED_DAY = "planned", "held", "cancelled", "closed day"
CANCELLED_MARK = "session cancelled"


@dataclass
class PlannedSession:
    group_id: str
    date: str
    state: str  # PLANNED, HELD, CANCELLED or CLOSED_DAY
    number: int | None = None  # the curriculum session; None when cancelled or closed
    title: str = ""
    time: str = ""
    minutes: int = DEFAULT_MINUTES
    location: str = ""
    facilitators: list[str] = field(default_factory=list)
    cover: dict[str, str] = field(default_factory=dict)  # facilitator -> who covers for him
    moved_from: str = ""  # the date it was planned for, when moved
    reason: str = ""  # why it was cancelled or moved, or what closes the day
    session_state: str = ""  # open or closed, once held

    def to_dict(self) -> dict:
        return {
            "group_id": self.group_id,
            "date": self.date,
            "weekday": WEEKDAYS[parse_date(self.date).weekday()],
            "state": self.state,
            "curriculum_session": self.number,
            "title": self.title,
            "time": self.time,
            "minutes": self.minutes,
            "location": self.location,
            "facilitators": list(self.facilitators),
            "cover": dict(self.cover),
            "moved_from": self.moved_from,
            "reason": self.reason,
            "session_state": self.session_state,
        }

    @property
    def happens(self) -> bool:
        """Planned or held: a session the men and facilitators come to."""
        return self.state in (PLANNED, HELD)


# -- the store of changes --------------------------------------------------------------------
def _store(office: Office, group_id: str, write: bool = False):
    return office.stores.store(f"plans/{group_id}.json", "plan", write)


def plan_changes(office: Office, group_id: str) -> dict[str, dict]:
    """The coordinator's changes to the group's plan, by the date each session was planned for."""
    if not office.stores.path("plans", f"{group_id}.json").exists():
        return {}
    with _store(office, group_id) as db:
        return {d["date"]: d for d in all_docs(db, "changes")}


# -- working the plan out -------------------------------------------------------------------
def _weekly(group: Group, start: date, end: date) -> list[date]:
    wanted = WEEKDAYS.index(group.weekday)
    day = start + timedelta(days=(wanted - start.weekday()) % 7)
    out = []
    while day <= end:
        out.append(day)
        day += timedelta(days=7)
    return out


def _titles(office: Office, group: Group) -> dict[int, tuple[str, int]]:
    found = curriculum_if_readable(group.curriculum, office.ws.curricula_dir)
    if found is None:
        return {}
    return {s.number: (s.title, int(s.minutes or DEFAULT_MINUTES)) for s in found.sessions}


def build_plan(
    office: Office,
    group: Group,
    since: date,
    until: date,
    *,
    with_closed_days: bool = True,
    closures: bool = True,
) -> list[PlannedSession]:
    """The group's sessions from `since` to `until` (inclusive), held and planned, in order.

    with_closed_days: list the closed days the group does not meet on. closures: False reads
    no closed days at all (starting today's session must never wait on, or fail for, the
    holiday settings)."""
    if group.start_date:
        since = max(since, parse_date(group.start_date))
    if group.ended_on:
        until = min(until, parse_date(group.ended_on))
    if until < since:
        return []
    rows = index_rows(office, group.id, readonly=True)  # read, never changed, here
    held = {r["date"]: r for r in rows if r.get("kind", "group") == "group"}
    changes = plan_changes(office, group.id)
    moved_in = {d["moved_to"]: d for d in changes.values() if d.get("moved_to")}
    closed = closed_day_names(office, since, until.year - since.year + 1) if closures else {}
    lo, hi = since.isoformat(), until.isoformat()

    # Each date a session falls on, with the date it was planned for.
    dates: dict[str, str] = {}
    for day in _weekly(group, since, until):
        iso = day.isoformat()
        if not changes.get(iso, {}).get("moved_to"):
            dates[iso] = iso
    for to, doc in moved_in.items():
        if lo <= to <= hi:
            dates[to] = doc["date"]
    for iso in held:
        if lo <= iso <= hi:
            dates.setdefault(iso, iso)  # held on another day without a move in the plan

    earlier = [r for r in rows if r["date"] < lo and r.get("kind", "group") == "group"]
    last: int | None = int(earlier[-1]["curriculum_session"]) if earlier else None
    titles = _titles(office, group)
    out: list[PlannedSession] = []
    for iso in sorted(dates):
        origin = dates[iso]
        change = changes.get(origin, {})
        entry = PlannedSession(
            group.id,
            iso,
            PLANNED,
            time=group.time,
            location=group.location,
            facilitators=list(group.facilitators),
            cover=dict(change.get("cover") or {}),
            moved_from=origin if origin != iso else "",
            reason=str(change.get("reason") or ""),
        )
        if iso in held:
            entry.state, entry.session_state = HELD, held[iso].get("state", "")
            entry.number = int(held[iso]["curriculum_session"])
            entry.facilitators = list(held[iso].get("facilitators_present") or group.facilitators)
            entry.cover = {}
        elif change.get("cancelled"):
            entry.state = CANCELLED
        elif iso in closed and not entry.moved_from:
            if not with_closed_days:
                continue
            entry.state, entry.reason = CLOSED_DAY, closed[iso]
        elif group.entry == "closed" and last == int(group.cycle_length):
            break  # a closed group ends with its last curriculum session
        else:
            entry.number = group.next_curriculum_session(last)
        if entry.number is not None:
            last = entry.number
            entry.title, entry.minutes = titles.get(entry.number, ("", DEFAULT_MINUTES))
        entry.facilitators = [entry.cover.get(f, f) for f in entry.facilitators]
        out.append(entry)
    return out


def group_plan(
    office: Office, group_id: str, weeks: int | None = None, since: str | None = None
) -> list[PlannedSession]:
    """`group plan`: the group's sessions for `weeks` weeks from `since` (default today)."""
    group = get_group(office, group_id)
    weeks = DEFAULT_WEEKS if weeks is None else int(weeks)
    if not 1 <= weeks <= 520:
        raise InvalidInput(f"--weeks {weeks} is out of range (1 to 520)")
    start = parse_date(since, "plan start") if since else clock.today()
    return build_plan(office, group, start, start + timedelta(days=7 * weeks - 1))


def planned_on(
    office: Office, group: Group, day: str, closures: bool = True
) -> PlannedSession | None:
    """The plan's entry for one date (None when the group has no session planned on it)."""
    target = parse_date(day)
    # Counted from today, so a date ahead gets the curriculum session the plan gives it.
    found = build_plan(office, group, min(clock.today(), target), target, closures=closures)
    return next((e for e in found if e.date == target.isoformat()), None)


def moved_away(office: Office, group_id: str, day: str) -> str:
    """The date the session planned for `day` was moved to ("" when it was not moved)."""
    return str(plan_changes(office, group_id).get(day, {}).get("moved_to") or "")


# -- changing the plan ----------------------------------------------------------------------
def _entry_to_change(office: Office, group: Group, day: str, doing: str) -> PlannedSession:
    """The planned (not yet held) session on `day`, or one clear line saying why there is none."""
    iso = parse_date(day, "session date").isoformat()
    entry = planned_on(office, group, iso)
    if entry is None:
        to = moved_away(office, group.id, iso)
        where = f" (it was moved to {to})" if to else ""
        raise NotFound(
            f"group {group.id} has no session planned on {iso}{where}: see its plan",
            command=f"facilitator group plan {group.id}",
        )
    if entry.state == HELD:
        raise Refused(f"the session on {iso} was already started: it cannot be {doing}")
    if entry.state == CANCELLED:
        raise Refused(f"the session on {iso} is already cancelled ({entry.reason})")
    if entry.state == CLOSED_DAY:
        raise Refused(f"{iso} is a closed day ({entry.reason}): no session is planned on it")
    return entry


def _put_change(office: Office, group: Group, origin: str, **change) -> dict:
    with _store(office, group.id, write=True) as db:
        doc = get_doc(db, "changes", origin, field="date") or {"date": origin}
        doc |= change | {"changed_by": office.user, "changed_at": clock.now().isoformat()}
        put_doc(db, "changes", doc, field="date")
    return doc


def _reason(reason: str, what: str) -> str:
    words = require_text(" ".join((reason or "").split()), what)
    check_text_size(words, what)
    return words


def cancel_session(office: Office, group_id: str, day: str, reason: str) -> PlannedSession:
    """Cancel a planned session. Its curriculum session moves on to the next date; the men are
    marked "session cancelled" for it, which never counts as an absence."""
    office.require_role("coordinator", doing="cancel a planned session")
    group = get_group(office, group_id)
    words = _reason(reason, "the reason the session is cancelled (--reason)")
    with office.stores.writing():
        entry = _entry_to_change(office, group, day, "cancelled")
        _put_change(office, group, entry.moved_from or entry.date, cancelled=True, reason=words)
        office.audit("cancel", "planned session", f"{group.id}-{entry.date}")
    entry.state, entry.reason, entry.number, entry.title = CANCELLED, words, None, ""
    return entry


def move_session(office: Office, group_id: str, day: str, to: str, reason: str) -> PlannedSession:
    """Hold a planned session on another date instead; it keeps its place in the order."""
    office.require_role("coordinator", doing="move a planned session")
    group = get_group(office, group_id)
    words = _reason(reason, "the reason the session is moved (--reason)")
    target = parse_date(to, "new date").isoformat()
    with office.stores.writing():
        entry = _entry_to_change(office, group, day, "moved")
        if target == entry.date:
            raise InvalidInput(f"the session is already planned on {target}")
        if target < clock.today().isoformat():
            raise Refused(f"{target} is in the past: a session is moved to today or later")
        closed = closed_day_names(office, parse_date(target), 1)
        if target in closed:
            raise Refused(f"{target} is a closed day ({closed[target]}): choose another date")
        there = planned_on(office, group, target)
        if there is not None and there.state == CANCELLED:
            # Its men are marked "session cancelled" that day: a session held there too would
            # give them two marks for one date.
            raise Refused(
                f"the session of group {group.id} on {target} is cancelled ({there.reason}): "
                "choose another date"
            )
        if there is not None:
            raise Refused(f"group {group.id} already has a session on {target} ({there.state})")
        origin = entry.moved_from or entry.date
        _put_change(office, group, origin, moved_to=target, reason=words, cancelled=False)
        office.audit("move", "planned session", f"{group.id}-{origin}", to=target)
    moved = planned_on(office, group, target)
    assert moved is not None  # written just now
    return moved


def cover_session(
    office: Office, group_id: str, day: str, absent: str, cover: str
) -> PlannedSession:
    """Put a cover facilitator on one planned session in place of one of its facilitators."""
    office.require_role("coordinator", doing="put a cover facilitator on a session")
    group = get_group(office, group_id)
    away = office.find_staff(absent)
    standing_in = office.find_staff(cover)
    if not standing_in.has_role("facilitator"):
        raise InvalidInput(f"{standing_in.name} does not have the facilitator role")
    with office.stores.writing():
        entry = _entry_to_change(office, group, day, "covered")
        planned = list(group.facilitators)
        if away.id not in planned:
            raise InvalidInput(
                f"{away.id} does not facilitate group {group.id} (its facilitators: "
                f"{', '.join(planned)})"
            )
        others = [entry.cover.get(f, f) for f in planned if f != away.id]
        if standing_in.id in others:
            raise InvalidInput(f"{standing_in.id} is already on the session on {entry.date}")
        covers = dict(entry.cover)
        if standing_in.id == away.id:
            covers.pop(away.id, None)  # back to the group's own facilitator
        else:
            covers[away.id] = standing_in.id
        _put_change(office, group, entry.moved_from or entry.date, cover=covers)
        office.audit("cover", "planned session", f"{group.id}-{entry.date}")
    found = planned_on(office, group, entry.date)
    assert found is not None
    return found


def cancelled_sessions(office: Office, group_id: str, since: str = "", until: str = "") -> list:
    """The group's cancelled sessions (date the session would have been held on, reason)."""
    out = []
    for doc in plan_changes(office, group_id).values():
        if not doc.get("cancelled"):
            continue
        day = doc.get("moved_to") or doc["date"]
        if (since and day < since) or (until and day > until):
            continue
        out.append((day, str(doc.get("reason") or "")))
    return sorted(out)
