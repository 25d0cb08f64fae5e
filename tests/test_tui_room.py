"""The room: the keyboard never records the wrong answer or acts on the wrong record, and what
is on screen reads in words. Each test reads the screen and what the stores hold on disk."""

from __future__ import annotations

import pytest
from conftest import enrol_all
from helpers.tui import burst, make_app, open_session, screen_text, wait_for

from facilitator.domain.checkin import CheckIn
from facilitator.services.core import group_store, session_store
from facilitator.services.debrief import prefill
from facilitator.services.groupwork import sessions

SID = "G1-2026-11-24"


@pytest.fixture
def group(office):
    enrol_all(office)
    s = sessions.start_session(office, "G1")
    for pid in ("P0001", "P0002", "P0003"):
        sessions.mark_attendance(office, s.id, pid, "present")
    return office


def saved(office, pid: str) -> CheckIn:
    return session_store.get_session(office, SID).checkins[pid]


async def open_form(pilot, app, pid: str) -> None:
    await open_session(pilot, app)
    app.screen.roster.select_pid(pid)
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen.form_pid == pid, what=f"{pid}'s form")
    await pilot.pause()


async def test_enter_on_a_reopened_check_in_changes_no_answer(group):
    sessions.record_checkin(
        group,
        SID,
        CheckIn(
            participant_id="P0001",
            disclosed="yes",
            forms=["physical"],
            towards=["partner"],
            summary="Pushed her",
            stance="minimising",
            homework="done",
        ),
    )
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, app, "P0001")
        # Enter on every field in turn, in one go and one by one: nothing is picked.
        await pilot.press("enter", "enter", "tab", "enter", "tab", "enter")
        while app.focused is not None and app.focused.id != "stance":
            await pilot.press("tab", "enter")
        await burst(pilot, "enter", "shift+tab", "enter", "ctrl+s")
        await pilot.pause(0.6)
        assert app.screen.form.fields()["disclosed"] == "yes"
    ci = saved(group, "P0001")
    assert (ci.disclosed, ci.forms, ci.towards, ci.stance, ci.homework) == (
        "yes",
        ["physical"],
        ["partner"],
        "minimising",
        "done",
    )


async def test_space_changes_a_saved_answer_on_purpose(group):
    sessions.record_checkin(
        group, SID, CheckIn(participant_id="P0002", disclosed="no", summary="Quiet week")
    )
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, app, "P0002")
        # The cursor starts on the saved answer ("no"); → then Space picks "yes".
        await pilot.press("right", "space")
        assert app.screen.form.fields()["disclosed"] == "yes"
        assert "2●yes" in screen_text(app)


async def test_digits_after_tab_land_in_the_field_focus_moved_to(group):
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, app, "P0001")
        await burst(pilot, "2", "tab", "6", "tab", "1", "tab")
        fields = app.screen.form.fields()
        assert (fields["disclosed"], fields["forms"], fields["towards"]) == (
            "yes",
            ["threats"],
            ["partner"],
        )
        assert app.focused is not None and app.focused.id == "summary"
        await burst(pilot, *"He shouted", "tab", *"xyz")
        fields = app.screen.form.fields()
        assert fields["summary"] == "He shouted"
        assert fields["alternatives_used"] == "xyz"
        await burst(pilot, "ctrl+s")
        await wait_for(pilot, lambda: "P0001" in app.screen.view.record.checkins)
    ci = saved(group, "P0001")
    assert (ci.disclosed, ci.forms, ci.towards, ci.summary, ci.alternatives_used) == (
        "yes",
        ["threats"],
        ["partner"],
        "He shouted",
        "xyz",
    )


async def test_keys_after_opening_a_form_never_mark_the_roster(group):
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        app.screen.roster.select_pid("P0001")
        # Enter opens his form; "u" typed at once must not mark anyone unexcused.
        await burst(pilot, "enter", "2", "u")
        await wait_for(pilot, lambda: app.screen.form_pid == "P0001")
        assert app.screen.form.fields()["disclosed"] == "yes"
    record = session_store.get_session(group, SID)
    assert {a.status for a in record.attendance.values()} == {"present"}


async def test_shift_tab_burst_goes_back_a_field(group):
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, app, "P0001")
        await pilot.press("tab", "tab", "tab")  # the summary
        await burst(pilot, *"abc", "shift+tab", "2")
        fields = app.screen.form.fields()
        assert fields["summary"] == "abc" and fields["towards"] == ["ex_partner"]


async def test_stance_not_chosen_is_saved_as_not_recorded_and_the_debrief_says_so(group):
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, app, "P0003")
        assert app.screen.form.fields()["stance"] == "not_recorded"
        await pilot.press("tab", "tab", "tab", *"Talked", "ctrl+s")
        await wait_for(pilot, lambda: "P0003" in app.screen.view.record.checkins)
    assert saved(group, "P0003").stance == "not_recorded"
    record = session_store.get_session(group, SID)
    body = prefill.prefilled_body(group, record, group_store.get_group(group, "G1"), "t", ["alex"])
    carl = next(line for line in body.splitlines() if "Carl" in line)
    assert "not recorded" in body and "takes responsibility" not in body, carl


def test_cli_checkin_without_stance_is_not_recorded(group, invoke):
    result = invoke("checkin", "record", SID, "P0002", "--summary", "Quiet week")
    assert result.exit_code == 0, result.output
    assert "not recorded" in result.output
    assert saved(group, "P0002").stance == "not_recorded"
    assert (
        "responsible" not in invoke("checkin", "record", "--help").output.split("--stance")[1][:40]
    )


def close(office) -> None:
    sessions.record_checkin(office, SID, CheckIn(participant_id="P0001", summary="Quiet week"))
    sessions.close_session(office, SID, True)


async def test_a_closed_session_opens_read_only_with_its_timers_stopped(group):
    close(group)
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        screen = app.screen
        text = screen_text(app)
        assert "CLOSED" in text.splitlines()[0] and "CLOSED" in text
        assert screen._ticking is None and not screen.clock.running
        screen.roster.select_pid("P0002")
        await pilot.press("u", "e", "l", "enter", "space")
        await pilot.pause()
        assert screen.form_pid is None and app.screen is screen  # no question, no form
        assert any("read-only" in n.message for n in app._notifications)
    record = session_store.get_session(group, SID)
    assert {a.status for a in record.attendance.values()} == {"present"}
    assert not record.corrections


async def test_a_correction_names_the_man_and_the_change(group):
    close(group)
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        app.screen.roster.select_pid("P0002")
        await pilot.press("ctrl+r", "u")
        await wait_for(pilot, lambda: "Why?" in screen_text(app), what="the reason question")
        text = screen_text(app)
        assert "Ben Sample's attendance" in text and "to unexcused. Why?" in text
        await pilot.press(*"wrong", "space", *"row", "enter")
        await wait_for(pilot, lambda: session_store.get_session(group, SID).corrections)
    record = session_store.get_session(group, SID)
    assert record.attendance["P0002"].status == "unexcused"
    assert record.corrections[-1].reason == "wrong row"


async def test_closing_with_a_pending_suggestion_says_it_in_words(group):
    sessions.record_checkin(
        group,
        SID,
        CheckIn(
            participant_id="P0001", disclosed="yes", summary="He put his hands round her throat"
        ),
    )
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: "Close session" in screen_text(app))
        text = screen_text(app)
        assert "Strangulation" in text and "strangulation" not in text
        assert "a risk suggestion (Strangulation" in text
        assert "facilitator " not in text.split("Close session")[1]


async def test_check_in_form_at_80_columns_shows_save_and_no_toast_over_suggestions(group):
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, app, "P0001")
        assert "^s Save check-in" in screen_text(app).splitlines()[-1]
        await pilot.press("tab", "tab", "tab", *"He", "space", *"choked", "space", *"her")
        assert "^s Save check-in" in screen_text(app).splitlines()[-1]  # while typing too
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "suggestions")
        assert not app._notifications  # nothing covers the suggestions
        assert "Enter confirms or d" in screen_text(app)
        assert "Risk: ⏎ flag it · d dismiss" in screen_text(app)  # the box title, whole
    assert saved(group, "P0001").summary == "He choked her"
