"""Writes that cannot half-happen: one action's files and audit lines land together, a kill
part way is finished by whoever opens the workspace next, and nothing a killed write left
behind stays on disk."""

from __future__ import annotations

import json
import time

import pytest

from facilitator.domain.checkin import CheckIn
from facilitator.services.core.office import Office
from facilitator.services.groupwork import sessions
from facilitator.services.risk import flag_store, suggestions
from facilitator.services.risk import flags as risk
from facilitator.storage import files, journal
from tests.conftest import enrol_all
from tests.helpers.writes_check import kill_trial, make_workspace, problems

SID = "G1-2026-11-24"
STRANGLED = "Said he put his hands round her throat during Saturday's row."


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even `except Exception` handlers."""


@pytest.fixture
def session(office):
    enrol_all(office)
    sessions.start_session(office, "G1", "2026-11-24")
    for pid in ("P0001", "P0002", "P0003"):
        sessions.mark_attendance(office, SID, pid, "present")
    return SID


def _die_after(monkeypatch, n: int) -> None:
    """Let the journal and then `n` store files be written, then die as a kill would."""
    real = files.atomic_write_text
    count = {"n": 0}

    def write(path, text, sync_dir=True):
        if count["n"] >= n:
            raise Killed()
        count["n"] += 1
        real(path, text, sync_dir)

    monkeypatch.setattr(journal, "atomic_write_text", write)


@pytest.mark.parametrize("files_before_kill", [0, 1, 2, 3])
def test_a_checkin_killed_part_way_is_finished_with_its_suggestion(
    office, session, monkeypatch, files_before_kill
):
    _die_after(monkeypatch, files_before_kill)
    with pytest.raises(Killed):
        sessions.record_checkin(office, SID, CheckIn(participant_id="P0001", summary=STRANGLED))
    monkeypatch.undo()
    assert journal.pending(office.path / "data")
    again = Office.open(office.path, "alex")  # the next open replays the journal
    assert not journal.pending(office.path / "data")
    [s] = suggestions.list_suggestions(again, SID)
    assert "strangulation" in s.categories
    assert suggestions.get_suggestion(again, s.id).id == s.id  # in the year index: actionable
    assert problems(office.path, []) == []


def test_a_kill_while_the_journal_is_written_leaves_nothing(office, session, monkeypatch):
    before = {p: p.read_bytes() for p in (office.path / "data").rglob("*.json")}
    real = journal._write_journal

    def cut_off(data_dir, payload):
        real(data_dir, payload[: len(payload) // 2])  # the header promises more than is there
        raise Killed()

    monkeypatch.setattr(journal, "_write_journal", cut_off)
    with pytest.raises(Killed):
        sessions.record_checkin(office, SID, CheckIn(participant_id="P0001", summary=STRANGLED))
    monkeypatch.undo()
    assert journal.pending(office.path / "data")
    Office.open(office.path, "alex")
    assert not journal.pending(office.path / "data")
    after = {p: p.read_bytes() for p in (office.path / "data").rglob("*.json")}
    assert after == before
    assert not list(office.path.rglob("*.tmp"))


def test_a_flag_raise_killed_part_way_reaches_queue_history_and_audit(office, monkeypatch):
    _die_after(monkeypatch, 1)
    with pytest.raises(Killed):
        risk.raise_flag(office, "P0001", ["strangulation"], "Hands on her neck.")
    monkeypatch.undo()
    again = Office.open(office.path, "alex")
    [flag] = flag_store.open_flags(again)
    assert [h.id for h in flag_store.history_of(again, "P0001")] == [flag.id]
    audit = [json.loads(x) for x in (office.path / "data/audit.jsonl").read_text().splitlines()]
    assert [(e["action"], e["id"]) for e in audit if e["kind"] == "risk_flag"] == [
        ("raise", flag.id)
    ]
    assert again.stores.audit.verify() is None


def test_a_reader_that_finds_a_journal_finishes_it_before_reading(office, monkeypatch):
    _die_after(monkeypatch, 0)
    with pytest.raises(Killed):
        risk.raise_flag(office, "P0001", ["stalking"], "Follows her.")
    monkeypatch.undo()
    # The same open office, as the UI keeps one: its next read repairs first.
    assert [f.participant_id for f in flag_store.open_flags(office)] == ["P0001"]
    assert len(flag_store.history_of(office, "P0001")) == 1


def test_a_replayed_journal_does_not_repeat_audit_lines(office, monkeypatch):
    def killed(_path):
        raise Killed()

    # Everything written, audit line included; killed just before the journal is emptied.
    monkeypatch.setattr(journal, "_clear_journal", killed)
    with pytest.raises(Killed):
        risk.raise_flag(office, "P0001", ["stalking"], "Follows her.")
    monkeypatch.undo()
    log = office.stores.audit
    assert journal.pending(office.path / "data")
    Office.open(office.path, "alex")
    raised = [e for e in log.entries() if e["action"] == "raise"]
    assert len(raised) == 1 and log.verify() is None


def test_an_action_that_fails_writes_nothing(office, session, monkeypatch):
    before = {p: p.read_bytes() for p in (office.path / "data").rglob("*") if p.is_file()}

    def broken(*_a, **_k):
        raise RuntimeError("scanner broke")

    monkeypatch.setattr(sessions, "scan_and_keep", broken)
    with pytest.raises(RuntimeError):
        sessions.record_checkin(office, SID, CheckIn(participant_id="P0001", summary=STRANGLED))
    after = {p: p.read_bytes() for p in (office.path / "data").rglob("*") if p.is_file()}
    assert after == before  # no check-in saved without its scan


def test_leftover_temporary_files_are_removed_at_the_next_open(office):
    data = office.path / "data"
    left = [
        data / ".people.json.abc123.tmp",
        data / "sessions" / ".index.json.x1y2.tmp",
        data / "audit.jsonl.head.tmp",
        office.path / ".facilitator.toml.q9.tmp",
    ]
    for p in left:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text('{"participants": {"1": {"name": "Adam Example"}}}')
    mine = data / "notes.tmp"  # not a name this tool's writers make: left alone
    mine.write_text("someone's own file")
    Office.open(office.path, "alex")
    assert [p for p in left if p.exists()] == []
    assert mine.exists()


def test_an_open_with_nothing_to_mend_costs_two_listings(office):
    start = time.perf_counter()
    for _ in range(200):
        journal.needs_recovery(office.ws.data_dir, office.path)
    assert not journal.needs_recovery(office.ws.data_dir, office.path)
    assert time.perf_counter() - start < 5  # generous: a sanity bound, not a benchmark


def test_kills_at_random_moments_leave_every_rule_holding(tmp_path):
    """SIGKILL a process working the risk side through the real services, then run the next
    command: every disclosure has its suggestion, every suggestion can be acted on, every flag
    is in the queue, his history and the audit, and nothing temporary is left."""
    ws = make_workspace(tmp_path / "kill")
    acks: list[str] = []
    trials = [kill_trial(ws, seed, acks) for seed in range(12)]
    assert [p for t in trials for p in t.problems] == []
    assert sum(t.acks for t in trials) > 10  # the writer really got work done between kills


def test_retention_counts_and_removes_leftover_temporary_files(office, invoke):
    from facilitator.services.records import retention

    office = Office.open(office.path, "admin")
    left = office.path / "data" / "sessions" / ".G1.json.k1.tmp"
    left.parent.mkdir(parents=True, exist_ok=True)
    left.write_text('{"checkins": {"1": {"summary": "his words"}}}')
    # Not found at open (no journal, nothing at the top of data/): retention finds it.
    Office.open(office.path, "admin")
    assert retention.leftover_temp_files(office) == ["data/sessions/.G1.json.k1.tmp"]
    out = invoke("--user", "admin", "retention", "due")
    assert "1 temporary file(s) left by interrupted writes" in out.output
    out = invoke("--user", "admin", "retention", "apply", "--yes")
    assert out.exit_code == 0 and "removed 1 temporary file(s)" in out.output
    assert not left.exists() and retention.leftover_temp_files(office) == []
