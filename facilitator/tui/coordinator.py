"""The coordinator's screens, for the app's command palette.

    system_commands(app)  -> SystemCommands for FacilitatorApp.get_system_commands to yield:
                             an attendance grid per group, the export dialog, referrers to tell
    palette_commands(app) -> the same as (title, help, callback) triples
    open_attendance_grid(app, group_id), open_timeline(app, participant_id),
    open_export(app, group_id=None, participant_id=None), open_report(app, participant_id),
    open_referrer_tasks(app)

The screens themselves: AttendanceGridScreen (attendance_grid.py), AttendanceTimelineScreen
(attendance_timeline.py), ExportScreen (attendance_export.py), ReferrerReportScreen
(referrer_report.py), ReferrerTasksScreen (referrer_tasks.py). Each takes an optional office
and otherwise uses `app.office`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from facilitator.services.core.group_store import list_groups
from facilitator.tui.dialogs.attendance_export import ExportScreen
from facilitator.tui.screens.attendance_grid import AttendanceGridScreen
from facilitator.tui.screens.attendance_timeline import AttendanceTimelineScreen
from facilitator.tui.screens.marac import MaracScreen
from facilitator.tui.screens.referrer_report import ReferrerReportScreen
from facilitator.tui.screens.referrer_tasks import ReferrerTasksScreen


def open_attendance_grid(app, group_id: str) -> None:

    app.push_screen(AttendanceGridScreen(group_id))


def open_timeline(app, participant_id: str) -> None:

    app.push_screen(AttendanceTimelineScreen(participant_id))


def open_export(app, group_id: str | None = None, participant_id: str | None = None) -> None:

    app.push_screen(ExportScreen(group_id=group_id, participant_id=participant_id))


def open_report(app, participant_id: str) -> None:

    app.push_screen(ReferrerReportScreen(participant_id))


def open_referrer_tasks(app) -> None:

    app.push_screen(ReferrerTasksScreen())


def open_marac(app) -> None:

    app.push_screen(MaracScreen())


def palette_commands(app) -> list[tuple[str, str, Callable[[], None]]]:

    out: list[tuple[str, str, Callable[[], None]]] = []
    try:
        groups = list_groups(app.office)
    except Exception:  # noqa: BLE001 - the palette must open even if a store cannot be read
        groups = []
    for g in sorted(groups, key=lambda g: (bool(g.ended_on), g.id)):
        out.append(
            (
                f"Attendance grid: {g.id} {g.name}",
                "Men × sessions, with compliance status",
                partial(open_attendance_grid, app, g.id),
            )
        )
    out.append(
        (
            "Export attendance",
            "CSV, XLSX or JSON for referrers and research (every group)",
            lambda: open_export(app),
        )
    )
    out.append(
        (
            "Referrers to tell",
            "Breaches the referrer has not yet been told of",
            lambda: open_referrer_tasks(app),
        )
    )
    out.append(
        (
            "MARAC",
            "Men to decide on for a MARAC referral, and MARAC actions due",
            lambda: open_marac(app),
        )
    )
    return out


def system_commands(app) -> Iterable:
    from textual.app import SystemCommand

    for title, help_text, callback in palette_commands(app):
        yield SystemCommand(title, help_text, callback)
