"""A man referred to the programme, and where he came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitator.domain.record import Record
from facilitator.domain.values import check_choice, parse_date, require_text
from facilitator.errors import InvalidInput

REFERRAL_SOURCES = ("court", "probation", "children_services", "self", "other")
STATUSES = ("referred", "active", "suspended", "completed", "exited")
# Leaving the programme other than by completing it must say why.
STATUSES_NEEDING_REASON = ("suspended", "exited")
# The statuses a man's programme ends in; each is reached only by ending it as a whole.
PROGRAMME_ENDINGS = ("completed", "suspended", "exited")
# Leaving his group to join another of the programme's: his programme goes on.
TRANSFERRED = "transferred"


def ending_named_by(reason: str) -> str:
    """What a leaving reason names by its first word ("completed", "suspended: fifth
    unexcused absence", "transferred to the Thursday group"); any other reason is an exit."""
    words = (reason or "").strip().lower().split()
    first = words[0].rstrip(":,.;") if words else ""
    return first if first in PROGRAMME_ENDINGS + (TRANSFERRED,) else "exited"


def completion_by_decision(reason: str) -> str:
    return f"completed by coordinator's decision: {' '.join(reason.split())}"


def status_change(status: str, reason: str, by: str, at: str, decision: str = "") -> dict:
    """One line of his status history, as kept on his record; a completion decided short of
    the sessions keeps the decision, so his history says it as his record does."""
    line = {"at": at, "status": status, "reason": reason, "by": by}
    return line | ({"decision": decision} if decision else {})


def status_change_words(change: dict) -> str:
    """One line of his status history in words, as his timeline shows it."""
    if change.get("status") == "completed" and (change.get("decision") or "").strip():
        return completion_by_decision(change["decision"])
    reason = change.get("reason")
    return f"{change.get('status')}" + (f" ({reason})" if reason else "")


@dataclass
class Participant(Record):
    id: str
    name: str
    referral_source: str = "self"
    referrer: str = ""  # the referring organisation or officer
    referrer_reference: str = ""  # the court or case number the referrer uses
    referred_on: str = ""
    status: str = "referred"
    status_reason: str = ""
    created_at: str = ""
    # Completed before he covered the sessions required: the coordinator's written reason, and
    # who decided. Every report that shows his completion says it was a decision.
    completion_decision: str = ""
    completion_decided_by: str = ""
    # Every change of status, oldest first: {on, status, reason, by} (his timeline reads it).
    status_changes: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.name = require_text(self.name, "participant name")
        self.referral_source = check_choice(
            self.referral_source, REFERRAL_SOURCES, "referral source"
        )
        self.status = check_choice(self.status, STATUSES, "status")
        if self.referred_on:
            self.referred_on = parse_date(self.referred_on, "referral date").isoformat()
        if self.status in STATUSES_NEEDING_REASON and not self.status_reason.strip():
            raise InvalidInput(f"status '{self.status}' needs a reason")

    @property
    def status_words(self) -> str:
        """His status as reports say it: a completion decided short of the sessions says so."""
        if self.status == "completed" and self.completion_decision.strip():
            return completion_by_decision(self.completion_decision)
        return self.status + (f" ({self.status_reason})" if self.status_reason else "")

    @property
    def first_name(self) -> str:
        """What privacy mode shows: the first name only."""
        return self.name.split()[0]
