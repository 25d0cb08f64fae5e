"""A file the user names (export, report) goes only into a folder that exists: a typo or a drive
not connected is said in one line, and no folder is made where personal data would land unseen."""

from __future__ import annotations

import pytest
from conftest import enrol_all


@pytest.mark.parametrize(
    "args",
    [
        ("export", "attendance", "--format", "csv"),
        ("export", "attendance", "--format", "xlsx"),
        ("export", "attendance", "--format", "json", "--summary"),
        ("report", "participant", "P0001", "--format", "html"),
        ("report", "programme", "--format", "md"),
    ],
)
def test_a_missing_folder_is_said_and_not_made(office, invoke, tmp_path, args):
    enrol_all(office)
    target = tmp_path / "usb-stick" / "court" / "weekly.out"
    result = invoke("--user", "admin", *args, "-o", str(target))
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and f"folder {target.parent} does not exist" in lines[0]
    assert "nothing was written" in lines[0]
    assert not (tmp_path / "usb-stick").exists()


def test_an_existing_folder_is_written_to(office, invoke, tmp_path):
    enrol_all(office)
    target = tmp_path / "weekly.csv"
    assert invoke("--user", "admin", "export", "attendance", "-o", str(target)).exit_code == 0
    assert target.read_text().startswith("participant_id,")
