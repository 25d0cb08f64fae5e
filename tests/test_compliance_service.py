"""Compliance in a workspace: breach → notify-referrer task with its deadline, order limits,
`compliance due/notify/status`, `participant limits` and `participant show`."""

from __future__ import annotations

import json
import re

import pytest
from conftest import enrol_all

from facilitator.errors import AccessDenied, Refused
from facilitator.services.compliance import status as compliance
from facilitator.services.core.office import Office
from facilitator.services.groupwork import sessions


def run_weeks(office, weeks: dict[str, dict[str, str]]) -> None:
    """weeks: date -> {participant id: status}; every session closed afterwards."""
    for day, marks in weeks.items():
        s = sessions.start_session(office, "G1", day, reason="rescheduled for the venue")
        for pid, status in marks.items():
            sessions.mark_attendance(
                office, s.id, pid, status, reason="court hearing" if status == "excused" else ""
            )
        sessions.close_session(office, s.id, force=True)


@pytest.fixture
def coordinator(office):
    return Office.open(office.path, "admin")


@pytest.fixture
def history(office, coordinator):
    """P0001 has a court order allowing one unexcused absence; P0002 has the same marks and none."""
    enrol_all(office)
    compliance.set_order_limits(
        coordinator, "P0001", order="Crown Court order 7/2026", unexcused_absences_allowed=1
    )
    same = {"P0001": "unexcused", "P0002": "unexcused", "P0003": "present"}
    run_weeks(
        office,
        {
            "2026-11-03": {"P0001": "present", "P0002": "present", "P0003": "present"},
            "2026-11-10": same,
            "2026-11-17": {"P0001": "excused", "P0002": "excused", "P0003": "present"},
            "2026-11-24": same,
        },
    )
    return office


def test_breach_opens_a_notify_referrer_task_due_the_next_working_day(history):
    (task,) = compliance.due_tasks(history)
    assert task.participant_id == "P0001"
    assert task.rule == "unexcused_absences"
    assert task.breach_on == "2026-11-24"  # the session that passed the limit (a Tuesday)
    assert task.due_on == "2026-11-25"  # the next working day
    assert task.opened_on == "2026-11-24"
    assert (
        task.what
        == "2 unexcused absences passed the limit of 1 (Crown Court order 7/2026) on 2026-11-24"
    )
    # Looking again opens nothing new.
    assert [t.id for t in compliance.due_tasks(history)] == [task.id]


def test_order_limits_win_over_the_programmes(history):
    own = compliance.standing(history, "P0001")
    plain = compliance.standing(history, "P0002")
    assert own.compliance.status == "breach"
    assert plain.compliance.status == "warning"  # the programme allows 4, and 2 in a row
    assert "one more passes the limit of 2 (programme rules)" in plain.compliance.reason
    assert own.rules.unexcused_absences_allowed == 1 and plain.rules.unexcused_absences_allowed == 4


def test_a_breach_found_on_a_friday_is_due_on_monday(office, coordinator, monkeypatch):
    enrol_all(office)
    compliance.set_order_limits(coordinator, "P0003", unexcused_absences_allowed=0)
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-27T18:00:00")
    run_weeks(
        office, {"2026-11-27": {"P0001": "present", "P0002": "present", "P0003": "unexcused"}}
    )
    (task,) = compliance.due_tasks(office)
    assert (task.breach_on, task.due_on) == ("2026-11-27", "2026-11-30")


def test_notify_closes_the_task_with_how_and_when(history, coordinator, invoke):
    (task,) = compliance.due_tasks(history)
    with pytest.raises(AccessDenied):
        compliance.notify_referrer(history, task.id, "email")  # alex is a facilitator
    with pytest.raises(Refused, match="in the future"):
        compliance.notify_referrer(coordinator, task.id, "email", "2026-11-30")
    result = invoke(
        "--user",
        "admin",
        "compliance",
        "notify",
        task.id,
        "--how",
        "secure_email",
        "--on",
        "2026-11-24",
    )
    assert result.exit_code == 0, result.output
    assert "referrer told on 2026-11-24 by secure email" in result.output
    assert compliance.due_tasks(history) == []
    (done,) = compliance.list_tasks(history)
    assert (done.state, done.told_how, done.told_on, done.closed_by) == (
        "done",
        "secure_email",
        "2026-11-24",
        "admin",
    )
    again = invoke("--user", "admin", "compliance", "notify", task.id, "--how", "phone")
    assert again.exit_code == 1 and "was closed on 2026-11-24" in again.output


def test_compliance_due_lists_and_marks_overdue(history, invoke, monkeypatch):
    result = invoke("compliance", "due", "--json")
    rows = json.loads(result.output)
    assert [(r["participant_id"], r["due_on"], r["overdue"]) for r in rows] == [
        ("P0001", "2026-11-25", False)
    ]
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-26T09:00:00")
    text = invoke("compliance", "due").output
    assert "OVERDUE 2026-11-25" in text and "Adam Example" in text


def test_participant_show_prints_compliance_and_the_task(history, invoke):
    out = invoke("participant", "show", "P0001").output
    assert re.search(r"^compliance +✖ breach$", out, re.M)
    assert "2 unexcused absences passed the limit of 1 (Crown Court order 7/2026)" in out
    assert "tell the referrer by 2026-11-25" in out
    data = json.loads(invoke("participant", "show", "P0002", "--json").output)
    assert data["compliance_detail"]["status"] == "warning"
    assert data["compliance_detail"]["unexcused_absences"] == 2


def test_participant_limits_command_sets_shows_and_clears(office, invoke):
    set_ = invoke(
        "--user",
        "admin",
        "participant",
        "limits",
        "P0002",
        "--unexcused",
        "3",
        "--in-a-row",
        "1",
        "--order",
        "Probation licence",
    )
    assert set_.exit_code == 0, set_.output
    assert re.search(r"unexcused allowed +3 \(Probation licence\)", set_.output)
    assert re.search(r"minimum attendance +80% \(programme rules\)", set_.output)
    data = json.loads(invoke("participant", "limits", "P0002", "--json").output)
    assert data["in_force"]["consecutive_unexcused_allowed"] == 1
    # Changing one limit keeps the others.
    invoke("--user", "admin", "participant", "limits", "P0002", "--min-percent", "90")
    data = json.loads(invoke("participant", "limits", "P0002", "--json").output)
    assert (
        data["order"]["unexcused_absences_allowed"],
        data["order"]["min_attendance_percent"],
    ) == (3, 90)
    cleared = invoke("--user", "admin", "participant", "limits", "P0002", "--clear")
    assert "(none: the programme's rules apply)" in cleared.output
    refused = invoke("--user", "alex", "participant", "limits", "P0002", "--unexcused", "1")
    assert refused.exit_code == 1 and "needs the role coordinator" in refused.output
    bad = invoke("--user", "admin", "participant", "limits", "P0002", "--min-percent", "150")
    assert bad.exit_code == 2 and "out of range" in bad.output


def test_compliance_status_for_a_group(history, invoke):
    rows = json.loads(invoke("compliance", "status", "--group", "G1", "--json").output)
    assert [(r["participant_id"], r["status"]) for r in rows] == [
        ("P0001", "breach"),
        ("P0002", "warning"),
        ("P0003", "on_track"),
    ]
    assert rows[2]["reason"] == (
        "on track; attended 4 of 4 sessions expected (100%), "
        "4 of 24 curriculum sessions covered, 20 to do"
    )


def test_suspended_and_exited_men(history, coordinator):
    from facilitator.services.groupwork import groups

    groups.end_programme(coordinator, "P0003", "suspended", "suspension review", "2026-11-24")
    c = compliance.standing(history, "P0003").compliance
    assert c.status == "suspended" and c.reason.startswith("suspended since 2026-11-24")
    # The reason never repeats the free text typed with the status.
    assert "suspension review" not in c.reason


def _notice_days(office, days: int, **programme) -> None:
    settings = office.ws.read_settings()
    settings["rules"]["referrer_notice_working_days"] = days
    settings["programme"].update(programme)
    with office.stores.writing():
        office.ws.write_settings(settings)


def _christmas_breach(office, monkeypatch) -> None:
    monkeypatch.setenv("FACILITATOR_NOW", "2026-12-22T21:00:00")
    enrol_all(office)
    absent = {"P0001": "unexcused", "P0002": "present", "P0003": "present"}
    run_weeks(
        office,
        {
            "2026-12-01": {"P0001": "present", "P0002": "present", "P0003": "present"},
            "2026-12-08": absent,
            "2026-12-15": {"P0001": "excused", "P0002": "present", "P0003": "present"},
            "2026-12-22": absent,
        },
    )


def test_a_notice_deadline_skips_christmas_and_the_boxing_day_bank_holiday(
    office, coordinator, monkeypatch
):
    _notice_days(coordinator, 3)
    compliance.set_order_limits(
        coordinator, "P0001", order="Order 9/2026", unexcused_absences_allowed=1
    )
    _christmas_breach(office, monkeypatch)
    (task,) = compliance.due_tasks(Office.open(office.path, "admin"))
    assert task.breach_on == "2026-12-22"
    # Wed 23, Thu 24, then Christmas, the weekend and Boxing Day (observed Mon 28): Tue 29.
    assert task.due_on == "2026-12-29"


def test_the_programmes_own_closure_days_are_skipped_too_and_the_country_is_a_setting(
    office, coordinator, monkeypatch
):
    _notice_days(coordinator, 1, country="GB", subdivision="SCT")
    settings = coordinator.ws.read_settings()
    settings["rules"]["holidays"] = ["2026-12-23"]  # the office's own closure
    with coordinator.stores.writing():
        coordinator.ws.write_settings(settings)
    compliance.set_order_limits(
        coordinator, "P0001", order="Order 9/2026", unexcused_absences_allowed=1
    )
    _christmas_breach(office, monkeypatch)
    (task,) = compliance.due_tasks(Office.open(office.path, "admin"))
    assert task.due_on == "2026-12-24"


def test_an_unknown_country_is_one_line_naming_the_setting(
    office, coordinator, monkeypatch, invoke
):
    _notice_days(coordinator, 1, country="XX")
    compliance.set_order_limits(
        coordinator, "P0001", order="Order 9/2026", unexcused_absences_allowed=1
    )
    _christmas_breach(office, monkeypatch)
    result = invoke("--user", "admin", "compliance", "due")
    assert result.exit_code != 0
    assert "programme.country 'XX'" in result.output and len(result.output.splitlines()) == 1


def test_the_referrer_report_says_a_breach_once_in_a_probation_officers_words(
    history, invoke, tmp_path
):
    out = tmp_path / "report.md"
    result = invoke("--user", "admin", "report", "participant", "P0001", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (
        "**✖** Breach of the programme's requirements, action needed: 2 unexcused absences "
        "passed the limit of 1 (Crown Court order 7/2026) on 2026-11-24"
    ) in out.read_text()


def test_telling_the_referrer_is_written_to_the_information_sharing_log(
    history, coordinator, invoke
):
    from facilitator.services.core.sharing import sharing_records

    (task,) = compliance.due_tasks(history)
    result = invoke("--user", "admin", "compliance", "notify", task.id, "--how", "secure_email")
    assert result.exit_code == 0, result.output
    [shared] = sharing_records(history, "P0001")
    assert (shared.information, shared.basis, shared.means, shared.reference) == (
        "attendance",
        "court_order",
        "email",
        task.id,
    )
    assert shared.to_agency == "Demo Court" and shared.shared_by == "admin"
    listed = invoke("--user", "admin", "sharing", "list", "P0001").output
    assert "attendance and compliance" in listed and "Demo Court" in listed


def test_a_report_sent_to_an_agency_is_logged_and_one_only_written_is_not(
    history, invoke, tmp_path
):
    from facilitator.services.core.sharing import sharing_records

    out = tmp_path / "r.md"
    assert (
        invoke("--user", "admin", "report", "participant", "P0002", "-o", str(out)).exit_code == 0
    )
    assert sharing_records(history, "P0002") == []
    sent = invoke(
        "--user",
        "admin",
        "report",
        "participant",
        "P0002",
        "-o",
        str(out),
        "--sent-to",
        "Riverside Probation",
        "--basis",
        "legal_duty",
    )
    assert sent.exit_code == 0, sent.output
    [shared] = sharing_records(history, "P0002")
    assert (shared.information, shared.to_agency, shared.basis, shared.means) == (
        "progress",
        "Riverside Probation",
        "legal_duty",
        "report",
    )
