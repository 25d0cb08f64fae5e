"""Privacy mode: with it on, no screen or dialog of the app shows a man's surname, a partner's
name or contact, a check-in summary, a flag summary or an excused reason. The test opens every
screen with distinctive made-up words in each of those fields and reads what is drawn."""

from __future__ import annotations

import pytest
from conftest import ready_for_group
from helpers.tui import make_app, open_session, screen_text, wait_for, widget_words

from facilitator.domain.checkin import CheckIn
from facilitator.services.casefile import agency_contacts, case_notes, children, details
from facilitator.services.core import people
from facilitator.services.core.office import Office
from facilitator.services.groupwork import groups, sessions
from facilitator.services.partner import store as partner
from facilitator.services.risk import flags as risk_service

PASSPHRASE = "walk passphrase for tests"
SURNAME = "Quillfeatherby"
CANARIES = (
    SURNAME,
    "Marisolvane",  # her name
    "07700 900461",  # her phone
    "Aunt Philippa",  # her safe contact
    "slammed the larder",  # a check-in summary
    "followed her lorry",  # a flag summary
    "dentist in Lowestoft",  # an excused reason
    "spare key at Hettie's",  # her safety planning
    "Wrenfold Close",  # his address (case file)
    "Peregrina",  # his child's first name
    "Halvorsen",  # his probation officer
    "caravan at Hunstanton",  # a case note
)


@pytest.fixture
def canary(office, monkeypatch):
    monkeypatch.delenv("FACILITATOR_PARTNER_KEY_FILE", raising=False)
    admin = Office.open(office.path, "admin")
    man = people.add_participant(office, f"Dorian {SURNAME}", "court", "Demo Court", "REF-DQ")
    for p in people.list_participants(office):
        ready_for_group(office, p.id)
        groups.enrol(office, "G1", p.id, "2026-11-03")
    s = sessions.start_session(office, "G1")
    sessions.mark_attendance(office, s.id, man.id, "present")
    sessions.mark_attendance(office, s.id, "P0001", "late", minutes_late=15)
    sessions.mark_attendance(office, s.id, "P0002", "excused", reason="dentist in Lowestoft")
    sessions.record_checkin(
        office,
        s.id,
        CheckIn(participant_id=man.id, disclosed="yes", summary="He slammed the larder door"),
    )
    risk_service.raise_flag(
        office, man.id, ["stalking"], "He followed her lorry to work", session_id=s.id
    )
    details.edit_details(office, man.id, {"address": "4 Wrenfold Close"})
    children.add_child(office, man.id, "Peregrina", age=7, plan="child_in_need")
    agency_contacts.add(
        office, man.id, role="probation_officer", agency="Sample Probation", name="Ola Halvorsen"
    )
    case_notes.add_note(office, man.id, "He is staying in a caravan at Hunstanton.", "meeting")
    pat = Office.open(office.path, "pat")
    partner.init_store(pat, partner.key_source(PASSPHRASE))
    store = partner.open_store(pat, partner.key_source(PASSPHRASE))
    her = store.add_partner(
        man.id, "Marisolvane Ortiz", phone="07700 900461", safe_contact="ring Aunt Philippa"
    )
    store.record_contact(her.id, "phone", safety_planning="spare key at Hettie's")
    store.record_dash(her.id, {15: "yes"}, judged_level="high", notes={15: "spare key at Hettie's"})
    return {"admin": admin, "pat": pat, "man": man.id, "sid": s.id}


def leaks(text: str) -> list[str]:
    return [c for c in CANARIES if c in text]


async def look(pilot, app, seen: dict[str, list[str]], where: str) -> None:
    await pilot.pause(0.3)
    await pilot.pause()
    # Row by row, and each widget's own lines joined: a canary wrapped in its box is still seen.
    found = set(leaks(screen_text(app)))
    for words in widget_words(app):
        found |= set(leaks(words))
    seen[where] = sorted(found)


@pytest.mark.parametrize("privacy", [True, False], ids=["privacy on", "privacy off"])
async def test_no_screen_shows_a_canary_in_privacy_mode(canary, privacy):
    from facilitator.tui.dialogs.attendance_export import ExportScreen
    from facilitator.tui.dialogs.case_file_forms import DetailsDialog, NoteDialog
    from facilitator.tui.dialogs.help import HelpScreen
    from facilitator.tui.screens.attendance_grid import AttendanceGridScreen
    from facilitator.tui.screens.attendance_timeline import AttendanceTimelineScreen
    from facilitator.tui.screens.case_file import CaseFileScreen
    from facilitator.tui.screens.case_timeline import CaseTimelineScreen
    from facilitator.tui.screens.dashboard import ProgrammeDashboardScreen
    from facilitator.tui.screens.debrief import DebriefScreen
    from facilitator.tui.screens.debriefs import DebriefListScreen
    from facilitator.tui.screens.intake_checklist import IntakeChecklistScreen
    from facilitator.tui.screens.marac import MaracScreen
    from facilitator.tui.screens.plan import PlanScreen
    from facilitator.tui.screens.referrer_report import ReferrerReportScreen
    from facilitator.tui.screens.referrer_tasks import ReferrerTasksScreen
    from facilitator.tui.screens.risk_queue import RiskQueueScreen
    from facilitator.tui.screens.suggestions import SuggestionsScreen

    admin, man, sid = canary["admin"], canary["man"], canary["sid"]
    (note,) = case_notes.list_notes(admin, man)
    seen: dict[str, list[str]] = {}
    app = make_app(admin, "G1", privacy=privacy)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        session = app.screen
        await look(pilot, app, seen, "session")
        for pid in (man, "P0001", "P0002"):
            session.roster.select_pid(pid)
            await look(pilot, app, seen, f"session, {pid} highlighted")
        session.roster.select_pid(man)
        await pilot.press("enter")
        await wait_for(pilot, lambda: session.form_pid == man, what="his check-in form")
        await look(pilot, app, seen, "check-in form")
        await pilot.press("escape")
        await pilot.press("ctrl+f")
        await look(pilot, app, seen, "flag dialog")
        await pilot.press("escape")
        await pilot.press("m")
        await look(pilot, app, seen, "full-width plan")
        await pilot.press("m")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not session, what="home")
        await look(pilot, app, seen, "home")

        app.push_screen(RiskQueueScreen())
        await look(pilot, app, seen, "risk queue")
        await pilot.press("a")
        await look(pilot, app, seen, "risk queue, all flags")
        await pilot.press("enter")
        await look(pilot, app, seen, "flag details")
        await pilot.press("escape")
        await pilot.press("v")
        await look(pilot, app, seen, "review dialog")
        await pilot.press("escape")
        await pilot.press("escape")

        for where, screen in (
            ("debriefs", DebriefListScreen()),
            ("debrief editor", DebriefScreen(sid)),
            ("attendance grid", AttendanceGridScreen("G1")),
            ("attendance timeline", AttendanceTimelineScreen(man)),
            ("referrer report", ReferrerReportScreen(man)),
            ("referrer tasks", ReferrerTasksScreen()),
            ("MARAC", MaracScreen()),
            ("risk suggestions", SuggestionsScreen()),
            ("intake checklist", IntakeChecklistScreen(man)),
            ("programme figures", ProgrammeDashboardScreen()),
            ("attendance export", ExportScreen(group_id="G1")),
            ("group plan", PlanScreen("G1")),
            ("help", HelpScreen()),
            ("case file", CaseFileScreen(man)),
            ("case timeline", CaseTimelineScreen(man)),
            ("details form", DetailsDialog(man)),
            ("new case note form", NoteDialog(man)),
            ("amend case note form", NoteDialog(man, "amend", note)),
        ):
            app.push_screen(screen)
            await look(pilot, app, seen, where)
            app.pop_screen()
            await pilot.pause()
    assert len(seen) >= 20  # every screen above was looked at
    if privacy:
        assert {where: found for where, found in seen.items() if found} == {}
    else:  # the same walk with privacy off finds them: the words were there to be hidden
        shown = {c for found in seen.values() for c in found}
        assert shown >= {
            SURNAME,
            "slammed the larder",
            "followed her lorry",
            "Wrenfold Close",
            "Peregrina",
            "Halvorsen",
            "caravan at Hunstanton",
        }, sorted(shown)


async def test_partner_support_shows_no_canary_in_privacy_mode(canary):
    from facilitator.tui.screens.partner_support import PartnerSupportScreen, open_partner_support

    pat = canary["pat"]
    app = make_app(pat, privacy=True)
    seen: dict[str, list[str]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home_ready, what="home")
        assert open_partner_support(app, pat) is True
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerSupportScreen))
        screen = app.screen
        for ch in PASSPHRASE:
            await pilot.press("space" if ch == " " else ch)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.store is not None, what="the store to open")
        await look(pilot, app, seen, "partner support")
        for key in ("down", "enter", "tab", "down"):
            await pilot.press(key)
            await look(pilot, app, seen, f"partner support after {key}")
        app.privacy = False
        await wait_for(pilot, lambda: "Marisolvane" in screen_text(app), what="her name, shown")
    assert {where: found for where, found in seen.items() if found} == {}


async def test_a_flag_dialog_on_an_app_with_no_privacy_switch_hides_the_summary():
    """Shown by an app that cannot say privacy is off, the dialog hides as if it were on."""
    from textual.app import App
    from textual.widgets import Input

    from facilitator.tui.dialogs.flag import FlagDialog

    class Bare(App):
        def on_mount(self) -> None:
            self.push_screen(
                FlagDialog([("Dorian", "P0001")], "P0001", [("stalking", "high")], "followed her")
            )

    app = Bare()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#flag-summary", Input).password is True
        text = screen_text(app)
        assert "Summary, hidden: privacy mode" in text and "followed her" not in text


async def test_no_screenshot_command_and_the_action_writes_nothing(canary, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(canary["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home_ready, what="home")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Risk queue" in titles
        await app.run_action("screenshot")
        await pilot.pause()
        assert any("Screenshots are turned off" in n.message for n in app._notifications)
    assert not list(tmp_path.rglob("*.svg"))


async def test_privacy_switched_on_over_an_open_screen_hides_it_at_once(canary):
    """Ctrl+T pressed while a screen is open: what it showed a moment ago goes at once, with
    no need to leave the screen or read it again."""
    from facilitator.tui.screens.attendance_grid import AttendanceGridScreen
    from facilitator.tui.screens.attendance_timeline import AttendanceTimelineScreen
    from facilitator.tui.screens.case_file import CaseFileScreen
    from facilitator.tui.screens.case_timeline import CaseTimelineScreen
    from facilitator.tui.screens.dashboard import ProgrammeDashboardScreen
    from facilitator.tui.screens.intake_checklist import IntakeChecklistScreen
    from facilitator.tui.screens.marac import MaracScreen
    from facilitator.tui.screens.referrer_report import ReferrerReportScreen
    from facilitator.tui.screens.referrer_tasks import ReferrerTasksScreen
    from facilitator.tui.screens.risk_queue import RiskQueueScreen
    from facilitator.tui.screens.suggestions import SuggestionsScreen

    admin, man = canary["admin"], canary["man"]
    app = make_app(admin, privacy=False)
    shown_before: set[str] = set()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home_ready, what="home")
        for where, screen in (
            ("attendance timeline", AttendanceTimelineScreen(man)),
            ("case timeline", CaseTimelineScreen(man)),
            ("case file", CaseFileScreen(man)),
            ("referrer tasks", ReferrerTasksScreen()),
            ("referrer report", ReferrerReportScreen(man)),
            ("risk queue", RiskQueueScreen()),
            ("MARAC", MaracScreen()),
            ("risk suggestions", SuggestionsScreen()),
            ("intake checklist", IntakeChecklistScreen(man)),
            ("programme figures", ProgrammeDashboardScreen()),
            ("attendance grid", AttendanceGridScreen("G1")),
        ):
            app.privacy = False
            app.push_screen(screen)
            seen: dict[str, list[str]] = {}
            await look(pilot, app, seen, where)
            shown_before |= set(seen[where])
            await pilot.press("ctrl+t")
            await look(pilot, app, seen, where)
            assert app.privacy is True
            assert seen[where] == [], f"{where}: still shown after Ctrl+T: {seen[where]}"
            app.pop_screen()
            await pilot.pause()
    # The screens did show the canaries before the switch: there was something to hide.
    assert {SURNAME, "Wrenfold Close", "caravan at Hunstanton"} <= shown_before, shown_before
