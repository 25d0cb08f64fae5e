"""A cancelled session moves the curriculum on and is no absence for anyone: not in attendance,
not in compliance, not in the referrer's report nor the programme's figures. Clock: Tuesday
2026-11-24; group G1 meets on Tuesdays from 3 November."""

from __future__ import annotations

import csv

import pytest

from facilitator.domain.compliance import Mark, Rules, evaluate
from facilitator.services.compliance import status as compliance
from facilitator.services.evaluation.figures import programme_figures
from facilitator.services.evaluation.report import render_markdown as figures_markdown
from facilitator.services.groupwork import plan, sessions
from facilitator.services.reporting import attendance_views, referrer_report
from tests.conftest import as_coordinator, enrol_all

MEN = ("P0001", "P0002", "P0003")


@pytest.fixture
def with_cancellation(office):
    """Sessions on 3 and 10 November (P0003 absent, unexcused, at both); 17 November cancelled;
    today's session started."""
    enrol_all(office)
    for day in ("2026-11-03", "2026-11-10"):
        s = sessions.start_session(office, "G1", day)
        for pid in MEN:
            sessions.mark_attendance(
                office, s.id, pid, "unexcused" if pid == "P0003" else "present"
            )
        sessions.close_session(office, s.id, force=True)
    plan.cancel_session(as_coordinator(office), "G1", "2026-11-17", "facilitator off sick")
    return office


def test_the_session_after_a_cancellation_takes_its_curriculum_session(with_cancellation):
    today = sessions.start_session(with_cancellation, "G1")
    assert today.curriculum_session == 3  # 17 November's session 3 moved on to today


def test_compliance_counts_no_absence_and_no_run_for_a_cancelled_session(with_cancellation):
    for pid in MEN:
        c = compliance.standing(with_cancellation, pid).compliance
        assert c.cancelled == 1
        assert c.sessions_held == 2
        assert c.unmarked == 0
        assert c.to_dict()["sessions_cancelled"] == 1
    p3 = compliance.standing(with_cancellation, "P0003").compliance
    # Two unexcused absences, then the cancellation: still two in a row, not three.
    assert p3.unexcused == 2 and p3.current_run == 2
    assert not p3.breaches
    p1 = compliance.standing(with_cancellation, "P0001").compliance
    assert p1.unexcused == 0 and p1.attendance_percent == 100.0
    assert "1 session cancelled (not absences)" in p1.reason


def test_a_moved_session_counts_on_the_day_it_was_held(with_cancellation, monkeypatch):
    office = with_cancellation
    plan.move_session(as_coordinator(office), "G1", "2026-12-01", "2026-12-03", "hall booked")
    monkeypatch.setenv("FACILITATOR_NOW", "2026-12-03T18:00:00")
    s = sessions.start_session(office, "G1")
    for pid in MEN:
        sessions.mark_attendance(office, s.id, pid, "unexcused" if pid == "P0003" else "present")
    sessions.close_session(office, s.id, force=True)
    p3 = compliance.standing(office, "P0003").compliance
    # 3 Nov, 10 Nov (unexcused), 17 Nov cancelled, 24 Nov not held, 3 Dec (unexcused): three in a
    # row, the cancellation between them neither breaking nor adding to the run.
    assert p3.unexcused == 3 and p3.current_run == 3
    assert p3.breaches and p3.breaches[0].on == "2026-12-03"
    p1 = compliance.standing(office, "P0001").compliance
    assert p1.attended == 3 and sorted(p1.covered) == [1, 2, 3]


def test_a_cancelled_mark_neither_breaks_nor_extends_a_run():
    rules = Rules(consecutive_unexcused_allowed=2)
    marks = [
        Mark("2026-11-03", 1, "unexcused"),
        Mark("2026-11-10", 2, "unexcused"),
        Mark("2026-11-17", 0, "cancelled"),
        Mark("2026-11-24", 3, "unexcused"),
    ]
    c = evaluate(marks, rules, 24)
    assert c.current_run == 3 and c.breaches[0].on == "2026-11-24"
    assert c.cancelled == 1 and c.unexcused == 3


def test_his_timeline_and_the_referrer_report_say_session_cancelled(with_cancellation):
    line = attendance_views.timeline(with_cancellation, "P0001")
    cancelled = [e for e in line.entries if e.date == "2026-11-17"]
    assert [e.words for e in cancelled] == ["session cancelled"]
    text = referrer_report.render_markdown(referrer_report.report_data(with_cancellation, "P0001"))
    assert "| 2026-11-17 | G1 | - |  | session cancelled (not an absence) |" in text
    assert "unexcused" not in text.split("## Sessions covered")[0].split("| Date |")[1]


def test_the_attendance_export_has_no_absence_for_it(with_cancellation, invoke, tmp_path):
    out = tmp_path / "a.csv"
    result = invoke("--user", "admin", "export", "attendance", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and not [r for r in rows if "2026-11-17" in r.values()]


def test_programme_figures_count_it_as_cancelled_never_as_absence(with_cancellation):
    settings = with_cancellation.ws.read_settings()
    settings.setdefault("figures", {})["min_count"] = 1
    with with_cancellation.stores.writing():
        with_cancellation.ws.write_settings(settings)
    f = programme_figures(with_cancellation, "2026-11-01", "2026-11-30")
    a = f["attendance"]
    assert a["sessions_held"] == 2 and a["sessions_cancelled"] == 1
    assert a["unexcused"] == 2 and a["attended"] == 4  # P0003's two, nothing for the 17th
    assert "sessions cancelled (never absences) | 1" in figures_markdown(f)
