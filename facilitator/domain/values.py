"""Parsing and checking the plain values users type: dates, times, choices, names."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from facilitator.domain.text import unsafe_characters
from facilitator.errors import InvalidInput

# Longest name (a person, a group, a member of staff) and longest free text (a summary, a
# note, a reason) accepted: far past any real one, short of what would swamp a screen, a
# report or the scanner.
NAME_MAX = 200
TEXT_MAX = 20_000


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


def check_name(value: str | None, what: str) -> str:
    """A name as typed: some words, at most NAME_MAX characters, one line with no control
    characters, escapes or direction overrides (none can be meant in a name, and on a screen
    they would act instead of showing)."""
    name = require_text(value, what)
    if len(name) > NAME_MAX:
        raise InvalidInput(f"{what} is {len(name)} characters long: at most {NAME_MAX}")
    bad = unsafe_characters(name)
    if bad:
        raise InvalidInput(
            f"{what} holds control or direction characters ({', '.join(bad[:5])}): "
            "type it as plain text"
        )
    return name


def check_text_size(value: str | None, what: str, limit: int = TEXT_MAX) -> str:
    """Free text as typed, refused past `limit` characters (nothing is cut off silently)."""
    text = value or ""
    if len(text) > limit:
        raise InvalidInput(
            f"{what} is {len(text):,} characters long: at most {limit:,}; shorten it or split it"
        )
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
