"""Risk flags through the services: raise, escalate, review, close, the queue, re-assessment."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from facilitator.domain.risk_flag import (
    CLUSTER_OF_THREE,
    MARAC_POTENTIAL,
    MARAC_REPEAT,
    Assessment,
)
from facilitator.errors import InvalidInput, NotFound, Refused
from facilitator.services.core.office import Office
from facilitator.services.risk import assessments as risk_assessments
from facilitator.services.risk import flag_store as risk_flag_store
from facilitator.services.risk import flags as risk
from facilitator.services.risk import settings as risk_settings

NOW = datetime(2026, 11, 24, 18, 0)  # conftest's fixed clock: a Tuesday


def lead(office):
    """The risk lead: reviewing and closing flags is a coordinator's."""
    return Office.open(office.path, "admin")


def data_files(ws):
    return {
        p: p.read_bytes()
        for p in sorted((ws / "data").rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_raise_by_hand_sets_deadline_from_severity(office):
    f = risk.raise_flag(
        office, "p0001", ["physical_violence"], "Pushed her into the wardrobe on Friday."
    )
    assert (f.id, f.participant_id, f.severity, f.source, f.status) == (
        "F0001",
        "P0001",
        "high",
        "hand",
        "open",
    )
    assert f.deadline == "2026-11-25T18:00:00"
    assert f.raised_by == "alex"
    c = risk.raise_flag(
        office, "P0002", ["strangulation", "substance_misuse"], "Hands on her neck."
    )
    assert c.severity == "critical" and c.deadline == "2026-11-24T23:59:59"


def test_deadline_hours_follow_the_workspace_settings(office):
    settings = office.ws.read_settings()
    settings["risk"]["deadline_hours"]["medium"] = 48
    with office.stores.writing():
        office.ws.write_settings(settings)
    f = risk.raise_flag(office, "P0001", ["economic_abuse"], "Took her wages.")
    assert f.deadline == "2026-11-26T18:00:00"


def test_given_severity_is_kept(office):
    f = risk.raise_flag(
        office, "P0001", ["substance_misuse"], "Drinking heavily again.", severity="high"
    )
    assert f.severity == "high"


def test_cluster_of_three_escalates_to_critical(office):
    risk.raise_flag(
        office, "P0001", ["separation"], "She has asked him to leave.", at=NOW - timedelta(days=20)
    )
    risk.raise_flag(
        office, "P0001", ["controlling_behaviour"], "Checks her phone.", at=NOW - timedelta(days=5)
    )
    other = risk.raise_flag(office, "P0002", ["physical_violence"], "Slapped him.")
    third = risk.raise_flag(office, "P0001", ["physical_violence"], "Pushed her.")
    assert third.severity == "critical" and third.escalated_from == "high"
    assert CLUSTER_OF_THREE in third.markers and MARAC_POTENTIAL in third.markers
    assert third.deadline == "2026-11-24T23:59:59"
    assert other.severity == "high" and other.markers == []  # another man's flags do not count


def test_marac_repeat_after_a_referral(office):
    f = risk.raise_flag(
        office, "P0001", ["threats_to_kill"], "Threatened her.", at=NOW - timedelta(days=60)
    )
    risk.review_flag(
        lead(office), f.id, ["marac_referral"], "Referred.", at=NOW - timedelta(days=59)
    )
    risk.close_flag(
        lead(office), f.id, "Heard at MARAC; plan in place.", at=NOW - timedelta(days=30)
    )
    again = risk.raise_flag(office, "P0001", ["substance_misuse"], "Drinking again.")
    assert MARAC_REPEAT in again.markers


def test_review_then_close_moves_through_the_statuses(office):
    f = risk.raise_flag(office, "P0001", ["stalking"], "Waits outside her work.")
    f = risk.review_flag(
        lead(office), f.id, ["partner_support_informed", "referrer_informed"], "Both told today."
    )
    assert f.status == "in_review" and f.actions_taken == [
        "partner_support_informed",
        "referrer_informed",
    ]
    f = risk.close_flag(lead(office), f.id, "Probation added an exclusion zone.")
    assert f.status == "closed" and f.closed_by == "admin"
    again = risk_flag_store.get_flag(office, f.id)
    assert again.status == "closed" and again.outcome == "Probation added an exclusion zone."
    assert [x.id for x in risk.list_flags(office, "closed")] == [f.id]
    assert risk.list_flags(office, "open") == []
    with pytest.raises(Refused):
        risk.review_flag(lead(office), f.id, ["police_informed"], "late")


def test_critical_nfa_close_needs_a_written_reason(office):
    f = risk.raise_flag(office, "P0001", ["weapons"], "Mentioned a knife.")
    risk.review_flag(
        lead(office), f.id, ["no_further_action"], "It was a kitchen knife he was using to cook."
    )
    before = data_files(office.path)
    with pytest.raises(Refused, match="written reason"):
        risk.close_flag(lead(office), f.id, "NFA")
    assert data_files(office.path) == before
    risk.close_flag(
        lead(office), f.id, "He described cooking dinner; nothing suggests a threat to anyone."
    )


def test_list_filters_and_queue_counts(office):
    old = risk.raise_flag(
        office, "P0001", ["strangulation"], "Hand on her neck.", at=NOW - timedelta(days=2)
    )
    soon = risk.raise_flag(office, "P0002", ["stalking"], "Follows her.")
    med = risk.raise_flag(office, "P0003", ["economic_abuse"], "Controls her money.")
    assert [f.id for f in risk.list_flags(office, "open")] == [old.id, soon.id, med.id]
    assert [f.id for f in risk.list_flags(office, "overdue")] == [old.id]
    assert risk.queue_counts(office) == {"open": 3, "overdue": 1, "critical": 1}
    with pytest.raises(InvalidInput, match="unknown flag list status"):
        risk.list_flags(office, "pending")


def test_flags_are_kept_in_small_files(office):
    f = risk.raise_flag(office, "P0001", ["stalking"], "Follows her.")
    risk.review_flag(lead(office), f.id, ["police_informed"], "Told.")
    risk.close_flag(lead(office), f.id, "Done.")
    risk.raise_flag(office, "P0002", ["stalking"], "Follows her.")
    closed = json.loads((office.path / "data/risk/closed/2026-11.json").read_text())
    live = json.loads((office.path / "data/risk/open.json").read_text())
    his = json.loads((office.path / "data/risk/men/P0001.json").read_text())
    assert [d["id"] for d in closed["flags"].values()] == [f.id]
    assert [d["id"] for d in live["flags"].values()] == ["F0002"]
    assert [(d["id"], d["categories"]) for d in his["flags"].values()] == [(f.id, ["stalking"])]


def test_a_close_that_fails_half_way_writes_nothing_and_can_be_done_again(office, monkeypatch):
    from facilitator.storage import stores

    f = risk.raise_flag(office, "P0001", ["stalking"], "Follows her.")
    risk.review_flag(lead(office), f.id, ["police_informed"], "Told.")
    before = data_files(office.path)
    real = stores.Stores.store
    calls = []

    def failing(self, relative, kind, write=False):
        if write and relative.startswith("risk/closed/"):
            calls.append(relative)
            raise OSError("disk full")
        return real(self, relative, kind, write)

    monkeypatch.setattr(stores.Stores, "store", failing)
    with pytest.raises(OSError):
        risk.close_flag(lead(office), f.id, "Done.")
    monkeypatch.setattr(stores.Stores, "store", real)
    assert calls  # the failure came after open.json was changed, before the closed file
    assert risk_flag_store.get_flag(office, f.id).status == "in_review"
    assert data_files(office.path) == before
    risk.close_flag(lead(office), f.id, "Done.")
    assert risk_flag_store.get_flag(office, f.id).status == "closed"
    assert [x.id for x in risk.list_flags(office, "closed")] == [f.id]
    assert risk.list_flags(office, "open") == [] and risk.queue_counts(office)["open"] == 0


def test_bad_input_changes_nothing(office):
    before = data_files(office.path)
    with pytest.raises(InvalidInput, match="unknown risk category 'hitting'"):
        risk.raise_flag(office, "P0001", ["hitting"], "x")
    with pytest.raises(NotFound):
        risk.raise_flag(office, "P0099", ["stalking"], "x")
    with pytest.raises(NotFound):
        risk.review_flag(lead(office), "F0042", ["police_informed"], "x")
    with pytest.raises(NotFound):
        risk.close_flag(lead(office), "F0042", "x")
    with pytest.raises(InvalidInput):
        risk.raise_flag(office, "P0001", ["stalking"], "   ")
    with pytest.raises(InvalidInput):
        risk.raise_flag(office, "P0001", ["stalking"], "x", severity="urgent")
    assert data_files(office.path) == before


def test_every_step_is_audited_without_content(office):
    f = risk.raise_flag(office, "P0001", ["stalking"], "Waits outside the school gates.")
    risk.review_flag(lead(office), f.id, ["police_informed"], "Officer Quigley told by phone.")
    risk.close_flag(lead(office), f.id, "Exclusion zone granted.")
    entries = [
        json.loads(line) for line in (office.path / "data/audit.jsonl").read_text().splitlines()
    ]
    mine = [(e["action"], e["kind"], e["id"]) for e in entries if e["kind"] == "risk_flag"]
    assert mine == [
        ("raise", "risk_flag", f.id),
        ("review", "risk_flag", f.id),
        ("close", "risk_flag", f.id),
    ]
    text = (office.path / "data/audit.jsonl").read_text()
    for words in ("school gates", "Quigley", "Exclusion zone"):
        assert words not in text


# -- re-assessment -------------------------------------------------------------------------
def test_reassessment_due_after_the_interval_or_a_new_flag(office):
    risk_assessments.record_assessment(office, "P0001", "2026-09-01", "medium")  # 12 weeks ago
    risk_assessments.record_assessment(office, "P0002", "2026-11-10", "standard")  # 2 weeks ago
    risk_assessments.record_assessment(office, "P0003", "2026-11-10", "high")
    risk.raise_flag(office, "P0003", ["stalking"], "Follows her.")
    due = {d.participant_id: d for d in risk_assessments.reassessment_due(office)}
    assert set(due) == {"P0001", "P0003"}
    assert due["P0001"].due_on == "2026-10-27" and "interval" in due["P0001"].reasons[0]
    assert "new flag since: F0001" in due["P0003"].reasons
    risk_assessments.record_assessment(office, "P0001", "2026-11-24", "medium")
    assert "P0001" not in {d.participant_id for d in risk_assessments.reassessment_due(office)}


def test_a_flag_raised_later_on_the_day_of_the_assessment_makes_one_due(office, monkeypatch):
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T10:00:00")
    risk_assessments.record_assessment(office, "P0001", None, "medium")
    risk_assessments.record_assessment(office, "P0002", None, "medium")
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T19:30:00")  # that evening's group
    risk.raise_flag(office, "P0001", ["threats_to_kill"], "Said she will not see Christmas.")
    due = {d.participant_id: d for d in risk_assessments.reassessment_due(office)}
    assert "new flag since: F0001" in due["P0001"].reasons
    assert "P0002" not in due


def test_a_flag_raised_before_the_assessment_that_day_was_weighed_by_it(office, monkeypatch):
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T09:00:00")
    risk.raise_flag(office, "P0001", ["stalking"], "Waits outside her work.")
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T15:00:00")
    risk_assessments.record_assessment(office, "P0001", None, "high")
    assert "P0001" not in {d.participant_id for d in risk_assessments.reassessment_due(office)}


def test_a_same_day_flag_counts_when_the_time_of_the_assessment_is_not_known():
    """Assessments kept before their time was recorded: a flag that day is taken as after."""
    old = Assessment(participant_id="P0001", date="2026-11-24", level="medium")
    assert old.predates("2026-11-24T08:00:00")
    assert not old.predates("2026-11-23T23:59:00")
    backdated = Assessment(
        participant_id="P0001", date="2026-11-20", level="high", recorded_at="2026-11-24T12:00"
    )
    assert backdated.predates("2026-11-20T18:00:00")  # recorded days later: the day is unsure


def test_never_assessed_is_due_and_the_interval_is_a_setting(office):
    due = risk_assessments.reassessment_due(office)
    assert [d.reasons for d in due] == [["no risk assessment recorded"]] * 3
    risk_assessments.record_assessment(office, "P0001", "2026-11-01", "standard")
    settings = office.ws.read_settings()
    settings["risk"]["reassessment_weeks"] = 2
    with office.stores.writing():
        office.ws.write_settings(settings)
    assert "P0001" in {d.participant_id for d in risk_assessments.reassessment_due(office)}


def test_assessment_level_is_checked(office):
    with pytest.raises(InvalidInput, match="risk assessment level"):
        risk_assessments.record_assessment(office, "P0001", "2026-11-01", "extreme")


def test_category_severities_follow_the_settings(office):
    settings = office.ws.read_settings()
    settings["risk"]["severity"] = {"animal_harm": "high"}
    with office.stores.writing():
        office.ws.write_settings(settings)
    assert risk_settings.category_severities(office)["animal_harm"] == "high"
    f = risk.raise_flag(office, "P0001", ["animal_harm"], "Kicked the dog in front of her.")
    assert f.severity == "high" and f.deadline == "2026-11-25T18:00:00"


# -- who decides -----------------------------------------------------------------------------
def test_a_facilitator_raises_but_cannot_review_or_close_a_flag(office, invoke):
    f = risk.raise_flag(office, "P0001", ["threats_to_kill"], "Said she would not see spring.")
    review = invoke(
        "--user", "alex", "risk", "review", f.id, "--action", "no_further_action", "--note", "x"
    )
    assert review.exit_code == 1 and "alex (facilitator) may not review a risk flag" in (
        review.output
    )
    risk.review_flag(lead(office), f.id, ["police_informed"], "Police told.")
    close = invoke("--user", "alex", "risk", "close", f.id, "--outcome", "Police dealt with it.")
    assert close.exit_code == 1 and "may not close a risk flag" in close.output
    assert risk_flag_store.get_flag(office, f.id).status == "in_review"
    refused = [
        json.loads(line)
        for line in (office.path / "data/audit.jsonl").read_text().splitlines()
        if '"refused"' in line
    ]
    assert [(e["user"], e["id"]) for e in refused] == [
        ("alex", "review a risk flag"),
        ("alex", "close a risk flag"),
    ]


def test_a_critical_flag_can_need_a_second_person_to_close_it(office):
    settings = office.ws.read_settings()
    settings["risk"]["critical_close_by_another"] = True
    settings["risk"]["review_roles"] = ["coordinator", "facilitator"]
    with office.stores.writing():
        office.ws.write_settings(settings)
    f = risk.raise_flag(office, "P0001", ["strangulation"], "Hands on her neck last week.")
    risk.review_flag(office, f.id, ["police_informed", "marac_referral"], "Police, MARAC.")
    with pytest.raises(Refused, match="reviewed it alone"):
        risk.close_flag(office, f.id, "MARAC plan in place.")
    closed = risk.close_flag(lead(office), f.id, "MARAC plan in place.")
    assert closed.closed_by == "admin" and [r.by for r in closed.review_list] == ["alex"]
    last = json.loads((office.path / "data/audit.jsonl").read_text().splitlines()[-1])
    assert (last["action"], last["reviewed_by"]) == ("close", "alex")
