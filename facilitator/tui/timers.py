"""The session runner's clocks: which segment the group is on, and how long it and the session
have run, with pause.

Time comes from `facilitator.clock` (tests pin it, so the timers read the same on every run).
The state is kept as banked seconds plus the moment the clocks were last resumed, so a crash
or a closed laptop loses nothing: on reopening, the time the group went on meanwhile counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from facilitator import clock


@dataclass
class RunnerClock:
    segment: int = 0
    running: bool = True
    resumed_at: str = ""  # ISO time the clocks last started running
    session_seconds: int = 0  # banked while running, before resumed_at
    segment_seconds: list[int] = field(default_factory=list)  # banked per segment

    @classmethod
    def start(cls, segments: int, now: datetime | None = None) -> RunnerClock:
        now = now or clock.now()
        return cls(
            segment=0,
            running=True,
            resumed_at=now.isoformat(),
            segment_seconds=[0] * max(segments, 1),
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any], segments: int) -> RunnerClock:
        c = cls(
            segment=int(data.get("segment", 0)),
            running=bool(data.get("running", True)),
            resumed_at=str(data.get("resumed_at", "")),
            session_seconds=int(data.get("session_seconds", 0)),
            segment_seconds=[int(x) for x in data.get("segment_seconds", [])],
        )
        # The curriculum may have changed since: keep what fits.
        n = max(segments, 1)
        c.segment_seconds = (c.segment_seconds + [0] * n)[:n]
        c.segment = min(max(c.segment, 0), n - 1)
        if c.running and not c.resumed_at:
            c.running = False
        return c

    def to_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "running": self.running,
            "resumed_at": self.resumed_at,
            "session_seconds": self.session_seconds,
            "segment_seconds": list(self.segment_seconds),
        }

    # -- reading -------------------------------------------------------------------------
    def _live(self, now: datetime) -> int:
        if not self.running or not self.resumed_at:
            return 0
        return max(0, int((now - datetime.fromisoformat(self.resumed_at)).total_seconds()))

    def session_elapsed(self, now: datetime | None = None) -> int:
        return self.session_seconds + self._live(now or clock.now())

    def segment_elapsed(self, index: int | None = None, now: datetime | None = None) -> int:
        i = self.segment if index is None else index
        banked = self.segment_seconds[i] if 0 <= i < len(self.segment_seconds) else 0
        return banked + (self._live(now or clock.now()) if i == self.segment else 0)

    # -- changing ------------------------------------------------------------------------
    def _bank(self, now: datetime) -> None:
        live = self._live(now)
        self.session_seconds += live
        if 0 <= self.segment < len(self.segment_seconds):
            self.segment_seconds[self.segment] += live
        self.resumed_at = now.isoformat() if self.running else ""

    def toggle_pause(self, now: datetime | None = None) -> bool:
        now = now or clock.now()
        self._bank(now)
        self.running = not self.running
        self.resumed_at = now.isoformat() if self.running else ""
        return self.running

    def go_to(self, index: int, now: datetime | None = None) -> bool:
        """Move to another segment; False when there is none that way."""
        if not 0 <= index < len(self.segment_seconds) or index == self.segment:
            return False
        now = now or clock.now()
        self._bank(now)
        self.segment = index
        return True


def minutes_of(seconds: int, up: bool = False) -> int:
    """Whole minutes gone by; with `up`, at least 1 (an overrun of 10 s is +1, never +0)."""
    seconds = max(0, int(seconds))
    return max(1, seconds // 60) if up else seconds // 60
