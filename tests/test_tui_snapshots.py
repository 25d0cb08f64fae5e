"""What the screens look like at 80×24, privacy mode off and on (pytest-textual-snapshot).

The clock is pinned (conftest), so the timers read 0:00 and every date is the same on every run;
cursors do not blink; notifications are cleared before the picture is taken.
Update after a deliberate change with: uv run pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest
from conftest import enrol_all
from helpers.tui import make_app, open_session, screen_text, wait_for

from facilitator.domain.checkin import CheckIn
from facilitator.services.groupwork import sessions
from facilitator.services.risk import flags as risk_service

SIZE = (80, 24)


@pytest.fixture
def workspace(office, monkeypatch):
    """Three men, today's session part-run, one overdue critical flag and one open flag."""
    enrol_all(office)
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-20T10:00:00")
    risk_service.raise_flag(office, "P0001", ["weapons"], "Has a knife at home")
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T18:00:00")
    s = sessions.start_session(office, "G1")
    sessions.mark_attendance(office, s.id, "P0001", "present")
    sessions.mark_attendance(office, s.id, "P0002", "late", minutes_late=10)
    sessions.record_checkin(
        office, s.id, CheckIn(participant_id="P0001", summary="Used time-out twice")
    )
    risk_service.raise_flag(
        office, "P0002", ["economic_abuse"], "Took her bank card", session_id=s.id
    )
    return office


def still(app) -> None:
    """Nothing in the picture that changes between runs."""
    app.clear_notifications()
    for w in app.screen.query("Input, TextArea"):
        w.cursor_blink = False


def home_ready(app):
    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.home_ready and app.screen.fully_loaded)
        await pilot.pause()
        still(app)

    return run_before


def session_ready(app, *keys: str):
    async def run_before(pilot) -> None:
        await open_session(pilot, app)
        for key in keys:
            await pilot.press(key)
        await pilot.pause(0.6)  # past the draft and scan debounce
        still(app)

    return run_before


@pytest.mark.parametrize("privacy", [False, True], ids=["privacy-off", "privacy-on"])
def test_home(workspace, snap_compare, privacy):
    app = make_app(workspace, privacy=privacy)
    assert snap_compare(app, terminal_size=SIZE, run_before=home_ready(app))


@pytest.mark.parametrize("privacy", [False, True], ids=["privacy-off", "privacy-on"])
def test_session_roster_and_plan(workspace, snap_compare, privacy):
    app = make_app(workspace, "G1", privacy=privacy)
    assert snap_compare(app, terminal_size=SIZE, run_before=session_ready(app))


@pytest.mark.parametrize("privacy", [False, True], ids=["privacy-off", "privacy-on"])
def test_session_checkin_form(workspace, snap_compare, privacy):
    app = make_app(workspace, "G1", privacy=privacy)
    keys = [
        "down",
        "enter",
        "2",
        "tab",
        "4",
        "tab",
        "1",
        "tab",
        *"Kept her card",
        "escape",
        "enter",
    ]
    keys = ["space" if k == " " else k for k in keys]
    assert snap_compare(app, terminal_size=SIZE, run_before=session_ready(app, *keys))


def test_session_light_theme(workspace, snap_compare):
    app = make_app(workspace, "G1", theme="textual-light")
    assert snap_compare(app, terminal_size=SIZE, run_before=session_ready(app))


def test_flag_dialog(workspace, snap_compare):
    app = make_app(workspace, "G1")
    assert snap_compare(app, terminal_size=SIZE, run_before=session_ready(app, "ctrl+f"))


def test_flag_dialog_in_privacy_mode(workspace, snap_compare):
    """Categories choosable, first names only, the summary masked, no flag already raised."""
    app = make_app(workspace, "G1", privacy=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=session_ready(app, "down", "ctrl+f"))


def test_closed_session(workspace, snap_compare):
    """Read-only: CLOSED in the header and on the roster at 80 columns, timers stopped."""
    sessions.close_session(workspace, "G1-2026-11-24", True)
    app = make_app(workspace, "G1")
    assert snap_compare(app, terminal_size=SIZE, run_before=session_ready(app))


def test_risk_queue(workspace, snap_compare):
    """Who each flag is about, its state, deadline, severity and id fit at 80 columns."""
    from conftest import as_coordinator

    lead = as_coordinator(workspace)
    risk_service.review_flag(lead, "F0002", ["referrer_informed"], "Told probation")
    app = make_app(lead)

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.home_ready)
        await pilot.press("r")
        await wait_for(pilot, lambda: "P0001 Adam Example:" in screen_text(app))
        await pilot.pause()
        still(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_partner_support_in_privacy_mode(workspace, snap_compare, monkeypatch):
    """Her record open, privacy on: no name, contact, account or safety plan on screen."""
    from facilitator.services.core.office import Office
    from facilitator.services.partner import store as partner
    from facilitator.tui.screens.partner_support import PartnerSupportScreen, open_partner_support

    monkeypatch.delenv("FACILITATOR_PARTNER_KEY_FILE", raising=False)
    words = "snapshot passphrase for tests"
    pat = Office.open(workspace.path, "pat")
    partner.init_store(pat, partner.key_source(words))
    store = partner.open_store(pat, partner.key_source(words))
    her = store.add_partner("P0001", "Erin Sample", phone="07700 900123", safe_contact="after nine")
    store.record_contact(
        her.id, "phone", her_account="he took her keys", safety_planning="spare key"
    )
    app = make_app(pat, privacy=True)

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.home_ready)
        assert open_partner_support(app, pat)
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerSupportScreen))
        screen = app.screen
        for ch in words:
            await pilot.press("space" if ch == " " else ch)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.store is not None)
        await pilot.pause(0.3)
        still(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
