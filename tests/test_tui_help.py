"""F1 opens help on the keys of the screen it was pressed on, before every other screen's."""

from __future__ import annotations

import pytest
from conftest import enrol_all
from helpers.tui import make_app, open_session, screen_text, wait_for


@pytest.fixture
def group(office):
    enrol_all(office)
    return office


def first_section(app) -> str:
    """The first section title after the help's own title line."""
    lines = [line.strip(" │┃▎█▊▌▐") for line in screen_text(app).splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("Keys"))
    return next(line for line in lines[start + 1 :] if line.strip()).strip()


async def help_over(pilot, app) -> str:
    await pilot.press("f1")
    await wait_for(pilot, lambda: "Keys" in screen_text(app), what="help")
    title = first_section(app)
    await pilot.press("escape")
    await pilot.pause()
    return title


async def test_help_starts_with_the_screens_own_keys(group):
    app = make_app(group)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home_ready, what="home")
        assert (await help_over(pilot, app)).startswith("Home screen (this screen)")
        await pilot.press("r")
        await wait_for(pilot, lambda: "Risk review queue" in screen_text(app))
        assert (await help_over(pilot, app)).startswith("Risk queue (this screen)")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await open_session(pilot, app)
        assert (await help_over(pilot, app)).startswith("Session: roster")
        await pilot.press("p")  # marks him present
        await pilot.pause()
        app.screen.roster.select_pid("P0001")
        await pilot.press("enter")  # opens his check-in
        await wait_for(pilot, lambda: app.screen.form_pid is not None, what="the form")
        await pilot.pause()
        assert (await help_over(pilot, app)).startswith("Session: check-in form")


async def test_help_on_a_screen_without_a_section_lists_its_own_bindings(group):
    from facilitator.tui.dialogs.help import ordered_sections
    from facilitator.tui.screens.partner_support import PartnerSupportScreen

    title, rows = ordered_sections(PartnerSupportScreen())[0]
    assert title == "This screen" and "Record contact" in [k.description for k in rows]
