"""Planned sessions as .ics files: they parse, hold the planned dates and times in the
programme's time zone, and never a man's name or id. Clock: Tuesday 2026-11-24."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from facilitator.services.core import people
from facilitator.services.groupwork import groups, plan
from tests.conftest import as_coordinator, enrol_all, ready_for_group

CANARY_MEN = ("Zebedee Canarywing", "Quillon Sparrowhawk")


def _events(path):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return cal, [c for c in cal.walk("VEVENT")]


@pytest.fixture
def planned(office):
    enrol_all(office)
    for name in CANARY_MEN:
        p = people.add_participant(office, name, "court", "Demo Court", "REF-CANARY")
        ready_for_group(office, p.id)
        groups.enrol(office, "G1", p.id)
    coordinator = as_coordinator(office)
    people.add_staff(coordinator, "Cal Cover", ["facilitator"], "cal")
    plan.cancel_session(coordinator, "G1", "2026-12-08", "venue closed")
    plan.cover_session(coordinator, "G1", "2026-12-15", "bea", "cal")
    return office


def test_group_calendar_holds_the_planned_sessions_in_the_programme_time_zone(
    planned, invoke, tmp_path
):
    out = tmp_path / "g1.ics"
    result = invoke("group", "calendar", "G1", "-o", str(out), "--weeks", "10")
    assert result.exit_code == 0, result.output
    cal, events = _events(out)
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    london = ZoneInfo("Europe/London")
    starts = {e["DTSTART"].dt: e for e in events}
    first = datetime(2026, 11, 24, 18, 30, tzinfo=london)
    assert first in starts
    assert starts[first]["DTSTART"].params["TZID"] == "Europe/London"
    assert "Tuesday group, session 1" in str(starts[first]["SUMMARY"])
    minutes = plan.group_plan(planned, "G1", weeks=1)[0].minutes
    assert starts[first]["DTEND"].dt - first == timedelta(minutes=minutes)
    assert len(events) == 10
    cancelled = starts[datetime(2026, 12, 8, 18, 30, tzinfo=london)]
    assert cancelled["STATUS"] == "CANCELLED"
    covered = starts[datetime(2026, 12, 15, 18, 30, tzinfo=london)]
    assert "Cal Cover" in str(covered["DESCRIPTION"])
    assert "session 3" in str(covered["SUMMARY"])  # the cancellation moved it on


def test_a_summer_session_keeps_its_wall_clock_time(planned, invoke, tmp_path):
    out = tmp_path / "g1.ics"
    assert invoke("group", "calendar", "G1", "-o", str(out), "--weeks", "30").exit_code == 0
    _, events = _events(out)
    may = [e["DTSTART"].dt for e in events if e["DTSTART"].dt.month == 5]
    assert may and all(d.hour == 18 and d.minute == 30 for d in may)
    assert all(d.utcoffset() == timedelta(hours=1) for d in may)  # British Summer Time


def test_the_time_zone_is_a_setting(planned, invoke, tmp_path):
    settings = planned.ws.read_settings()
    settings["programme"]["time_zone"] = "Europe/Berlin"
    with planned.stores.writing():
        planned.ws.write_settings(settings)
    out = tmp_path / "g1.ics"
    assert invoke("group", "calendar", "G1", "-o", str(out)).exit_code == 0
    cal, events = _events(out)
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
    assert events[0]["DTSTART"].dt == datetime(
        2026, 11, 24, 18, 30, tzinfo=ZoneInfo("Europe/Berlin")
    )


def test_staff_calendar_has_the_sessions_they_facilitate_cover_included(planned, invoke, tmp_path):
    out = tmp_path / "cal.ics"
    assert invoke("staff", "calendar", "cal", "-o", str(out)).exit_code == 0
    _, events = _events(out)
    assert [e["DTSTART"].dt.date().isoformat() for e in events] == ["2026-12-15"]
    bea = tmp_path / "bea.ics"
    assert invoke("staff", "calendar", "bea", "-o", str(bea), "--weeks", "4").exit_code == 0
    _, events = _events(bea)
    days = [e["DTSTART"].dt.date().isoformat() for e in events]
    assert "2026-12-15" not in days and "2026-11-24" in days


def test_no_mans_name_or_id_is_in_any_calendar(planned, invoke, tmp_path):
    files = [tmp_path / "g1.ics", tmp_path / "alex.ics"]
    assert invoke("group", "calendar", "G1", "-o", str(files[0])).exit_code == 0
    assert invoke("staff", "calendar", "alex", "-o", str(files[1])).exit_code == 0
    men = people.list_participants(planned)
    assert len(men) == 5
    for f in files:
        text = f.read_text(encoding="utf-8")
        unfolded = text.replace("\r\n ", "")
        for man in men:
            for word in [man.id, man.name, *man.name.split(), man.referrer_reference]:
                assert word not in unfolded, (f.name, word)


def test_bad_input_writes_nothing_and_says_one_line(planned, invoke, tmp_path):
    result = invoke("group", "calendar", "G9", "-o", str(tmp_path / "x.ics"))
    assert result.exit_code != 0 and "no group with id 'G9'" in result.stderr
    result = invoke("staff", "calendar", "nobody", "-o", str(tmp_path / "x.ics"))
    assert result.exit_code != 0 and "unknown staff member" in result.stderr
    result = invoke("group", "calendar", "G1", "-o", str(tmp_path / "missing" / "x.ics"))
    assert result.exit_code != 0 and "does not exist" in result.stderr
    assert not (tmp_path / "x.ics").exists()
