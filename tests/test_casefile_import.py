"""`facilitator import participants|attendance FILE`: a preview, every bad row as "row N: why",
nothing written unless every row is good (or --skip-bad), idempotent, one audit line with a
count; .csv and .xlsx."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from facilitator.services.casefile import details
from facilitator.services.core import people
from facilitator.services.core.office import Office
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


# -- groups, enrolments, and attendance history ------------------------------------------------
HISTORY_START = "2026-06-02"  # a Tuesday: twelve weeks of sessions before the fixed "now"


def _history(office, weeks: int = 12) -> None:
    """Group G2 from June, the three men in it (the third from the fourth week), sessions held
    every Tuesday with every kind of mark, one man left unmarked once."""
    from datetime import date, timedelta

    from facilitator.services.groupwork import groups
    from tests.conftest import ready_for_group

    admin = Office.open(office.path, "admin")
    groups.create_group(
        admin,
        "Summer group",
        "core-24",
        "tuesday",
        "18:30",
        ["alex", "bea"],
        start_date=HISTORY_START,
        group_id="G2",
    )
    start = date.fromisoformat(HISTORY_START)
    for pid, week in (("P0001", 0), ("P0002", 0), ("P0003", 3)):
        ready_for_group(office, pid, "2026-05-20")
        groups.enrol(admin, "G2", pid, (start + timedelta(weeks=week)).isoformat())
    for w in range(weeks):
        day = (start + timedelta(weeks=w)).isoformat()
        s = sessions.start_session(office, "G2", day)
        sessions.mark_attendance(
            office,
            s.id,
            "P0001",
            ("present", "late", "unexcused")[w % 3],
            minutes_late=10 if w % 3 == 1 else 0,
        )
        if w != 5:  # week 6: P0002 given no mark
            sessions.mark_attendance(
                office,
                s.id,
                "P0002",
                "excused" if w % 4 == 2 else "present",
                reason="hospital appointment" if w % 4 == 2 else "",
            )
        if w >= 3:
            sessions.mark_attendance(
                office,
                s.id,
                "P0003",
                "left_early" if w == 7 else "present",
                minutes_missed=30 if w == 7 else 0,
            )
        sessions.close_session(office, s.id, force=True)


def _sheet(path: Path) -> list[tuple]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    rows = [tuple(r) for r in book["Attendance"].iter_rows(values_only=True)]
    book.close()
    return rows


def _fresh_workspace(tmp_path) -> Office:
    from facilitator.curriculum.locate import bundled_curricula_dir
    from facilitator.storage.workspace import Workspace

    ws = tmp_path / "fresh"
    Workspace.init(ws, "Test Programme", bundled_curricula_dir())
    admin = Office.open(ws, "admin")
    people.add_staff(admin, "Test Admin", ["admin", "coordinator"], "admin")
    people.add_staff(admin, "Alex Facilitator", ["facilitator"], "alex")
    people.add_staff(admin, "Bea Facilitator", ["facilitator"], "bea")
    return Office.open(ws, "admin")


def _write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_attendance_exported_as_xlsx_imports_into_a_fresh_workspace_and_exports_the_same(
    office, invoke, tmp_path
):
    from facilitator.services.core.group_store import enrolments, get_group
    from tests.conftest import ready_for_group

    _history(office)
    first = tmp_path / "first.xlsx"
    r = invoke("--user", "admin", "export", "attendance", "--group", "G2", "-o", str(first))
    assert r.exit_code == 0, r.output
    before = _sheet(first)
    assert len(before) == 1 + 12 * 2 + 9 and ("not_marked" in {row[8] for row in before})

    # The fresh workspace: its men, its group and their enrolments brought in first.
    fresh = _fresh_workspace(tmp_path)
    ws = ["--workspace", str(fresh.path), "--user", "admin"]
    men = _write_csv(
        tmp_path / "men.csv",
        ["name", "referral_source", "referrer", "referrer_reference", "referred_on"],
        [
            [p.name, p.referral_source, p.referrer, p.referrer_reference, p.referred_on]
            for p in people.list_participants(office)
        ],
    )
    r = invoke(*ws, "import", "participants", str(men))
    assert r.exit_code == 0 and "imported 3 participants rows of 3" in r.output, r.output
    source_group = get_group(office, "G2")
    group_file = _write_csv(
        tmp_path / "groups.csv",
        ["group_id", "name", "curriculum", "weekday", "time", "facilitators", "start_date"],
        [
            [
                "G2",
                source_group.name,
                source_group.curriculum,
                source_group.weekday,
                source_group.time,
                ";".join(source_group.facilitators),
                source_group.start_date,
            ]
        ],
    )
    r = invoke(*ws, "import", "groups", str(group_file))
    assert r.exit_code == 0 and "add group G2 Summer group" in r.output, r.output
    for p in people.list_participants(fresh):
        ready_for_group(fresh, p.id, "2026-05-20")  # his intake, as his own record
    joined = _write_csv(
        tmp_path / "enrolments.csv",
        ["participant_id", "group_id", "joined_on"],
        [[e.participant_id, e.group_id, e.joined_on] for e in enrolments(office, "G2")],
    )
    r = invoke(*ws, "import", "enrolments", str(joined))
    assert r.exit_code == 0 and "imported 3 enrolments rows of 3" in r.output, r.output

    r = invoke(*ws, "import", "attendance", str(first))
    assert r.exit_code == 0, r.output
    assert (
        "(recorded as held)" in r.output
        and "imported 32 attendance rows of 33 (1 already held)" in r.output
    )
    again = tmp_path / "again.xlsx"
    r = invoke(*ws, "export", "attendance", "--group", "G2", "-o", str(again))
    assert r.exit_code == 0, r.output
    assert _sheet(again) == before
    # The sessions it recorded are closed, as held sessions are.
    assert all(get_session(fresh, f"G2-{row[5]}").session.is_closed for row in before[1:])
    # Twice: nothing new, for any of the four kinds.
    for kind, path in (
        ("participants", men),
        ("groups", group_file),
        ("enrolments", joined),
        ("attendance", first),
    ):
        r = invoke(*ws, "import", kind, str(path))
        assert r.exit_code == 0 and f"imported 0 {kind} rows" in r.output, (kind, r.output)
    assert _sheet(again) == before


def test_a_bad_date_in_row_37_refuses_the_spreadsheet_and_writes_nothing(office, invoke, tmp_path):
    from datetime import date, timedelta

    import openpyxl

    from facilitator.services.groupwork import groups
    from tests.conftest import ready_for_group

    admin = Office.open(office.path, "admin")
    groups.create_group(
        admin,
        "Summer group",
        "core-24",
        "tuesday",
        "18:30",
        ["alex", "bea"],
        start_date=HISTORY_START,
        group_id="G2",
    )
    for pid in ("P0001", "P0002", "P0003"):
        ready_for_group(office, pid, "2026-05-20")
        groups.enrol(admin, "G2", pid, HISTORY_START)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["participant", "group", "session_date", "status"])
    start = date.fromisoformat(HISTORY_START)
    for w in range(13):
        for pid in ("P0001", "P0002", "P0003"):
            sheet.append([pid, "G2", start + timedelta(weeks=w), "present"])
    assert sheet.cell(37, 3).value.isoformat() == "2026-08-18"
    sheet.cell(37, 3).value = "2026-08-48"  # typed by hand into a date column
    path = tmp_path / "history.xlsx"
    book.save(path)
    files_before = sorted(p.relative_to(office.path) for p in (office.path / "data").rglob("*"))
    audit_before = (office.path / "data/audit.jsonl").read_text()

    r = invoke("--user", "admin", "import", "attendance", str(path))
    assert r.exit_code == 2
    assert "row 37: session date '2026-08-48' is not a date" in r.output
    assert sum(line.startswith("row ") for line in r.stderr.splitlines()) == 1
    assert "nothing imported: 1 of 39 rows are bad" in r.output
    files_after = sorted(p.relative_to(office.path) for p in (office.path / "data").rglob("*"))
    assert files_after == files_before  # not one session recorded
    assert (office.path / "data/audit.jsonl").read_text() == audit_before


def test_the_group_and_enrolment_samples_import_and_a_man_without_intake_is_refused(office, invoke):
    from tests.conftest import ready_for_group

    r = invoke("--user", "admin", "import", "groups", str(DOCS / "import-groups-sample.csv"))
    assert r.exit_code == 0 and "add group G7 Thursday evening group (thursdays 18:30)" in r.output
    joined = str(DOCS / "import-enrolments-sample.csv")
    r = invoke("--user", "admin", "import", "enrolments", joined)
    assert r.exit_code == 2 and "row 2: " in r.output and "intake" in r.output, r.output
    for pid in ("P0001", "P0002", "P0003"):
        ready_for_group(office, pid, "2024-12-01")
    r = invoke("--user", "admin", "import", "enrolments", joined)
    assert r.exit_code == 0 and "imported 3 enrolments rows of 3" in r.output, r.output
    r = invoke("--user", "alex", "import", "groups", str(DOCS / "import-groups-sample.csv"))
    assert r.exit_code == 1 and "may not import groups" in r.output
