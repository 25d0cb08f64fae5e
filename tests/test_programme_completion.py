"""Completing a man's programme: refused until he has covered the sessions required (group
sessions attended and one-to-one catch-ups), unless a coordinator decides it in writing; the
decision is kept and every report that shows his completion says it was one."""

from __future__ import annotations

import json

import pytest
from conftest import enrol_all

from facilitator.services.core import people
from facilitator.services.core.group_store import roster
from facilitator.services.groupwork import sessions

DECISION = "Covered the remaining content in custody, confirmed by his probation officer"


@pytest.fixture
def group(office, monkeypatch):
    """Four sessions required; Adam attended two (sessions 1 and 2)."""
    settings = office.ws.read_settings()
    settings["rules"]["sessions_required"] = 4
    with office.stores.writing():
        office.ws.write_settings(settings)
    enrol_all(office)
    for day in ("2026-11-03", "2026-11-10"):
        monkeypatch.setenv("FACILITATOR_NOW", f"{day}T18:00:00")
        s = sessions.start_session(office, "G1", day)
        for pid in ("P0001", "P0002", "P0003"):
            sessions.mark_attendance(office, s.id, pid, "present")
        sessions.close_session(office, s.id, force=True)
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-12T10:00:00")
    return office


def _still_in(office, pid: str) -> None:
    assert people.get_participant(office, pid).status == "active"
    assert pid in {r.participant.id for r in roster(office, "G1", "2026-11-17")}


@pytest.mark.parametrize(
    "command",
    [
        ("participant", "status", "P0001", "completed"),
        ("group", "leave", "P0001", "--reason", "completed"),
    ],
)
def test_completion_short_of_the_sessions_is_refused_in_one_line(group, invoke, command):
    result = invoke("--user", "admin", *command)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "P0001 has covered 2 of the 4 sessions required" in lines[0]
    assert '--decision "the reason, in writing"' in lines[0]
    _still_in(group, "P0001")


def test_catch_up_one_to_ones_count_toward_completion(group, invoke):
    for n, day in ((3, "2026-11-11"), (4, "2026-11-12")):
        done = invoke(
            "--user", "alex", "individual", "record", "P0001", "catch_up",
            "--date", day, "--curriculum-session", str(n),
        )  # fmt: skip
        assert done.exit_code == 0, done.output
    result = invoke("--user", "alex", "participant", "status", "P0001", "completed")
    assert result.exit_code == 0, result.output
    person = people.get_participant(group, "P0001")
    assert person.status == "completed" and person.completion_decision == ""
    shown = invoke("--user", "alex", "participant", "show", "P0001")
    assert "coordinator's decision" not in shown.output


def test_a_facilitator_cannot_decide_a_completion(group, invoke):
    result = invoke(
        "--user", "alex", "participant", "status", "P0001", "completed", "--decision", DECISION
    )
    assert result.exit_code == 1
    assert "needs the role coordinator" in result.output
    _still_in(group, "P0001")


def test_a_coordinators_decision_is_kept_and_said_in_every_report(group, invoke, tmp_path):
    result = invoke(
        "--user", "admin", "group", "leave", "P0001", "--reason", "completed",
        "--decision", DECISION,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    person = people.get_participant(group, "P0001")
    assert (person.status, person.completion_decision) == ("completed", DECISION)
    assert person.completion_decided_by == "admin"
    assert "P0001" not in {r.participant.id for r in roster(group, "G1", "2026-11-17")}
    said = f"completed by coordinator's decision: {DECISION}"

    shown = invoke("--user", "admin", "participant", "show", "P0001").output
    status_line = next(line for line in shown.splitlines() if line.startswith("status "))
    assert status_line.split(None, 1)[1] == said
    # Never "covered every session" for a man who covered two of four.
    assert "covered every" not in shown and "2 of 4 curriculum sessions covered" in shown

    referrer = invoke("--user", "admin", "report", "participant", "P0001").output
    assert "Completed by coordinator's decision: " + DECISION in referrer  # starts its line
    assert "covered every" not in referrer

    out = tmp_path / "sar"
    exported = invoke("--user", "admin", "participant", "export-data", "P0001", "-o", str(out))
    assert exported.exit_code == 0, exported.output
    data = json.loads((tmp_path / "sar.json").read_text())
    assert data["participant"]["status_in_words"] == said
    assert said in (tmp_path / "sar.html").read_text().replace("&#x27;", "'")

    letter = tmp_path / "end.md"
    written = invoke(
        "--user", "admin", "letter", "write", "end_of_programme", "P0001", "-o", str(letter)
    )  # fmt: skip
    assert written.exit_code == 0, written.output
    ended = letter.read_text()
    assert "His programme has ended: completed by the coordinator's decision" in ended
    assert DECISION not in ended  # the reason written for the file stays on the file
    assert "2 of 4 sessions required" in ended

    timeline = invoke("--user", "admin", "participant", "timeline", "P0001", "--kind", "status")
    assert timeline.exit_code == 0, timeline.output
    assert said in " ".join(timeline.output.split())

    settings = group.ws.read_settings()
    settings["figures"]["min_count"] = 1
    with group.stores.writing():
        group.ws.write_settings(settings)
    figures = invoke(
        "--user", "admin", "report", "programme", "--from", "2026-11-01", "--to", "2026-11-30",
        "--format", "json",
    )  # fmt: skip
    assert json.loads(figures.output)["completions_by"] == {"coordinator's decision": 1}
    md = invoke(
        "--user", "admin", "report", "programme", "--from", "2026-11-01", "--to", "2026-11-30"
    ).output
    assert "| coordinator's decision | 1 |" in md

    audited = [e for e in group.stores.audit.entries() if e.get("action") == "status"]
    assert audited[-1].get("completion_decision") == DECISION
