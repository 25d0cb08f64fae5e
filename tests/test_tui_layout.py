"""At 80 columns: the session timers read as minutes, the plan's hint says what m does now (widen, or bring the roster back), and
the debrief editor opens at full width with its preview filled when shown."""

from __future__ import annotations

import pytest
from conftest import enrol_all
from helpers.tui import burst, make_app, open_session, screen_text, wait_for, widget_words

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


def test_a_long_name_on_the_roster_is_shortened_as_a_register_would_write_it():
    from facilitator.tui.widgets.roster import short_name

    assert short_name("Dev Placeholder", "Dev", 15) == "Dev Placeholder"
    assert short_name("Dev Placeholder", "Dev", 14) == "Dev P."
    assert short_name("Mohammed Al Rashid", "Mohammed", 14) == "Mohammed A. R."
    assert short_name("Christopher Richardson", "Christopher", 10) == "Christoph…"
    assert short_name("Dev Placeholder", "Dev", 14, privacy=True) == "Dev"


def _cut_lines(app) -> list[str]:
    import re

    rows = screen_text(app).splitlines()
    return [r for r in rows if re.sub(r"[│┃▎▊▌▐█▁▂▃▄▅▆▇ ]+$", "", r).endswith("…")]


async def test_at_80_columns_the_room_sees_no_cut_name_title_or_option(running):
    from facilitator.services.core import people

    long = people.add_participant(running, "Bartholomew Featherstonehaugh", "court", "X", "R1")
    from conftest import ready_for_group

    from facilitator.services.groupwork import groups

    ready_for_group(running, long.id)
    groups.enrol(running, "G1", long.id, "2026-11-03")
    sessions.mark_attendance(running, "G1-2026-11-24", long.id, "present")
    app = make_app(running, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        await pilot.pause()
        assert not _cut_lines(app), _cut_lines(app)
        assert "Bartholomew F." in screen_text(app)
        # Segment titles wrap under their number rather than end in an ellipsis.
        seg = app.screen.query_one("#segments")
        assert "\n    " in str(seg.content) or all(
            len(line) <= seg.content_region.width for line in str(seg.content).splitlines()
        )
        app.screen.roster.select_pid(long.id)
        await burst(pilot, "enter")
        await wait_for(pilot, lambda: app.screen.form_pid == long.id, what="his check-in form")
        await pilot.pause()
        text = screen_text(app)
        assert any("Check-in: Bartholomew Featherstonehaugh" in w for w in widget_words(app))
        assert not _cut_lines(app), _cut_lines(app)
        # An option's words are never split over two lines.
        assert "not recorded" in text and "5[·]coercive control" in text
        assert not [
            r for r in text.splitlines() if r.rstrip(" ▎▆▄").endswith(("○not", "]coercive"))
        ]
