"""Staff training and supervision: records, who may keep them, and the warning when a
facilitator has gone without supervision past the set interval (fixed clock: 2026-11-24)."""

from __future__ import annotations

import json

import pytest

from facilitator.errors import AccessDenied, InvalidInput, Refused


def as_user(office, user):
    from facilitator.services.core.office import Office

    return Office.open(office.path, user)


@pytest.fixture
def staffed(office):
    from facilitator.services.evaluation import staff_quality as sq

    admin = as_user(office, "admin")
    sq.add_training(admin, "alex", "core", 20, "2025-09-01", "Core training, part 1")
    sq.add_training(admin, "alex", "core", 12.5, "2025-10-01", "Core training, part 2")
    sq.add_training(admin, "alex", "refresher", 6, "2026-09-01")
    sq.add_training(admin, "bea", "core", 30, "2025-06-01")
    sq.add_supervision(admin, "alex", "admin", "2026-11-10")
    sq.add_supervision(admin, "bea", "External Supervisor Name", "2026-10-12", "external", 90)
    return admin


def test_supervision_due_names_who_went_past_the_interval(staffed):
    from facilitator.services.evaluation.staff_quality import supervision_due

    # Six weeks by default: bea was last supervised 2026-10-12, due by 2026-11-23; pat never.
    found = {d.staff_id: d for d in supervision_due(staffed)}
    assert set(found) == {"bea", "pat"}
    assert (
        found["bea"].text == "Bea Facilitator: no supervision since 2026-10-12 (due by 2026-11-23)"
    )
    assert found["pat"].text == "Pat Partnerworker: no supervision recorded"
    # The same day a week earlier, bea was still within it.
    assert found["bea"].due_on == "2026-11-23"


def test_staff_due_shows_training_hours_and_refreshers(staffed, invoke):
    rows = {
        r["staff_id"]: r
        for r in json.loads(invoke("--user", "admin", "staff", "due", "--all", "--json").output)
    }
    assert rows["alex"]["core_hours"] == 32.5 and rows["alex"]["problems"] == []
    assert rows["alex"]["refresher_due_on"] == "2027-09-01"
    # bea: no refresher since core training ended 2025-06-01 (twelve months): due since 2026-06-01.
    assert rows["bea"]["problems"] == [
        "supervision: none since 2026-10-12 (due by 2026-11-23, every 6 weeks)",
        "refresher training: due since 2026-06-01",
    ]
    assert rows["pat"]["problems"] == ["supervision: none recorded", "core training: 0 of 30 hours"]
    assert rows["admin"]["supervised"] is False and rows["admin"]["problems"] == []
    text = invoke("--user", "admin", "staff", "due").output
    assert "bea" in text and "pat" in text and "alex " not in text


def test_only_coordinators_record_and_see_everyone(staffed, invoke):
    from facilitator.services.evaluation import staff_quality as sq

    with pytest.raises(AccessDenied):
        sq.add_supervision(as_user(staffed, "alex"), "bea", "alex")
    assert [r.staff_id for r in sq.list_supervision(as_user(staffed, "alex"))] == ["alex"]
    with pytest.raises(AccessDenied):
        sq.list_training(as_user(staffed, "alex"), "bea")
    with pytest.raises(Refused, match="supervising themselves"):
        sq.add_supervision(staffed, "alex", "alex")
    with pytest.raises(InvalidInput, match="training kind"):
        sq.add_training(staffed, "alex", "knitting", 2)
    with pytest.raises(InvalidInput, match="out of range"):
        sq.add_training(staffed, "alex", "core", 0)
    with pytest.raises(Refused, match="in the future"):
        sq.add_supervision(staffed, "alex", "admin", "2026-12-01")

    added = invoke(
        "--user",
        "admin",
        "staff",
        "supervision",
        "add",
        "pat",
        "--supervisor",
        "admin",
        "--date",
        "2026-11-20",
        "--kind",
        "group",
        "--minutes",
        "75",
    )
    assert (
        added.exit_code == 0
        and "recorded pat-S1: pat supervised by admin on 2026-11-20 (group, 75 min)" in added.output
    )
    listed = invoke("--user", "admin", "staff", "supervision", "list", "--staff", "pat")
    assert "pat-S1" in listed.output and "75" in listed.output
    trained = invoke(
        "--user",
        "admin",
        "staff",
        "training",
        "add",
        "pat",
        "--kind",
        "core",
        "--hours",
        "30",
        "--date",
        "2026-01-05",
        "--title",
        "Core partner support training",
    )
    assert trained.exit_code == 0 and "pat-T1" in trained.output
    assert "pat" not in invoke("--user", "admin", "staff", "due").output
    refused = invoke(
        "--user", "alex", "staff", "training", "add", "bea", "--kind", "core", "--hours", "3"
    )
    assert refused.exit_code == 1 and "may not record staff training" in refused.output


def test_supervision_interval_and_roles_are_settings(staffed):
    from facilitator.services.evaluation.staff_quality import supervision_due
    from tests.test_evaluation_figures import set_settings

    set_settings(
        staffed, quality__supervision_interval_weeks=2, quality__supervised_roles=["facilitator"]
    )
    # Two weeks: alex (2026-11-10) is due by 2026-11-24, still within it today; bea is not.
    assert [d.staff_id for d in supervision_due(as_user(staffed, "admin"))] == ["bea"]
