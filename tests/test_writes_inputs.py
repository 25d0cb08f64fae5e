"""Damaged or wrong-shaped files are one line naming the file and are never rewritten; empty
dates are refused; the audit log names a line of invalid bytes."""

from __future__ import annotations

import json

import pytest

from facilitator.errors import StoreError, WorkspaceError
from facilitator.services.core import people
from facilitator.services.core.office import Office


def _one_error_line(out) -> str:
    assert out.exit_code != 0 and "Traceback" not in out.output
    lines = out.output.strip().splitlines()
    assert len(lines) == 1, out.output
    return lines[0]


def test_settings_that_lost_their_staff_are_never_rewritten(office, invoke):
    toml = office.ws.settings_file
    text = toml.read_text()
    cut = text[: text.index("[[staff]]")]  # cut short: the staff list is gone
    toml.write_text(cut)
    with pytest.raises(WorkspaceError, match="has lost its staff list"):
        people.add_staff(Office.open(office.path), "New Person", ["facilitator"], "newp")
    assert toml.read_text() == cut
    line = _one_error_line(invoke("staff", "add", "New Person", "--role", "facilitator"))
    assert str(toml) in line and "not rewritten" in line
    assert toml.read_text() == cut


def test_settings_that_lost_a_section_are_never_rewritten(office):
    toml = office.ws.settings_file
    text = toml.read_text()
    start = text.index("[rules]")
    end = text.index("\n[", start + 1)
    toml.write_text(text[:start] + text[end + 1 :])
    with pytest.raises(WorkspaceError, match=r"has lost its \[rules\]"):
        people.add_staff(Office.open(office.path, "admin"), "New Person", ["facilitator"], "np")


def test_settings_with_staff_of_the_wrong_shape_are_one_line(office, invoke):
    toml = office.ws.settings_file
    toml.write_text('staff = "oops"\n')
    line = _one_error_line(invoke("participant", "list"))
    assert str(toml) in line and "list of [[staff]]" in line


@pytest.mark.parametrize(
    "damage, why",
    [
        ({"participants": "oops"}, "'participants' is not a table of records"),
        ({"participants": {"1": ["not", "a", "record"]}}, "holds something that is not a record"),
    ],
)
def test_a_wrong_shaped_store_is_one_line_and_never_rewritten(office, invoke, damage, why):
    path = office.path / "data" / "people.json"
    path.write_text(json.dumps(damage))
    before = path.read_bytes()
    line = _one_error_line(invoke("participant", "list"))
    assert str(path) in line and why in line
    with pytest.raises(StoreError, match="damaged"):
        people.add_participant(office, "Dan Example", "court")
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ("session", "start", "G1", "--date", ""),
        ("session", "start", "G1", "--date", "  "),
        ("group", "enrol", "G1", "P0001", "--on", ""),
    ],
)
def test_an_empty_date_is_refused_not_taken_as_today(office, invoke, args):
    before = sorted(p.name for p in (office.path / "data").rglob("*"))
    line = _one_error_line(invoke(*args))
    assert "is empty" in line
    assert sorted(p.name for p in (office.path / "data").rglob("*")) == before


def test_invalid_bytes_in_the_audit_log_name_their_line(office, invoke):
    people.add_participant(office, "Dan Example", "court")
    log = office.path / "data" / "audit.jsonl"
    lines = log.read_bytes().splitlines()
    lines[2] = lines[2][:10] + b"\xff\xfe" + lines[2][10:]
    log.write_bytes(b"\n".join(lines) + b"\n")
    out = invoke("audit", "verify")
    assert out.exit_code != 0 and "Traceback" not in out.output
    assert "line 3" in out.output and "not UTF-8" in out.output
    assert invoke("audit").exit_code in (0, 1)  # listing does not crash on the line
