"""Running a whole session from the keyboard, as a facilitator would, and what the stores hold
after."""

from __future__ import annotations

import json

import pytest
from conftest import enrol_all
from helpers.tui import make_app, open_session, roster_lines, screen_text, wait_for

from facilitator.services.core import session_store as session_store
from facilitator.services.groupwork import drafts, sessions
from facilitator.services.risk import flags as risk_service
from facilitator.services.risk import suggestions as risk_suggestions

SID = "G1-2026-11-24"  # the conftest clock: Tuesday 24 November 2026, 18:00


@pytest.fixture
def group(office):
    enrol_all(office)
    return office


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def adams_form(pilot, app, words: str) -> None:
    """Open today's session, mark Adam present, open his check-in and type the summary."""
    await open_session(pilot, app)
    await pilot.press("p", "home", "enter", "tab", "tab", "tab")
    await type_text(pilot, words)


async def test_a_whole_session_from_the_keyboard(group):
    office = group
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        screen = app.screen

        # Attendance round: one key per man; late asks for the minutes.
        await pilot.press("p")  # Adam present, the cursor moves on to Ben
        await pilot.press("l")
        await wait_for(
            pilot, lambda: "minutes late" in screen_text(app), what="the minutes question"
        )
        await pilot.press("backspace", "backspace", "1", "5", "enter")
        await pilot.press("p")  # Carl present
        await wait_for(pilot, lambda: len(screen.view.record.attendance) == 3, what="three marks")
        rows = roster_lines(app)
        assert "✓ present" in rows["P0001"] and "◔ late 15m" in rows["P0002"]

        # Check-in for Adam: he disclosed pushing her; the form's answer suggests a flag.
        await pilot.press("home", "enter")
        await wait_for(pilot, lambda: screen.form_pid == "P0001", what="Adam's form")
        await pilot.press("2", "tab", "1", "tab", "1", "tab")  # yes · physical · partner
        await type_text(pilot, "Pushed her against the wall on Saturday")
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab", "2")  # stance: minimises
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: "P0001" in screen.view.record.checkins, what="Adam's check-in saved"
        )
        # The suggestion is waiting; Enter confirms it into a flag.
        await wait_for(
            pilot,
            lambda: app.focused is not None and app.focused.id == "suggestions",
            what="focus on the suggestions",
        )
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: any(f.source == "checkin" for f in risk_service.list_flags(office, "all")),
            what="the confirmed flag",
        )

        # Ben: nothing disclosed.
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.form_pid is None)
        screen.roster.select_pid("P0002")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.form_pid == "P0002")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "Used time-out on Sunday")
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: "P0002" in screen.view.record.checkins, what="Ben's check-in saved"
        )

        # Carl says something that must be flagged at once: Ctrl+F, Enter, Enter.
        screen.roster.select_pid("P0003")
        await pilot.press("ctrl+f")
        await wait_for(
            pilot, lambda: "Flag a disclosure" in screen_text(app), what="the flag dialog"
        )
        await pilot.press("enter", "enter")
        await wait_for(
            pilot,
            lambda: any(
                f.participant_id == "P0003" for f in risk_service.list_flags(office, "all")
            ),
            what="Carl's flag",
        )
        assert "⚑1" in roster_lines(app)["P0003"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.form_pid == "P0003")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "Talked about the week")
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: "P0003" in screen.view.record.checkins, what="Carl's check-in saved"
        )

        # Close: nothing is missing, so it asks once, then offers the debrief.
        await pilot.press("ctrl+e")
        await wait_for(
            pilot, lambda: "Close session" in screen_text(app), what="the close question"
        )
        assert "missing" not in screen_text(app)
        await pilot.press("y")
        await wait_for(pilot, lambda: "debrief" in screen_text(app), what="the debrief offer")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HomeScreen", what="home")

    record = session_store.get_session(office, SID)
    assert record.session.state == "closed"
    assert {p: a.status for p, a in record.attendance.items()} == {
        "P0001": "present",
        "P0002": "late",
        "P0003": "present",
    }
    assert record.attendance["P0002"].minutes_late == 15
    adam = record.checkins["P0001"]
    assert (adam.disclosed, adam.forms, adam.towards, adam.stance) == (
        "yes",
        ["physical"],
        ["partner"],
        "minimising",
    )
    assert adam.summary == "Pushed her against the wall on Saturday"
    assert record.checkins["P0002"].summary == "Used time-out on Sunday"

    flags = risk_service.list_flags(office, "all")
    confirmed = [f for f in flags if f.source == "checkin"]
    assert len(confirmed) == 1 and confirmed[0].participant_id == "P0001"
    assert "physical_violence" in confirmed[0].categories and confirmed[0].session_id == SID
    by_hand = [f for f in flags if f.source == "hand"]
    assert len(by_hand) == 1
    assert (by_hand[0].participant_id, by_hand[0].categories, by_hand[0].severity) == (
        "P0003",
        ["strangulation"],
        "critical",
    )
    assert by_hand[0].session_id == SID
    assert not risk_suggestions.list_suggestions(office, SID, pending_only=True)
    # Nothing half-written outlives the closed session.
    assert not office.stores.path("drafts", f"{SID}.json").exists()


async def test_excused_asks_a_reason_and_escape_changes_nothing(group):
    office = group
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        await pilot.press("e")
        await wait_for(pilot, lambda: "excused absence" in screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        assert not session_store.get_session(office, SID).attendance
        await pilot.press("e")
        await wait_for(pilot, lambda: "excused absence" in screen_text(app))
        await type_text(pilot, "hospital")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "P0001" in app.screen.view.record.attendance)
    mark = session_store.get_session(office, SID).attendance["P0001"]
    assert (mark.status, mark.reason) == ("excused", "hospital")


async def test_check_in_refused_for_a_man_not_in_the_room(group):
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        await pilot.press("u", "home", "enter")
        await pilot.pause()
        assert app.screen.form_pid is None
        assert any("before his check-in" in n.message for n in app._notifications)


async def test_closing_lists_what_is_missing_and_can_go_back(group):
    office = group
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        await pilot.press("p")
        await wait_for(pilot, lambda: "P0001" in app.screen.view.record.attendance)
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: "Close session" in screen_text(app))
        text = screen_text(app)
        assert "Ben Sample: no attendance mark" in text
        assert "Adam Example: check-in not recorded" in text
        await pilot.press("enter")  # out of habit: closing needs y
        await pilot.pause()
        assert session_store.get_session(office, SID).session.state == "open"
        await pilot.press("n")
        await pilot.pause()
    assert session_store.get_session(office, SID).session.state == "open"


async def test_a_draft_is_on_disk_while_typing_and_restored_on_reopening(group):
    office = group
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await adams_form(pilot, app, "He said she was")
        # Within a moment of the last key the draft is on disk: a crash now loses nothing.
        await wait_for(
            pilot,
            lambda: (
                drafts.checkin_drafts(office, SID).get("P0001", {}).get("summary")
                == "He said she was"
            ),
            what="the draft on disk",
        )
        # The app is abandoned here, mid check-in, without saving.
    assert "P0001" not in session_store.get_session(office, SID).checkins

    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        screen = app.screen
        await wait_for(pilot, lambda: screen.form_pid == "P0001", what="the form reopened")
        assert screen.form.fields()["summary"] == "He said she was"
        assert "draft restored" in screen_text(app)
        assert "✎ draft" in roster_lines(app)["P0001"]


async def test_reopening_resumes_the_segment(group):
    office = group
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert app.screen.clock.segment == 2
        await pilot.press("space")  # pause
        await pilot.pause()
    state = drafts.runner_state(office, SID)
    assert state["segment"] == 2 and state["running"] is False

    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        assert app.screen.clock.segment == 2
        segments = len(app.screen.plan.segments)
        assert f"3/{segments}" in screen_text(app) and "PAUSED" in screen_text(app)


async def test_overrun_is_said_in_words(group, monkeypatch):
    office = group
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        # 31 minutes later, still in the 30-minute check-in.
        monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T18:31:00")
        app.screen._tick()
        await pilot.pause()
        assert "⚠ OVERRUN +1" in screen_text(app)


async def test_privacy_mode_hides_surnames_flags_and_the_form(group):
    office = group
    risk_service.raise_flag(office, "P0001", ["weapons"], "Has a knife at home", session_id=None)
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        await pilot.press("p", "home", "enter", "tab", "tab", "tab")
        await type_text(pilot, "Secret words")
        assert "⚑1" in roster_lines(app)["P0001"]
        await pilot.press("ctrl+t")  # works while typing
        await pilot.pause()
        text = screen_text(app)
        assert "PRIVACY ON" in text
        assert "Example" not in text and "Adam" in text
        assert "Secret words" not in text and "⚑" not in text
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "Secret words" in screen_text(app)


async def test_privacy_mode_can_be_the_default(group):
    office = group
    settings = office.ws.read_settings()
    settings["programme"]["privacy_mode_default"] = True
    with office.stores.writing():
        office.ws.write_settings(settings)
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        assert app.privacy and "PRIVACY ON" in screen_text(app)


async def test_flag_key_works_from_inside_the_form(group):
    office = group
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        await pilot.press("p", "p", "home", "down", "enter", "tab", "tab", "tab")
        await type_text(pilot, "He has a gun")
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: "Flag a disclosure" in screen_text(app))
        await pilot.press("w", "enter", "enter")  # w jumps to weapons; the summary is the form's
        await wait_for(pilot, lambda: risk_service.list_flags(office, "all"))
    flag = risk_service.list_flags(office, "all")[0]
    assert (flag.participant_id, flag.categories, flag.severity) == (
        "P0002",
        ["weapons"],
        "critical",
    )
    assert flag.summary == "He has a gun"


async def test_in_privacy_mode_a_flag_is_raised_with_its_words_masked(group):
    """The room can see the screen: the categories stay choosable, the summary (his words from
    the form) is masked, and no flag already raised is shown."""
    office = group
    risk_service.raise_flag(office, "P0002", ["economic_abuse"], "Took her bank card")
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        await pilot.press("p", "p", "home", "down", "enter", "tab", "tab", "tab")
        await type_text(pilot, "He has a gun")
        await pilot.press("ctrl+t")  # someone leans in: privacy on
        await wait_for(
            pilot,
            lambda: app.privacy and "He has a gun" not in screen_text(app),
            what="the form covered",
        )
        await pilot.press("ctrl+f")
        await wait_for(
            pilot, lambda: "Flag a disclosure" in screen_text(app), what="the flag dialog"
        )
        await pilot.press("w")  # w jumps to weapons
        await pilot.pause()
        text = screen_text(app)
        assert "Weapons" in text and "Strangulation" in text  # choosable
        assert "hidden: privacy mode" in text and "He has a gun" not in text
        assert "Ben (P0002)" in text and "Ben Sample" not in text
        assert "bank card" not in text and "F0001" not in text  # Ben's open flag: nothing of it
        await pilot.press("enter", "enter")
        await wait_for(
            pilot, lambda: len(risk_service.list_flags(office, "all")) == 2, what="the new flag"
        )
        assert "He has a gun" not in screen_text(app)
    flag = next(f for f in risk_service.list_flags(office, "all") if f.id != "F0001")
    assert (flag.participant_id, flag.categories, flag.summary) == (
        "P0002",
        ["weapons"],
        "He has a gun",
    )


async def test_dismissing_a_suggestion_keeps_the_reason(group):
    office = group
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        screen = app.screen
        await pilot.press("p", "home", "enter")
        await pilot.press("2", "tab", "4", "tab", "1", "tab")  # yes · economic · partner
        await type_text(pilot, "Kept the bank card")
        await wait_for(
            pilot,
            lambda: screen.query_one("#suggestions").has_class("-open"),
            what="a live suggestion",
        )
        assert "Economic" in screen_text(app)  # the suggestion is in sight while typing
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "suggestions")
        await pilot.press("d")
        await wait_for(pilot, lambda: "not a risk" in screen_text(app))
        await type_text(pilot, "already known")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: not risk_suggestions.list_suggestions(office, SID, pending_only=True)
        )
    s = risk_suggestions.list_suggestions(office, SID)[0]
    assert (s.status, s.reason) == ("dismissed", "already known")


async def two_category_suggestion(pilot, app) -> None:
    """Adam's saved check-in names separation and strangulation: one suggestion, two categories,
    with the focus on it."""
    await adams_form(pilot, app, "She is leaving him and he put his hands round her throat")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "suggestions")


async def test_a_suggestion_with_several_categories_asks_which_and_why_not(group):
    from facilitator.tui.dialogs.confirm_categories import ConfirmCategoriesDialog

    office = group
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await two_category_suggestion(pilot, app)
        (pending,) = risk_suggestions.list_suggestions(office, SID, pending_only=True)
        assert {"strangulation", "separation"} <= set(pending.categories)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ConfirmCategoriesDialog),
            what="the categories dialog",
        )
        dialog = app.screen
        downs = ["down"] * dialog.suggested.index("strangulation")
        await pilot.press(*downs, "space", "enter")  # untick strangulation, confirm
        await pilot.pause()
        assert isinstance(app.screen, ConfirmCategoriesDialog) and "not a risk" in screen_text(app)
        assert "☐ Strangulation" in screen_text(app)
        assert risk_service.list_flags(office, "all") == []  # nothing made without the reason
        # Focus went to where the reason is asked, and stays there while it is typed.
        assert app.focused is not None and app.focused.id == "reason"
        await type_text(pilot, "He was quoting a film line; checked with him")
        await pilot.press("enter")
        await wait_for(pilot, lambda: risk_service.list_flags(office, "all"), what="the flag")
    (flag,) = risk_service.list_flags(office, "all")
    assert "strangulation" not in flag.categories and "separation" in flag.categories
    (s,) = risk_suggestions.list_suggestions(office, SID)
    assert s.status == "confirmed" and s.not_flagged == ["strangulation"]
    assert s.reason == "He was quoting a film line; checked with him"


async def test_enter_in_the_categories_dialog_confirms_every_ticked_one(group):
    from facilitator.tui.dialogs.confirm_categories import ConfirmCategoriesDialog

    office = group
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await two_category_suggestion(pilot, app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmCategoriesDialog))
        suggested = list(app.screen.suggested)
        text = screen_text(app)
        assert "☑ Strangulation" in text and "☐" not in text
        assert "_" not in text.split("which categories?")[1].split("Reason")[0]
        await pilot.press("down", "enter")  # Enter on the second line: confirms, unticks none
        await wait_for(pilot, lambda: risk_service.list_flags(office, "all"), what="the flag")
    (flag,) = risk_service.list_flags(office, "all")
    assert set(flag.categories) == set(suggested)


async def test_quitting_straight_after_typing_keeps_it_as_a_draft(group, monkeypatch):
    """Ctrl+Q before the draft's debounce: the last words typed are still saved on the way out."""
    office = group
    monkeypatch.setattr(
        "facilitator.tui.screens.session.DEBOUNCE_SECONDS", 60
    )  # the quit must do it
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        await pilot.press("p", "home", "enter", "tab", "tab", "tab")
        await type_text(pilot, "He said")
        assert drafts.checkin_drafts(office, SID) == {}
        await pilot.press("ctrl+q")
    assert drafts.checkin_drafts(office, SID)["P0001"]["summary"] == "He said"
    assert app.not_saved == []


def _said(app, monkeypatch) -> list[tuple[str, str]]:
    """Every notification as (message, severity), including those shown as the app closes."""
    said: list[tuple[str, str]] = []
    real = app.notify

    def notify(message, **kwargs):
        said.append((str(message), kwargs.get("severity", "information")))
        return real(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return said


async def _type_then_fill_the_disk(pilot, app, monkeypatch, words: str) -> None:
    """Adam present, his check-in typed, then every draft save fails as on a full disk."""
    await adams_form(pilot, app, words)

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(drafts, "save_checkin_draft", disk_full)


async def test_a_draft_that_cannot_be_saved_on_quitting_is_said_and_audited(group, monkeypatch):
    office = group
    monkeypatch.setattr("facilitator.tui.screens.session.DEBOUNCE_SECONDS", 60)
    app = make_app(office, "G1")
    said = _said(app, monkeypatch)
    words = "Shouted at his sister on Sunday"  # synthetic
    async with app.run_test(size=(80, 24)) as pilot:
        await _type_then_fill_the_disk(pilot, app, monkeypatch, words)
        await pilot.press("ctrl+q")
    errors = [message for message, severity in said if severity == "error"]
    assert len(errors) == 1, said
    assert (
        "P0001" in errors[0] and "NOT saved" in errors[0] and "No space left on device" in errors[0]
    )
    assert "Sunday" not in errors[0] and "Adam" not in errors[0]  # his id, never his words or name
    last = list(office.stores.audit.entries())[-1]
    assert {k: last[k] for k in ("user", "action", "kind", "id", "participant", "failure")} == {
        "user": "alex",
        "action": "not_saved",
        "kind": "checkin_draft",
        "id": SID,
        "participant": "P0001",
        "failure": "OSError",
    }
    assert "Sunday" not in office.stores.audit.path.read_text(encoding="utf-8")
    # Said again on the terminal once the UI has gone (a notification while quitting is not seen).
    assert (
        len(app.not_saved) == 1 and "P0001" in app.not_saved[0] and "Sunday" not in app.not_saved[0]
    )


async def test_a_form_whose_draft_cannot_be_saved_stays_open_with_his_words(group, monkeypatch):
    from textual.widgets import ContentSwitcher

    office = group
    monkeypatch.setattr("facilitator.tui.screens.session.DEBOUNCE_SECONDS", 60)
    app = make_app(office, "G1")
    said = _said(app, monkeypatch)
    words = "Kept texting his ex all weekend"  # synthetic
    real_save = drafts.save_checkin_draft
    async with app.run_test(size=(80, 24)) as pilot:
        await _type_then_fill_the_disk(pilot, app, monkeypatch, words)
        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one(ContentSwitcher).current == "checkin" and screen.form_pid == "P0001"
        assert words in str(screen.form.fields())
        assert any("P0001" in m and "NOT saved" in m for m, sev in said if sev == "error")
        # Space again: Esc saves the draft and leaves the form.
        monkeypatch.setattr(drafts, "save_checkin_draft", real_save)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.form_pid is None and screen.query_one(ContentSwitcher).current != "checkin"
    assert words in str(drafts.checkin_drafts(office, SID).get("P0001"))


def test_what_was_not_saved_is_said_on_the_terminal_after_the_ui_closes(group, monkeypatch):
    from facilitator.errors import StoreError
    from facilitator.tui import app as app_module

    lost = "check-in draft for P0002 in session G1-2026-11-24 was NOT saved when the screen closed"
    monkeypatch.setattr(app_module.FacilitatorApp, "run", lambda self: self.not_saved.append(lost))
    with pytest.raises(StoreError, match="P0002 in session G1-2026-11-24 was NOT saved"):
        app_module.run_app(group, "G1")


def test_drafts_store_is_small_and_per_session(group):
    office = group
    sessions.start_session(office, "G1")
    drafts.save_checkin_draft(office, SID, "P0001", {"summary": "x"})
    path = office.stores.path("drafts", f"{SID}.json")
    data = json.loads(path.read_text())
    assert list(data["checkins"].values())[0]["fields"] == {"summary": "x"}
    drafts.discard_checkin_draft(office, SID, "P0001")
    assert drafts.checkin_drafts(office, SID) == {}
    drafts.remove_drafts(office, SID)
    assert not path.exists()


def test_live_suggestions_use_the_workspaces_own_rules(office):
    """A programme's risk_rules.toml reaches the form as it is typed, not only the saved
    check-in."""
    from facilitator.detector import scan
    from facilitator.domain.checkin import CheckIn
    from facilitator.services.risk.suggestions import checkin_indicators

    (office.path / "risk_rules.toml").write_text(
        "[categories.threats_to_kill]\npatterns = ['''sleep\\s+with\\s+the\\s+fishes''']\n",
        encoding="utf-8",
    )
    words = "He told her she'll sleep with the fishes."
    found = checkin_indicators(office, CheckIn(participant_id="P0001", summary=words))
    assert [i["category"] for i in found] == ["threats_to_kill"]
    assert scan(words).indicators == []  # the shipped rules alone do not know it


async def test_privacy_on_clears_a_message_that_names_a_man_in_full(group):
    office = group
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        await pilot.press("p", "home", "enter", "1", "tab", "tab", "tab")  # no abuse
        await type_text(pilot, "A quiet week")
        await pilot.press("ctrl+s")  # saved, the form closes, a message says so

        def messages() -> str:
            return " ".join(n.message for n in app._notifications)

        await wait_for(pilot, lambda: "Adam Example's" in messages(), what="the saved message")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "PRIVACY ON" in screen_text(app)
        assert "Example" not in messages() and "Privacy mode ON" in messages()


async def test_a_closed_sessions_footer_has_no_attendance_keys(group):
    office = group
    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        assert "Present" in screen_text(app).splitlines()[-1]
        await pilot.press("ctrl+e", "y")
        await wait_for(
            pilot,
            lambda: (
                app.screen.__class__.__name__ != "SessionScreen" or app.screen.session.is_closed
            ),
            what="closing",
        )
        await pilot.press("escape")  # the debrief later: back home
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HomeScreen")
        await pilot.press("enter")  # open the closed session again
        await wait_for(
            pilot,
            lambda: (
                app.screen.__class__.__name__ == "SessionScreen" and "CLOSED" in screen_text(app)
            ),
            what="the closed session",
        )
        await pilot.pause(0.2)
        assert "Present" not in screen_text(app).splitlines()[-1]
        # A correction asked for brings them back.
        await pilot.press("ctrl+r")
        await wait_for(
            pilot,
            lambda: "Present" in screen_text(app).splitlines()[-1],
            what="the attendance keys back while correcting",
        )


async def test_a_flag_summary_typed_and_saved_in_one_burst_keeps_every_word(group):
    """Words then Ctrl+S, all queued at once (a paste, a lagging laptop): the save waits for
    the words, so the flag holds all of them."""
    from helpers.tui import burst

    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        screen = app.screen
        screen.roster.select_pid("P0002")
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: "Flag a disclosure" in screen_text(app), what="dialog")
        summary = app.screen.query_one("#flag-summary")
        summary.focus()
        await pilot.pause()
        await burst(pilot, "ctrl+a", *"He said he waited outside her work", "ctrl+s")
        await wait_for(
            pilot,
            lambda: any(f.participant_id == "P0002" for f in risk_service.list_flags(group, "all")),
            what="the flag",
        )
    (flag,) = [f for f in risk_service.list_flags(group, "all") if f.participant_id == "P0002"]
    assert flag.summary.endswith("He said he waited outside her work"), flag.summary
