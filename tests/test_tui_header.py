"""The header at 80 columns: who is acting, privacy mode, and a closed session's CLOSED are never
cut off, on home and on the session screen."""

from __future__ import annotations

import pytest
from conftest import enrol_all
from helpers.tui import make_app, open_session, screen_text, wait_for

from facilitator.services.groupwork import sessions


@pytest.fixture
def long_named(office):
    """A programme with a long name and a curriculum session with a long title."""
    enrol_all(office)
    settings = office.ws.read_settings()
    settings["programme"]["name"] = "North Shoreside Domestic Abuse Behaviour Change Programme"
    with office.stores.writing():
        office.ws.write_settings(settings)
    return office


def header(app) -> str:
    return screen_text(app).splitlines()[0]


async def test_home_header_names_who_is_acting(long_named):
    app = make_app(long_named, privacy=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home_ready, what="home")
        line = header(app)
        assert "alex" in line and "PRIVACY ON" in line


async def test_a_closed_session_header_says_closed_and_who(long_named):
    s = sessions.start_session(long_named, "G1")
    sessions.close_session(long_named, s.id, True)
    app = make_app(long_named, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        line = header(app)
        assert "alex" in line and "privacy off" in line and "CLOSED" in line
        assert "24 Nov" in line  # the day, short


async def test_an_open_session_header_names_who_and_the_group(long_named):
    app = make_app(long_named, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        line = header(app)
        assert "alex" in line and "G1" in line and "CLOSED" not in line
