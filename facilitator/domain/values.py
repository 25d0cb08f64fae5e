"""Parsing and checking the plain values users type: dates, times, choices, names."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from facilitator.errors import InvalidInput


def parse_date(value: str | date, what: str = "date") -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(
            f"{what} '{value}' is not a date: use YYYY-MM-DD, e.g. 2026-11-24"
        ) from None


def parse_time(value: str, what: str = "time") -> time:
    try:
        return time.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"{what} '{value}' is not a time: use HH:MM, e.g. 18:30") from None


def check_choice(value: str, allowed: Iterable[str], what: str) -> str:
    allowed = tuple(allowed)
    cleaned = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned not in allowed:
        raise InvalidInput(f"unknown {what} '{value}': choose one of {', '.join(allowed)}")
    return cleaned


def check_choices(values: Iterable[str], allowed: Iterable[str], what: str) -> list[str]:
    allowed = tuple(allowed)
    out: list[str] = []
    for v in values:
        c = check_choice(v, allowed, what)
        if c not in out:
            out.append(c)
    return out


def require_text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{what} is empty: it needs some words")
    return text


def check_minutes(value: int | str | None, what: str, maximum: int = 600) -> int:
    try:
        n = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInput(f"{what} '{value}' is not a whole number of minutes") from None
    if n < 0 or n > maximum:
        raise InvalidInput(f"{what} {n} is out of range (0 to {maximum} minutes)")
    return n


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
