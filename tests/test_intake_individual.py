"""One-to-one sessions: recorded like group ones, counted toward completion by the
rules."""

from __future__ import annotations

import json

import pytest

from facilitator.domain.checkin import CheckIn
from facilitator.errors import InvalidInput
from facilitator.services.groupwork import one_to_one as individual
from tests.conftest import enrol_all


def test_catch_up_counts_toward_completion_when_attended(office):
    enrol_all(office)
    individual.record_individual_session(
        office, "P0001", "catch_up", "present", "2026-11-10", "alex", curriculum_session=2
    )
    individual.record_individual_session(
        office, "P0001", "catch_up", "unexcused", "2026-11-12", "alex", curriculum_session=3
    )
    individual.record_individual_session(office, "P0001", "crisis", "present", "2026-11-13", "bea")
    individual.record_individual_session(
        office, "P0001", "pre_group", "present", "2026-10-01", "bea", curriculum_session=1
    )
    covered = individual.curriculum_covered_one_to_one(office, "P0001")
    assert [(c.curriculum_session, c.date, c.kind) for c in covered] == [
        (2, "2026-11-10", "catch_up")
    ]
    assert individual.sessions_covered_one_to_one(office, "P0001") == [2]
    assert individual.sessions_covered_one_to_one(office, "P0002") == []


def test_which_kinds_count_is_a_setting(office):
    settings = office.ws.read_settings()
    settings["intake"]["one_to_one_counts_toward_completion"] = ["catch_up", "pre_group"]
    with office.stores.writing():
        office.ws.write_settings(settings)
    individual.record_individual_session(
        office, "P0002", "pre_group", "present", "2026-10-01", "bea", curriculum_session=1
    )
    assert individual.sessions_covered_one_to_one(office, "P0002") == [1]


def test_recorded_like_a_group_session(office, invoke):
    enrol_all(office)
    r = invoke(
        "individual",
        "record",
        "P0002",
        "catch_up",
        "--curriculum-session",
        "3",
        "--date",
        "2026-11-20",
        "--attendance",
        "late",
        "--minutes",
        "10",
        "--summary",
        "Went over the missed session on time-out.",
        "--stance",
        "minimising",
        "--homework",
        "done",
    )
    assert r.exit_code == 0, r.output
    assert (
        "recorded P0002-O1: catch_up on 2026-11-20, ◔ late, covered curriculum session 3"
        in r.output
    )
    shown = json.loads(invoke("individual", "show", "P0002-O1", "--json").output)
    assert shown["attendance"]["status"] == "late" and shown["attendance"]["minutes_late"] == 10
    assert shown["checkin"]["stance"] == "minimising" and shown["checkin"]["recorded_by"] == "admin"
    listed = json.loads(invoke("individual", "list", "--participant", "P0002", "--json").output)
    assert [s["id"] for s in listed] == ["P0002-O1"]
    # One-line errors for what a session cannot be.
    for args, code, words in (
        (["P0002", "catch_up"], 2, "needs the curriculum session it covers"),
        (["P0002", "catch_up", "--curriculum-session", "99"], 2, "beyond his group's curriculum"),
        (
            ["P0002", "crisis", "--attendance", "unexcused", "--summary", "x"],
            2,
            "a check-in needs him present",
        ),
        (
            ["P0002", "catch_up", "--curriculum-session", "3", "--date", "2026-11-20"],
            1,
            "already has a catch_up",
        ),
        (["P0009", "crisis"], 2, "no participant with id 'P0009'"),
    ):
        res = invoke("individual", "record", *args)
        assert res.exit_code == code, res.output
        assert len(res.output.strip().splitlines()) == 1 and words in res.output
    missing = invoke("individual", "show", "P0002-O7")
    assert missing.exit_code == 2 and "no one-to-one session" in missing.output


def test_a_crisis_session_can_raise_a_flag(office):
    from facilitator.services.risk import flag_store as risk

    saved = individual.record_individual_session(
        office,
        "P0003",
        "crisis",
        "present",
        "2026-11-24",
        "alex",
        checkin=CheckIn(
            participant_id="P0003",
            disclosed="yes",
            forms=["physical"],
            towards=["partner"],
            summary="Pushed her against the door.",
        ),
        flag_categories=["physical_violence"],
        flag_summary="Disclosed pushing her in a crisis session.",
    )
    assert len(saved.flags) == 1
    flag = risk.get_flag(office, saved.flags[0])
    assert flag.participant_id == "P0003" and flag.categories == ["physical_violence"]
    with pytest.raises(InvalidInput, match="needs its category"):
        individual.record_individual_session(
            office,
            "P0003",
            "crisis",
            "present",
            "2026-11-23",
            flag_summary="words without a category",
        )


def test_unknown_kind_is_refused(office):
    with pytest.raises(InvalidInput, match="unknown one-to-one kind"):
        individual.record_individual_session(office, "P0001", "therapy")
    with pytest.raises(InvalidInput, match="reason for an excused absence"):
        individual.record_individual_session(office, "P0001", "crisis", "excused")


def test_the_risk_scanner_reads_one_to_one_check_ins(office):
    saved = individual.record_individual_session(
        office,
        "P0001",
        "crisis",
        "present",
        "2026-11-24",
        "alex",
        checkin=CheckIn(
            participant_id="P0001", disclosed="yes", summary="He put his hands round her neck."
        ),
    )
    assert saved.indicators == ["strangulation"]
    flagged = individual.record_individual_session(
        office,
        "P0001",
        "crisis",
        "present",
        "2026-11-23",
        "alex",
        checkin=CheckIn(
            participant_id="P0001", disclosed="yes", summary="He put his hands round her neck."
        ),
        flag_categories=["strangulation"],
        flag_summary="Hands round her neck.",
    )
    assert flagged.indicators == [] and len(flagged.flags) == 1
