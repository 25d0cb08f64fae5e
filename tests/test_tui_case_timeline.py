"""The case timeline screen: opened from a man's attendance timeline with c, every kind of
event newest first, k to show one kind; privacy mode hides every event's words but a mark."""

from __future__ import annotations

import pytest
from conftest import enrol_all
from helpers.tui import screen_text, wait_for
from textual.app import App
from textual.widgets import DataTable

from facilitator.services.casefile import case_notes, children
from facilitator.services.core.office import Office
from facilitator.services.groupwork import sessions
from facilitator.services.risk import flags as risk

NOTE = "Phoned probation: review on Friday."


class Host(App):
    def __init__(self, office, make_screen=None, privacy: bool = False):
        super().__init__()
        self.office = office
        self.make_screen = make_screen
        self.privacy = privacy

    def on_mount(self) -> None:
        if self.make_screen:
            self.push_screen(self.make_screen())


@pytest.fixture
def case(office):
    enrol_all(office)
    s = sessions.start_session(office, "G1", "2026-11-10")
    sessions.mark_attendance(office, s.id, "P0001", "unexcused")
    sessions.close_session(office, s.id, force=True)
    risk.raise_flag(office, "P0001", ["escalation"], "Synthetic summary never on this screen.")
    children.add_child(office, "P0001", "Mia", age=5, contact="supervised")
    case_notes.add_note(office, "P0001", NOTE, "phone_call", "2026-11-20")
    return Office.open(office.path, "admin")


def _rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [
        [getattr(c, "plain", str(c)) for c in table.get_row_at(i)] for i in range(table.row_count)
    ]


async def test_c_on_the_attendance_timeline_opens_his_case_timeline(case):
    from facilitator.tui.screens.attendance_timeline import AttendanceTimelineScreen
    from facilitator.tui.screens.case_timeline import CaseTimelineScreen

    app = Host(case, lambda: AttendanceTimelineScreen("P0001"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="attendance")
        await pilot.press("c")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, CaseTimelineScreen) and app.screen.loaded,
            what="the case timeline",
        )
        await pilot.pause()
        rows = _rows(app)
        assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True)
        kinds = [r[1] for r in rows]
        assert "case note" in kinds and "session" in kinds and "referral" in kinds
        text = screen_text(app)
        assert "Case timeline · P0001 Adam Example" in text and "Kind" in text
        assert "Synthetic summary" not in text
        # k: one kind at a time, in the order of the kinds; the first is the referral.
        await pilot.press("k")
        await pilot.pause()
        assert {r[1] for r in _rows(app)} == {"referral"}
        for _ in range(20):
            if {r[1] for r in _rows(app)} == {"case note"}:
                break
            await pilot.press("k")
            await pilot.pause()
        assert [r[2] for r in _rows(app)] == [f"case note (phone call) by alex: {NOTE}"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AttendanceTimelineScreen)


async def test_privacy_mode_hides_the_words_of_every_event_but_his_marks(case):
    from facilitator.tui.screens.case_timeline import CaseTimelineScreen

    app = Host(case, lambda: CaseTimelineScreen("P0001"), privacy=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="the timeline")
        await pilot.pause()
        text = screen_text(app)
        assert "Adam" in text and "Example" not in text
        for hidden in (NOTE, "Mia", "escalation", "Demo Court"):
            assert hidden not in text, hidden
        rows = _rows(app)
        assert ["2026-11-10", "session", "unexcused"] in rows
        assert all(r[2] in ("(hidden: privacy mode)", "unexcused", "") for r in rows)
