"""Trained and supervised staff: the Respect and WWP EN standards ask for both.

Pure: no I/O and no clock.

    TrainingRecord      a course or session a staff member took: kind (core, refresher...), hours
    SupervisionSession  a supervision a staff member received: date, supervisor, kind, minutes
    StaffStanding       one person's training hours, last refresher and last supervision, and
                        what is due: `standing(member, trainings, supervisions, rules, today)`
    QualityRules        the settings in [quality] of facilitator.toml
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from facilitator.domain.record import Record
from facilitator.domain.staff import Staff
from facilitator.domain.values import check_choice, check_minutes, parse_date, require_text
from facilitator.errors import InvalidInput

SUPERVISION_KINDS = ("individual", "group", "external", "live")  # live: observed in a session


@dataclass(frozen=True)
class QualityRules:
    supervision_interval_weeks: int = 6
    supervised_roles: tuple[str, ...] = ("facilitator", "partner_support")
    core_training_hours: float = 30.0
    refresher_months: int = 12  # 0: no refresher required
    training_kinds: tuple[str, ...] = (
        "core",
        "refresher",
        "safeguarding",
        "risk_assessment",
        "other",
    )

    @classmethod
    def from_settings(cls, section: Mapping) -> QualityRules:
        section = dict(section or {})
        try:
            rules = cls(
                supervision_interval_weeks=int(
                    section.get("supervision_interval_weeks", cls.supervision_interval_weeks)
                ),
                supervised_roles=tuple(section.get("supervised_roles", cls.supervised_roles)),
                core_training_hours=float(
                    section.get("core_training_hours", cls.core_training_hours)
                ),
                refresher_months=int(section.get("refresher_months", cls.refresher_months)),
                training_kinds=tuple(section.get("training_kinds", cls.training_kinds)),
            )
        except (TypeError, ValueError):
            raise InvalidInput(
                "settings in [quality] need numbers: supervision_interval_weeks, "
                "core_training_hours, refresher_months"
            ) from None
        if rules.supervision_interval_weeks < 1:
            raise InvalidInput("setting quality.supervision_interval_weeks must be at least 1")
        if "core" not in rules.training_kinds or "refresher" not in rules.training_kinds:
            raise InvalidInput("setting quality.training_kinds must include core and refresher")
        return rules


def _hours(value, what: str = "hours") -> float:
    try:
        n = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{what} '{value}' is not a number of hours") from None
    if not 0 < n <= 500:
        raise InvalidInput(f"{what} {n:g} is out of range (more than 0, at most 500)")
    return round(n, 2)


@dataclass
class TrainingRecord(Record):
    id: str
    staff_id: str
    date: str
    kind: str
    hours: float
    title: str = ""
    provider: str = ""
    recorded_by: str = ""
    recorded_at: str = ""

    def __post_init__(self) -> None:
        self.date = parse_date(self.date, "training date").isoformat()
        self.hours = _hours(self.hours, "training hours")
        self.kind = require_text(self.kind, "training kind").lower().replace("-", "_")


@dataclass
class SupervisionSession(Record):
    id: str
    staff_id: str
    date: str
    supervisor: str
    kind: str = "individual"
    minutes: int = 60
    recorded_by: str = ""
    recorded_at: str = ""

    def __post_init__(self) -> None:
        self.date = parse_date(self.date, "supervision date").isoformat()
        self.kind = check_choice(self.kind, SUPERVISION_KINDS, "supervision kind")
        self.minutes = check_minutes(self.minutes, "supervision minutes")
        if self.minutes <= 0:
            raise InvalidInput("a supervision session needs its length in minutes (more than 0)")
        self.supervisor = require_text(self.supervisor, "supervisor")


def check_training_kind(kind: str, rules: QualityRules) -> str:
    return check_choice(kind, rules.training_kinds, "training kind")


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(y, m + 1, d)
        except ValueError:
            continue
    raise ValueError(day)  # unreachable


@dataclass
class StaffStanding:
    staff_id: str
    name: str
    roles: list[str]
    supervised: bool  # whether the supervision rule applies to their roles
    core_hours: float
    last_refresher: str  # "" when none
    refresher_due_on: str  # "" when none is required yet
    last_supervision: str  # "" when never
    supervision_due_on: str  # "" when never supervised: due now
    problems: list[str] = field(default_factory=list)

    @property
    def supervision_overdue(self) -> bool:
        return any(p.startswith("supervision") for p in self.problems)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def standing(
    member: Staff,
    trainings: Iterable[TrainingRecord],
    supervisions: Iterable[SupervisionSession],
    rules: QualityRules,
    today: date,
) -> StaffStanding:
    """What a manager needs to know of one person: training hours, refresher, supervision."""
    now = today.isoformat()
    mine_t = sorted(
        (t for t in trainings if t.staff_id == member.id and t.date <= now), key=lambda t: t.date
    )
    mine_s = sorted(
        (s for s in supervisions if s.staff_id == member.id and s.date <= now), key=lambda s: s.date
    )
    core = round(sum(t.hours for t in mine_t if t.kind == "core"), 2)
    refreshers = [t for t in mine_t if t.kind == "refresher"]
    supervised = member.has_role(*rules.supervised_roles)
    problems: list[str] = []

    last_sup = mine_s[-1].date if mine_s else ""
    sup_due = ""
    if last_sup:
        sup_due = (
            parse_date(last_sup) + timedelta(weeks=rules.supervision_interval_weeks)
        ).isoformat()
    if supervised:
        if not last_sup:
            problems.append("supervision: none recorded")
        elif sup_due < now:
            problems.append(
                f"supervision: none since {last_sup} (due by {sup_due}, every "
                f"{rules.supervision_interval_weeks} weeks)"
            )

    last_ref = refreshers[-1].date if refreshers else ""
    ref_due = ""
    if supervised and core < rules.core_training_hours:
        problems.append(f"core training: {core:g} of {rules.core_training_hours:g} hours")
    if rules.refresher_months and supervised:
        # A refresher falls due a set time after the last one, or after core training ended.
        base = last_ref or next((t.date for t in reversed(mine_t) if t.kind == "core"), "")
        if base:
            ref_due = add_months(parse_date(base), rules.refresher_months).isoformat()
            if ref_due < now:
                problems.append(f"refresher training: due since {ref_due}")
    return StaffStanding(
        member.id,
        member.name,
        list(member.roles),
        supervised,
        core,
        last_ref,
        ref_due,
        last_sup,
        sup_due,
        problems,
    )
