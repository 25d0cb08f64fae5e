"""Home keeps its group order when a session closes, and Enter offers a facilitator his own
group before another facilitator's group on another day."""

from __future__ import annotations

import re

import pytest
from conftest import as_coordinator, enrol_all, ready_for_group
from helpers.tui import burst, make_app, open_session, screen_text, wait_for, widget_words

from facilitator.services.core import people
from facilitator.services.core.office import Office
from facilitator.services.groupwork import groups, sessions
from facilitator.tui.screens.home import HomeScreen
from facilitator.tui.screens.session import SessionScreen


@pytest.fixture
def two_groups(office):
    """G1 on Tuesdays (today), run by alex and bea; G2 on Wednesdays, run by bea and cam."""
    enrol_all(office)
    people.add_staff(as_coordinator(office), "Cam Facilitator", ["facilitator"], "cam")
    groups.create_group(
        office,
        "Wednesday group",
        "core-24",
        "wednesday",
        "18:30",
        ["bea", "cam"],
        start_date="2026-11-04",
        group_id="G2",
    )
    dan = people.add_participant(office, "Dan Example", "court", "Demo Court", "REF-DAN")
    ready_for_group(office, dan.id)
    groups.enrol(office, "G2", dan.id, "2026-11-04")
    return office


def words(app) -> str:
    """The screen's words row by row, then each widget's own (a dialog's lines over the home
    screen read whole)."""
    rows = " ".join(re.sub(r"[│┃▎▊▌▐█▔▁▄▀╭╮╰╯─]", " ", screen_text(app)).split())
    return " | ".join([rows, *widget_words(app)])


def group_order(app) -> list[str]:
    return [line.split()[0] for line in screen_text(app).splitlines() if line[1:3] in ("G1", "G2")]


async def test_closing_g1_keeps_the_order_and_enter_reopens_g1(two_groups):
    app = make_app(two_groups)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home_ready, what="home")
        assert group_order(app) == ["G1", "G2"]
        await pilot.press("enter")
        await open_session(pilot, app)
        sessions.close_session(two_groups, app.screen.sid, True)
        # Back home and Enter at once, as a hurried hand would.
        await burst(pilot, "escape", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen), what="G1 again")
        assert app.screen.sid == "G1-2026-11-24" and app.screen.session.is_closed
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        assert group_order(app) == ["G1", "G2"]
        assert "✓ closed" in screen_text(app)


async def test_the_cursor_starts_on_his_own_group_meeting_today(two_groups):
    """cam runs only G2, which does not meet today: his group comes first; alex sees G1 first."""
    app = make_app(Office.open(two_groups.path, "cam"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home_ready, what="home")
        assert group_order(app) == ["G2", "G1"]


async def test_enter_on_another_facilitators_group_offers_his_own_first(two_groups):
    app = make_app(two_groups)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home_ready, what="home")
        await burst(pilot, "down", "enter")
        await wait_for(pilot, lambda: "not one of your groups" in screen_text(app), what="offer")
        assert "Your group G1 meets today" in words(app)
        await pilot.press("y")
        await open_session(pilot, app)
        assert app.screen.sid == "G1-2026-11-24"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await burst(pilot, "down", "enter")
        await wait_for(pilot, lambda: "not one of your groups" in screen_text(app), what="offer")
        await pilot.press("n")  # G2 anyway: asked why, as any session on another day
        await wait_for(pilot, lambda: "say why it is held today" in words(app), what="why")
