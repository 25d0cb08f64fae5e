"""The programme dashboard screen driven with Pilot: the report's figures, terminal
charts, a new period recomputed, and coordinators only."""

from __future__ import annotations

from helpers.tui import screen_text, wait_for
from textual.app import App

from tests.test_evaluation_figures import PERIOD, at, set_settings, worked  # noqa: F401 - fixtures


class Host(App):
    """A bare app holding the screen, as the main app will from its command palette."""

    def __init__(self, office, make_screen):
        super().__init__()
        self.office = office
        self.make_screen = make_screen
        self.privacy = False

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())


def _as(office, user):
    from facilitator.services.core.office import Office

    return Office.open(office.path, user)


async def test_dashboard_shows_the_reports_figures_and_charts(worked):  # noqa: F811
    from textual.widgets import Static, TabbedContent

    from facilitator.tui.screens.dashboard import ProgrammeDashboardScreen

    set_settings(worked, figures__min_count=1)
    app = Host(
        _as(worked, "admin"), lambda: ProgrammeDashboardScreen(start=PERIOD[0], end=PERIOD[1])
    )
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen.loaded, what="the figures")
        await pilot.pause()
        assert screen.figures["attendance"]["rate_percent"] == 62.5
        text = screen_text(app)
        assert "Programme figures · 2026-10-01 to 2026-11-24 · by month" in text
        assert "Coming and going" in text and "referrals" in text

        screen.query_one(TabbedContent).active = "tab-risk"
        await pilot.pause()
        severity = str(screen.query_one("#dash-bars-severity", Static).render())
        assert (
            "critical █" in severity and "high     ██" in severity
        )  # 1 : 2, scaled to the largest
        flags = str(screen.query_one("#dash-bars-flags", Static).render())
        assert flags.splitlines() == ["2026-10  0", "2026-11 " + "█" * 30 + " 4"]
        text = screen_text(app)
        assert "median time to first review" in text and "14 h" in text

        screen.query_one(TabbedContent).active = "tab-attendance"
        await pilot.pause()
        rates = str(screen.query_one("#dash-bars-attendance", Static).render()).splitlines()
        assert rates[0].startswith("2026-10  ") and rates[1].endswith(" 62.5%")
        app.save_screenshot(filename="dashboard.svg", path=str(worked.path))

        # A shorter period: October only has one referral and nothing else.
        field = screen.query_one("#dash-to")
        field.value = "2026-10-31"
        screen.action_refresh()
        await wait_for(
            pilot,
            lambda: screen.loaded and screen.figures["period"]["to"] == "2026-10-31",
            what="the new period",
        )
        assert screen.figures["referrals"]["total"] == 1 and screen.figures["starts"] == 0


async def test_dashboard_suppresses_small_counts_like_the_report(worked):  # noqa: F811
    from textual.widgets import Static, TabbedContent

    from facilitator.tui.screens.dashboard import ProgrammeDashboardScreen

    app = Host(
        _as(worked, "admin"), lambda: ProgrammeDashboardScreen(start=PERIOD[0], end=PERIOD[1])
    )
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen.loaded, what="the figures")
        screen.query_one(TabbedContent).active = "tab-risk"
        await pilot.pause()
        severity = str(screen.query_one("#dash-bars-severity", Static).render())
        assert "critical not shown (<5)" in severity
        assert "█" not in severity and "░" not in severity
        assert "counts from 1 to 4 are shown as <5" in screen_text(app)


async def test_dashboard_is_for_coordinators(worked):  # noqa: F811
    from facilitator.tui.screens.dashboard import ProgrammeDashboardScreen

    app = Host(_as(worked, "alex"), lambda: ProgrammeDashboardScreen())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "alex may not see programme figures" in screen_text(app)
        assert app.screen.figures is None
