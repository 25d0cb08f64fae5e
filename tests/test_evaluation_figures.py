"""Programme figures against a small workspace worked by hand.

The workspace is built through the services with the clock pinned at each step. The period is
2026-10-01 to 2026-11-24 (the fixed "now" is 2026-11-24 18:00). Who does what:

    P0001 Adam  court, referred 11-24; intake 10-20 suitable; G1 from 11-03, transferred to G2
                on 11-10, G2 from 11-12 (a move, not a start); assessed 10-20, again 11-20
    P0002 Ben   court, referred 11-24; intake 10-20; G1 11-03, left 11-17 "suspended" (status
                reason "5th unexcused absence"); assessed 10-20
    P0003 Carl  court, referred 11-24; intake 10-20; G1 11-03, left 11-24 "completed"; assessed
                10-20, again 11-16
    P0004 Dev   self, referred 09-15 (before the period); intake 09-20; G1 11-03, left 11-17
                "exited: moved away"; assessed 09-20, again 10-15
    P0005 Eli   probation, referred 10-10; intake 10-12, not suitable 10-15 (acute mental illness)

Attendance (late or leaving early by 30 minutes or more counts as an unexcused absence):
    G1 11-03  Adam present, Ben late 10, Carl excused, Dev present
    G1 11-10  Ben unexcused, Carl not marked, Dev late 45
    G1 11-17  Carl present
    G2 11-12  Adam present
    G2 11-19  Adam left early, missed 40
  -> 5 sessions; attended 5 (Adam x2, Ben, Dev, Carl); excused 1; unexcused 3 (Ben, Dev late 45,
     Adam left early 40); not marked 1; rate 5 / (5 + 3) = 62.5 %

Flags (high: 24 working hours; critical: the same day; medium: 168 hours):
    F Ben  physical_violence  high      Tue 11-10 20:00, due Wed 11-11 20:00, reviewed 11-11 10:00
                                        (14 h, on time)
    F Carl strangulation      critical  Tue 11-17 19:00, due 11-17 23:59, reviewed 11-18 09:00
                                        (14 h, late)
    F Dev  controlling + separation (high) Fri 11-20 12:00, due Mon 11-23 12:00, no review
                                        (overdue now)
    F Adam substance_misuse   medium    Tue 11-24 10:00, due 12-01 (awaiting)
    F Dev  stalking                     09-10: before the period
  -> 4 raised; critical 1, high 2, medium 1; median to first review 14 h; within 1, late 1,
     overdue 1, awaiting 1; within the deadline 1 / 3 = 33.3 %

Re-assessments every 4 weeks (setting), counted only while he is in a group:
    Adam 10-20 -> due 11-17 (in G2), done 11-20: late
    Ben  10-20 -> due 11-17: he left G1 that day, not counted
    Carl 10-20 -> due 11-17, done 11-16: on time
    Dev  09-20 -> due 10-18: not yet in a group; 10-15 -> due 11-12 (in G1), never done: not done
  -> 3 fell due; 1 on time, 1 late, 1 not done; 33.3 %

Debriefs (due 48 hours after the session, closed at 21:00): G1 11-03 signed by both 11-04 (on
time); G1 11-10 signed 11-14 (late); G1 11-17, G2 11-12, G2 11-19 not signed -> 5 due, 20 %.

His questionnaire (abusive behaviour 0-4 lower better; taking responsibility 0-4 higher better,
"my partner's behaviour is the cause" reversed; a scale needs half its items answered):
    Adam intake: abuse all 2 -> 2.0; responsibility 1,1,1,1 and blame 3 (-> 1) -> 1.0
    Ben  intake: abuse 4 of 8 items, all 4 -> 4.0; responsibility 2 of 5 items -> no score
    Carl intake: abuse all 3 -> 3.0; responsibility all 2 -> 2.0
    Carl end:    abuse all 1 -> 1.0; responsibility 3s, blame 1 (-> 3) -> 3.0
  -> abuse: intake n 3 mean 3.0; end n 1 mean 1.0; intake->end n 1, change -2.0, improved 100 %
     responsibility: intake n 2 mean 1.5; end n 1 mean 3.0; change +1.0, improved 100 %
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.conftest import as_coordinator, ready_for_group

PERIOD = ("2026-10-01", "2026-11-24")
ABUSE = [
    "m_shouted",
    "m_put_down",
    "m_checked",
    "m_isolated",
    "m_money",
    "m_threats",
    "m_physical",
    "m_damage",
]
RESP = ["m_responsible", "m_signs", "m_timeout", "m_children"]


def as_user(office, user):
    from facilitator.services.core.office import Office

    return Office.open(office.path, user)


def set_settings(office, **values):
    """section__key=value, e.g. figures__min_count=1."""
    with office.stores.writing():
        settings = office.ws.read_settings()
        for dotted, value in values.items():
            section, key = dotted.split("__")
            settings[section][key] = value
        office.ws.write_settings(settings)


@pytest.fixture
def at(monkeypatch):
    def _at(when: str):
        monkeypatch.setenv("FACILITATOR_NOW", when)

    return _at


@pytest.fixture
def worked(office, at):
    from facilitator.services.compliance import ending
    from facilitator.services.core import people
    from facilitator.services.debrief import notes as debrief
    from facilitator.services.debrief.indicators import Decision
    from facilitator.services.evaluation import outcomes, staff_quality
    from facilitator.services.groupwork import groups, sessions
    from facilitator.services.intake import assessment as intake
    from facilitator.services.risk import assessments as risk_assessments
    from facilitator.services.risk import flags as risk

    set_settings(office, risk__reassessment_weeks=4)
    admin = as_user(office, "admin")
    at("2026-09-15T10:00:00")
    people.add_participant(office, "Dev Fictional", "self", referred_on="2026-09-15")
    people.add_participant(office, "Eli Madeup", "probation", referred_on="2026-10-10")
    for pid in ("P0001", "P0002", "P0003"):
        ready_for_group(office, pid, "2026-10-20")
    ready_for_group(office, "P0004", "2026-09-20")
    intake.start_intake(office, "P0005", started_on="2026-10-12")
    intake.decide(office, "P0005", "not_suitable", ["acute_mental_illness"], "2026-10-15")
    groups.create_group(
        office,
        "Thursday group",
        "core-24",
        "thursday",
        "18:30",
        ["alex", "bea"],
        start_date="2026-11-05",
        group_id="G2",
    )
    for pid in ("P0001", "P0002", "P0003", "P0004"):
        groups.enrol(office, "G1", pid, "2026-11-03")

    def held(group, day, marks, before=None):
        at(f"{day}T18:30:00")
        if before:
            before()
        s = sessions.start_session(office, group, day)
        for pid, status, extra in marks:
            sessions.mark_attendance(office, s.id, pid, status, **extra)
        at(f"{day}T21:00:00")
        sessions.close_session(office, s.id, force=True)

    held(
        "G1",
        "2026-11-03",
        [
            ("P0001", "present", {}),
            ("P0002", "late", {"minutes_late": 10}),
            ("P0003", "excused", {"reason": "court hearing"}),
            ("P0004", "present", {}),
        ],
    )
    groups.leave_group(office, "P0001", "transferred to the Thursday group", "2026-11-10")
    held("G1", "2026-11-10", [("P0002", "unexcused", {}), ("P0004", "late", {"minutes_late": 45})])
    groups.enrol(office, "G2", "P0001", "2026-11-12")
    held("G2", "2026-11-12", [("P0001", "present", {})])
    groups.end_programme(office, "P0002", "suspended", "5th unexcused absence", "2026-11-17")
    groups.leave_group(office, "P0004", "exited: moved away", "2026-11-17")
    held("G1", "2026-11-17", [("P0003", "present", {})])
    held("G2", "2026-11-19", [("P0001", "left_early", {"minutes_missed": 40})])
    at("2026-11-24T12:00:00")
    ending.end_programme(
        as_coordinator(office),
        "P0003",
        "completed",
        "",
        "2026-11-24",
        decision="covered the rest one to one",
    )

    def flag(pid, cats, when, severity=None):
        return risk.raise_flag(
            office,
            pid,
            cats,
            "Said in the group.",
            severity=severity,
            at=datetime.fromisoformat(when),
        )

    flag("P0004", ["stalking"], "2026-09-10T12:00:00")
    f1 = flag("P0002", ["physical_violence"], "2026-11-10T20:00:00")
    risk.review_flag(
        admin, f1.id, ["partner_support_informed"], at=datetime.fromisoformat("2026-11-11T10:00:00")
    )
    f2 = flag("P0003", ["strangulation"], "2026-11-17T19:00:00")
    risk.review_flag(
        admin, f2.id, ["marac_referral"], at=datetime.fromisoformat("2026-11-18T09:00:00")
    )
    flag("P0004", ["controlling_behaviour", "separation"], "2026-11-20T12:00:00")
    flag("P0001", ["substance_misuse"], "2026-11-24T10:00:00")

    risk_assessments.record_assessment(office, "P0004", "2026-10-15", "standard")
    risk_assessments.record_assessment(office, "P0003", "2026-11-16", "standard")
    risk_assessments.record_assessment(office, "P0001", "2026-11-20", "standard")

    def sign(sid, day):
        at(f"{day}T09:00:00")
        note = debrief.create_note(office, sid)
        body = note.body.replace(
            "## Group process\n", "## Group process\n\nA settled group; good work.\n"
        )
        debrief.save_body(as_user(office, "alex"), sid, body)
        # The curriculum's own words may read as an indicator: not a disclosure.
        words = [Decision.dismiss("all", "words from the curriculum session's title")]
        debrief.sign_note(as_user(office, "alex"), sid, words)
        debrief.sign_note(as_user(office, "bea"), sid, words)

    sign("G1-2026-11-03", "2026-11-04")
    sign("G1-2026-11-10", "2026-11-14")

    at("2026-11-24T12:00:00")
    outcomes.record_man(
        office,
        "P0001",
        "intake",
        {**{i: 2 for i in ABUSE}, **{i: 1 for i in RESP}, "m_blame": 3},
        "2026-10-21",
    )
    outcomes.record_man(
        office,
        "P0002",
        "intake",
        {**{i: 4 for i in ABUSE[:4]}, "m_responsible": 4, "m_blame": 0},
        "2026-10-22",
    )
    outcomes.record_man(
        office,
        "P0003",
        "intake",
        {**{i: 3 for i in ABUSE}, **{i: 2 for i in RESP}, "m_blame": 2},
        "2026-10-23",
    )
    outcomes.record_man(
        office,
        "P0003",
        "end",
        {**{i: 1 for i in ABUSE}, **{i: 3 for i in RESP}, "m_blame": 1},
        "2026-11-24",
    )

    staff_quality.add_training(admin, "alex", "core", 30, "2026-01-10", "Core training")
    staff_quality.add_training(admin, "bea", "core", 20, "2026-10-05", "Core training, part 1")
    staff_quality.add_supervision(admin, "alex", "admin", "2026-11-01")
    staff_quality.add_supervision(admin, "bea", "admin", "2026-09-01")
    at("2026-11-24T18:00:00")
    return as_user(office, "admin")


def test_figures_match_the_hand_worked_workspace(worked):
    from facilitator.services.evaluation.figures import programme_figures

    set_settings(worked, figures__min_count=1)  # nothing suppressed: every number checked
    f = programme_figures(as_user(worked, "admin"), *PERIOD)

    assert f["period"] == {"from": "2026-10-01", "to": "2026-11-24", "by": "month"}
    assert f["referrals"] == {"total": 4, "by_source": {"court": 3, "probation": 1}}
    assert f["intakes"] == {
        "started": 4,
        "decisions": {"suitable": 3, "not_suitable": 1},
        "reasons_not_suitable_or_excluded": {"acute_mental_illness": 1},
    }
    assert (f["starts"], f["completions"]) == (4, 1)
    assert f["drop_outs"] == {
        "total": 2,
        "by_kind": {"exited": 1, "suspended": 1},
        "by_reason": {"moved away": 1, "5th unexcused absence": 1},
    }
    a = f["attendance"]
    assert (a["sessions_held"], a["attended"], a["excused"], a["unexcused"], a["not_marked"]) == (
        5,
        5,
        1,
        3,
        1,
    )
    assert a["rate_percent"] == 62.5 and a["minimum_percent"] == 80

    fl = f["flags"]
    assert fl["raised"] == 4
    assert fl["by_severity"] == {"critical": 1, "high": 2, "medium": 1}
    assert fl["by_category"] == {
        "physical_violence": 1,
        "strangulation": 1,
        "controlling_behaviour": 1,
        "separation": 1,
        "substance_misuse": 1,
    }
    assert fl["by_source"] == {"hand": 4}
    assert fl["median_hours_to_first_review"] == 14.0
    assert (
        fl["first_review_on_time"],
        fl["first_review_late"],
        fl["overdue_unreviewed_now"],
        fl["awaiting_review_not_yet_due"],
    ) == (1, 1, 1, 1)
    assert fl["reviewed_on_time_percent"] == 33.3

    assert f["reassessments"] == {
        "fell_due": 3,
        "on_time": 1,
        "late": 1,
        "not_done": 1,
        "on_time_percent": 33.3,
        "interval_weeks": 4,
    }
    assert f["debriefs"] == {
        "due": 5,
        "signed_on_time": 1,
        "signed_late": 1,
        "not_signed": 3,
        "on_time_percent": 20.0,
        "due_hours": 48.0,
    }

    man = f["outcomes"]["man"]
    assert man["answered"] == {
        "intake": 3,
        "mid": 0,
        "end": 1,
        "follow_up_6m": 0,
        "follow_up_12m": 0,
    }
    abuse, resp = man["scales"]
    assert [(p["point"], p["n"], p["mean"]) for p in abuse["points"][:3]] == [
        ("intake", 3, 3.0),
        ("mid", 0, None),
        ("end", 1, 1.0),
    ]
    assert abuse["change"][1] | {"label": ""} == {
        "from": "intake",
        "to": "end",
        "label": "",
        "n": 1,
        "mean_change": -2.0,
        "improved_percent": 100.0,
    }
    assert [(p["n"], p["mean"]) for p in resp["points"][:3]] == [(2, 1.5), (0, None), (1, 3.0)]
    assert (resp["change"][1]["mean_change"], resp["change"][1]["improved_percent"]) == (1.0, 100.0)
    assert f["outcomes"]["partner"] is None  # only with an opened partner store

    s = f["series"]
    assert s["labels"] == ["2026-10", "2026-11"]
    assert (s["referrals"], s["starts"], s["completions"], s["drop_outs"], s["flags"]) == (
        [1, 3],
        [0, 4],
        [0, 1],
        [0, 2],
        [0, 4],
    )
    assert s["attendance_rate"] == [None, 62.5]

    assert f["staff"] | {"core_training_hours": 0} == {
        "supervised_staff": 3,
        "supervision_within_interval": 1,
        "core_training_complete": 1,
        "refresher_due": 0,
        "supervision_sessions": 1,
        "training_hours": 20.0,
        "supervision_interval_weeks": 6,
        "core_training_hours": 0,
    }


COUNTS_ONLY_SKIP = {
    "period",
    "generated_at",
    "min_count",
    "programme",
    "rate_percent",
    "minimum_percent",
    "median_hours_to_first_review",
    "reviewed_on_time_percent",
    "on_time_percent",
    "interval_weeks",
    "due_hours",
    "mean",
    "mean_change",
    "improved_percent",
    "range",
    "staff",
    "attendance_rate",
    "labels",
    "better",
    "title",
    "label",
    "point",
    "from",
    "to",
    "id",
    "questionnaire",
    "respondent",
}


def small_counts(node, path="") -> list[str]:
    """Every count from 1 to 4 anywhere in the figures (staff, rates, means and scores aside)."""
    found = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in COUNTS_ONLY_SKIP:
                found += small_counts(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += small_counts(v, f"{path}[{i}]")
    elif isinstance(node, int) and not isinstance(node, bool) and 0 < node < 5:
        found.append(f"{path}={node}")
    return found


def test_default_threshold_suppresses_every_small_count(worked, invoke):
    result = invoke(
        "--user",
        "admin",
        "report",
        "programme",
        "--from",
        PERIOD[0],
        "--to",
        PERIOD[1],
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    f = json.loads(result.output)
    assert f["min_count"] == 5
    assert small_counts(f) == []
    assert f["referrals"] == {"total": "<5", "by_source": {"other": "<5"}}
    assert f["attendance"]["attended"] == 5 and f["attendance"]["excused"] == "<5"
    # Rates, medians and means that would give a small count away are withheld too.
    assert f["attendance"]["rate_percent"] == "<5"
    assert f["flags"]["median_hours_to_first_review"] == "<5"
    assert f["outcomes"]["man"]["scales"][0]["points"][0]["mean"] == "<5"
    # Flags by severity add up to "raised": a lone small one would be found by subtraction.
    assert f["flags"]["by_severity"] == {"critical": "<5", "high": "<5", "medium": "<5"}


def test_a_lone_small_cell_takes_another_with_it():
    from facilitator.domain import figures

    assert figures.series([7, 2, 0, 9], 5) == [figures.WITHHELD, "<5", 0, 9]
    assert figures.series([7, 2, 3, 9], 5) == [7, "<5", "<5", 9]
    assert figures.breakdown({"a": 9, "b": 6, "c": 1}, 5) == {"a": 9, "other": 7}
    assert figures.breakdown({"a": 9, "c": 1}, 5, total_shown=False) == {"a": 9, "other": "<5"}
    assert (
        figures.rate(9, 10, 5) == "<5"
        and figures.rate(10, 15, 5) == 66.7
        and figures.rate(0, 0, 5) is None
    )


def test_report_command_refuses_a_facilitator_and_writes_markdown(worked, invoke, tmp_path):
    refused = invoke("--user", "alex", "report", "programme")
    assert refused.exit_code == 1 and "may not produce programme figures" in refused.output
    out = tmp_path / "figures.md"
    result = invoke(
        "--user",
        "admin",
        "report",
        "programme",
        "--from",
        PERIOD[0],
        "--to",
        PERIOD[1],
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith("# Test Programme: programme figures 2026-10-01 to 2026-11-24")
    assert "| attended | 5 |" in text and "| excused absences | <5 |" in text
    # No man is named, nor any of his ids.
    for word in ("Adam", "Example", "P0001", "P0004", "Dev Fictional"):
        assert word not in text
