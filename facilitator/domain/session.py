"""A group session on a date: planned, open while it runs, closed (locked) afterwards."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from facilitator.domain.record import Record
from facilitator.domain.values import check_choice, parse_date
from facilitator.errors import InvalidInput

SESSION_STATES = ("planned", "open", "closed")
_SESSION_ID = re.compile(r"^(?P<group>.+)-(?P<date>\d{4}-\d{2}-\d{2})$")


def session_id(group_id: str, day: str) -> str:
    """One session per group per date, so the pair is the id."""
    return f"{group_id}-{day}"


def split_session_id(value: str) -> tuple[str, str]:
    m = _SESSION_ID.match(value.strip())
    if not m:
        raise InvalidInput(
            f"'{value}' is not a session id: use GROUP-YYYY-MM-DD, e.g. G1-2026-11-24"
        )
    return m["group"], parse_date(m["date"], "session date").isoformat()


@dataclass
class Session(Record):
    id: str
    group_id: str
    curriculum_session: int
    date: str
    facilitators_present: list[str] = field(default_factory=list)
    state: str = "open"
    opened_at: str = ""
    opened_by: str = ""
    closed_at: str = ""
    closed_by: str = ""
    kind: str = "group"  # group, or one_to_one for individual work
    # Held on another weekday than the group's: why (rescheduled for a bank holiday, ...).
    rescheduled_reason: str = ""

    def __post_init__(self) -> None:
        self.date = parse_date(self.date, "session date").isoformat()
        self.state = check_choice(self.state, SESSION_STATES, "session state")
        if int(self.curriculum_session) < 1:
            raise InvalidInput("curriculum session numbers start at 1")

    @property
    def is_closed(self) -> bool:
        return self.state == "closed"


@dataclass
class Correction(Record):
    """A change made to a closed session: kept, never silent."""

    id: str
    session_id: str
    participant_id: str
    record_kind: str  # attendance or checkin
    reason: str
    changed_by: str
    changed_at: str
    before: dict | None = None
    after: dict | None = None
