"""Risk flags: what was disclosed or reported, how soon it must be
reviewed, what the reviewers did, and the rules that escalate or close it.

Pure: no I/O and no clock. Callers pass the time, the settings and the man's earlier flags.

    RiskFlag      participant, session if any, categories, severity, summary, source, who raised
                  it and when, deadline, status open → in_review → closed, reviews, outcome,
                  escalation markers
    Review        one review step: the actions taken and a note
    FlagHistory   the part of a flag the escalation rules read (kept per man)
    Suggestion    what the scanner found in a check-in, waiting to be confirmed or dismissed
    Assessment    a risk assessment of a man on a date, with its level

    deadline_for(severity, raised_at, hours, working_day_severities) -> datetime
    escalate(categories, severity, raised_at, earlier, cluster_window_days) -> (severity, markers)
    check_review(flag, actions, note)   check_close(flag, outcome)   is_overdue(flag, now)
    review_state(flag, now) -> overdue | open | in_review | closed
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from facilitator.domain.record import Record
from facilitator.domain.values import check_choice, check_choices, require_text
from facilitator.errors import InvalidInput, Refused

SEVERITIES = ("medium", "high", "critical")  # lowest first, so the index is the rank
SOURCES = ("checkin", "hand", "partner_contact", "debrief")
SOURCE_LABELS = {
    "checkin": "check-in",
    "hand": "raised by hand",
    "partner_contact": "partner contact",
    "debrief": "debrief",
}
STATUSES = ("open", "in_review", "closed")
LIST_FILTERS = ("open", "overdue", "closed", "all")
ACTIONS = (
    "partner_support_informed",
    "marac_referral",
    "safeguarding_referral",
    "police_informed",
    "referrer_informed",
    "risk_plan_updated",
    "no_further_action",
)
NO_FURTHER_ACTION = "no_further_action"
ACTION_LABELS = {
    "partner_support_informed": "partner support informed",
    "marac_referral": "MARAC referral",
    "safeguarding_referral": "children's safeguarding referral",
    "police_informed": "police informed",
    "referrer_informed": "referrer informed",
    "risk_plan_updated": "risk plan updated",
    "no_further_action": "no further action",
}
ASSESSMENT_LEVELS = ("standard", "medium", "high")  # the SafeLives DASH outcome levels

# What a partner-sourced flag says, whatever partner support knows: never her words.
PARTNER_SUMMARY = "Risk concern raised by partner support (source: partner contact)"

# Escalation markers shown on a flag.
CLUSTER_OF_THREE = (
    "cluster of three: separation + controlling behaviour + physical or sexual violence"
)
MARAC_POTENTIAL = "MARAC: potential escalation"
MARAC_REPEAT = "MARAC: repeat"
MARAC_MONTHS = 12
# The cluster of three: separation, controlling behaviour, and violence.
CLUSTER_SEPARATION = ("separation",)
CLUSTER_CONTROL = ("controlling_behaviour",)
CLUSTER_VIOLENCE = ("physical_violence", "sexual_violence", "strangulation")

# A closing reason for a critical flag closed on no further action must say why in words.
MIN_WORDS_CRITICAL_NFA = 5


def severity_rank(severity: str | None) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


def highest(severities: Iterable[str]) -> str | None:
    found = [s for s in severities if s in SEVERITIES]
    return max(found, key=severity_rank) if found else None


def check_categories(values: Iterable[str], known: Iterable[str]) -> list[str]:
    cats = check_choices(values, tuple(known), "risk category")
    if not cats:
        raise InvalidInput("a flag needs at least one risk category (--category)")
    return cats


@dataclass
class Review(Record):
    at: str
    by: str
    actions: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class RiskFlag(Record):
    id: str
    participant_id: str
    categories: list[str]
    severity: str
    summary: str
    source: str
    raised_by: str
    raised_at: str
    deadline: str
    session_id: str = ""
    status: str = "open"
    reviews: list[dict] = field(default_factory=list)
    outcome: str = ""
    closed_by: str = ""
    closed_at: str = ""
    markers: list[str] = field(default_factory=list)  # escalation markers
    escalated_from: str = ""  # the severity before an escalation rule raised it
    suggestion_id: str = ""  # the check-in suggestion it was confirmed from

    def __post_init__(self) -> None:
        self.severity = check_choice(self.severity, SEVERITIES, "severity")
        self.source = check_choice(self.source, SOURCES, "flag source")
        self.status = check_choice(self.status, STATUSES, "flag status")
        self.summary = require_text(self.summary, "flag summary")
        if not self.categories:
            raise InvalidInput("a flag needs at least one risk category")

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"

    @property
    def review_list(self) -> list[Review]:
        return [Review.from_dict(r) for r in self.reviews]

    @property
    def actions_taken(self) -> list[str]:
        out: list[str] = []
        for r in self.review_list:
            out.extend(a for a in r.actions if a not in out)
        return out

    def marac_referred_on(self) -> list[str]:
        """Dates of the MARAC referrals recorded on this flag."""
        return [r.at[:10] for r in self.review_list if "marac_referral" in r.actions]

    def raised(self) -> datetime:
        return datetime.fromisoformat(self.raised_at)

    def due(self) -> datetime:
        return datetime.fromisoformat(self.deadline)


@dataclass
class FlagHistory(Record):
    """What the escalation rules need to know of one of a man's flags (kept per man, so raising
    a flag reads one small file whatever the length of the programme's history)."""

    id: str
    raised_at: str
    categories: list[str] = field(default_factory=list)
    marac_referrals: list[str] = field(default_factory=list)  # dates of MARAC referrals on it

    @classmethod
    def of(cls, flag: RiskFlag) -> FlagHistory:
        return cls(flag.id, flag.raised_at, list(flag.categories), flag.marac_referred_on())

    def raised(self) -> datetime:
        return datetime.fromisoformat(self.raised_at)

    def marac_referred_on(self) -> list[str]:
        return list(self.marac_referrals)


@dataclass
class Suggestion(Record):
    """The scanner's reading of one man's check-in: confirmed into a flag, or dismissed with a
    reason."""

    id: str
    session_id: str
    participant_id: str
    categories: list[str]
    severity: str
    matches: list[dict] = field(default_factory=list)  # {category, severity, match, start, end}
    status: str = "pending"  # pending, confirmed, dismissed
    created_at: str = ""
    decided_by: str = ""
    decided_at: str = ""
    reason: str = ""  # why it was dismissed, or why not_flagged were left out of the flag
    flag_id: str = ""
    not_flagged: list[str] = field(default_factory=list)  # suggested categories the flag left out

    @property
    def pending(self) -> bool:
        return self.status == "pending"


SUGGESTION_STATUSES = ("pending", "confirmed", "dismissed")


@dataclass
class Assessment(Record):
    participant_id: str
    date: str
    level: str
    recorded_by: str = ""
    recorded_at: str = ""  # when it was recorded; "" in records kept before this was kept
    # The structured part (domain/risk_factors.py): factor id -> {"score", "evidence"}; empty
    # when only a level was recorded.
    factors: dict = field(default_factory=dict)
    rationale: str = ""

    def present(self) -> list[str]:
        return [k for k, v in self.factors.items() if v.get("score") == "present"]

    def predates(self, flag_raised_at: str) -> bool:
        """Whether a flag raised at that time came after this assessment, so the assessment
        could not have weighed it. A flag on a later day always did; on the assessment's own
        day only if raised after it was recorded that day, and, where the time of recording is
        not known, it is taken to have come after: a missed re-assessment costs more than an
        extra one."""
        day = flag_raised_at[:10]
        if day != self.date:
            return day > self.date
        recorded_same_day = self.recorded_at[:10] == self.date
        return not recorded_same_day or flag_raised_at > self.recorded_at

    def __post_init__(self) -> None:
        self.level = check_choice(self.level, ASSESSMENT_LEVELS, "risk assessment level")


# -- deadlines -------------------------------------------------------------------------------
def deadline_for(
    severity: str,
    raised_at: datetime,
    hours: Mapping[str, int | float],
    working_day_severities: Iterable[str] = ("high",),
) -> datetime:
    """When the flag must have been reviewed.

    0 hours means "the same day": by the end of the day it was raised. Severities in
    `working_day_severities` count only hours on working days (Monday to Friday), so a high
    flag raised on Friday evening is due on Monday evening, not on Saturday.
    """
    severity = check_choice(severity, SEVERITIES, "severity")
    try:
        h = float(hours[severity])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(
            f"setting risk.deadline_hours has no number of hours for '{severity}'"
        ) from None
    if h <= 0:
        return datetime.combine(raised_at.date(), time(23, 59, 59))
    if severity not in tuple(working_day_severities):
        return raised_at + timedelta(hours=h)
    return _add_working_hours(raised_at, timedelta(hours=h))


def _is_working_day(day: date) -> bool:
    return day.weekday() < 5


def _add_working_hours(start: datetime, remaining: timedelta) -> datetime:
    at = start
    while True:
        if not _is_working_day(at.date()):
            at = datetime.combine(at.date() + timedelta(days=1), time(0, 0))
            continue
        midnight = datetime.combine(at.date() + timedelta(days=1), time(0, 0))
        left_today = midnight - at
        if remaining <= left_today:
            return at + remaining
        remaining -= left_today
        at = midnight


def is_overdue(flag: RiskFlag, now: datetime) -> bool:
    """Past its review deadline with no review recorded (a flag in review has been acted on).

    The one meaning of overdue: the home screen's count, the queue's marks and order and
    `risk list` all read it from here, so they can never disagree."""
    return flag.status == "open" and now > flag.due()


def review_state(flag: RiskFlag, now: datetime) -> str:
    """Where a flag stands for its reviewers: overdue, open (not yet due), in_review or closed."""
    if is_overdue(flag, now):
        return "overdue"
    return flag.status


REVIEW_STATE_LABELS = {
    "overdue": "overdue",
    "open": "open",
    "in_review": "in review",
    "closed": "closed",
}


# -- escalation ------------------------------------------------------------------------------
def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the 31st becomes the month's last day)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(y, m, d)
        except ValueError:
            continue
    raise ValueError(day)  # unreachable


def escalate(
    categories: Iterable[str],
    severity: str,
    raised_at: datetime,
    earlier: Iterable[RiskFlag | FlagHistory],
    cluster_window_days: int,
) -> tuple[str, list[str]]:
    """The severity and markers a new flag gets from the man's earlier flags.

    - separation + controlling behaviour + physical or sexual violence, across his flags within
      the cluster window (this one included), make the new flag critical;
    - this being at least his third flag within twelve months marks MARAC: potential escalation;
    - a MARAC referral on one of his flags within the last twelve months marks MARAC: repeat.
    """
    cats = set(categories)
    earlier = [f for f in earlier if f.raised() <= raised_at]
    markers: list[str] = []

    window_start = raised_at - timedelta(days=int(cluster_window_days))
    seen = set(cats)
    for f in earlier:
        if f.raised() >= window_start:
            seen.update(f.categories)
    if (
        seen & set(CLUSTER_SEPARATION)
        and seen & set(CLUSTER_CONTROL)
        and seen & set(CLUSTER_VIOLENCE)
    ):
        markers.append(CLUSTER_OF_THREE)
        severity = "critical"

    year_ago = months_before(raised_at.date(), MARAC_MONTHS)
    recent = [f for f in earlier if f.raised().date() > year_ago]
    if len(recent) + 1 >= 3:
        markers.append(MARAC_POTENTIAL)
    referrals = [d for f in earlier for d in f.marac_referred_on() if d > year_ago.isoformat()]
    if referrals:
        markers.append(MARAC_REPEAT)
    return severity, markers


# -- review and close ------------------------------------------------------------------------
def check_review(flag: RiskFlag, actions: Iterable[str], note: str) -> list[str]:
    """The actions of a review step, checked against the rules (raises when one is broken)."""
    if flag.is_closed:
        raise Refused(f"flag {flag.id} is closed; it cannot be reviewed again")
    chosen = check_choices(actions, ACTIONS, "action")
    if not chosen:
        raise InvalidInput(f"a review needs at least one action (--action): {', '.join(ACTIONS)}")
    problem = review_problem(chosen, note)
    if problem:
        raise InvalidInput(f"{problem} (--note)" if "note" in problem else problem)
    return chosen


def review_problem(actions: Iterable[str], note: str) -> str:
    """What is wrong with a review's actions and note, in words ("" when nothing is): the
    rules the dialog checks before it closes, so nothing typed there is lost to a refusal."""
    chosen = list(actions)
    if not chosen:
        return "pick at least one action"
    nfa = ACTION_LABELS.get(NO_FURTHER_ACTION, "no further action")
    if NO_FURTHER_ACTION in chosen and len(chosen) > 1:
        return f"'{nfa}' cannot be recorded together with other actions"
    if NO_FURTHER_ACTION in chosen and not (note or "").strip():
        return f"'{nfa}' needs a reason: write it in the note"
    return ""


def check_close(flag: RiskFlag, outcome: str) -> str:
    """The outcome text, once the close rules allow it."""
    if flag.is_closed:
        raise Refused(f"flag {flag.id} is already closed")
    outcome = (outcome or "").strip()
    if not outcome:
        raise InvalidInput("closing a flag needs its outcome in words (--outcome)")
    actions = flag.actions_taken
    if not actions:
        raise Refused(
            f"flag {flag.id} has no actions recorded: record what was done first",
            command=f"facilitator risk review {flag.id} --action ... --note ...",
        )
    if flag.severity == "critical" and set(actions) == {NO_FURTHER_ACTION}:
        words = [w for w in outcome.replace("_", " ").split() if w.strip(".,;:")]
        bare = outcome.lower().strip(" .").replace("_", " ") in (
            "nfa",
            "no further action",
            "none",
            "n/a",
        )
        if bare or len(words) < MIN_WORDS_CRITICAL_NFA:
            raise Refused(
                f"flag {flag.id} is critical and its only action is no_further_action: the outcome "
                f"must give a written reason (at least {MIN_WORDS_CRITICAL_NFA} words saying why)"
            )
    return outcome


def open_rank(flag: RiskFlag) -> tuple:
    """Queue order: by deadline, most severe first among equals."""
    return (flag.is_closed, flag.deadline, -severity_rank(flag.severity), flag.id)


def queue_rank(flag: RiskFlag, now: datetime) -> tuple:
    """Queue order at a moment: overdue ones first, then as open_rank."""
    return (not is_overdue(flag, now), *open_rank(flag))
