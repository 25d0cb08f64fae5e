"""`facilitator import participants|attendance FILE`: a preview, every bad row as "row N: why",
nothing written unless every row is good (or --skip-bad), idempotent, one audit line with a
count; .csv and .xlsx."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from facilitator.services.casefile import details
from facilitator.services.core import people
from facilitator.services.core.session_store import get_session
from facilitator.services.groupwork import sessions
from tests.conftest import enrol_all

DOCS = Path(__file__).resolve().parent.parent / "docs"
SAMPLE = DOCS / "import-participants-sample.csv"


def _imports(office) -> list[dict]:
    lines = (office.path / "data/audit.jsonl").read_text().splitlines()
    return [e for e in map(json.loads, lines) if e.get("action") == "import"]


def _names(office) -> list[str]:
    return [p.name for p in people.list_participants(office)]


def test_the_sample_imports_with_a_preview_first_and_twice_changes_nothing(office, invoke):
    before = _names(office)
    r = invoke("--user", "admin", "import", "participants", str(SAMPLE), "--dry-run")
    assert r.exit_code == 0, r.output
    assert "would row 2: add P0004 Aaron Samplename (referred by court)" in r.output
    assert "dry run: 4 of 4 rows would be imported; nothing written" in r.output
    assert _names(office) == before and _imports(office) == []
    r = invoke("--user", "admin", "import", "participants", str(SAMPLE))
    assert r.exit_code == 0, r.output
    assert "imported 4 participants rows of 4" in r.output
    assert _names(office)[3:] == [
        "Aaron Samplename",
        "Barry Fictional",
        "Colin Madeup",
        "Dennis Synthetic",
    ]
    held = details.get_details(office, "P0005").values
    assert held["date_of_birth"] == "1990-07-30" and held["interpreter_needed"] == "yes"
    assert people.get_participant(office, "P0004").referrer_reference == "FC/2026/101"
    (line,) = _imports(office)
    assert line["kind"] == "participants" and line["imported"] == "4"
    audit = (office.path / "data/audit.jsonl").read_text()
    assert "Samplename" not in audit and "1984-02-11" not in audit
    r = invoke("--user", "admin", "import", "participants", str(SAMPLE))
    assert r.exit_code == 0
    assert "row 2: already held as P0004" in r.output
    assert "imported 0 participants rows of 4 (4 already held)" in r.output
    assert len(_names(office)) == 7


def test_one_bad_row_means_nothing_is_written_unless_skip_bad(office, invoke, tmp_path):
    path = tmp_path / "men.csv"
    path.write_text(
        "name,referral_source,dob\n"
        "Good Person,court,1980-01-01\n"
        "Bad Date,court,1980-13-45\n"
        ",court,\n"
        "Bad Source,astrology,\n"
    )
    r = invoke("--user", "admin", "import", "participants", str(path))
    assert r.exit_code == 2
    assert "row 3: date of birth '1980-13-45' is not a date" in r.output
    assert "row 4: no name" in r.output
    assert "row 5: unknown referral source 'astrology'" in r.output
    assert "nothing imported: 3 of 4 rows are bad" in r.output
    assert len(_names(office)) == 3 and _imports(office) == []
    # The counters were not used up by the rows rolled back.
    assert people.add_participant(office, "Next Man").id == "P0004"
    r = invoke("--user", "admin", "import", "participants", str(path), "--skip-bad")
    assert r.exit_code == 0, r.output
    assert "imported 1 participants rows of 4; 3 bad rows skipped" in r.output
    assert _names(office)[-1] == "Good Person"
    assert _imports(office)[0]["skipped"] == "3"


def test_map_and_xlsx(office, invoke, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Client", "Court ref", "Born"])
    sheet.append(["Xavier Testperson", "FC/9", "1988-05-06"])
    path = tmp_path / "men.xlsx"
    book.save(path)
    r = invoke(
        "--user",
        "admin",
        "import",
        "participants",
        str(path),
        "--map",
        "Client=name",
        "--map",
        "Court ref=referrer_reference",
        "--map",
        "Born=date_of_birth",
    )
    assert r.exit_code == 0, r.output
    person = people.get_participant(office, "P0004")
    assert (person.name, person.referrer_reference) == ("Xavier Testperson", "FC/9")
    assert details.get_details(office, "P0004").values["date_of_birth"] == "1988-05-06"
    r = invoke("--user", "admin", "import", "participants", str(path), "--map", "Client=shoe")
    assert r.exit_code == 2 and "unknown field 'shoe'" in r.output
    r = invoke("--user", "admin", "import", "participants", str(path))
    assert r.exit_code == 2 and "has no column for name" in r.output


def test_unreadable_files_are_one_line(office, invoke, tmp_path):
    r = invoke("--user", "admin", "import", "participants", str(tmp_path / "none.csv"))
    assert r.exit_code == 2 and r.output.startswith("Error: no file")
    odd = tmp_path / "men.txt"
    odd.write_text("x")
    r = invoke("--user", "admin", "import", "participants", str(odd))
    assert r.exit_code == 2 and "reads .csv or .xlsx" in r.output
    broken = tmp_path / "men.xlsx"
    broken.write_text("not a workbook")
    r = invoke("--user", "admin", "import", "participants", str(broken))
    assert r.exit_code == 2 and "cannot be read as a workbook" in r.output
    r = invoke("--user", "alex", "import", "participants", str(SAMPLE))
    assert r.exit_code == 1 and "may not import participants" in r.output


def test_attendance_import_marks_and_corrects_and_is_idempotent(office, invoke, tmp_path):
    enrol_all(office)
    s = sessions.start_session(office, "G1", "2026-11-03")
    sessions.close_session(office, s.id, force=True)
    sample = DOCS / "import-attendance-sample.csv"
    r = invoke("--user", "alex", "import", "attendance", str(sample))
    assert r.exit_code == 0, r.output
    assert "mark P0002 late in G1-2026-11-03" in r.output
    record = get_session(office, "G1-2026-11-03")
    assert record.attendance["P0002"].minutes_late == 15
    assert record.attendance["P0003"].reason == "hospital appointment"
    # A closed session's marks are corrections, with where they came from.
    assert {c.reason for c in record.corrections} == {"imported from import-attendance-sample.csv"}
    r = invoke("--user", "alex", "import", "attendance", str(sample))
    assert "imported 0 attendance rows of 3 (3 already held)" in r.output
    path = tmp_path / "marks.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["participant_id", "session_id", "status"])
        w.writerow(["P0001", "G1-2026-11-03", "unexcused"])
        w.writerow(["P0009", "G1-2026-11-03", "present"])
        w.writerow(["P0002", "G1-2030-01-01", "present"])
        w.writerow(["P0003", "G1-2026-11-03", "asleep"])
    r = invoke("--user", "alex", "import", "attendance", str(path), "--dry-run")
    assert r.exit_code == 2
    assert "row 3:" in r.output and "row 4: no session 'G1-2030-01-01'" in r.output
    assert "row 5: unknown attendance status 'asleep'" in r.output
    assert get_session(office, "G1-2026-11-03").attendance["P0001"].status == "present"
