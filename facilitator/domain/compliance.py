"""Programme rules and how a man stands against them; each programme sets its own
rules. Pure: no I/O, no clock.

    Rules        the programme's limits (facilitator.toml [rules]); `with_order` lays a
                 referrer's order over them, and the order's limits win
    OrderLimits  a referrer's own limits for one man ("three absences and he is back in court")
    Mark         one session he was expected at: date, curriculum number, how he attended
    evaluate(marks, rules, cycle_length, participant_status, ...) -> Compliance
                 status (on track / warning / breach / completed / suspended / exited), the
                 reason in words, the figures behind it, and the breaches with their dates
    NotifyTask   "tell the referrer": opened by a breach, closed with how and when
    add_working_days(day, n, holidays) -> date

How marks count (the defaults and where they come from are in docs/rules.md):
- attended: present; late by fewer than `late_minutes_count_as_absence` minutes; left early
  having missed fewer than that many minutes. Lateness or leaving early at or past the
  threshold counts as an unexcused absence (0 switches the threshold off).
- excused absences count neither for nor against him: not in the unexcused total, not in the
  percentage, and they neither extend nor break a run of unexcused absences.
- a session held while he was enrolled with no mark for him is reported, never counted.
- a cancelled session (status "cancelled": the programme called it off) counts for nothing:
  not an absence, not in the percentage, not a session held, and no break in a run.
- curriculum sessions covered: the numbers of the sessions he attended. With rolling entry he
  finishes when he has covered every number (or `sessions_required` of them), catching up
  the ones he missed in the group's next cycle.
- the percentage is attended / (attended + unexcused), judged once he was expected
  `min_attendance_after_sessions` times; it is a breach while it stays below the minimum.
- a limit of N allows N: the (N+1)th unexcused absence passes it (a breach); at exactly N he
  is one absence from it (a warning).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from facilitator.domain.participant import completion_by_decision
from facilitator.domain.record import Record
from facilitator.domain.values import check_choice, parse_date
from facilitator.errors import InvalidInput

STATUSES = ("on_track", "warning", "breach", "completed", "suspended", "exited")
STATUS_LABELS = {
    "on_track": "on track",
    "warning": "warning",
    "breach": "breach",
    "completed": "completed",
    "suspended": "suspended",
    "exited": "exited",
}
# Never colour alone: every status has a symbol and a word.
STATUS_SYMBOLS = {
    "on_track": "●",
    "warning": "▲",
    "breach": "✖",
    "completed": "★",
    "suspended": "■",
    "exited": "○",
}

# The limits a rule set holds, with the words used in reasons.
LIMITS = {
    "unexcused_absences_allowed": "unexcused absences",
    "consecutive_unexcused_allowed": "unexcused absences in a row",
    "min_attendance_percent": "minimum attendance",
    "sessions_required": "sessions required",
}
BREACH_RULES = {
    "unexcused_absences": "unexcused absences",
    "consecutive_unexcused": "unexcused absences in a row",
    "min_attendance": "attendance below the minimum",
}
HOW_TOLD = ("letter", "email", "secure_email", "phone", "meeting", "portal", "other")
TASK_STATES = ("open", "done")


def _count(value, what: str, maximum: int = 10_000) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{what} '{value}' is not a whole number") from None
    if n < 0 or n > maximum:
        raise InvalidInput(f"{what} {n} is out of range (0 to {maximum})")
    return n


@dataclass(frozen=True)
class Rules:
    sessions_required: int = 0  # 0: every session of the curriculum
    min_attendance_percent: int = 80
    min_attendance_after_sessions: int = (
        6  # the percentage is judged once he was expected this often
    )
    unexcused_absences_allowed: int = 4
    consecutive_unexcused_allowed: int = 2
    late_minutes_count_as_absence: int = 30  # 0: lateness never counts as absence
    order_fields: frozenset = frozenset()  # limits a referrer's order set
    order_label: str = ""

    @classmethod
    def from_settings(cls, rules: Mapping) -> Rules:
        """The [rules] section of facilitator.toml; unknown keys are other features' business."""
        # Every key set here names an int field; mypy cannot tie a key to its field's type.
        kwargs: dict[str, Any] = {}
        for name in (
            "sessions_required",
            "min_attendance_after_sessions",
            "unexcused_absences_allowed",
            "consecutive_unexcused_allowed",
            "late_minutes_count_as_absence",
        ):
            if name in rules:
                kwargs[name] = _count(rules[name], f"rules.{name}")
        if "min_attendance_percent" in rules:
            kwargs["min_attendance_percent"] = _count(
                rules["min_attendance_percent"], "rules.min_attendance_percent", 100
            )
        return cls(**kwargs)

    def with_order(self, order: OrderLimits | None) -> Rules:
        if order is None:
            return self
        given = {name: getattr(order, name) for name in LIMITS if getattr(order, name) is not None}
        if not given:
            return self
        return replace(self, **given, order_fields=frozenset(given), order_label=order.label)

    def source(self, name: str) -> str:
        """Where a limit comes from, in words: the man's order or the programme's rules."""
        return self.order_label if name in self.order_fields else "programme rules"

    def required(self, cycle_length: int) -> int:
        return min(self.sessions_required, cycle_length) if self.sessions_required else cycle_length


@dataclass
class OrderLimits(Record):
    """A referrer's order for one man; each limit left as None falls back to the programme's."""

    participant_id: str
    unexcused_absences_allowed: int | None = None
    consecutive_unexcused_allowed: int | None = None
    min_attendance_percent: int | None = None
    sessions_required: int | None = None
    order: str = ""  # what set them, e.g. "Family court order"
    set_by: str = ""
    set_on: str = ""

    def __post_init__(self) -> None:
        for name in LIMITS:
            value = getattr(self, name)
            if value is not None:
                top = 100 if name == "min_attendance_percent" else 10_000
                setattr(self, name, _count(value, LIMITS[name], top))
        self.order = (self.order or "").strip()

    @property
    def label(self) -> str:
        return self.order or "referrer's order"

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in LIMITS)


@dataclass(frozen=True, slots=True)
class Mark:
    date: str
    curriculum_session: int
    # None: the session was held while he was enrolled but nobody marked him; "cancelled": the
    # session was called off (SESSION_CANCELLED)
    status: str | None
    minutes_late: int = 0
    minutes_missed: int = 0


# How one mark counts, once the lateness threshold is applied.
ATTENDED, EXCUSED, UNEXCUSED, LATE_ABSENCE, UNMARKED, CANCELLED = (
    "attended",
    "excused",
    "unexcused",
    "late_absence",
    "unmarked",
    "cancelled",
)
# The mark every man enrolled has for a session the programme cancelled.
SESSION_CANCELLED = "cancelled"


def counts_as(mark: Mark, rules: Rules) -> str:
    status = mark.status
    if status is None:
        return UNMARKED
    if status == SESSION_CANCELLED:
        return CANCELLED
    if status == "excused":
        return EXCUSED
    if status == "unexcused":
        return UNEXCUSED
    threshold = rules.late_minutes_count_as_absence
    if threshold and (
        (status == "late" and mark.minutes_late >= threshold)
        or (status == "left_early" and mark.minutes_missed >= threshold)
    ):
        return LATE_ABSENCE
    return ATTENDED


@dataclass(frozen=True)
class Breach:
    rule: str  # a key of BREACH_RULES
    on: str  # the date of the session that passed the limit
    count: int | float
    limit: int
    source: str  # programme rules, or the order that set the limit

    @property
    def key(self) -> str:
        """One notify task per rule and limit: a new order with a new limit is a new breach."""
        return f"{self.rule}:{self.limit}"

    def words(self) -> str:
        if self.rule == "min_attendance":
            return (
                f"attendance {self.count:.0f}% is below the minimum of {self.limit}% "
                f"({self.source}) since {self.on}"
            )
        what = BREACH_RULES[self.rule]
        return f"{self.count} {what} passed the limit of {self.limit} ({self.source}) on {self.on}"


@dataclass
class Compliance:
    status: str
    reason: str
    required: int
    covered: list[int] = field(default_factory=list)
    to_do: list[int] = field(default_factory=list)
    sessions_held: int = 0  # sessions marked while he was enrolled
    attended: int = 0
    excused: int = 0
    unexcused: int = 0  # lateness counted as absence included
    late_as_absence: int = 0
    unmarked: int = 0
    cancelled: int = 0  # sessions cancelled while he was enrolled: never absences
    longest_run: int = 0
    current_run: int = 0
    attendance_percent: float | None = None
    breaches: list[Breach] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def symbol(self) -> str:
        return STATUS_SYMBOLS[self.status]

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "label": self.label,
            "reason": self.reason,
            "sessions_required": self.required,
            "curriculum_covered": len(self.covered),
            "curriculum_to_do": list(self.to_do),
            "sessions_held": self.sessions_held,
            "sessions_attended": self.attended,
            "excused_absences": self.excused,
            "unexcused_absences": self.unexcused,
            "late_counted_as_absence": self.late_as_absence,
            "not_marked": self.unmarked,
            "sessions_cancelled": self.cancelled,
            "longest_unexcused_run": self.longest_run,
            "current_unexcused_run": self.current_run,
            "attendance_percent": self.attendance_percent,
            "breaches": [
                {
                    "rule": b.rule,
                    "on": b.on,
                    "count": b.count,
                    "limit": b.limit,
                    "source": b.source,
                    "words": b.words(),
                }
                for b in self.breaches
            ],
            "warnings": list(self.warnings),
        }


def percent(attended: int, expected: int) -> float | None:
    return round(100.0 * attended / expected, 1) if expected else None


def evaluate(
    marks: Iterable[Mark],
    rules: Rules,
    cycle_length: int,
    participant_status: str = "active",
    status_since: str = "",
    also_covered: Iterable[int] = (),
    completion_decision: str = "",
) -> Compliance:
    """A man's compliance from every session he was expected at, in any order.

    also_covered: curriculum sessions he covered outside the group (one-to-one catch-ups the
    programme counts toward completion). completion_decision: a coordinator's reason for
    completing him before he covered the sessions required."""
    ordered = sorted(marks, key=lambda m: m.date)
    required = rules.required(max(int(cycle_length), 1))
    covered: set[int] = set()
    attended = excused = unexcused = late_absence = unmarked = cancelled = 0
    run = longest = 0
    below_since = ""
    breaches: dict[str, Breach] = {}
    for mark in ordered:
        kind = counts_as(mark, rules)
        if kind == UNMARKED:
            unmarked += 1
            continue
        if kind == CANCELLED:
            cancelled += 1
            continue
        if kind == ATTENDED:
            attended += 1
            covered.add(int(mark.curriculum_session))
            run = 0
        elif kind == EXCUSED:
            excused += 1  # a sick note neither resets nor extends a run of unexcused absences
        else:
            unexcused += 1
            late_absence += kind == LATE_ABSENCE
            run += 1
            longest = max(longest, run)
            if (
                unexcused > rules.unexcused_absences_allowed
                and "unexcused_absences" not in breaches
            ):
                breaches["unexcused_absences"] = Breach(
                    "unexcused_absences",
                    mark.date,
                    unexcused,
                    rules.unexcused_absences_allowed,
                    rules.source("unexcused_absences_allowed"),
                )
            if (
                run > rules.consecutive_unexcused_allowed
                and "consecutive_unexcused" not in breaches
            ):
                breaches["consecutive_unexcused"] = Breach(
                    "consecutive_unexcused",
                    mark.date,
                    run,
                    rules.consecutive_unexcused_allowed,
                    rules.source("consecutive_unexcused_allowed"),
                )
        expected = attended + unexcused
        share = percent(attended, expected)
        judged = expected >= max(rules.min_attendance_after_sessions, 1)
        if share is not None and judged and share < rules.min_attendance_percent:
            below_since = below_since or mark.date
        else:
            below_since = ""
    covered.update(int(n) for n in also_covered)
    expected = attended + unexcused
    share = percent(attended, expected)
    if below_since and share is not None:  # below_since is only set while share is known
        # Unlike a count, a percentage can recover: it is a breach while it stays below.
        breaches["min_attendance"] = Breach(
            "min_attendance",
            below_since,
            share,
            rules.min_attendance_percent,
            rules.source("min_attendance_percent"),
        )
    numbers = range(1, max(int(cycle_length), 1) + 1)
    result = Compliance(
        status="on_track",
        reason="",
        required=required,
        covered=sorted(covered),
        to_do=[n for n in numbers if n not in covered],
        sessions_held=attended + excused + unexcused,
        attended=attended,
        excused=excused,
        unexcused=unexcused,
        late_as_absence=late_absence,
        unmarked=unmarked,
        cancelled=cancelled,
        longest_run=longest,
        current_run=run,
        attendance_percent=share,
        breaches=sorted(breaches.values(), key=lambda b: b.on),
    )
    result.warnings = _warnings(result, rules, expected)
    result.status, headline = _status(result, participant_status, status_since, completion_decision)
    result.reason = f"{headline}; {_progress(result)}" if headline else _progress(result)
    return result


def _warnings(c: Compliance, rules: Rules, expected: int) -> list[str]:
    out = []
    allowed = rules.unexcused_absences_allowed
    if c.unexcused == allowed and "unexcused_absences" not in {b.rule for b in c.breaches}:
        out.append(
            f"{c.unexcused} unexcused absences: one more passes the limit of {allowed} "
            f"({rules.source('unexcused_absences_allowed')})"
        )
    in_row = rules.consecutive_unexcused_allowed
    if (
        c.current_run
        and c.current_run == in_row
        and "consecutive_unexcused" not in {b.rule for b in c.breaches}
    ):
        out.append(
            f"{c.current_run} unexcused absences in a row: one more passes the limit of {in_row} "
            f"({rules.source('consecutive_unexcused_allowed')})"
        )
    after = max(rules.min_attendance_after_sessions, 1)
    if "min_attendance" not in {b.rule for b in c.breaches} and expected + 1 >= after:
        if 100.0 * c.attended / (expected + 1) < rules.min_attendance_percent:
            out.append(
                f"one more absence takes his attendance below {rules.min_attendance_percent}% "
                f"({rules.source('min_attendance_percent')})"
            )
    return out


def _status(
    c: Compliance, participant_status: str, since: str, decision: str = ""
) -> tuple[str, str]:
    when = f" since {since}" if since else ""
    if participant_status == "exited":
        return "exited", f"exited the programme{when}"
    if participant_status == "suspended":
        return "suspended", f"suspended{when}"
    short = len(c.covered) < c.required
    if participant_status == "completed" and short:
        # Never "covered every session" for a man who did not: the decision is said as one.
        headline = completion_by_decision(decision) if decision.strip() else "completed"
        return "completed", headline
    if participant_status == "completed" or not short:
        done = (
            "every curriculum session"
            if c.required == len(c.covered) + len(c.to_do)
            else f"{c.required} sessions"
        )
        return "completed", f"completed: covered {done}"
    if c.breaches:
        return "breach", "breach, action needed: " + "; ".join(b.words() for b in c.breaches)
    if c.warnings:
        return "warning", "warning: " + "; ".join(c.warnings)
    return "on_track", "on track" if c.sessions_held else "on track: no sessions held yet"


def _progress(c: Compliance) -> str:
    parts = []
    expected = c.attended + c.unexcused
    if expected:
        parts.append(
            f"attended {c.attended} of {expected} sessions expected ({c.attendance_percent:.0f}%)"
        )
    if c.excused:
        parts.append(f"{c.excused} excused")
    if c.cancelled:
        parts.append(
            f"{c.cancelled} session{'s' if c.cancelled != 1 else ''} cancelled (not absences)"
        )
    if c.late_as_absence:
        parts.append(f"{c.late_as_absence} late or left early past the limit, counted as absence")
    left = max(c.required - len(c.covered), 0)
    if left:
        parts.append(f"{len(c.covered)} of {c.required} curriculum sessions covered, {left} to do")
    return ", ".join(parts) if parts else "no sessions held yet"


@dataclass(frozen=True)
class Completion:
    """Whether a man may be completed: the sessions he covered against those required, and a
    coordinator's written reason when he is completed short of them."""

    covered: int
    required: int
    decision: str = ""

    @property
    def short(self) -> bool:
        return self.covered < self.required

    def refusal(self, participant_id: str, option: str = "--decision") -> str | None:
        """The one line that refuses his completion, or None when it may go ahead."""
        if not self.short or self.decision.strip():
            return None
        return (
            f"{participant_id} has covered {self.covered} of the {self.required} sessions "
            f"required: he completes once he covers them, or a coordinator completes him now "
            f'with {option} "the reason, in writing"'
        )


# -- telling the referrer ------------------------------------------------------------------------
@dataclass
class NotifyTask(Record):
    """A breach the referrer must hear about (audits found courts often never did)."""

    id: str
    participant_id: str
    breach_key: str
    rule: str
    breach_on: str
    what: str  # the breach in words: generated, never typed, so it holds no content
    opened_on: str
    due_on: str
    state: str = "open"
    told_how: str = ""
    told_on: str = ""
    note: str = ""
    closed_by: str = ""
    closed_at: str = ""

    def __post_init__(self) -> None:
        self.state = check_choice(self.state, TASK_STATES, "task state")
        self.due_on = parse_date(self.due_on, "due date").isoformat()
        if self.state == "done":
            self.told_how = check_choice(self.told_how, HOW_TOLD, "how the referrer was told")
            self.told_on = parse_date(self.told_on, "date the referrer was told").isoformat()

    def is_overdue(self, today: date) -> bool:
        return self.state == "open" and self.due_on < today.isoformat()


def add_working_days(start: date, days: int, holidays: Iterable[str] = ()) -> date:
    """`days` working days after `start` (Monday to Friday, holidays skipped); 0 is `start`
    itself."""
    off = {parse_date(h, "holiday").isoformat() for h in holidays}
    day = start
    left = max(int(days), 0)
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5 and day.isoformat() not in off:
            left -= 1
    return day
