"""Dates as the screens write them: '03 Nov', with the year only when it is not this one, so
tables and headers fit in 80 columns."""

from __future__ import annotations

from datetime import date

from facilitator import clock


def short_date(iso: str, this_year: int | None = None) -> str:
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    year = clock.today().year if this_year is None else this_year
    return f"{day:%d %b}" if day.year == year else f"{day:%d %b %Y}"
