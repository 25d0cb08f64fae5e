"""Compliance: each man's standing against the programme's rules and his own order, and the
"tell the referrer" tasks a breach opens.

    data/compliance/orders.json   a referrer's limits for a man (one row per man who has any)
    data/compliance/tasks.json    notify-referrer tasks (one per breach: a handful a month)

Breaches are found when someone looks (home screen, `compliance due`, `participant show`,
`compliance status`): the marks are the record, and the task is dated from the session that
passed the limit, not from when it was noticed, so a late look shows an overdue task.

A session the programme cancelled (services.groupwork.plan) gives every man enrolled then a
"session cancelled" mark, which counts for nothing: no absence, no run, not a session he was
expected at. A session moved to another date counts on the date it was held, like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from facilitator import clock
from facilitator.domain.compliance import (
    HOW_TOLD,
    LIMITS,
    Compliance,
    NotifyTask,
    OrderLimits,
    Rules,
    add_working_days,
    evaluate,
)
from facilitator.domain.enrolment import Enrolment
from facilitator.domain.group import Group
from facilitator.domain.participant import Participant
from facilitator.domain.values import check_choice, parse_date
from facilitator.errors import NotFound, Refused
from facilitator.services.core.closures import closed_days
from facilitator.services.core.group_store import list_groups, roster
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.core.sharing import record_sharing
from facilitator.services.groupwork import attendance as records
from facilitator.services.groupwork.one_to_one import sessions_covered_one_to_one
from facilitator.storage.stores import all_docs, get_doc, put_doc, remove_doc

ORDERS_STORE = "compliance/orders.json"
TASKS_STORE = "compliance/tasks.json"
# Men who left a group this recently are still checked for breaches the referrer must hear of.
RECENTLY_LEFT_DAYS = 28


# -- rules and orders ----------------------------------------------------------------------------
def programme_rules(office: Office) -> Rules:
    return Rules.from_settings(office.setting("rules", {}) or {})


def all_order_limits(office: Office) -> dict[str, OrderLimits]:
    with office.stores.store(ORDERS_STORE, "compliance_orders") as db:
        return {d["participant_id"]: OrderLimits.from_dict(d) for d in all_docs(db, "orders")}


def order_limits(office: Office, participant_id: str) -> OrderLimits | None:
    with office.stores.store(ORDERS_STORE, "compliance_orders") as db:
        doc = get_doc(db, "orders", participant_id, field="participant_id")
    return OrderLimits.from_dict(doc) if doc else None


def set_order_limits(
    office: Office, participant_id: str, order: str = "", clear: bool = False, **limits: int | None
) -> OrderLimits | None:
    """Record (or with clear=True remove) a referrer's limits for one man. Limits left None
    keep what was set before."""
    office.require_role("coordinator", doing="set a man's order limits")
    person = get_participant(office, participant_id)
    unknown = set(limits) - set(LIMITS)
    if unknown:
        raise ValueError(f"unknown limits {unknown}")
    with office.stores.writing():
        with office.stores.store(ORDERS_STORE, "compliance_orders", write=True) as db:
            if clear:
                remove_doc(db, "orders", person.id, field="participant_id")
                result = None
            else:
                before = get_doc(db, "orders", person.id, field="participant_id") or {}
                merged = {name: before.get(name) for name in LIMITS}
                merged.update({k: v for k, v in limits.items() if v is not None})
                result = OrderLimits(
                    participant_id=person.id,
                    order=order or before.get("order", ""),
                    set_by=office.user,
                    set_on=clock.today().isoformat(),
                    **merged,
                )
                if result.is_empty:
                    raise Refused(
                        "give at least one limit (--unexcused, --in-a-row, --min-percent, "
                        "--required) or --clear"
                    )
                put_doc(db, "orders", result.to_dict(), field="participant_id")
        office.audit("clear" if clear else "set", "order_limits", person.id)
    return result


def rules_for(
    office: Office, participant_id: str, orders: dict[str, OrderLimits] | None = None
) -> Rules:
    """The programme's rules with the man's own order laid over them (the order wins)."""
    order = (
        orders if orders is not None else {participant_id: order_limits(office, participant_id)}
    ).get(participant_id)
    return programme_rules(office).with_order(order)


# -- standing ------------------------------------------------------------------------------------
@dataclass
class Standing:
    person: Participant
    compliance: Compliance
    rules: Rules
    enrolments: list[Enrolment]


def _cycle_length(enrolments: list[Enrolment], groups: dict[str, Group]) -> int:
    """The length of the curriculum he is on: that of his latest group."""
    for e in sorted(enrolments, key=lambda e: e.joined_on, reverse=True):
        if e.group_id in groups:
            return int(groups[e.group_id].cycle_length)
    return 24


def _status_since(person: Participant, enrolments: list[Enrolment]) -> str:
    if person.status in ("suspended", "exited", "completed"):
        left = [e.left_on for e in enrolments if e.left_on]
        return max(left) if left else ""
    return ""


def judge(
    person: Participant,
    marks,
    enrolments: list[Enrolment],
    rules: Rules,
    groups: dict[str, Group],
    also_covered=(),
) -> Compliance:
    return evaluate(
        marks,
        rules,
        _cycle_length(enrolments, groups),
        person.status,
        _status_since(person, enrolments),
        also_covered,
        person.completion_decision,
    )


def one_to_one_covered(office: Office, participant_ids) -> dict[str, list[int]]:
    """Curriculum sessions men covered in one-to-one catch-ups that count toward completion
    (recorded by services.groupwork.one_to_one), for the men who have any one-to-one at all."""
    folder = office.stores.path("individual")  # one small store per man who has one-to-ones
    having = {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()
    return {
        pid: sessions_covered_one_to_one(office, pid) for pid in participant_ids if pid in having
    }


def standing(
    office: Office,
    participant_id: str,
    person: Participant | None = None,
    groups: dict[str, Group] | None = None,
) -> Standing:
    """His standing; `person` (his record) and `groups` (every group by id): when the caller
    has read them already."""
    person = person or get_participant(office, participant_id)
    mine = records.enrolments_of_man(office, person.id)
    rules = rules_for(office, person.id)
    if groups is None:
        groups = {g.id: g for g in list_groups(office)}
    marks = records.marks_of(office, person.id, mine)
    extra = one_to_one_covered(office, [person.id]).get(person.id, [])
    return Standing(person, judge(person, marks, mine, rules, groups, extra), rules, mine)


def standings(
    office: Office,
    participant_ids: set[str] | None = None,
    *,
    groups_only: set[str] | None = None,
    enrolments: list[Enrolment] | None = None,
) -> list[Standing]:
    """Standing of many men at once, reading each group's sessions once.

    `participant_ids`: these men (all with an enrolment when None). `groups_only`: only men
    enrolled in these groups (their whole record is still read). `enrolments`: every
    enrolment, when the caller has read them already."""
    groups = {g.id: g for g in list_groups(office)}
    if enrolments is None:
        enrolments = records.all_enrolments(office)
    wanted = {
        e.participant_id for e in enrolments if groups_only is None or e.group_id in groups_only
    }
    if participant_ids is not None:
        wanted &= set(participant_ids)
    people = records.participants(office, wanted)
    mine = [e for e in enrolments if e.participant_id in wanted]
    marks: dict[str, list] = {pid: [] for pid in wanted}
    for gid in sorted({e.group_id for e in mine}):
        for pid, found in records.marks_in_group(office, gid, mine).items():
            marks[pid].extend(found)
    orders = all_order_limits(office)
    base = programme_rules(office)
    extra = one_to_one_covered(office, wanted)
    by_man: dict[str, list[Enrolment]] = {}
    for e in mine:
        by_man.setdefault(e.participant_id, []).append(e)
    out = []
    for pid in sorted(wanted):
        if pid not in people:
            continue
        his = by_man.get(pid, [])
        rules = base.with_order(orders.get(pid))
        c = judge(people[pid], marks[pid], his, rules, groups, extra.get(pid, []))
        out.append(Standing(people[pid], c, rules, his))
    return out


def group_standings(office: Office, group_id: str, day: str | None = None) -> dict[str, Compliance]:
    """Compliance of the men on a group's roster that day (for the roster and the grid)."""

    pids = {r.participant.id for r in roster(office, group_id, day)}
    return {s.person.id: s.compliance for s in standings(office, pids)}


def limits_in_words(rules: Rules) -> str:
    return ", ".join(
        [
            f"{rules.unexcused_absences_allowed} unexcused absences allowed "
            f"({rules.source('unexcused_absences_allowed')})",
            f"{rules.consecutive_unexcused_allowed} in a row "
            f"({rules.source('consecutive_unexcused_allowed')})",
            f"at least {rules.min_attendance_percent}% attendance "
            f"({rules.source('min_attendance_percent')})",
        ]
    )


# -- telling the referrer ------------------------------------------------------------------------
def _tasks(office: Office) -> list[NotifyTask]:
    with office.stores.store(TASKS_STORE, "compliance_tasks") as db:
        return [NotifyTask.from_dict(d) for d in all_docs(db, "tasks")]


def list_tasks(
    office: Office, state: str | None = None, participant_id: str | None = None
) -> list[NotifyTask]:
    rows = [
        t
        for t in _tasks(office)
        if (state is None or t.state == state)
        and (participant_id is None or t.participant_id == participant_id)
    ]
    return sorted(rows, key=lambda t: (t.due_on, t.id))


def _in_scope(office: Office) -> list[Standing]:
    """Men whose breaches must reach a referrer now: enrolled, or left in the last four weeks."""
    recent = (clock.today() - timedelta(days=RECENTLY_LEFT_DAYS)).isoformat()
    enrolments = records.enrolments_of_men_since(
        office, recent
    )  # theirs only: standings needs no more
    wanted = {e.participant_id for e in enrolments if not e.left_on or e.left_on >= recent}
    return standings(office, wanted, enrolments=enrolments)


def open_breach_tasks(office: Office, found: list[Standing] | None = None) -> list[NotifyTask]:
    """Open a notify-referrer task for every breach that has none yet; returns the new ones."""
    if found is None:
        found = _in_scope(office)
    candidates = [(s, b) for s in found for b in s.compliance.breaches]
    if not candidates:
        return []
    known = {(t.participant_id, t.breach_key) for t in _tasks(office)}
    if all((s.person.id, b.key) in known for s, b in candidates):
        return []  # the usual case: nothing to write, no lock taken
    days = int(office.setting("rules.referrer_notice_working_days", 1) or 0)
    holidays = closed_days(office, min(parse_date(b.on) for _, b in candidates))
    opened: list[NotifyTask] = []
    with office.stores.writing():
        with office.stores.store(TASKS_STORE, "compliance_tasks", write=True) as db:
            known = {(d["participant_id"], d["breach_key"]) for d in all_docs(db, "tasks")}
            for s, b in candidates:
                if (s.person.id, b.key) in known:
                    continue
                task = NotifyTask(
                    id=office.stores.next_id("RN"),
                    participant_id=s.person.id,
                    breach_key=b.key,
                    rule=b.rule,
                    breach_on=b.on,
                    what=b.words(),
                    opened_on=clock.today().isoformat(),
                    due_on=add_working_days(parse_date(b.on), days, holidays).isoformat(),
                )
                put_doc(db, "tasks", task.to_dict())
                known.add((s.person.id, b.key))
                opened.append(task)
        for task in opened:
            office.audit("open", "notify_task", task.id, rule=task.rule)
    return opened


def due_tasks(office: Office) -> list[NotifyTask]:
    """Open notify-referrer tasks, soonest deadline first (the home screen and `compliance due`)."""
    open_breach_tasks(office)
    return list_tasks(office, state="open")


def notify_referrer(
    office: Office, task_id: str, how: str, on: str | None = None, note: str = ""
) -> NotifyTask:
    """Close a task with how and when the referrer was told."""
    office.require_role("coordinator", doing="record that a referrer was told")
    how = check_choice(how, HOW_TOLD, "way the referrer was told")
    day = (
        parse_date(on, "date the referrer was told").isoformat()
        if on
        else clock.today().isoformat()
    )
    if day > clock.today().isoformat():
        raise Refused(f"{day} is in the future: record it once the referrer has been told")
    with office.stores.writing():
        with office.stores.store(TASKS_STORE, "compliance_tasks", write=True) as db:
            doc = get_doc(db, "tasks", task_id.strip().upper())
            if doc is None:
                raise NotFound(
                    f"no notify-referrer task '{task_id}'", command="facilitator compliance due"
                )
            task = NotifyTask.from_dict(doc)
            if task.state == "done":
                raise Refused(f"task {task.id} was closed on {task.told_on} ({task.told_how})")
            task = NotifyTask.from_dict(
                task.to_dict()
                | {
                    "state": "done",
                    "told_how": how,
                    "told_on": day,
                    "note": note.strip(),
                    "closed_by": office.user,
                    "closed_at": clock.now().isoformat(),
                }
            )
            put_doc(db, "tasks", task.to_dict())
        office.audit("close", "notify_task", task.id, how=how)
        person = get_participant(office, task.participant_id)
        record_sharing(
            office,
            person.id,
            information="attendance",
            to_agency=person.referrer or REFERRER_WORDS.get(person.referral_source, "referrer"),
            basis=SHARING_BASIS_OF_SOURCE.get(person.referral_source, "agreement"),
            means=SHARING_MEANS_OF_HOW.get(how, "letter"),
            on=day,
            reference=task.id,
        )
    return task


# A referrer's right to hear of a breach: a court's order, probation's supervision, otherwise his
# signed agreement to information sharing.
SHARING_BASIS_OF_SOURCE = {"court": "court_order", "probation": "legal_duty"}
REFERRER_WORDS = {
    "court": "the referring court",
    "probation": "the probation service",
    "children_services": "children's services",
}
SHARING_MEANS_OF_HOW = {
    "letter": "letter",
    "email": "email",
    "secure_email": "email",
    "phone": "phone",
    "meeting": "meeting",
    "portal": "referral_form",
}


# -- hooks ---------------------------------------------------------------------------------------
def participant_show_fields(office: Office, person: Participant) -> dict:
    """Fields for `participant show` (keys starting "compliance" with text are printed)."""
    s = standing(office, person.id)
    if s.enrolments:
        open_breach_tasks(office, [s])
    c = s.compliance
    out = {
        "compliance": f"{c.symbol} {c.label}",
        "compliance_reason": c.reason,
        "compliance_limits": limits_in_words(s.rules),
        "compliance_detail": c.to_dict(),
    }
    tasks = list_tasks(office, participant_id=person.id)
    if tasks:
        out["compliance_referrer"] = "; ".join(
            f"{t.id} told {t.told_on} by {t.told_how.replace('_', ' ')}"
            if t.state == "done"
            else f"{t.id} tell the referrer by {t.due_on}"
            + (" (OVERDUE)" if t.is_overdue(clock.today()) else "")
            for t in tasks
        )
    return out
