"""The risk checklist with her behind the wall, MARAC prompts, referrals and actions, and the
information-sharing log: what a partner support worker and a coordinator would notice."""

from __future__ import annotations

import json

import pytest
from conftest import as_coordinator
from test_partner_store import PASSPHRASE, pat  # noqa: F401 - fixtures shared
from test_partner_store import store as opened_store  # noqa: F401

from facilitator.errors import AccessDenied, InvalidInput, NotFound
from facilitator.services.core.office import Office
from facilitator.services.core.sharing import sharing_records
from facilitator.services.partner import store as partner
from facilitator.services.risk import marac

NOTE = "she said he held a knife to her throat on Friday"


@pytest.fixture
def store(opened_store):
    opened_store.add_partner("P0001", "Dana Example")
    return opened_store


def _yes(n: int) -> dict[int, str]:
    return {q: ("yes" if q <= n else "no") for q in range(1, 28)}


def _group_side_files(ws) -> str:
    return "".join(p.read_text(errors="replace") for p in (ws / "data").rglob("*") if p.is_file())


def test_fourteen_yes_is_high_whatever_the_judgement_and_only_the_level_crosses(store, office):
    assessment, prompt = store.record_dash(
        "P0001-PT1", _yes(14), judged_level="standard", notes={13: NOTE}, rationale="count high"
    )
    assert assessment.yes_count == 14 and assessment.level == "high"
    assert assessment.raised_by_count
    assert prompt is not None and prompt.participant_id == "P0001" and prompt.level == "high"
    # Group side: the date and the level, nothing she said, no answers.
    assert marac.partner_levels(office, "P0001") == [{"date": "2026-11-24", "level": "high"}]
    group_side = _group_side_files(office.path)
    assert NOTE not in group_side and "count high" not in group_side
    assert "dont_know" not in group_side and '"answers"' not in group_side
    due = marac.due(as_coordinator(office))
    assert [d.line for d in due] == [
        "P0001: consider a MARAC referral (high risk, partner support risk assessment, 2026-11-24)"
    ]


def test_thirteen_yes_stays_at_her_worker_s_judgement_which_can_set_high(store, office):
    low, prompt = store.record_dash("P0001-PT1", _yes(13), judged_level="medium")
    assert (low.level, prompt) == ("medium", None)
    assert marac.prompts(office) == []
    judged, prompt = store.record_dash("P0001-PT1", _yes(3), judged_level="high", on="2026-11-25")
    assert judged.level == "high" and not judged.raised_by_count and prompt is not None
    # Repeated assessments are kept side by side, dated.
    assert [a.id for a in store.dash_assessments("P0001-PT1")] == ["P0001-PT1-D1", "P0001-PT1-D2"]
    assert [h["level"] for h in marac.partner_levels(office, "P0001")] == ["medium", "high"]


def test_the_threshold_is_the_programme_s_setting(store, office):
    settings = office.ws.read_settings()
    settings.setdefault("risk", {})["dash_high_risk_yes"] = 10
    with office.stores.writing():
        office.ws.write_settings(settings)
    reopened = partner.open_store(Office.open(office.path, "pat"), partner.key_source(PASSPHRASE))
    assessment, _ = reopened.record_dash("P0001-PT1", _yes(10), judged_level="standard")
    assert assessment.level == "high" and assessment.threshold == 10


def test_bad_answers_are_one_line_and_nothing_is_kept(store, office):
    with pytest.raises(InvalidInput, match="question 4: answer with yes"):
        store.record_dash("P0001-PT1", {4: "maybe"}, judged_level="standard")
    with pytest.raises(InvalidInput, match="questions 1 to 27, not 28"):
        store.record_dash("P0001-PT1", {28: "yes"}, judged_level="standard")
    assert store.dash_assessments("P0001-PT1") == []
    assert marac.partner_levels(office, "P0001") == []


def test_a_facilitator_cannot_open_a_dash(store, office, invoke):
    result = invoke("--user", "alex", "partner", "dash", "show", "P0001-PT1")
    assert result.exit_code != 0 and "may not" in result.output
    with pytest.raises(AccessDenied):
        marac.record_partner_level(office, "P0001", "2026-11-24", "high")


def test_dash_on_the_command_line(store, office, invoke):
    answers = [f"--answer={n}=y" for n in range(1, 15)] + ["--answer=15=dk"]
    result = invoke(
        "--user", "pat", "partner", "dash", "record", "P0001-PT1", *answers, "--level", "medium"
    )
    assert result.exit_code == 0, result.output
    assert "14 yes of 27, level high (the count of yes reached the threshold)" in result.output
    assert "a MARAC referral prompt was raised" in result.output
    shown = invoke("--user", "pat", "partner", "dash", "show", "P0001-PT1").output
    assert " 15. don't know" in shown and " 16. not asked" in shown
    listed = invoke("--user", "pat", "partner", "dash", "list", "P0001-PT1").output
    assert "P0001-PT1-D1" in listed and "high" in listed
    bad = invoke(
        "--user",
        "pat",
        "partner",
        "dash",
        "record",
        "P0001-PT1",
        "--answer",
        "x",
        "--level",
        "high",
    )
    assert bad.exit_code != 0 and "is not NUMBER=VALUE" in bad.output


def test_a_referral_closes_the_prompt_and_is_logged_as_sharing(store, office, invoke):
    store.record_dash("P0001-PT1", _yes(15), judged_level="high")
    result = invoke(
        "--user",
        "admin",
        "marac",
        "refer",
        "P0001",
        "--agency",
        "Riverside MARAC",
        "--reason",
        "strangulation",
        "--reason",
        "threats_to_kill",
        "--meeting",
        "2026-12-02",
    )
    assert result.exit_code == 0, result.output
    assert "MR0001: P0001 referred to Riverside MARAC on 2026-11-24" in result.output
    assert "repeat" not in result.output
    assert marac.prompts(office, open_only=True) == []
    closed = marac.prompts(office)[0]
    assert closed.closed_by_referral == "MR0001"
    [shared] = sharing_records(office, "P0001")
    assert (shared.information, shared.to_agency, shared.basis, shared.reference) == (
        "marac_referral",
        "Riverside MARAC",
        "safeguarding",
        "MR0001",
    )
    assert "Riverside MARAC" in invoke("--user", "admin", "sharing", "list", "P0001").output


def test_a_second_referral_within_twelve_months_is_a_repeat(office, invoke):
    coordinator = as_coordinator(office)
    first = marac.refer(
        coordinator, "P0002", agency="Riverside MARAC", reasons=["weapons"], on="2026-01-10"
    )
    again = marac.refer(
        coordinator, "P0002", agency="Riverside MARAC", reasons=["weapons"], on="2026-11-20"
    )
    other = marac.refer(
        coordinator, "P0003", agency="Riverside MARAC", reasons=["weapons"], on="2026-11-20"
    )
    assert not first.repeat and again.repeat and again.previous_id == first.id
    assert not other.repeat
    late = marac.refer(
        coordinator, "P0003", agency="Riverside MARAC", reasons=["weapons"], on="2026-11-21"
    )
    assert late.repeat
    listed = invoke("--user", "admin", "marac", "list", "--participant", "P0002").output
    assert listed.count("repeat") == 2  # the header and the second referral


def test_no_repeat_after_twelve_months(office):
    coordinator = as_coordinator(office)
    marac.refer(coordinator, "P0001", agency="M", reasons=["weapons"], on="2025-11-20")
    later = marac.refer(coordinator, "P0001", agency="M", reasons=["weapons"], on="2026-11-21")
    assert not later.repeat


def test_actions_due_with_a_fixed_clock(office, invoke, monkeypatch):
    coordinator = as_coordinator(office)
    referral = marac.refer(coordinator, "P0001", agency="Riverside MARAC", reasons=["weapons"])
    marac.add_action(coordinator, referral.id, "Share attendance weekly", "admin", "2026-11-20")
    marac.add_action(coordinator, referral.id, "Review at week 6", "alex", "2026-11-24")
    marac.add_action(coordinator, referral.id, "Exit report", "admin", "2026-12-20")
    due = invoke("--user", "admin", "marac", "actions").output
    assert "MR0001-A1" in due and "overdue" in due and "MR0001-A2" in due
    assert "MR0001-A3" not in due
    assert "MR0001-A3" in invoke("--user", "admin", "marac", "actions", "--all").output
    done = invoke("--user", "admin", "marac", "done", "MR0001-A1")
    assert done.exit_code == 0 and "done on 2026-11-24" in done.output
    lines = [d.line for d in marac.due(coordinator)]
    assert lines == ["P0001: MARAC action MR0001-A2: Review at week 6 (due 2026-11-24)"]
    monkeypatch.setenv("FACILITATOR_NOW", "2026-12-21T09:00:00")
    later = [d.line for d in marac.due(coordinator)]
    assert any("MR0001-A3" in line and "overdue" in line for line in later)
    again = invoke("--user", "admin", "marac", "done", "MR0001-A1")
    assert again.exit_code != 0 and "already marked done on 2026-11-24" in again.output


def test_only_a_coordinator_refers_and_bad_input_is_one_line(office, invoke):
    result = invoke(
        "--user", "alex", "marac", "refer", "P0001", "--agency", "M", "--reason", "weapons"
    )
    assert result.exit_code != 0 and "may not refer a man to a MARAC" in result.output
    bad = invoke(
        "--user", "admin", "marac", "refer", "P0001", "--agency", "M", "--reason", "shouting"
    )
    assert bad.exit_code != 0 and "unknown risk category" in bad.output
    with pytest.raises(NotFound, match="no MARAC referral 'MR0099'"):
        marac.get_referral(office, "MR0099")
    wrong = invoke("--user", "admin", "marac", "meeting", "MR0001", "2026-13-01")
    assert wrong.exit_code != 0
    assert marac.referrals(office) == []


def test_subject_access_lists_sharing_but_not_what_protects_others(office, invoke, tmp_path):
    coordinator = as_coordinator(office)
    from facilitator.services.core.sharing import record_sharing

    record_sharing(
        coordinator,
        "P0001",
        information="attendance",
        to_agency="Riverside Probation",
        basis="agreement",
        means="letter",
    )
    marac.refer(coordinator, "P0001", agency="Riverside MARAC", reasons=["weapons"])
    result = invoke(
        "--user", "admin", "participant", "export-data", "P0001", "-o", str(tmp_path / "sar.json")
    )
    assert result.exit_code == 0, result.output
    assert "review by hand" not in result.output
    data = json.loads((tmp_path / "sar.json").read_text())
    shared = data["information_shared_about_you"]
    assert [s["to_agency"] for s in shared] == ["Riverside Probation"]
    assert "Riverside MARAC" not in (tmp_path / "sar.json").read_text()


async def test_the_home_screen_and_the_queue_show_marac_due_and_privacy_hides_the_lines(office):
    from helpers.tui import make_app, screen_text, wait_for

    coordinator = as_coordinator(office)
    referral = marac.refer(coordinator, "P0002", agency="Riverside MARAC", reasons=["weapons"])
    marac.add_action(coordinator, referral.id, "Call probation", "admin", "2026-11-23")
    app = make_app(office, privacy=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.home_ready and app.screen.fully_loaded, what="home")
        await pilot.pause()
        text = screen_text(app)
        assert "MARAC due: 1" in text and "P0002: MARAC action MR0002-A1" not in text
        assert "P0002: MARAC action MR0001-A1: Call probation" in text
        await pilot.press("r")
        await wait_for(pilot, lambda: "MARAC due: 1" in screen_text(app), what="the queue")
        assert "Call probation" in screen_text(app)
        await pilot.press("ctrl+t")  # privacy on: the count may stay, the lines go
        await wait_for(
            pilot, lambda: "Call probation" not in screen_text(app), what="the lines hidden"
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: "MARAC due: 1" in screen_text(app), what="home again")
        assert "Call probation" not in screen_text(app) and "P0002" not in screen_text(app)


async def test_a_coordinator_refers_from_the_marac_screen_and_marks_an_action_done(office):
    from helpers.tui import make_app, screen_text, wait_for

    coordinator = as_coordinator(office)
    record_high = marac.raise_prompt(coordinator, "P0002", "high", "programme_assessment")
    assert record_high is not None
    app = make_app(coordinator, privacy=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.home_ready, what="home")
        await pilot.press("r")
        await wait_for(pilot, lambda: "Open flags" in screen_text(app), what="the risk queue")
        await pilot.press("m")
        await wait_for(pilot, lambda: "1 to decide" in screen_text(app), what="the MARAC screen")
        assert "refer?" in screen_text(app) and "P0002" in screen_text(app)
        await pilot.press("r")
        await wait_for(pilot, lambda: "MARAC referral of P0002" in screen_text(app), what="form")
        await pilot.press(*"Riverside MARAC", "tab", "space", "ctrl+s")
        await wait_for(pilot, lambda: marac.referrals(office) != [], what="the referral saved")
        [made] = marac.referrals(office)
        assert made.participant_id == "P0002" and made.agency == "Riverside MARAC"
        assert len(made.reasons) == 1
        await wait_for(pilot, lambda: "0 to decide" in screen_text(app), what="the prompt gone")
        marac.add_action(coordinator, made.id, "Call probation", "admin", "2026-11-20")
        await pilot.press("f5")
        await wait_for(pilot, lambda: "OVERDUE" in screen_text(app), what="the action listed")
        await pilot.press("d")
        await wait_for(
            pilot,
            lambda: marac.get_referral(office, made.id).action_list()[0].done_on == "2026-11-24",
            what="the action done",
        )
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: "hidden (privacy mode)" in screen_text(app), what="hidden")
        assert "P0002" not in screen_text(app)
