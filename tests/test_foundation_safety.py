"""Stores survive kills and concurrent writers; damage is reported, never overwritten."""

from __future__ import annotations

import json
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from facilitator.services.core import people
from facilitator.services.core.office import Office
from facilitator.storage.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent


def _writer(ws: Path, tag: str, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.writer", str(ws), tag, str(count)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def _new_workspace(path: Path) -> Path:
    Workspace.init(path, "Crash test")
    office = Office.open(path, "admin")
    people.add_staff(office, "Test Admin", ["admin"], "admin")
    return path


def _stored(ws: Path) -> tuple[set[str], set[str]]:
    office = Office.open(ws, "admin")
    with office.stores.session_file("G1", "2026-11-24") as db:
        checkins = {d["participant_id"] for d in db.table("checkins").all()}
    with office.stores.people() as db:
        participants = {d["id"] for d in db.table("participants").all()}
    return checkins, participants


def test_sigkill_during_writes_loses_no_acknowledged_write(tmp_path):
    ws = _new_workspace(tmp_path / "ws")
    rnd = random.Random(1234)
    acked: set[str] = set()
    for round_no in range(12):
        proc = _writer(ws, f"r{round_no}", 100000)
        time.sleep(0.25 + rnd.random() * 0.4)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        acked |= {
            f"r{round_no}-{line.split()[1]}" for line in out.splitlines() if line.startswith("ack ")
        }
        # Every store still parses (open_store raises on damage) and holds every acknowledged write.
        checkins, participants = _stored(ws)
        assert acked <= checkins
        assert acked <= participants
    assert len(acked) > 50  # the writer really wrote between kills
    # No temporary files left to confuse anyone, except at most one from the last kill.
    leftovers = [p for p in (ws / "data").rglob("*.tmp")]
    assert len(leftovers) <= 12
    # The audit chain is intact up to the last complete line.
    office = Office.open(ws, "admin")
    problem = office.stores.audit.verify()
    assert problem is None or problem.message.startswith("line is not valid JSON")


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    ws = _new_workspace(tmp_path / "ws")
    a, b = _writer(ws, "a", 60), _writer(ws, "b", 60)
    assert a.wait(timeout=120) == 0 and b.wait(timeout=120) == 0
    checkins, participants = _stored(ws)
    expected = {f"{t}-{i}" for t in "ab" for i in range(60)}
    assert expected <= checkins
    assert expected <= participants
    office = Office.open(ws, "admin")
    assert office.stores.audit.verify() is None
    assert sum(1 for _ in office.stores.audit.lines()) == 1 + 120


def test_concurrent_participant_adds_get_distinct_ids(tmp_path):
    ws = _new_workspace(tmp_path / "ws")
    code = (
        "import sys; from facilitator.services.core.office import Office; from "
        "facilitator.services.core import people;"
        "o = Office.open(sys.argv[1], 'admin');"
        "[people.add_participant(o, f'Man {sys.argv[2]} {i}') for i in range(25)]"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(ws), t], cwd=ROOT) for t in "xy"]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    office = Office.open(ws, "admin")
    listed = people.list_participants(office)
    assert len(listed) == 50
    assert len({p.id for p in listed}) == 50


def test_corrupt_store_is_named_and_left_untouched(office, invoke, isolated_workspace):
    store = isolated_workspace / "data" / "people.json"
    damaged = b'{"participants": {"1": {"id": "P0001", "name": "Adam Exa'
    store.write_bytes(damaged)
    for args in (
        ["participant", "list"],
        ["participant", "add", "New Man"],
        ["group", "enrol", "G1", "P0001"],
    ):
        result = invoke(*args)
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, result.output
        assert str(store) in lines[0] and "damaged" in lines[0]
        assert store.read_bytes() == damaged
    # No participant number was used up by the failed add.
    store.write_text('{"participants": {}}')
    assert "added P0004" in invoke("participant", "add", "New Man").output


def test_newer_schema_is_refused_not_overwritten(office, invoke, isolated_workspace):
    store = isolated_workspace / "data" / "groups.json"
    data = json.loads(store.read_text())
    data["_meta"]["1"]["schema"] = 99
    store.write_text(json.dumps(data))
    before = store.read_bytes()
    result = invoke(
        "group", "create", "Another", "--weekday", "monday",
        "--facilitator", "alex", "--facilitator", "bea",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "newer version" in result.output
    assert store.read_bytes() == before


def test_older_schema_is_migrated_on_read(office, isolated_workspace, monkeypatch):
    from facilitator.services.core.group_store import list_groups
    from facilitator.storage import migrations

    monkeypatch.setitem(migrations.CURRENT, "groups", 2)

    def rename_place(data):
        for doc in data.get("groups", {}).values():
            doc["location"] = doc.get("location") or "migrated"
        return data

    monkeypatch.setitem(migrations.MIGRATIONS, "groups", {1: rename_place})
    assert list_groups(office)[0].location == "migrated"


def test_files_are_private(office, isolated_workspace):
    from facilitator.services.groupwork import sessions
    from tests.conftest import enrol_all

    enrol_all(office)
    s = sessions.start_session(office, "G1", "2026-11-24")
    sessions.mark_attendance(office, s.id, "P0001", "present")
    paths = list(isolated_workspace.rglob("*"))
    assert any(p.name == "2026-11-24.json" for p in paths)
    for p in [isolated_workspace, *paths]:
        mode = stat.S_IMODE(p.stat().st_mode)
        if p.is_dir():
            assert mode == 0o700, p
        elif p.parent.name != "curricula" or True:
            assert mode == 0o600, p


def test_saving_a_checkin_touches_only_that_sessions_file(office, isolated_workspace):
    from facilitator.domain.checkin import CheckIn
    from facilitator.services.groupwork import sessions
    from tests.conftest import enrol_all

    enrol_all(office)
    s1 = sessions.start_session(office, "G1", "2026-11-17")
    s2 = sessions.start_session(office, "G1", "2026-11-24")
    sessions.mark_attendance(office, s2.id, "P0001", "present")
    data = isolated_workspace / "data"
    before = {p: p.stat().st_mtime_ns for p in data.rglob("*.json")}
    time.sleep(0.01)
    sessions.record_checkin(office, s2.id, CheckIn(participant_id="P0001", summary="Good week"))
    changed = {p for p in data.rglob("*.json") if p.stat().st_mtime_ns != before.get(p)}
    assert changed == {data / "sessions" / "G1" / "2026" / "2026-11-24.json"}
    assert s1.id != s2.id
