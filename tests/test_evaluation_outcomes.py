"""Outcome questionnaires at time points: due with a fixed clock, his answers on the
group side, hers only in the partner store and out of it only as aggregates over enough partners."""

from __future__ import annotations

import json

import pytest
from conftest import as_coordinator

from facilitator.errors import AccessDenied, InvalidInput, Refused
from tests.conftest import enrol_all, ready_for_group

PASS = "a partner store passphrase for tests"
HIS_ABUSE = [
    "m_shouted",
    "m_put_down",
    "m_checked",
    "m_isolated",
    "m_money",
    "m_threats",
    "m_physical",
    "m_damage",
]
HER_ABUSE = [
    "p_shouted",
    "p_put_down",
    "p_checked",
    "p_isolated",
    "p_money",
    "p_threats",
    "p_physical",
    "p_sexual",
]
HER_SAFETY = ["p_safe", "p_decisions", "p_friends", "p_children"]


def as_user(office, user):
    from facilitator.services.core.office import Office

    return Office.open(office.path, user)


@pytest.fixture
def programme(office):
    """Adam, Ben and Carl: intake 2026-10-20, G1 from 2026-11-03; Carl completed on 2026-11-17."""
    from facilitator.services.compliance import ending

    enrol_all(office)
    ending.leave_group(
        as_coordinator(office),
        "P0003",
        "completed",
        "2026-11-17",
        decision="covered the rest one to one",
    )
    return office


def states(found) -> set[tuple[str, str, str]]:
    return {(s["participant_id"], s["point"], s["state"]) for s in found}


def test_time_points_fall_due_with_a_fixed_clock(programme, invoke, monkeypatch):
    from facilitator.services.evaluation import outcomes

    outcomes.record_man(programme, "P0001", "intake", {i: 1 for i in HIS_ABUSE}, "2026-10-21")
    due = json.loads(invoke("outcomes", "due", "--json").output)
    # Intake: 2026-10-20 with a six-week window; Carl's end: the day he completed.
    assert [(s["participant_id"], s["point"], s["due_on"], s["until"]) for s in due] == [
        ("P0002", "intake", "2026-10-20", "2026-11-30"),
        ("P0003", "intake", "2026-10-20", "2026-11-30"),
        ("P0003", "end", "2026-11-17", "2026-12-28"),
    ]
    everything = states(json.loads(invoke("outcomes", "due", "--all", "--json").output))
    assert ("P0001", "intake", "done") in everything
    assert ("P0001", "mid", "not yet") in everything  # 12 weeks after 2026-11-03
    assert ("P0003", "follow_up_6m", "not yet") in everything  # for completers only
    assert not any(p == "P0002" and point.startswith("follow_up") for p, point, _ in everything)
    assert not any(
        p == "P0003" and point == "mid" for p, point, _ in everything
    )  # he left before it

    monkeypatch.setenv("FACILITATOR_NOW", "2027-01-27T09:00:00")
    later = states(json.loads(invoke("outcomes", "due", "--all", "--json").output))
    assert ("P0002", "intake", "missed") in later and ("P0001", "mid", "due") in later
    text = invoke("outcomes", "due").output
    assert "P0001" in text and "Mid-programme" in text and "P0003" not in text  # his end was missed


def test_his_answers_are_checked_scored_and_recorded_once(programme, invoke):
    from facilitator.services.evaluation import outcomes

    rec = outcomes.record_man(
        programme,
        "P0002",
        "intake",
        {**{i: "2 to 5 times" for i in HIS_ABUSE[:4]}, "m_physical": "-", "m_responsible": 4},
        "2026-10-22",
    )
    assert rec.answers["m_shouted"] == 2 and "m_physical" not in rec.answers
    assert rec.scores == {
        "abusive_behaviour": 2.0
    }  # half the items answered; one of five is not enough
    with pytest.raises(Refused, match="already has answers for intake"):
        outcomes.record_man(programme, "P0002", "intake", {"m_shouted": 0})
    assert outcomes.record_man(
        programme, "P0002", "intake", {"m_shouted": 0}, replace=True
    ).answers == {"m_shouted": 0}
    with pytest.raises(Refused, match="no end of programme yet"):
        outcomes.record_man(programme, "P0001", "end", {"m_shouted": 0})
    with pytest.raises(InvalidInput, match="not an item"):
        outcomes.record_man(programme, "P0001", "intake", {"p_safe": 1})
    with pytest.raises(InvalidInput, match="is not an answer to m_shouted"):
        outcomes.record_man(programme, "P0001", "intake", {"m_shouted": 7})
    with pytest.raises(Refused, match="in the future"):
        outcomes.record_man(programme, "P0001", "intake", {"m_shouted": 1}, "2026-12-01")

    result = invoke(
        "outcomes",
        "record",
        "P0003",
        "end",
        "--answer",
        "m_shouted=0",
        "--answer",
        "m_put_down=never",
        "--answer",
        "m_checked=1",
        "--answer",
        "m_isolated=0",
        "--date",
        "2026-11-18",
    )
    assert result.exit_code == 0, result.output
    assert (
        "recorded P0003-end (2026-11-18): 4 answers; scores: abusive_behaviour 0.25"
        in result.output
    )
    asked = invoke("outcomes", "record", "P0003", "end")  # no terminal to ask at: say how
    assert (
        asked.exit_code == 2
        and "give the answers with --answer ITEM=VALUE (items: m_shouted" in asked.output
    )
    bad = invoke("outcomes", "record", "P0003", "end", "--answer", "shouted")
    assert bad.exit_code == 2 and "ITEM=VALUE" in bad.output
    # Audited by id and time point only.
    audit = (programme.path / "data" / "audit.jsonl").read_text()
    assert '"P0003-end"' in audit and "m_shouted" not in audit


def test_questions_lists_the_bundled_file_and_a_workspace_copy_wins(programme, invoke):
    listed = invoke("outcomes", "questions")
    assert (
        "m_shouted" in listed.output
        and "follow_up_12m" in listed.output
        and "p_safe" in listed.output
    )
    assert invoke("outcomes", "questions", "--copy-default").exit_code == 0
    own = programme.path / "questionnaires.toml"
    own.write_text(own.read_text().replace('title = "His questionnaire"', 'title = "Our own form"'))
    assert "Our own form" in invoke("outcomes", "questions").output
    own.write_text("[answers.x]\nchoices = ['only one']\n")
    broken = invoke("outcomes", "questions")
    assert (
        broken.exit_code == 2
        and "questionnaire file" in broken.output
        and "two choices" in broken.output
    )


# -- the partner side -----------------------------------------------------------------------------
@pytest.fixture
def partners(programme):
    """Five men, each with one partner on record (Dev and Eli join G1 on 2026-11-03 too)."""
    from facilitator.services.core import people
    from facilitator.services.groupwork import groups
    from facilitator.services.partner import store as partner

    for name in ("Dev Fictional", "Eli Madeup"):
        person = people.add_participant(programme, name, "probation", referred_on="2026-10-01")
        ready_for_group(programme, person.id)
        groups.enrol(programme, "G1", person.id, "2026-11-03")
    pat = as_user(programme, "pat")
    partner.init_store(pat, partner.key_source(PASS))
    store = partner.open_store(pat, partner.key_source(PASS))
    for n, pid in enumerate(("P0001", "P0002", "P0003", "P0004", "P0005")):
        store.add_partner(pid, f"Canary{n} Partnername", phone="07700 900123")
    return store


def her_answers(level: int, safe: int) -> dict:
    return {**{i: level for i in HER_ABUSE}, **{i: safe for i in HER_SAFETY}, "p_afraid": 4 - safe}


def partner_side(summary: dict) -> list:
    return [(p["n"], p["mean"]) for s in summary["scales"] for p in s["points"][:1]]


def test_her_answers_leave_the_store_only_as_aggregates_over_five_partners(
    partners, invoke, monkeypatch
):
    from facilitator.services.evaluation import outcomes

    for n, pid in enumerate(("P0001-PT1", "P0002-PT1", "P0003-PT1", "P0004-PT1")):
        outcomes.record_partner(partners, pid, "intake", her_answers(n, 4 - n), "2026-11-01")
    # Four partners: nothing but "<5", in the service, the CLI and the report.
    assert partner_side(outcomes.partner_summary(partners)) == [("<5", "<5"), ("<5", "<5")]
    monkeypatch.setenv("FACILITATOR_USER", "pat")
    monkeypatch.setenv("FACILITATOR_PARTNER_PASSPHRASE", PASS)
    cli = json.loads(invoke("outcomes", "summary", "--partner", "--json").output)
    assert partner_side(cli) == [("<5", "<5"), ("<5", "<5")]
    report = json.loads(invoke("report", "programme", "--partner", "--format", "json").output)
    assert partner_side(report["outcomes"]["partner"]) == [("<5", "<5"), ("<5", "<5")]

    # The fifth: abuse levels 0, 1, 2, 3, 4 -> mean 2.0; safety 4, 3, 2, 1, 0 (afraid reversed) ->
    # 2.0
    outcomes.record_partner(partners, "P0005-PT1", "intake", her_answers(4, 0), "2026-11-02")
    summary = json.loads(invoke("outcomes", "summary", "--partner", "--json").output)
    assert partner_side(summary) == [(5, 2.0), (5, 2.0)]
    text = json.dumps(summary) + invoke("outcomes", "summary", "--partner").output
    for per_partner in ("P0001", "PT1", "Canary", "p_afraid", "07700"):
        assert per_partner not in text

    # The floor: a setting of 1 still needs three partners.
    from tests.test_evaluation_figures import set_settings

    set_settings(partners.office, outcomes__partner_min_partners=1)
    from facilitator.services.partner import store as partner_service

    store = partner_service.open_store(
        as_user(partners.office, "pat"), partner_service.key_source(PASS)
    )
    assert outcomes.partner_summary(store)["min_count"] == 3


def test_her_answers_never_reach_a_group_side_file_or_report(partners, invoke, monkeypatch):
    from facilitator.services.evaluation import outcomes
    from facilitator.services.partner.store import store_folder

    for n, pid in enumerate(("P0001-PT1", "P0002-PT1", "P0003-PT1", "P0004-PT1", "P0005-PT1")):
        outcomes.record_partner(partners, pid, "intake", her_answers(n % 5, 2), "2026-11-01")
    # The man's report side: figures and summaries built by a coordinator hold nothing of hers.
    report = invoke("--user", "admin", "report", "programme", "--format", "json")
    assert json.loads(report.output)["outcomes"]["partner"] is None
    outside = [
        p
        for p in partners.office.path.rglob("*")
        if p.is_file() and not p.is_relative_to(store_folder(partners.office))
    ]
    assert outside
    for path in outside:
        raw = path.read_bytes()
        for canary in (b"p_afraid", b"p_shouted", b"safety_wellbeing", b"his_behaviour", b"Canary"):
            assert canary not in raw, f"{canary!r} found in {path}"
    # Inside the store, encrypted: not in clear there either.
    for path in store_folder(partners.office).rglob("*.bin"):
        assert b"p_afraid" not in path.read_bytes()
    # And it is there: partner support sees her time points as done.
    assert {s.partner_id for s in outcomes.partner_due(partners, ("done",))} == {
        "P0001-PT1",
        "P0002-PT1",
        "P0003-PT1",
        "P0004-PT1",
        "P0005-PT1",
    }


def test_partner_answers_need_the_role_and_the_passphrase(partners, invoke):
    from facilitator.services.evaluation import outcomes

    refused = invoke(
        "--user",
        "alex",
        "outcomes",
        "record",
        "--partner",
        "P0001-PT1",
        "intake",
        "--answer",
        "p_safe=3",
    )
    assert refused.exit_code == 1 and "may not" in refused.output
    no_pass = invoke("--user", "pat", "outcomes", "summary", "--partner", input="\n")
    assert no_pass.exit_code == 1 and "no passphrase" in no_pass.output
    wrong = invoke("--user", "pat", "outcomes", "due", "--partner", input="not it\n")
    assert wrong.exit_code == 1 and "wrong passphrase" in wrong.output
    ok = invoke(
        "--user",
        "pat",
        "outcomes",
        "record",
        "--partner",
        "P0001-PT1",
        "intake",
        "--answer",
        "p_safe=3",
        "--answer",
        "p_afraid=agree",
        "--answer",
        "p_decisions=2",
        input=PASS + "\n",
    )
    assert ok.exit_code == 0, ok.output
    assert "kept in the partner store only" in ok.output and "p_safe" not in ok.output
    [rec] = outcomes.partner_records(partners)
    # "I am afraid of what he might do" is reversed: agreeing (3) scores 1 for her safety.
    assert rec.answers == {"p_safe": 3, "p_afraid": 3, "p_decisions": 2} and rec.scores == {
        "safety_wellbeing": 2.0
    }
    from facilitator.services.partner import store as partner

    with pytest.raises(AccessDenied):
        partner.open_store(as_user(partners.office, "alex"), partner.key_source(PASS))
