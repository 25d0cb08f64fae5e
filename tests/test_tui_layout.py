"""At 80 columns: the session timers read as minutes, the plan's hint says what m does now (widen, or bring the roster back), and
the debrief editor opens at full width with its preview filled when shown."""

from __future__ import annotations

import pytest
from conftest import enrol_all
from helpers.tui import burst, make_app, open_session, screen_text, wait_for

from facilitator.services.groupwork import sessions


@pytest.fixture
def running(office, monkeypatch):
    enrol_all(office)
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T18:30:00")
    s = sessions.start_session(office, "G1")
    for pid in ("P0001", "P0002", "P0003"):
        sessions.mark_attendance(office, s.id, pid, "present")
    return office


async def test_timers_read_as_minutes_and_the_hint_follows_m(running, monkeypatch):
    app = make_app(running, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T19:06:20")  # 36 min 20 s later
        app.screen._tick()
        await pilot.pause()
        text = screen_text(app)
        assert "Session 36 min of 150" in text, text.splitlines()[1:3]
        assert "2:30:00" not in text and "36:20" not in text
        assert "1/6 · 36 min of 30 ⚠ OVERRUN +6" in text  # the segment has run over
        assert "]/[ segment · space pause · m wide" in text
        await burst(pilot, "m")
        assert "space pause · m roster" in screen_text(app) and "m wide" not in screen_text(app)


async def test_debrief_editor_opens_full_width_with_the_preview_filled(running):
    sessions.close_session(running, "G1-2026-11-24", True)
    app = make_app(running)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home_ready, what="home")
        app.open_debrief("G1-2026-11-24")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "DebriefScreen")
        await pilot.pause()
        area = app.screen.query_one("#debrief-text")
        assert area.size.width >= 76  # the whole line, not half of it
        await burst(pilot, "f2")  # the preview
        await pilot.pause(0.3)
        assert "Debrief: Tuesday group" in screen_text(app)
        assert app.screen.query_one("#debrief-preview-pane").size.width >= 76
