"""A group: a curriculum run on a weekly slot by two facilitators."""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitator.domain.record import Record
from facilitator.domain.values import WEEKDAYS, check_choice, parse_date, parse_time, require_text
from facilitator.errors import InvalidInput

# Where men may join: rolling, at any session; closed, only before session 1 (a cohort that
# starts and ends together); named, only at the sessions listed in `entry_sessions`.
ENTRY_MODES = ("rolling", "closed", "named")


@dataclass
class Group(Record):
    id: str
    name: str
    curriculum: str
    weekday: str
    time: str = "18:30"
    facilitators: list[str] = field(default_factory=list)
    entry: str = "rolling"
    start_date: str = ""
    cycle_length: int = 24  # sessions in the curriculum; a rolling group wraps round
    location: str = ""
    ended_on: str = ""
    max_size: int = 0  # men at once; 0: the programme's setting (groups.max_size)
    entry_sessions: list[int] = field(default_factory=list)  # with entry "named"

    def __post_init__(self) -> None:
        self.name = require_text(self.name, "group name")
        self.curriculum = require_text(self.curriculum, "curriculum")
        self.weekday = check_choice(self.weekday, WEEKDAYS, "weekday")
        self.time = parse_time(self.time, "group time").strftime("%H:%M")
        self.entry = check_choice(self.entry, ENTRY_MODES, "entry mode")
        if self.start_date:
            self.start_date = parse_date(self.start_date, "start date").isoformat()
        if len(self.facilitators) > 2 or len(set(self.facilitators)) != len(self.facilitators):
            raise InvalidInput("a group has up to two different facilitators")
        if int(self.cycle_length) < 1:
            raise InvalidInput("a curriculum needs at least one session")
        try:
            self.max_size = int(self.max_size or 0)
            self.entry_sessions = sorted({int(n) for n in self.entry_sessions or []})
        except (TypeError, ValueError):
            raise InvalidInput("a group's size and entry sessions are whole numbers") from None
        if self.max_size < 0:
            raise InvalidInput(f"a group's maximum size cannot be {self.max_size}")
        outside = [n for n in self.entry_sessions if not 1 <= n <= int(self.cycle_length)]
        if outside:
            raise InvalidInput(
                f"entry session {outside[0]} is not in the curriculum (1 to {self.cycle_length})"
            )
        if self.entry == "named" and not self.entry_sessions:
            raise InvalidInput("entry 'named' needs the sessions men may join at (e.g. 1,9,17)")

    def next_curriculum_session(self, last_number: int | None) -> int:
        """The curriculum session after `last_number`; rolling groups start again after the last."""
        if not last_number:
            return 1
        return last_number % int(self.cycle_length) + 1
