"""One-to-one work with a man: pre-group, catch-up for a missed session, crisis.

Recorded like a group session: his attendance, his check-in, and the risk flags it raised. A
catch-up names the curriculum session it covered, so completion rules can count it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitator.domain.attendance import Attendance
from facilitator.domain.checkin import CheckIn
from facilitator.domain.record import Record
from facilitator.domain.values import check_choice, parse_date, require_text
from facilitator.errors import InvalidInput

KINDS = ("pre_group", "catch_up", "crisis")
KIND_LABELS = {"pre_group": "pre-group", "catch_up": "catch-up", "crisis": "crisis"}


@dataclass
class IndividualSession(Record):
    id: str
    participant_id: str
    kind: str
    date: str
    worker: str
    attendance: dict = field(default_factory=dict)  # an Attendance document
    checkin: dict | None = None  # a CheckIn document, when he was there
    curriculum_session: int = 0  # the group session a catch-up covered; 0 for none
    flags: list[str] = field(default_factory=list)  # risk flag ids raised from it
    indicators: list[str] = field(
        default_factory=list
    )  # categories the risk scanner found, unflagged
    suggestion_id: str = ""  # the risk suggestion they wait in, for a decision
    recorded_by: str = ""
    recorded_at: str = ""

    def __post_init__(self) -> None:
        self.kind = check_choice(self.kind, KINDS, "one-to-one kind")
        self.date = parse_date(self.date, "session date").isoformat()
        self.worker = require_text(self.worker, "worker")
        self.curriculum_session = int(self.curriculum_session or 0)
        if self.curriculum_session < 0:
            raise InvalidInput("curriculum session numbers start at 1")
        if self.kind == "catch_up" and not self.curriculum_session:
            raise InvalidInput(
                "a catch-up needs the curriculum session it covers (--curriculum-session N)"
            )
        mark = Attendance.from_dict(self.attendance)  # validates the status and its details
        self.attendance = mark.to_dict()
        if self.checkin is not None:
            if not mark.in_room:
                raise InvalidInput(
                    f"he was {mark.status}: a check-in needs him present, late or leaving early"
                )
            self.checkin = CheckIn.from_dict(self.checkin).to_dict()

    @property
    def mark(self) -> Attendance:
        return Attendance.from_dict(self.attendance)

    def covers(self, counting_kinds: tuple[str, ...] | list[str]) -> int | None:
        """The curriculum session this counts toward completion, under the programme's rules."""
        if self.kind in counting_kinds and self.curriculum_session and self.mark.in_room:
            return self.curriculum_session
        return None
