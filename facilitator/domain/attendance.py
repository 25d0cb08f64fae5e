"""How a man attended a session."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.domain.record import Record
from facilitator.domain.values import check_choice, check_minutes, require_text
from facilitator.errors import InvalidInput

ATTENDANCE_STATUSES = ("present", "late", "left_early", "excused", "unexcused")
# Statuses where he was in the room and can check in.
IN_ROOM = ("present", "late", "left_early")
# What a facilitator sees in the roster: a symbol and a word, never colour alone.
SYMBOLS = {
    "present": "✓",
    "late": "◔",
    "left_early": "◑",
    "excused": "E",
    "unexcused": "✗",
    None: "·",
}


@dataclass
class Attendance(Record):
    participant_id: str
    status: str
    minutes_late: int = 0
    minutes_missed: int = 0  # left early: how much of the session he missed
    reason: str = ""  # excused absence reason, or a note on leaving early
    marked_by: str = ""
    marked_at: str = ""

    def __post_init__(self) -> None:
        self.status = check_choice(self.status, ATTENDANCE_STATUSES, "attendance status")
        self.minutes_late = check_minutes(self.minutes_late or 0, "minutes late")
        self.minutes_missed = check_minutes(self.minutes_missed or 0, "minutes missed")
        if self.status == "late" and self.minutes_late <= 0:
            raise InvalidInput("late needs the minutes he was late (e.g. --minutes 10)")
        if self.status != "late":
            self.minutes_late = 0
        if self.status == "excused":
            self.reason = require_text(self.reason, "the reason for an excused absence")

    @property
    def in_room(self) -> bool:
        return self.status in IN_ROOM
