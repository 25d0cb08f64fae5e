"""The UI's list of risk suggestions waiting for a decision, from the risk queue (s): a
one-to-one's and a debrief's disclosures are there beside the check-ins', confirmed into a flag
with Enter or dismissed with a reason; privacy mode hides them."""

from __future__ import annotations

from helpers.tui import make_app, screen_text, wait_for

from facilitator.services.risk import flag_store
from facilitator.services.risk import suggestions as risk_suggestions
from tests.test_debrief_notes import SID, _write_in, closed  # noqa: F401 - fixture

FOLLOWING = "He has been waiting outside her work and following her home."


def _waiting(closed, invoke):  # noqa: F811
    from facilitator.services.debrief import notes as debrief

    recorded = invoke(
        "--user", "alex", "individual", "record", "P0001", "crisis", "--date", "2026-11-24",
        "--disclosed", "yes", "--summary", FOLLOWING,
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    debrief.create_note(closed, SID)
    _write_in(closed, SID, "P0002", "said he put his hands round her throat on Sunday.")
    return {s.session_id: s for s in risk_suggestions.waiting_for_review(closed)}


async def _open(pilot, app):
    from facilitator.tui.screens.risk_queue import RiskQueueScreen
    from facilitator.tui.screens.suggestions import SuggestionsScreen

    await pilot.pause()
    app.push_screen(RiskQueueScreen())
    await wait_for(pilot, lambda: isinstance(app.screen, RiskQueueScreen), what="risk queue")
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(app.screen, SuggestionsScreen), what="suggestions")
    await wait_for(pilot, lambda: app.screen.loaded, what="the suggestions read")
    await pilot.pause()
    return app.screen


async def test_one_to_one_and_debrief_suggestions_are_decided_in_the_ui(closed, invoke):  # noqa: F811
    waiting = _waiting(closed, invoke)
    assert set(waiting) == {"P0001-O1", SID}
    app = make_app(closed, privacy=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        text = screen_text(app)
        assert "waiting for a decision: 2" in text
        assert "one-to-one P0001-O1" in text and f"debrief of {SID}" in text
        assert "Stalking" in text and "Strangulation" in text
        order = [s.session_id for s in screen.rows]
        # The debrief's: Enter confirms it as a flag.
        screen.query_one("DataTable").move_cursor(row=order.index(SID))
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(screen.rows) == 1, what="the list read again")
        (flag,) = [f for f in flag_store.open_flags(closed) if f.suggestion_id == waiting[SID].id]
        assert (flag.participant_id, flag.categories, flag.source) == (
            "P0002",
            ["strangulation"],
            "debrief",
        )
        # The one-to-one's: d asks why, the reason is kept with the dismissal.
        await pilot.press("d")
        await wait_for(pilot, lambda: "is no risk" in screen_text(app), what="the reason asked")
        for key in "checked with his worker":
            await pilot.press("space" if key == " " else key)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not screen.rows, what="nothing left")
        assert "Nothing waiting" in screen_text(app)
    (decided,) = risk_suggestions.list_suggestions(closed, "P0001-O1")
    assert (decided.status, decided.reason) == ("dismissed", "checked with his worker")


async def test_privacy_mode_hides_the_suggestions(closed, invoke):  # noqa: F811
    _waiting(closed, invoke)
    app = make_app(closed, privacy=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        text = screen_text(app)
        assert "hidden (privacy mode)" in text
        assert not any(w in text for w in ("Stalking", "Strangulation", "P0001", "Ben"))
        await pilot.press("enter")  # nothing is confirmed from a hidden list
        await pilot.pause()
    assert len(risk_suggestions.waiting_for_review(closed)) == 2
