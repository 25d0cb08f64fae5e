"""The coordinator's screens driven with Pilot: attendance grid, timeline, export, report,
referrers to tell."""

from __future__ import annotations

import csv

import pytest
from conftest import enrol_all
from helpers.tui import screen_text, wait_for
from textual.app import App

from facilitator.services.compliance import status as compliance
from facilitator.services.core.office import Office
from facilitator.services.groupwork import sessions


class Host(App):
    """A bare app holding one screen, as the main app will from its command palette."""

    def __init__(self, office, make_screen=None, privacy: bool = False):
        super().__init__()
        self.office = office
        self.make_screen = make_screen
        self.privacy = privacy

    def on_mount(self) -> None:
        if self.make_screen:
            self.push_screen(self.make_screen())


@pytest.fixture
def coordinator(office):
    """Adam: present, unexcused, 45 min late. Ben: 10 min late, left early (40 min), present.
    Carl: excused, present, not marked."""
    enrol_all(office)
    weeks = {
        "2026-11-03": [
            ("P0001", "present", {}),
            ("P0002", "late", {"minutes_late": 10}),
            ("P0003", "excused", {"reason": "court hearing"}),
        ],
        "2026-11-10": [
            ("P0001", "unexcused", {}),
            ("P0002", "left_early", {"minutes_missed": 40}),
            ("P0003", "present", {}),
        ],
        "2026-11-17": [("P0001", "late", {"minutes_late": 45}), ("P0002", "present", {})],
    }
    for day, rows in weeks.items():
        s = sessions.start_session(office, "G1", day)
        for pid, status, extra in rows:
            sessions.mark_attendance(office, s.id, pid, status, **extra)
        sessions.close_session(office, s.id, force=True)
    return Office.open(office.path, "admin")


def row_text(table, key: str) -> list[str]:
    return [getattr(c, "plain", str(c)) for c in table.get_row(key)]


async def test_grid_shows_men_by_sessions_with_symbols_and_status(coordinator):
    from textual.widgets import DataTable

    from facilitator.tui.screens.attendance_grid import AttendanceGridScreen

    app = Host(coordinator, lambda: AttendanceGridScreen("G1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="the grid")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert row_text(table, "P0001") == ["P0001 Adam Example", "▲ warning", "✓", "✗", "⊘"]
        assert row_text(table, "P0002") == ["P0002 Ben Sample", "● on track", "◔", "⊘", "✓"]
        assert row_text(table, "P0003") == ["P0003 Carl Testcase", "● on track", "E", "✓", "·"]
        text = screen_text(app)
        assert "Attendance · G1 Tuesday group · 3 men · 3 sessions" in text
        assert "✓ present" in text  # the legend: symbols explained in words
        # The cursor starts on the latest session; the detail line says what the cell means.
        assert "P0001 Adam Example · 2026-11-17 · session 3" in text
        assert "counted as absence" in text


async def test_grid_in_privacy_mode_shows_first_names_and_no_status(coordinator):
    from textual.widgets import DataTable

    from facilitator.tui.screens.attendance_grid import AttendanceGridScreen

    app = Host(coordinator, lambda: AttendanceGridScreen("G1"), privacy=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="the grid")
        await pilot.pause()
        assert row_text(app.screen.query_one(DataTable), "P0001")[:2] == ["Adam", ""]
        text = screen_text(app)
        assert "Example" not in text and "warning" not in text and "REF-" not in text


async def test_enter_on_the_grid_opens_the_mans_timeline(coordinator):
    from textual.widgets import DataTable

    from facilitator.tui.screens.attendance_grid import AttendanceGridScreen
    from facilitator.tui.screens.attendance_timeline import AttendanceTimelineScreen

    app = Host(coordinator, lambda: AttendanceGridScreen("G1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="the grid")
        await pilot.press("down")  # Ben
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, AttendanceTimelineScreen) and app.screen.loaded,
            what="the timeline",
        )
        await pilot.pause()
        assert len(app.screen_stack) == 3  # one timeline, not two
        table = app.screen.query_one(DataTable)
        rows = [
            [getattr(c, "plain", str(c)) for c in table.get_row_at(i)]
            for i in range(table.row_count)
        ]
        assert [r[-1] for r in rows] == [
            "late (10 min)",
            "left early, 40 min missed: counted as absence",
            "present",
        ]
        text = screen_text(app)
        assert "Attendance timeline · P0002 Ben Sample" in text
        assert "● on track" in text and "still to do: 2, 4-24" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AttendanceGridScreen)


async def test_export_dialog_writes_the_file_with_progress(coordinator, tmp_path):
    from textual.widgets import Checkbox, Input

    from facilitator.tui.dialogs.attendance_export import ExportScreen

    results = []
    app = Host(coordinator)
    out = tmp_path / "g1.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ExportScreen(group_id="G1"), results.append)
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(out)
        app.screen.query_one("#export-summary", Checkbox).value = True
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results, what="the export")
    (result,) = results
    assert (result.rows, result.men, result.groups) == (9, 3, 1)
    rows = list(csv.reader(out.open()))
    assert [r[0] for r in rows[1:]] == ["P0001", "P0002", "P0003"] and rows[1][13] == "warning"


async def test_export_dialog_writes_a_large_xlsx_through_the_reading_process(
    coordinator, tmp_path, monkeypatch
):
    """A big XLSX export reads in a second process while the UI's worker writes (export_feed)."""
    from openpyxl import load_workbook
    from textual.widgets import Input, Select

    from facilitator.services.reporting import export_feed
    from facilitator.tui.dialogs.attendance_export import ExportScreen

    monkeypatch.setattr(export_feed, "ENROLMENTS_WORTH_A_PROCESS", 0)  # every export counts as big
    results = []
    app = Host(coordinator)
    out = tmp_path / "all.xlsx"
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ExportScreen(), results.append)
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(out)
        app.screen.query_one("#export-format", Select).value = "xlsx"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results, what="the export", timeout=30)
    (result,) = results
    assert (result.rows, result.men) == (9, 3)
    wb = load_workbook(out)
    assert [r[0] for r in wb["Summary"].iter_rows(values_only=True)] == [
        "participant_id",
        "P0001",
        "P0002",
        "P0003",
    ]


async def test_export_dialog_makes_only_its_own_default_folder(coordinator, tmp_path):
    import os
    import stat

    from textual.widgets import Input

    from facilitator.tui.dialogs.attendance_export import ExportScreen, default_folder

    results = []
    app = Host(coordinator)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ExportScreen(group_id="G1"), results.append)
        await pilot.pause()
        typo = tmp_path / "usb-stcik" / "g1.csv"
        app.screen.query_one("#export-path", Input).value = str(typo)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not app.screen.running, what="the refusal")
        await pilot.pause()
        assert "does not exist" in screen_text(app) and not typo.parent.exists()
        # The default path, as the dialog offers it: its folder is made, private.
        from facilitator.tui.dialogs.attendance_export import default_path

        app.screen.query_one("#export-path", Input).value = str(default_path("G1", "csv"))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: results, what="the export")
    assert results[0].path.startswith(str(default_folder()))
    assert stat.S_IMODE(os.stat(default_folder()).st_mode) == 0o700


async def test_export_dialog_shows_a_refusal_and_stays(office, tmp_path):
    from textual.widgets import Input

    from facilitator.tui.dialogs.attendance_export import ExportScreen

    enrol_all(office)
    app = Host(office)  # alex: a facilitator
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ExportScreen())
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "x.csv")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not app.screen.running, what="the refusal")
        await pilot.pause()
        assert "✗ alex (facilitator) may not export attendance" in screen_text(app)
        assert isinstance(app.screen, ExportScreen)
    assert not (tmp_path / "x.csv").exists()


async def test_report_screen_keeps_the_summary_and_writes_the_report(coordinator, tmp_path):
    from textual.widgets import Input, TextArea

    from facilitator.services.reporting.referrer_report import engagement_of
    from facilitator.tui.screens.referrer_report import ReferrerReportScreen

    app = Host(coordinator, lambda: ReferrerReportScreen("P0002"))
    out = tmp_path / "report.html"
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="the preview")
        assert "# Progress report: Ben Sample" in app.screen.markdown
        app.screen.query_one(TextArea).text = "Takes part fully and names his own behaviour."
        await pilot.press("ctrl+s")
        await wait_for(
            pilot,
            lambda: app.screen.loaded and "Takes part fully" in app.screen.markdown,
            what="the preview with the summary",
        )
        app.screen.query_one("#report-path", Input).value = str(out)
        await pilot.press("ctrl+w")
        await wait_for(pilot, lambda: app.screen.written is not None, what="the report file")
    assert (
        engagement_of(coordinator, "P0002").text == "Takes part fully and names his own behaviour."
    )
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "Takes part fully" in page
    assert "nothing from partner contact" in page


async def test_report_screen_refuses_a_facilitator(office):
    from facilitator.tui.screens.referrer_report import ReferrerReportScreen

    enrol_all(office)
    app = Host(office, lambda: ReferrerReportScreen("P0001"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "alex may not make referrer reports" in text
        assert "Adam" not in text


async def test_referrers_to_tell_and_recording_it(coordinator):
    from textual.widgets import Select

    from facilitator.tui.screens.referrer_tasks import ReferrerTasksScreen, ToldScreen

    compliance.set_order_limits(
        coordinator, "P0001", order="Crown Court order", unexcused_absences_allowed=1
    )
    app = Host(coordinator, lambda: ReferrerTasksScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="the task list")
        await pilot.pause()
        text = screen_text(app)
        assert "1 open" in text and "OVERDUE" in text  # breach on 2026-11-17, due the 18th
        assert "P0001 Adam Example" in text
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ToldScreen), what="the told dialog")
        app.screen.query_one(Select).value = "phone"
        await pilot.press("ctrl+s")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ReferrerTasksScreen)
                and app.screen.loaded
                and not app.screen.tasks
            ),
            what="the list without the task",
        )
    (task,) = compliance.list_tasks(coordinator)
    assert (task.state, task.told_how, task.told_on) == ("done", "phone", "2026-11-24")


def test_palette_commands_offer_a_grid_per_group(coordinator):
    from facilitator.tui.coordinator import palette_commands

    class Stub:
        office = coordinator

    titles = [t for t, _, _ in palette_commands(Stub())]
    assert titles == [
        "Attendance grid: G1 Tuesday group",
        "Export attendance",
        "Referrers to tell",
        "MARAC",
    ]
