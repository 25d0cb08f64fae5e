"""The plan in the UI: the home screen shows the next planned session and a cancellation; a
coordinator cancels, moves and covers sessions on a group's plan screen. Clock: Tuesday
2026-11-24."""

from __future__ import annotations

import pytest
from conftest import as_coordinator, enrol_all
from helpers.tui import make_app, screen_text, wait_for

from facilitator.services.core import people
from facilitator.services.groupwork import plan


@pytest.fixture
def group(office):
    enrol_all(office)
    return office


async def _type(pilot, text: str) -> None:
    names = {" ": "space", "-": "minus"}
    for ch in text:
        await pilot.press(names.get(ch, ch))


async def _home(pilot, app):
    await wait_for(pilot, lambda: app.home_ready, what="the home screen's data")
    await pilot.pause()


async def test_home_shows_the_next_planned_session_and_the_cancellation(group):
    plan.cancel_session(as_coordinator(group), "G1", "2026-11-24", "venue closed")
    app = make_app(group)
    async with app.run_test(size=(80, 24)) as pilot:
        await _home(pilot, app)
        await wait_for(pilot, lambda: "Tue 01 Dec" in screen_text(app), what="next week's date")
        text = screen_text(app)
        assert "24 Nov cancelled" in text
        assert "1 Why we are here" in text  # session 1 moved on to next week


async def test_a_coordinator_cancels_moves_and_covers_on_the_plan_screen(group):
    from facilitator.tui.screens.plan import PlanScreen

    coordinator = as_coordinator(group)
    people.add_staff(coordinator, "Cal Cover", ["facilitator"], "cal")
    app = make_app(coordinator)
    async with app.run_test(size=(100, 30)) as pilot:
        await _home(pilot, app)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="the plan")
        await pilot.pause()
        assert "Tue 24 Nov 2026" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        await _type(pilot, "off sick")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "CANCELLED: off sick" in screen_text(app), what="cancel")
        await pilot.press("down", "m")
        await pilot.pause()
        await _type(pilot, "2026-12-03")
        await pilot.press("enter")
        await pilot.pause()
        await _type(pilot, "hall")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "moved from 2026-12-01" in screen_text(app), what="the move")
        await pilot.press("v")
        await pilot.pause()
        await _type(pilot, "bea")
        await pilot.press("enter")
        await pilot.pause()
        await _type(pilot, "cal")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "cal for bea" in screen_text(app), what="the cover")
    entries = {e.date: e for e in plan.group_plan(group, "G1", weeks=3)}
    assert entries["2026-11-24"].state == plan.CANCELLED
    assert entries["2026-12-03"].moved_from == "2026-12-01"
    assert entries["2026-12-03"].facilitators == ["alex", "cal"]


async def test_a_facilitator_is_told_in_one_line_that_changing_the_plan_is_a_coordinators(group):
    from facilitator.tui.screens.plan import PlanScreen

    app = make_app(group)
    async with app.run_test(size=(100, 30)) as pilot:
        await _home(pilot, app)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="the plan")
        await pilot.press("c")
        await pilot.pause()
        await _type(pilot, "sick")
        await pilot.press("enter")
        await pilot.pause(0.2)
    assert plan.plan_changes(group, "G1") == {}
