"""Reading attendance fast (services/groupwork/attendance.py): the same answers as the store,
and the store's own errors when a file is not as expected."""

from __future__ import annotations

import json

import pytest
from conftest import enrol_all

from facilitator.domain.checkin import CheckIn
from facilitator.errors import StoreError
from facilitator.services.groupwork import attendance as records
from facilitator.services.groupwork import sessions


@pytest.fixture
def session_file(office):
    enrol_all(office)
    s = sessions.start_session(office, "G1", "2026-11-24")
    sessions.mark_attendance(office, s.id, "P0001", "present")
    sessions.mark_attendance(office, s.id, "P0002", "excused", reason="hospital")
    sessions.record_checkin(
        office, s.id, CheckIn(participant_id="P0001", summary='said "attendance": {} oddly')
    )
    sessions.close_session(office, s.id, force=True)
    return office.path / "data" / "sessions" / "G1" / "2026" / "2026-11-24.json"


def marks(office):
    return records.session_marks(office, "G1", "2026-11-24")


def test_files_written_by_the_services_are_read_without_their_checkins(office, session_file):
    text = session_file.read_text()
    fast = records._attendance_only(text)
    assert fast is not None
    full = json.loads(text)["attendance"]
    assert fast == full
    assert {pid: m["status"] for pid, m in marks(office).items()} == {
        "P0001": "present",
        "P0002": "excused",
    }


def test_another_table_order_falls_back_to_the_whole_file(office, session_file):
    data = json.loads(session_file.read_text())
    reordered = {k: data[k] for k in ("checkins", "session", "attendance", "_meta")}
    session_file.write_text(json.dumps(reordered, indent=1))
    assert records._attendance_only(session_file.read_text()) is None
    assert set(marks(office)) == {"P0001", "P0002"}


def test_a_damaged_file_is_reported_by_name(office, session_file):
    session_file.write_text(session_file.read_text()[:40])
    with pytest.raises(StoreError, match="2026-11-24.json is damaged"):
        marks(office)


def test_a_file_from_a_newer_version_is_refused(office, session_file):
    data = json.loads(session_file.read_text())
    data["_meta"]["1"]["schema"] = 99
    session_file.write_text(json.dumps(data, separators=(",", ":")))
    with pytest.raises(StoreError, match="newer version of facilitator"):
        marks(office)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: text.index('"checkins"') + 30],  # cut off inside the check-ins
        lambda text: text + "\x00\x00garbage",  # something written after its end
    ],
    ids=["cut short after its attendance", "garbage after its end"],
)
def test_a_file_damaged_after_its_attendance_stops_exports_and_reports(
    office, session_file, invoke, tmp_path, damage
):
    text = session_file.read_text()
    assert text.index('"attendance"') < text.index('"checkins"')
    session_file.write_text(damage(text))
    before = session_file.read_bytes()
    with pytest.raises(StoreError, match="2026-11-24.json is damaged"):
        marks(office)
    for command in (
        ["export", "attendance", "-o", str(tmp_path / "a.csv")],
        ["report", "participant", "P0001"],
    ):
        result = invoke("--user", "admin", *command)
        assert result.exit_code != 0, (command, result.output)
        assert "2026-11-24.json is damaged" in result.output
    assert not (tmp_path / "a.csv").exists()
    assert session_file.read_bytes() == before
