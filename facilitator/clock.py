"""The one place the tool reads the time.

Services call `clock.now()` / `clock.today()` through the module so tests can pin time
(monkeypatch, or FACILITATOR_NOW=2026-11-24T18:00 for commands run in a subprocess).
"""

from __future__ import annotations

import os
import time
from datetime import date, datetime


def now() -> datetime:
    fixed = os.environ.get("FACILITATOR_NOW")
    if fixed:
        return datetime.fromisoformat(fixed).replace(microsecond=0)
    return datetime.now().replace(microsecond=0)


def today() -> date:
    return now().date()


def monotonic() -> float:
    """Seconds on a clock that never goes back (how long the UI has been left idle)."""
    return time.monotonic()
