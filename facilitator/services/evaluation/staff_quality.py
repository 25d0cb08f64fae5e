"""Staff training and supervision: what a manager or an accreditation panel checks.

    add_training(office, staff, kind, hours, day=None, title="", provider="") -> TrainingRecord
    add_supervision(office, staff, supervisor, day=None, kind="individual", minutes=60)
    list_training(office, staff=None) / list_supervision(office, staff=None)
    standings(office, today=None) -> [StaffStanding]     everyone: hours, refresher, supervision
    supervision_due(office) -> [SupervisionDue]          home screen: who has gone unsupervised
    quality_rules(office) -> QualityRules                [quality] in facilitator.toml

Only coordinators (and admin) record or read everyone's records; anyone may read their own.

    data/staff/<staff id>.json    one person's training and supervision (a few rows a month);
                                  ids are <staff>-T<n> and <staff>-S<n> (alex-T3, alex-S12)
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitator import clock
from facilitator.domain.staff_quality import (
    QualityRules,
    StaffStanding,
    SupervisionSession,
    TrainingRecord,
    check_training_kind,
    standing,
)
from facilitator.domain.values import parse_date
from facilitator.errors import InvalidInput, Refused
from facilitator.services.core.office import Office
from facilitator.storage.stores import all_docs, put_doc, safe_name

MANAGING_ROLES = ("coordinator",)


def quality_rules(office: Office) -> QualityRules:
    return QualityRules.from_settings(office.setting("quality", {}) or {})


def _store(staff_id: str) -> str:
    return f"staff/{safe_name(staff_id, 'staff id')}.json"


def _day(day: str | None, what: str) -> str:
    found = parse_date(day, what).isoformat() if day else clock.today().isoformat()
    if found > clock.today().isoformat():
        raise Refused(f"{what} {found} is in the future")
    return found


def _may_see(office: Office, staff_id: str | None) -> list[str]:
    """Whose records the acting person may read: everyone's for coordinators, else their own."""
    actor = office.actor
    if actor.has_role(*MANAGING_ROLES, "admin"):
        return [office.find_staff(staff_id).id] if staff_id else [s.id for s in office.staff()]
    if staff_id and office.find_staff(staff_id).id != actor.id:
        office.require_role(
            *MANAGING_ROLES, doing="read another staff member's training and supervision"
        )
    return [actor.id]


def add_training(
    office: Office,
    staff: str,
    kind: str,
    hours: float,
    day: str | None = None,
    title: str = "",
    provider: str = "",
) -> TrainingRecord:
    office.require_role(*MANAGING_ROLES, doing="record staff training")
    member = office.find_staff(staff)
    kind = check_training_kind(kind, quality_rules(office))
    record = TrainingRecord(
        id="-",
        staff_id=member.id,
        date=_day(day, "training date"),
        kind=kind,
        hours=hours,
        title=title.strip(),
        provider=provider.strip(),
    )  # validated before a number is taken
    with office.stores.writing():
        record.recorded_by, record.recorded_at = office.user, clock.now().isoformat()
        with office.stores.store(_store(member.id), "staff_quality", write=True) as db:
            record.id = f"{member.id}-T{len(db.table('training')) + 1}"
            put_doc(db, "training", record.to_dict())
        office.audit("add", "staff_training", record.id, staff=member.id, training=kind)
    return record


def add_supervision(
    office: Office,
    staff: str,
    supervisor: str,
    day: str | None = None,
    kind: str = "individual",
    minutes: int = 60,
) -> SupervisionSession:
    office.require_role(*MANAGING_ROLES, doing="record staff supervision")
    member = office.find_staff(staff)
    # A supervisor may be from outside the programme: a staff id is resolved, any other name kept.
    sup = supervisor.strip()
    try:
        sup = office.find_staff(sup).id
    except InvalidInput:
        pass
    if sup == member.id:
        raise Refused(f"{member.id} cannot record supervising themselves")
    record = SupervisionSession(
        id="-",
        staff_id=member.id,
        date=_day(day, "supervision date"),
        supervisor=sup,
        kind=kind,
        minutes=minutes,
    )
    with office.stores.writing():
        record.recorded_by, record.recorded_at = office.user, clock.now().isoformat()
        with office.stores.store(_store(member.id), "staff_quality", write=True) as db:
            record.id = f"{member.id}-S{len(db.table('supervision')) + 1}"
            put_doc(db, "supervision", record.to_dict())
        office.audit(
            "add", "staff_supervision", record.id, staff=member.id, supervision=record.kind
        )
    return record


def _read(office: Office, staff_ids: list[str], table: str) -> list[dict]:
    out: list[dict] = []
    for sid in staff_ids:
        if office.stores.path("staff", f"{sid}.json").is_file():
            with office.stores.store(_store(sid), "staff_quality") as db:
                out.extend(all_docs(db, table))
    return out


def list_training(office: Office, staff: str | None = None) -> list[TrainingRecord]:
    rows = [TrainingRecord.from_dict(d) for d in _read(office, _may_see(office, staff), "training")]
    return sorted(rows, key=lambda r: (r.date, r.staff_id, r.id))


def list_supervision(office: Office, staff: str | None = None) -> list[SupervisionSession]:
    rows = [
        SupervisionSession.from_dict(d)
        for d in _read(office, _may_see(office, staff), "supervision")
    ]
    return sorted(rows, key=lambda r: (r.date, r.staff_id, r.id))


def standings(office: Office, today=None) -> list[StaffStanding]:
    """Every staff member the acting person may see, with what is due."""
    today = today or clock.today()
    ids = _may_see(office, None)
    rules = quality_rules(office)
    trainings = [TrainingRecord.from_dict(d) for d in _read(office, ids, "training")]
    supervisions = [SupervisionSession.from_dict(d) for d in _read(office, ids, "supervision")]
    return [
        standing(m, trainings, supervisions, rules, today) for m in office.staff() if m.id in ids
    ]


@dataclass
class SupervisionDue:
    staff_id: str
    name: str
    last_supervision: str  # "" when never
    due_on: str  # "" when never supervised
    text: str  # one line for the home screen

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def supervision_due(office: Office) -> list[SupervisionDue]:
    """Staff whose roles need supervision and who have had none within the set interval.

    Read for the home screen whoever is acting: it names staff and dates only, never content.
    """
    today = clock.today()
    rules = quality_rules(office)
    members = [m for m in office.staff() if m.has_role(*rules.supervised_roles)]
    supervisions = [
        SupervisionSession.from_dict(d)
        for d in _read(office, [m.id for m in members], "supervision")
    ]
    out = []
    for m in members:
        s = standing(m, [], supervisions, rules, today)
        if not s.supervision_overdue:
            continue
        if s.last_supervision:
            text = (
                f"{m.name}: no supervision since {s.last_supervision} (due by "
                f"{s.supervision_due_on})"
            )
        else:
            text = f"{m.name}: no supervision recorded"
        out.append(SupervisionDue(m.id, m.name, s.last_supervision, s.supervision_due_on, text))
    out.sort(key=lambda d: (d.due_on, d.staff_id))
    return out
