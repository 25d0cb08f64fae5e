"""A man's place in a group: when he joined, at which session, and when and why he left."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.domain.record import Record
from facilitator.domain.values import parse_date, require_text

LEAVE_REASONS = ("completed", "suspended", "exited", "transferred")


@dataclass
class Enrolment(Record):
    id: str
    participant_id: str
    group_id: str
    joined_on: str
    joined_at_session: int = 1
    left_on: str = ""
    left_reason: str = ""

    def __post_init__(self) -> None:
        self.joined_on = parse_date(self.joined_on, "join date").isoformat()
        if self.left_on:
            self.left_on = parse_date(self.left_on, "leaving date").isoformat()
            self.left_reason = require_text(self.left_reason, "leaving reason")

    def active_on(self, day: str) -> bool:
        """Enrolled on that date (joined on or before it, not yet left)."""
        return self.joined_on <= day and (not self.left_on or day < self.left_on)
