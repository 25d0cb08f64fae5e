"""Planned sessions as iCalendar files, for a group or for one member of staff.

Each event is a session in the programme's time zone (`programme.time_zone`, Europe/London by
default), written with its TZID and the zone's VTIMEZONE so Outlook and Google place it right.
An event holds the group's name, the session's number and title, the venue and the
facilitators, and nothing about any man: a calendar is shared beyond the programme's records
(phones, mail servers), so not one name or id of a participant goes in it. A cancelled session
stays in as cancelled, so a calendar that imported it before sees it called off.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from facilitator import clock
from facilitator.domain.group import Group
from facilitator.domain.values import parse_time
from facilitator.errors import InvalidInput
from facilitator.services.core.group_store import get_group, list_groups
from facilitator.services.core.office import Office
from facilitator.services.groupwork.plan import CANCELLED, DEFAULT_WEEKS, PlannedSession, build_plan

DEFAULT_TIME_ZONE = "Europe/London"


def time_zone(office: Office) -> ZoneInfo:
    name = str(office.setting("programme.time_zone", DEFAULT_TIME_ZONE) or DEFAULT_TIME_ZONE)
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"settings: programme.time_zone '{name}' is not a time zone (e.g. Europe/London)"
        ) from None


def _span(weeks: int | None) -> tuple[date, date]:
    weeks = DEFAULT_WEEKS if weeks is None else int(weeks)
    if not 1 <= weeks <= 520:
        raise InvalidInput(f"--weeks {weeks} is out of range (1 to 520)")
    start = clock.today()
    return start, start + timedelta(days=7 * weeks - 1)


def _summary(group: Group, entry: PlannedSession) -> str:
    if entry.state == CANCELLED:
        return f"Cancelled: {group.name}"
    what = f"session {entry.number}" + (f": {entry.title}" if entry.title else "")
    return f"{group.name}, {what}"


def _event(office: Office, group: Group, entry: PlannedSession, zone: ZoneInfo):
    # The library takes a moment to load; only the calendar commands need it.
    from icalendar import Event

    names = {s.id: s.name for s in office.staff()}
    start = datetime.combine(
        date.fromisoformat(entry.date), parse_time(entry.time or group.time), tzinfo=zone
    )
    event = Event()
    # Stable per group and date, so a calendar imported again updates the same event.
    event.add("uid", f"{group.id}-{entry.date}@facilitator")
    event.add("dtstamp", clock.now().replace(tzinfo=zone))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=int(entry.minutes)))
    event.add("summary", _summary(group, entry))
    if entry.location:
        event.add("location", entry.location)
    lines = ["Facilitators: " + ", ".join(names.get(f, f) for f in entry.facilitators)]
    if entry.cover:
        lines.append(
            "Cover: "
            + ", ".join(f"{names.get(b, b)} for {names.get(a, a)}" for a, b in entry.cover.items())
        )
    if entry.moved_from:
        lines.append(f"Moved from {entry.moved_from}")
    if entry.state == CANCELLED:
        lines.append("This session is cancelled.")
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if entry.state == CANCELLED else "CONFIRMED")
    return event


def _calendar(office: Office, name: str, events: list) -> bytes:
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//facilitator//planned sessions//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(time_zone(office)))
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _entries(office: Office, group: Group, weeks: int | None) -> list[PlannedSession]:
    start, end = _span(weeks)
    return [
        e
        for e in build_plan(office, group, start, end, with_closed_days=False)
        if e.happens or e.state == CANCELLED
    ]


def group_calendar(office: Office, group_id: str, weeks: int | None = None) -> bytes:
    """The group's planned sessions as an iCalendar file."""
    group = get_group(office, group_id)
    zone = time_zone(office)
    events = [_event(office, group, e, zone) for e in _entries(office, group, weeks)]
    return _calendar(office, group.name, events)


def staff_calendar(office: Office, staff_ref: str, weeks: int | None = None) -> bytes:
    """Every planned session one member of staff facilitates (covering included)."""
    member = office.find_staff(staff_ref)
    zone = time_zone(office)
    events = []
    for group in list_groups(office):
        for entry in _entries(office, group, weeks):
            if member.id in entry.facilitators:
                events.append(_event(office, group, entry, zone))
    return _calendar(office, f"Sessions: {member.name}", events)
