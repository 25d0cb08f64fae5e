"""The partner support screen: only for its role, locked until the passphrase, and the
intake checklist on the group side."""

from __future__ import annotations

import pytest
from helpers.tui import screen_text, wait_for
from textual.app import App
from textual.reactive import reactive

from facilitator.services.core.office import Office
from facilitator.services.intake import assessment as intake
from facilitator.services.partner import store as partner

PASSPHRASE = "tui passphrase for tests"


class Host(App):
    """A bare app holding one screen, as the main app will from its command palette."""

    privacy: reactive[bool] = reactive(False)

    def __init__(self, office, make_screen=None):
        super().__init__()
        self.office = office
        self.make_screen = make_screen

    def on_mount(self) -> None:
        if self.make_screen:
            self.push_screen(self.make_screen())


@pytest.fixture
def pat(office, monkeypatch):
    monkeypatch.delenv("FACILITATOR_PARTNER_KEY_FILE", raising=False)
    worker = Office.open(office.path, "pat")
    partner.init_store(worker, partner.key_source(PASSPHRASE))
    store = partner.open_store(worker, partner.key_source(PASSPHRASE))
    her = store.add_partner("P0001", "Erin Sample", safe_contact="after nine only")
    store.record_contact(
        her.id, "phone", her_account="he took her keys", safety_planning="spare key at a friend's"
    )
    return worker


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def test_a_facilitator_cannot_open_the_partner_screen(pat, office):
    from facilitator.tui.screens.partner_support import PartnerSupportScreen, open_partner_support

    alex = Office.open(office.path, "alex")
    app = Host(alex)
    async with app.run_test(size=(80, 24)) as pilot:
        assert open_partner_support(app, alex) is False
        await pilot.pause()
        assert not isinstance(app.screen, PartnerSupportScreen)
        assert any(
            "alex (facilitator) may not open the partner store" in str(n.message)
            for n in app._notifications
        )
    entries = list(office.stores.audit.entries())
    assert (entries[-1]["user"], entries[-1]["action"], entries[-1]["kind"]) == (
        "alex",
        "refused",
        "access",
    )

    # Pushed directly, the screen itself refuses and shows nothing but the refusal.
    app = Host(alex, lambda: PartnerSupportScreen(alex))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, PartnerSupportScreen) and app.screen.refused,
            what="the refusal",
        )
        text = screen_text(app)
        assert "may not open the partner store" in text
        assert "passphrase" not in text and "Erin" not in text


async def test_partner_support_unlocks_sees_records_and_locks_again(pat):
    from facilitator.tui.screens.partner_support import PartnerSupportScreen, open_partner_support

    app = Host(pat)
    async with app.run_test(size=(100, 30)) as pilot:
        assert open_partner_support(app, pat) is True
        await wait_for(
            pilot, lambda: isinstance(app.screen, PartnerSupportScreen), what="the partner screen"
        )
        screen = app.screen
        assert "Erin" not in screen_text(app)  # nothing read before the passphrase
        await _type(pilot, "wrong words")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: "wrong passphrase" in screen_text(app), what="the wrong-passphrase line"
        )
        assert screen.store is None
        await _type(pilot, PASSPHRASE)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.store is not None, what="the store to open")
        await pilot.pause()
        text = screen_text(app)
        assert (
            "Erin Sample" in text
            and "he took her keys" in text
            and "spare key at a friend's" in text
        )
        assert "P0001-PT1" in text
        # Privacy mode: her name, her safe contact, her account and the safety plan all go.
        app.privacy = True
        await wait_for(pilot, lambda: "Privacy mode" in screen_text(app), what="her details hidden")
        hidden = screen_text(app)
        for canary in ("Erin", "Sample", "after nine only", "he took her keys", "spare key"):
            assert canary not in hidden, canary
        assert "Privacy mode" in hidden
        app.privacy = False
        await wait_for(
            pilot, lambda: "Erin Sample" in screen_text(app), what="her details shown again"
        )
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert screen.store is None
        assert "Erin" not in screen_text(app) and "he took her keys" not in screen_text(app)


async def test_recording_a_contact_and_a_concern_from_the_screen(pat, office):
    from facilitator.tui.screens.partner_support import (
        ConcernForm,
        ContactForm,
        PartnerSupportScreen,
    )

    app = Host(pat, lambda: PartnerSupportScreen(pat))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(
            pilot, lambda: isinstance(app.screen, PartnerSupportScreen), what="the partner screen"
        )
        screen = app.screen
        await _type(pilot, PASSPHRASE)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.store is not None, what="the store to open")
        screen.query_one("#partner-list").focus()
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactForm), what="the contact form")
        app.screen.query_one("#account").focus()
        await _type(pilot, "calm week")
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: len(screen.store.contacts("P0001-PT1")) == 2, what="the contact saved"
        )
        assert screen.store.contacts("P0001-PT1")[-1].her_account == "calm week"
        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, ConcernForm), what="the concern form")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.store.concerns("P0001-PT1"), what="the concern raised")
    from facilitator.services.risk import flags as risk

    flag = risk.list_flags(office, "open")[0]
    assert (flag.categories, flag.source) == (["victim_fear"], "partner_contact")
    assert "calm week" not in str(flag.to_dict()) and "keys" not in str(flag.to_dict())


async def test_intake_checklist_screen_says_what_is_missing(office):
    from facilitator.tui.screens.intake_checklist import IntakeChecklistScreen

    intake.start_intake(office, "P0001", started_on="2026-11-01")
    intake.record_assessment_session(office, "P0001", "2026-11-02", "alex")
    app = Host(office, lambda: IntakeChecklistScreen("P0001", office))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, IntakeChecklistScreen) and app.screen.items,
            what="the checklist",
        )
        text = screen_text(app)
        assert "Intake · P0001 Adam Example" in text
        assert "[x] done     referral received" in text
        assert "[ ] MISSING  assessment sessions (2 needed)" in text
        assert "NOT READY to join a group" in text and "initial risk assessment" in text
        intake.record_assessment_session(office, "P0001", "2026-11-09", "bea")
        for name in ("programme_agreement", "information_sharing", "partner_contact_consent"):
            intake.record_agreement(office, "P0001", name, "signed", "2026-11-09")
        intake.record_risk_assessment(
            office, "P0001", {"weapons": "present"}, "high", day="2026-11-09"
        )
        intake.decide(office, "P0001", "suitable", day="2026-11-10")
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.screen.ready, what="ready")
        text = screen_text(app)
        assert "READY to join a group" in text and "NOT READY" not in text
        assert "high, 1 item(s) present" in text
        # Privacy mode: first name only, no details of his risk.
        app.privacy = True
        await pilot.press("f5")
        await pilot.pause()
        text = screen_text(app)
        assert "Adam Example" not in text and "Adam" in text and "high, 1 item" not in text
