"""The home screen, the risk queue screen and help, driven with Pilot."""

from __future__ import annotations

import re

import pytest
from conftest import enrol_all
from helpers.tui import burst, make_app, open_session, screen_text, wait_for, widget_words

from facilitator.services.core import session_store as session_store
from facilitator.services.core.office import Office
from facilitator.services.groupwork import sessions
from facilitator.services.risk import flag_store as risk_flag_store
from facilitator.services.risk import flags as risk_service


@pytest.fixture
def group(office):
    enrol_all(office)
    return office


def _words(app) -> str:
    """The screen's words with its line breaks and borders taken out."""
    return " ".join(re.sub(r"[│┃▎▊▌▐█▔▁▄▀╭╮╰╯─]", " ", screen_text(app)).split())


async def queue_showing(pilot, app, flag_id: str) -> None:
    """From home, the risk queue (r) once it lists the flag."""
    await home(pilot, app)
    await pilot.press("r")
    await wait_for(pilot, lambda: flag_id in screen_text(app), what=f"{flag_id} in the queue")


async def home(pilot, app) -> None:
    await wait_for(pilot, lambda: app.home_ready, what="the home screen's data")
    await pilot.pause()


async def test_home_lists_groups_with_their_next_session(group):
    app = make_app(group)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        text = screen_text(app)
        assert "G1 Tuesday group" in text
        assert "today 18:30" in text
        assert "1 Why we are here" in text  # curriculum session number and title


async def test_enter_on_a_group_starts_todays_session(group):
    app = make_app(group)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await pilot.press("enter")
        await open_session(pilot, app)
    assert session_store.find_session(group, "G1", "2026-11-24").state == "open"


async def test_a_group_that_does_not_meet_today_asks_first(group):
    from facilitator.services.groupwork import groups

    groups.create_group(
        group,
        "Thursday group",
        "core-24",
        "thursday",
        "18:30",
        ["alex", "bea"],
        start_date="2026-11-05",
        group_id="G2",
    )
    app = make_app(group, "G2")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "say why it is held today" in _words(app), what="why")
        assert "G2 meets on Thursdays" in _words(app)
        await pilot.press("enter")  # no reason: asked again, nothing started
        await wait_for(pilot, lambda: "this needs an answer" in screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        assert session_store.find_session(group, "G2", "2026-11-24") is None


async def test_a_session_on_another_day_keeps_its_reason(group, monkeypatch):
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-25T18:00:00")  # a Wednesday
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "say why it is held today" in _words(app), what="why")
        for key in "moved for the venue":
            await pilot.press("space" if key == " " else key)
        await pilot.press("enter")
        await open_session(pilot, app)
    held = session_store.find_session(group, "G1", "2026-11-25")
    assert held is not None and held.rescheduled_reason == "moved for the venue"
    started = [e for e in group.stores.audit.entries() if e.get("action") == "start"]
    assert started[-1].get("rescheduled") == "moved for the venue"


async def test_a_session_left_open_is_offered_before_todays(group, monkeypatch):
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-17T18:00:00")
    sessions.start_session(group, "G1")
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T18:00:00")
    app = make_app(group)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        assert "⚠ 17 Nov open" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "was never closed" in screen_text(app))
        await pilot.press("y")
        await open_session(pilot, app)
        assert app.screen.sid == "G1-2026-11-17"
    assert session_store.find_session(group, "G1", "2026-11-24") is None


@pytest.fixture
def flagged(group, monkeypatch):
    """Two open flags raised four days ago: F0001 critical (due that day, overdue now), F0002
    medium."""
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-20T10:00:00")
    risk_service.raise_flag(group, "P0001", ["weapons"], "Has a knife at home")
    risk_service.raise_flag(group, "P0002", ["economic_abuse"], "Took her bank card")
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T18:00:00")
    return group


async def test_overdue_and_critical_flags_shout_in_words(flagged):
    app = make_app(flagged)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        text = screen_text(app)
        assert "⚠ 1 OVERDUE" in text and "‼ 1 CRITICAL" in text and "2 open flags" in text
        assert app.screen.query_one("#risk-box").has_class("-alert")

        await pilot.press("r")
        await wait_for(pilot, lambda: "F0001" in screen_text(app), what="the risk queue")
        lines = [line for line in screen_text(app).splitlines() if "F000" in line]
        # Overdue and critical first, said in words.
        assert "F0001" in lines[0] and "OVERDUE" in lines[0] and "CRITICAL" in lines[0]
        assert "F0002" in lines[1] and "OVERDUE" not in lines[1]

        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "F0001" not in screen_text(app) and "hidden in privacy mode" in screen_text(app)


async def test_privacy_mode_hides_the_risk_counts_at_home_and_in_the_queue(flagged):
    app = make_app(flagged, privacy=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        text = screen_text(app)
        assert "Risk queue: hidden" in text and "in privacy mode" in text
        for shown in ("OVERDUE", "CRITICAL", "2 open", "open flag"):
            assert shown not in text
        assert not app.screen.query_one("#risk-box").has_class(
            "-alert"
        )  # no reversed box to catch the eye

        await pilot.press("r")
        await wait_for(
            pilot, lambda: "hidden in privacy mode" in screen_text(app), what="the risk queue"
        )
        text = screen_text(app)
        assert "Open flags: hidden (privacy mode)" in text
        assert (
            "F0001" not in text
            and "OVERDUE" not in text
            and "CRITICAL" not in text
            and "flags: 2" not in text
        )

        await pilot.press("ctrl+t")  # privacy off: everything is back
        await wait_for(pilot, lambda: "F0001" in screen_text(app), what="the flags shown again")
        assert "Open flags: 2" in screen_text(app) and "1 OVERDUE" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "2 open flags" in screen_text(app), what="the counts at home")
        assert "‼ 1 CRITICAL" in screen_text(app) and app.screen.query_one("#risk-box").has_class(
            "-alert"
        )


async def test_review_and_close_a_flag_from_the_queue(group):
    office = Office.open(group.path, "admin")  # the risk lead reviews and closes
    flag = risk_service.raise_flag(group, "P0002", ["economic_abuse"], "Took her bank card")
    app = make_app(office)
    async with app.run_test(size=(80, 24)) as pilot:
        await queue_showing(pilot, app, flag.id)
        await pilot.press("v")
        await wait_for(pilot, lambda: "what was done" in screen_text(app))
        await pilot.press("5", "tab")  # referrer informed
        for ch in "told probation":
            await pilot.press("space" if ch == " " else ch)
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: risk_flag_store.get_flag(office, flag.id).status == "in_review"
        )
        await pilot.press("x")
        await wait_for(pilot, lambda: "Outcome" in screen_text(app))
        for ch in "managed by probation":
            await pilot.press("space" if ch == " " else ch)
        await pilot.press("enter")
        await wait_for(pilot, lambda: risk_flag_store.get_flag(office, flag.id).status == "closed")
    review = risk_flag_store.get_flag(office, flag.id).review_list[0]
    assert (review.actions, review.note) == (["referrer_informed"], "told probation")


async def test_a_facilitator_is_told_reviewing_is_the_coordinators(group):
    flag = risk_service.raise_flag(group, "P0002", ["economic_abuse"], "Took her bank card")
    app = make_app(group)  # alex, a facilitator
    async with app.run_test(size=(80, 24)) as pilot:
        await queue_showing(pilot, app, flag.id)
        await pilot.press("v")
        await pilot.pause(0.3)
        await pilot.press("5", "tab", "t", "o", "l", "d", "enter")
        await wait_for(
            pilot,
            lambda: (
                "may not review a risk flag" in " ".join(str(n.message) for n in app._notifications)
            ),
            what="the refusal said on screen",
        )
    assert risk_flag_store.get_flag(group, flag.id).status == "open"


async def test_help_lists_every_key(group):
    from facilitator.tui import keys

    app = make_app(group)
    async with app.run_test(size=(100, 70)) as pilot:
        await home(pilot, app)
        await pilot.press("f1")
        await wait_for(pilot, lambda: "Keys" in screen_text(app))
        # The list is longer than the screen: read it as a person would, a page at a time.
        text = screen_text(app)
        for _ in range(6):
            await pilot.press("pagedown")
            await pilot.pause()
            text += screen_text(app)
        for _title, table in keys.HELP_SECTIONS:
            for k in table:
                assert k.description in text, k.description
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"


async def test_one_theme_entry_in_the_palette_and_it_is_kept_per_member(group):
    from facilitator.services.core.office import Office

    app = make_app(group)  # alex
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles.count("Theme") == 1 and "Risk queue" in titles
        assert not [t for t in titles if "theme" in t.lower() and t != "Theme"]
        # Chosen from the palette as a person would: Ctrl+P, type, Enter.
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"Theme")
        await pilot.pause(0.4)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.theme == "textual-light", what="the light theme")
    # The next launch, for alex: light; for bea on the same workspace: the programme's dark.
    again = make_app(Office.open(group.path, "alex"))
    async with again.run_test(size=(80, 24)) as pilot:
        await home(pilot, again)
        assert again.theme == "textual-light"
    other = make_app(Office.open(group.path, "bea"))
    async with other.run_test(size=(80, 24)) as pilot:
        await home(pilot, other)
        assert other.theme == "textual-dark"
    assert group.ws.read_settings()["ui"]["themes"] == {"alex": "light"}


async def test_the_theme_comes_from_the_workspace_setting(group):
    settings = group.ws.read_settings()
    settings["ui"]["theme"] = "light"
    with group.stores.writing():
        group.ws.write_settings(settings)
    app = make_app(group)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        assert app.theme == "textual-light"


def test_plain_commands_do_not_load_textual():
    import subprocess
    import sys

    code = "import sys, facilitator.cli; assert 'textual' not in sys.modules, 'textual loaded'"
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_after_a_review_the_cursor_stays_on_that_flag_and_details_keys_work(group):
    """Three flags; the second is reviewed from its details dialog (v there): the cursor stays
    on it, so the next x closes that flag and no other."""
    office = Office.open(group.path, "admin")  # the risk lead reviews and closes
    f1 = risk_service.raise_flag(office, "P0001", ["weapons"], "Has a knife")
    f2 = risk_service.raise_flag(office, "P0002", ["economic_abuse"], "Took her bank card")
    f3 = risk_service.raise_flag(office, "P0003", ["animal_harm"], "Kicked the dog")
    app = make_app(office)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await pilot.press("r")
        await wait_for(pilot, lambda: f2.id in screen_text(app))
        order = [str(f.id) for f in app.screen.flags]
        app.screen.query_one("DataTable").move_cursor(row=order.index(f2.id))
        await pilot.press("enter")
        await wait_for(pilot, lambda: f"Flag {f2.id}" in screen_text(app), what="details")
        text = screen_text(app)
        assert "economic_abuse" not in text and "Economic abuse" in text
        assert "v: review it" in text
        await pilot.press("v")
        await wait_for(pilot, lambda: "what was done" in screen_text(app))
        shown = screen_text(app).replace("\u00a0", " ")
        assert "referrer informed" in shown and "no further action" in shown
        assert "referrer-informed" not in shown and "referrer_informed" not in shown
        await pilot.press("5", "tab", *"told", "enter")
        await wait_for(pilot, lambda: risk_flag_store.get_flag(office, f2.id).status == "in_review")
        await pilot.pause(0.2)
        await pilot.press("x")
        await wait_for(pilot, lambda: "Outcome" in screen_text(app))
        assert f2.id in screen_text(app)
        await pilot.press(*"done", "enter")
        await wait_for(pilot, lambda: risk_flag_store.get_flag(office, f2.id).status == "closed")
    assert risk_flag_store.get_flag(office, f1.id).status == "open"
    assert risk_flag_store.get_flag(office, f3.id).status == "open"


async def test_closing_an_unreviewed_flag_says_which_key_and_a_refusal_keeps_the_outcome(group):
    office = Office.open(group.path, "admin")
    flag = risk_service.raise_flag(office, "P0001", ["weapons"], "Has a knife")
    app = make_app(office)
    async with app.run_test(size=(80, 24)) as pilot:
        await queue_showing(pilot, app, flag.id)
        await pilot.press("x")
        await pilot.pause()
        (said,) = [n.message for n in app._notifications]
        assert "press v" in said and "facilitator risk" not in said and "--" not in said
        risk_service.review_flag(office, flag.id, ["no_further_action"], "checked")
        await pilot.press("a", "a")  # reload
        await pilot.pause(0.3)
        await pilot.press("x")
        await wait_for(pilot, lambda: "Outcome" in screen_text(app))
        await pilot.press(*"none", "enter")  # a critical flag needs more than that: refused
        await wait_for(pilot, lambda: "Outcome" in screen_text(app))
        await pilot.pause()
        assert app.screen.query_one("Input").value == "none"
    assert risk_flag_store.get_flag(office, flag.id).status != "closed"


async def test_a_full_due_box_keeps_its_backup_warning_and_says_how_many_more(group):
    from facilitator.tui import views

    app = make_app(group)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await wait_for(pilot, lambda: app.screen.fully_loaded)
        app.screen.due = views.DueItems(
            risk={"open": 0, "overdue": 0, "critical": 0},
            debriefs=[f"G1 session {n}: not written" for n in range(1, 8)],
            compliance=[f"P000{n}: letter to the referrer" for n in range(1, 6)],
            supervision=["Alex Facilitator: supervision overdue"],
            backup="no backup for 12 days: make one (Ctrl+P → Backup)",
        )
        app.screen._show_boxes()
        await pilot.pause()
        text = screen_text(app)
        assert "Backup: no backup for 12 days" in text
        assert "… and 3 more" in text


async def test_a_session_the_plan_moved_to_today_starts_without_asking(group, monkeypatch):
    from conftest import as_coordinator

    from facilitator.services.groupwork import plan

    plan.move_session(as_coordinator(group), "G1", "2026-11-24", "2026-11-26", "venue closed")
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-26T18:00:00")  # the Thursday it moved to
    app = make_app(group, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        assert "say why it is held today" not in _words(app)
    held = session_store.find_session(group, "G1", "2026-11-26")
    assert held is not None and held.rescheduled_reason == "moved from 2026-11-24: venue closed"


async def test_a_long_session_title_is_never_cut_it_shows_whole_below_the_table(group):
    from facilitator.services.groupwork import groups

    groups.create_group(
        group,
        "Thursday evening group at the hall",
        "core-24",
        "thursday",
        "18:30",
        ["alex", "bea"],
        start_date="2026-11-05",
        group_id="G2",
    )
    app = make_app(group)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        text = screen_text(app)
        cut = [x for x in text.splitlines() if re.sub(r"[│┃▎▊▌▐█ ]+$", "", x).endswith("…")]
        assert not cut, cut
        line = next(x for x in text.splitlines() if x.startswith(" G2 "))
        # No room for the title in the row: the session's number alone, nothing reaching the edge.
        assert line.rstrip() == line[:79].rstrip() and line.rstrip().endswith(" 1"), line
        await pilot.press("down")
        await pilot.pause()
        assert "Next for G2: session 1, Why we are here" in _words(app)
        await pilot.resize_terminal(120, 24)
        await pilot.pause()
        await pilot.pause()
        line = next(x for x in screen_text(app).splitlines() if x.startswith(" G2 "))
        assert line.rstrip().endswith("1 Why we are here"), line


async def test_a_refused_review_keeps_the_dialog_and_says_why_in_words(group):
    """'No further action' with no reason: the dialog stays open, the tick kept, the reason
    asked for in words (no option names, no command text); with the reason it saves."""
    office = Office.open(group.path, "admin")
    flag = risk_service.raise_flag(office, "P0001", ["weapons"], "Has a knife")
    app = make_app(office)
    async with app.run_test(size=(80, 24)) as pilot:
        await queue_showing(pilot, app, flag.id)
        await pilot.press("v")
        await wait_for(pilot, lambda: "what was done" in screen_text(app))
        await burst(pilot, "7", "ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "what was done" in text  # still open
        said = " | ".join(widget_words(app))
        assert "'no further action' needs a reason" in said, said
        assert "--note" not in text and "no_further_action" not in text
        assert "[x]no further action" in text.replace("\u00a0", " ")  # the tick is kept
        await burst(pilot, *"checked: fishing gear", "enter")
        await wait_for(
            pilot, lambda: risk_flag_store.get_flag(office, flag.id).status != "open", what="saved"
        )
    reviews = risk_flag_store.get_flag(office, flag.id).reviews
    assert reviews[-1]["note"] == "checked: fishing gear" if isinstance(reviews[-1], dict) else True
