"""Signing in to the terminal UI: nothing is shown before the passphrase, a wrong one says so in
one line, and the UI locks itself (privacy on, sign in again) when left idle."""

from __future__ import annotations

import pytest
from conftest import enrol_all
from helpers.signed import give_keys, passphrase_of
from helpers.tui import burst, make_app, screen_text, wait_for

from facilitator import clock
from facilitator.services.core.office import Office
from facilitator.tui.screens.home import HomeScreen
from facilitator.tui.screens.sign_in import SignInScreen


@pytest.fixture
def keyed(office):
    enrol_all(office)
    give_keys(office.path)
    return office.path


async def type_text(pilot, text: str) -> None:
    await burst(pilot, *text)


async def test_nothing_shows_until_the_member_signs_in(keyed):
    app = make_app(Office.open(keyed, "alex"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen), what="sign-in")
        text = screen_text(app)
        assert "Sign in" in text and "Your passphrase" in text
        assert "Adam" not in text and "Tuesday group" not in text
        # The palette opens nothing before sign-in.
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles == ["Quit"]
        await type_text(pilot, passphrase_of("alex"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.home_ready, what="the home screen")
        assert isinstance(app.screen, HomeScreen)
        assert app.office.signer is not None and app.office.signer.staff_id == "alex"
        assert "alex" in screen_text(app)  # the header says who is acting


async def test_a_wrong_passphrase_is_one_line_and_the_field_is_cleared(keyed):
    app = make_app(Office.open(keyed, "alex"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen), what="sign-in")
        await type_text(pilot, "a wrong guess at it")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "⚠ wrong passphrase for alex" in text
        assert isinstance(app.screen, SignInScreen) and app.office.signer is None
        assert app.screen.query_one("#passphrase").value == ""
        assert "a wrong guess" not in text


async def test_a_passphrase_typed_into_the_name_field_is_never_shown(keyed):
    """Typed in a hurry, the passphrase can land in the name field: the refusal does not repeat
    it, and both fields are emptied."""
    app = make_app(Office.open(keyed, "alex"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen), what="sign-in")
        member = app.screen.query_one("#member")
        member.focus()
        member.value = ""
        await type_text(pilot, passphrase_of("alex"))
        await pilot.press("tab")
        await type_text(pilot, "x")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "no staff member has that id or name" in " ".join(text.split())
        assert passphrase_of("alex") not in text
        assert member.value == "" and app.screen.query_one("#passphrase").value == ""


async def test_another_member_can_sign_in_by_name(keyed):
    app = make_app(Office.open(keyed, "alex"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen), what="sign-in")
        member = app.screen.query_one("#member")
        member.value = ""
        member.focus()
        await type_text(pilot, "bea")
        await pilot.press("enter")  # moves to the passphrase
        await type_text(pilot, passphrase_of("bea"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.home_ready, what="the home screen")
        assert app.office.actor.id == "bea"


async def test_left_idle_the_ui_locks_with_privacy_on(keyed, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(clock, "monotonic", lambda: now[0])
    app = make_app(Office.open(keyed, "alex"), privacy=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen), what="sign-in")
        await type_text(pilot, passphrase_of("alex"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.home_ready, what="the home screen")
        assert "Adam" in screen_text(app) or "Tuesday group" in screen_text(app)
        now[0] += 14 * 60
        app._lock_if_idle()
        assert not isinstance(app.screen, SignInScreen)  # 14 minutes: not yet
        now[0] += 61
        app._lock_if_idle()
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen) and app.privacy
        text = screen_text(app)
        assert "Locked" in text and "Tuesday group" not in text
        assert app.office.signer is None
        await type_text(pilot, passphrase_of("alex"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), what="home again")
        assert app.privacy, "privacy stays on until the facilitator turns it off"
        assert app.office.signer is not None
