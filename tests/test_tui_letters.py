"""Writing a letter from the referrers-to-tell screen: choose the kind, read it, write it."""

from __future__ import annotations

from helpers.tui import screen_text, wait_for
from test_tui_attendance import Host, coordinator  # noqa: F401 (fixture)

from facilitator.services.compliance import status as compliance
from facilitator.services.letters import service as letters


async def test_the_breach_notice_from_the_task_list(coordinator):  # noqa: F811
    from facilitator.tui.screens.letters import LettersScreen
    from facilitator.tui.screens.referrer_tasks import ReferrerTasksScreen

    compliance.set_order_limits(
        coordinator, "P0001", order="Crown Court order", unexcused_absences_allowed=1
    )
    app = Host(coordinator, lambda: ReferrerTasksScreen())
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="the task list")
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LettersScreen), what="letters")
        await wait_for(pilot, lambda: app.screen.loaded, what="the preview", timeout=10)
        assert "Notice of non-compliance" in app.screen.text
        assert "Adam Example" in app.screen.text and "Crown Court order" in app.screen.text
        await pilot.pause()
        assert "Notice of non-compliance" in screen_text(app)
        # Another kind: the preview follows.
        await pilot.press("up")
        await wait_for(
            pilot,
            lambda: app.screen.loaded and "Dear Adam" in app.screen.text,
            what="the absence warning",
            timeout=10,
        )
        await pilot.press("down")
        await wait_for(
            pilot,
            lambda: app.screen.loaded and "Notice of non-compliance" in app.screen.text,
            what="the breach notice again",
            timeout=10,
        )
        await pilot.press("ctrl+w")
        await wait_for(pilot, lambda: app.screen.written is not None, what="the letter written")
        await pilot.pause(0.3)
        assert "breach notice" in screen_text(app)  # the list of letters sent
    (written,) = letters.list_letters(coordinator, "P0001")
    (task,) = compliance.list_tasks(coordinator)
    assert written.kind == "breach_notice" and written.task_id == task.id


async def test_privacy_mode_hides_the_letter(coordinator):  # noqa: F811
    from facilitator.tui.screens.letters import LettersScreen

    app = Host(coordinator, lambda: LettersScreen("P0001", kind="progress_report"), privacy=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="the preview")
        await pilot.pause()
        text = screen_text(app)
        assert "Privacy mode is on" in text and "Adam" not in text


async def test_a_facilitator_may_not_write_letters(office):
    from conftest import enrol_all

    from facilitator.tui.screens.letters import LettersScreen

    enrol_all(office)
    app = Host(office, lambda: LettersScreen("P0001", kind="progress_report"))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "alex may not write letters" in text and "Adam" not in text
