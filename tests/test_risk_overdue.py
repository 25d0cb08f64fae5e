"""One meaning of overdue: a flag past its review deadline with no review yet. The home screen's
count, the risk queue's marks and `risk list` agree on a workspace with flags in every state, and
the queue says which flags are in review."""

from __future__ import annotations

import json

import pytest
from conftest import as_coordinator, enrol_all
from helpers.tui import make_app, screen_text, wait_for

from facilitator.services.risk import flags as risk


@pytest.fixture
def mixed(office, monkeypatch):
    """F0001 critical, unreviewed, past its deadline (overdue); F0002 high, past its deadline but
    reviewed (in review, not overdue); F0003 medium raised today (open, not yet due); F0004
    reviewed and closed long after its deadline (closed)."""
    enrol_all(office)
    lead = as_coordinator(office)
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-16T10:00:00")
    risk.raise_flag(office, "P0003", ["stalking"], "Waited outside her work")
    risk.review_flag(lead, "F0001", ["police_informed"], "Told the police")
    risk.close_flag(lead, "F0001", "Police warned him; she has moved")
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-20T10:00:00")
    risk.raise_flag(office, "P0001", ["weapons"], "Has a knife at home")
    risk.raise_flag(office, "P0002", ["separation"], "She has asked him to leave")
    risk.review_flag(lead, "F0003", ["partner_support_informed"], "Partner support told")
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T18:00:00")
    risk.raise_flag(office, "P0003", ["economic_abuse"], "Keeps her wages")
    return lead


def test_the_services_count_one_overdue(mixed):
    assert risk.queue_counts(mixed)["overdue"] == 1
    assert [f.id for f in risk.list_flags(mixed, "overdue")] == ["F0002"]


def test_risk_list_marks_only_the_unreviewed_late_flag(mixed, invoke):
    listed = json.loads(invoke("--user", "admin", "risk", "list", "--json").output)
    assert {f["id"]: f["overdue"] for f in listed} == {
        "F0002": True,
        "F0003": False,
        "F0004": False,
    }
    assert {f["id"]: f["state"] for f in listed}["F0003"] == "in_review"
    text = invoke("--user", "admin", "risk", "list").output
    assert text.count("OVERDUE") == 1
    overdue = json.loads(
        invoke("--user", "admin", "risk", "list", "--status", "overdue", "--json").output
    )
    assert [f["id"] for f in overdue] == ["F0002"]


async def test_home_and_queue_count_the_same_overdue_flag(mixed):
    app = make_app(mixed)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home_ready, what="the home screen's data")
        await pilot.pause()
        home = screen_text(app)
        assert "⚠ 1 OVERDUE" in home and "3 open flags" in home

        await pilot.press("r")
        await wait_for(pilot, lambda: "F0004" in screen_text(app), what="the risk queue")
        text = screen_text(app)
        assert "Open flags: 3" in text and "⚠ 1 OVERDUE" in text
        rows = {
            fid: line
            for line in text.splitlines()
            for fid in ("F0002", "F0003", "F0004")
            if fid in line and "⏎ details" not in line  # the table's rows, not the line below
        }
        assert "OVERDUE" in rows["F0002"] and "CRITICAL" in rows["F0002"]
        assert "in review" in rows["F0003"] and "OVERDUE" not in rows["F0003"]
        assert "open" in rows["F0004"] and "OVERDUE" not in rows["F0004"]
        # Overdue first, then by deadline.
        order = [
            fid for line in text.splitlines() for fid in rows if fid in line and line == rows[fid]
        ]
        assert order == ["F0002", "F0003", "F0004"]


async def test_the_queue_at_80_columns_shows_who_each_flag_is_about(mixed):
    from textual.widgets import DataTable

    from facilitator.services.core import people

    people.add_participant(mixed, "Maximilian Longsurname-Example", "court", "Demo Court", "R-L")
    risk.raise_flag(mixed, "P0004", ["stalking", "controlling_behaviour"], "Tracks her phone")
    app = make_app(mixed)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home_ready, what="the home screen's data")
        await pilot.press("r")
        await wait_for(pilot, lambda: "F0005" in screen_text(app), what="the risk queue")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width  # nothing to scroll sideways to
        lines = screen_text(app).splitlines()
        for fid, man in (
            ("F0002", "P0001 Adam Example"),
            ("F0003", "P0002 Ben Sample"),
            ("F0004", "P0003 Carl Testcase"),
            ("F0005", "P0004 Maximilian Lo…"),
        ):
            assert any(fid in line and man in line for line in lines), (fid, man)
        # The highlighted flag's man and categories are written out in full below the table.
        while "F0005 P0004" not in screen_text(app):
            await pilot.press("down")
        assert (
            "F0005 P0004 Maximilian Longsurname-Example: Stalking, Controlling behaviour"
            in screen_text(app)
        )
