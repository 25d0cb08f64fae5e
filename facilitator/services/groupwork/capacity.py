"""How many men a group takes, where they may join, and when a place frees up.

A group holds at most `max_size` men at once (its own, or the programme's `groups.max_size`,
12 by default). A place is taken from the day a man joins until the day he leaves, so a man
enrolled to join at a later session holds his place already. A place frees when a man finishes:
his planned last session is the plan's session at which he will have covered the curriculum
sessions he still needs (the programme's `rules.sessions_required`, or every one), counting
only the sessions he attended, and assuming he comes to every one ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from facilitator import clock
from facilitator.domain.compliance import ATTENDED, Rules, counts_as
from facilitator.domain.enrolment import Enrolment
from facilitator.domain.group import ENTRY_MODES, Group
from facilitator.domain.values import check_choice, parse_date
from facilitator.errors import InvalidInput, Refused
from facilitator.services.core.group_store import enrolments, get_group
from facilitator.services.core.office import Office
from facilitator.services.groupwork.attendance import all_enrolments, marks_in_group
from facilitator.services.groupwork.plan import PlannedSession, build_plan
from facilitator.storage.stores import put_doc

DEFAULT_MAX_SIZE = 12


def max_size(office: Office, group: Group) -> int:
    if group.max_size:
        return int(group.max_size)
    value = office.setting("groups.max_size", DEFAULT_MAX_SIZE)
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"settings: groups.max_size '{value}' is not a whole number") from None
    if size < 1:
        raise InvalidInput(f"settings: groups.max_size must be at least 1 (it is {size})")
    return size


def places_taken(office: Office, group: Group, day: str) -> list[Enrolment]:
    """The enrolments holding a place on `day`: enrolled then, or enrolled to join later."""
    return [e for e in enrolments(office, group.id) if not e.left_on or e.left_on > day]


def _horizon(office: Office, group: Group, since: date) -> list[PlannedSession]:
    """The plan far enough ahead for every man to finish (twice round the curriculum)."""
    weeks = 2 * int(group.cycle_length) + 12
    plan = build_plan(
        office, group, since, since + timedelta(days=7 * weeks), with_closed_days=False
    )
    return [e for e in plan if e.happens]


@dataclass
class LastSession:
    participant_id: str
    on: str  # the date of his planned last session ("" when the plan ends first)


def covered_sessions(office: Office, participant_ids: set[str]) -> dict[str, set[int]]:
    """The curriculum sessions each man attended, in any group (one read of each session file
    of the groups they were in, however many men)."""
    rules = Rules.from_settings(office.setting("rules", {}) or {})
    mine = [e for e in all_enrolments(office) if e.participant_id in participant_ids]
    out: dict[str, set[int]] = {pid: set() for pid in participant_ids}
    for gid in sorted({e.group_id for e in mine}):
        for pid, marks in marks_in_group(office, gid, mine).items():
            out[pid] |= {
                int(m.curriculum_session) for m in marks if counts_as(m, rules) == ATTENDED
            }
    return out


def planned_last_session(
    office: Office,
    group: Group,
    enrolment: Enrolment,
    plan: list[PlannedSession],
    covered: set[int] | None = None,
) -> LastSession:
    """His planned last session, from the curriculum sessions he still needs."""
    rules = Rules.from_settings(office.setting("rules", {}) or {})
    needed = rules.required(int(group.cycle_length))
    numbers = set(range(1, int(group.cycle_length) + 1))
    if covered is None:
        covered = covered_sessions(office, {enrolment.participant_id})[enrolment.participant_id]
    covered = set(covered) & numbers
    if len(covered) >= needed:
        return LastSession(enrolment.participant_id, clock.today().isoformat())
    start = max(clock.today().isoformat(), enrolment.joined_on)
    for entry in plan:
        if entry.date < start or entry.number is None:
            continue
        if entry.state == "held" and entry.session_state == "closed":
            continue  # already counted from his marks
        covered.add(entry.number)
        if len(covered) >= needed:
            return LastSession(enrolment.participant_id, entry.date)
    return LastSession(enrolment.participant_id, "")


@dataclass
class PlaceFrees:
    after: str  # a man's planned last session
    join_from: str  # the first session a new man could join at after it ("" if none planned)


def next_place(office: Office, group: Group, day: str | None = None) -> PlaceFrees | None:
    """When the next place in a full group frees up (None when nobody's end is in the plan)."""
    day = day or clock.today().isoformat()
    plan = _horizon(office, group, clock.today())
    staying = [e for e in places_taken(office, group, day) if not e.left_on]
    covered = covered_sessions(office, {e.participant_id for e in staying})
    ends = [
        planned_last_session(office, group, e, plan, covered[e.participant_id]) for e in staying
    ]
    dates = sorted(x.on for x in ends if x.on)
    if not dates:
        return None
    after = dates[0]
    join = next((e.date for e in plan if e.date > after and is_entry_point(group, e.number)), "")
    return PlaceFrees(after, join)


def check_place(office: Office, group: Group, day: str) -> None:
    """Refuse an enrolment beyond the group's size, saying when a place frees up."""
    size = max_size(office, group)
    taken = len(places_taken(office, group, day))
    if taken < size:
        return
    frees = next_place(office, group, day)
    when = (
        f"the next place frees up after {frees.after} (a man's planned last session)"
        + (f"; he could join from {frees.join_from}" if frees.join_from else "")
        if frees
        else "no place frees up within the plan"
    )
    raise Refused(
        f"group {group.id} is full ({taken} of {size} places): {when}; "
        "put him on the waiting list meanwhile",
        command="facilitator waiting list",
    )


def is_entry_point(group: Group, number: int | None) -> bool:
    if number is None:
        return False
    if group.entry == "closed":
        return number == 1
    if group.entry == "named":
        return number in group.entry_sessions
    return True


def check_entry(office: Office, group: Group, at_session: int, day: str) -> None:
    """Refuse a man joining at a session that is not one of the group's entry points."""
    if is_entry_point(group, at_session):
        return
    since = max(parse_date(day), clock.today())
    plan = _horizon(office, group, since)
    nxt = next((e for e in plan if is_entry_point(group, e.number) and e.date >= day), None)
    which = (
        "only at session 1"
        if group.entry == "closed"
        else "only at sessions " + ", ".join(str(n) for n in group.entry_sessions)
    )
    then = (
        f"the next entry point is session {nxt.number} on {nxt.date} (--on {nxt.date})"
        if nxt
        else "no entry point is in the plan"
    )
    raise Refused(
        f"group {group.id} takes men {which} and on {day} it is on session {at_session}: {then}"
    )


def set_group(
    office: Office,
    group_id: str,
    max_size: int | None = None,
    entry: str | None = None,
    entry_sessions: list[int] | None = None,
) -> Group:
    """Change a group's maximum size and its entry points (a coordinator's decision)."""
    office.require_role("coordinator", doing="change a group's size or entry points")
    group = get_group(office, group_id)
    doc = group.to_dict()
    if max_size is not None:
        if int(max_size) < 0:
            raise InvalidInput(f"--max-size {max_size}: give 1 or more (0: the programme's)")
        doc["max_size"] = int(max_size)
    if entry is not None:
        doc["entry"] = check_choice(entry.strip().lower(), ENTRY_MODES, "entry mode")
    if entry_sessions is not None:
        doc["entry_sessions"] = list(entry_sessions)
    if doc["entry"] != "named" and entry_sessions is None:
        doc["entry_sessions"] = []
    changed = Group.from_dict(doc)
    with office.stores.writing():
        with office.stores.groups(write=True) as db:
            put_doc(db, "groups", changed.to_dict())
        office.audit(
            "update",
            "group",
            changed.id,
            fields=",".join(
                k for k in ("max_size", "entry", "entry_sessions") if doc[k] != group.to_dict()[k]
            ),
        )
    return changed


def parse_sessions(text: str) -> list[int]:
    """ "1,9,17" as [1, 9, 17]."""
    try:
        return [int(p) for p in text.replace(" ", "").split(",") if p]
    except ValueError:
        raise InvalidInput(f"'{text}' is not a list of session numbers (e.g. 1,9,17)") from None
