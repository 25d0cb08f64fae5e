"""`facilitator export attendance`, checked cell by cell on a small known workspace."""

from __future__ import annotations

import csv
import io
import json
import os
import stat

import pytest
from conftest import enrol_all, ready_for_group

from facilitator.services.core import people
from facilitator.services.core.office import Office
from facilitator.services.groupwork import groups, sessions

HEADER = [
    "participant_id",
    "name",
    "referral_source",
    "referrer_reference",
    "group",
    "session_date",
    "curriculum_session",
    "session_title",
    "status",
    "minutes_late",
    "minutes_missed",
    "excused_reason",
]
SUMMARY_HEADER = [
    "participant_id",
    "name",
    "referral_source",
    "referrer_reference",
    "groups",
    "sessions_held",
    "sessions_attended",
    "curriculum_covered",
    "sessions_required",
    "attendance_percent",
    "excused_absences",
    "unexcused_absences",
    "longest_unexcused_run",
    "compliance_status",
    "compliance_reason",
]


@pytest.fixture
def titles():
    from facilitator.curriculum import load_curriculum
    from facilitator.curriculum.locate import bundled_curricula_dir

    c = load_curriculum(bundled_curricula_dir() / "core-24")
    return {s.number: s.title for s in c.sessions}


@pytest.fixture
def known(office):
    """G1 (Tuesdays): Adam, Ben, Carl over three weeks. G2 (Thursdays): Dev from probation."""
    enrol_all(office)
    marks = {
        "2026-11-03": [
            ("P0001", "present", {}),
            ("P0002", "late", {"minutes_late": 10}),
            ("P0003", "excused", {"reason": "court hearing"}),
        ],
        "2026-11-10": [
            ("P0001", "unexcused", {}),
            ("P0002", "left_early", {"minutes_missed": 40}),
            ("P0003", "present", {}),
        ],
        "2026-11-17": [
            ("P0001", "late", {"minutes_late": 45}),
            ("P0002", "present", {}),
        ],  # Carl: not marked
    }
    for day, rows in marks.items():
        s = sessions.start_session(office, "G1", day)
        for pid, status, extra in rows:
            sessions.mark_attendance(office, s.id, pid, status, **extra)
        sessions.close_session(office, s.id, force=True)
    admin = Office.open(office.path, "admin")
    people.add_participant(admin, "Dev Example", "probation", "North Probation", "PROB-9")
    groups.create_group(
        admin,
        "Thursday group",
        "core-24",
        "thursday",
        "18:30",
        ["alex", "bea"],
        start_date="2026-11-05",
        group_id="G2",
    )
    ready_for_group(office, "P0004")
    groups.enrol(office, "G2", "P0004", "2026-11-05")
    s = sessions.start_session(office, "G2", "2026-11-05")
    sessions.mark_attendance(office, s.id, "P0004", "present")
    sessions.close_session(office, s.id, force=True)
    return office


def expected_rows(t):
    return [
        [
            "P0001",
            "Adam Example",
            "court",
            "REF-ADA",
            "G1",
            "2026-11-03",
            "1",
            t[1],
            "present",
            "0",
            "0",
            "",
        ],
        [
            "P0002",
            "Ben Sample",
            "court",
            "REF-BEN",
            "G1",
            "2026-11-03",
            "1",
            t[1],
            "late",
            "10",
            "0",
            "",
        ],
        [
            "P0003",
            "Carl Testcase",
            "court",
            "REF-CAR",
            "G1",
            "2026-11-03",
            "1",
            t[1],
            "excused",
            "0",
            "0",
            "court hearing",
        ],
        [
            "P0001",
            "Adam Example",
            "court",
            "REF-ADA",
            "G1",
            "2026-11-10",
            "2",
            t[2],
            "unexcused",
            "0",
            "0",
            "",
        ],
        [
            "P0002",
            "Ben Sample",
            "court",
            "REF-BEN",
            "G1",
            "2026-11-10",
            "2",
            t[2],
            "left_early",
            "0",
            "40",
            "",
        ],
        [
            "P0003",
            "Carl Testcase",
            "court",
            "REF-CAR",
            "G1",
            "2026-11-10",
            "2",
            t[2],
            "present",
            "0",
            "0",
            "",
        ],
        [
            "P0001",
            "Adam Example",
            "court",
            "REF-ADA",
            "G1",
            "2026-11-17",
            "3",
            t[3],
            "late",
            "45",
            "0",
            "",
        ],
        [
            "P0002",
            "Ben Sample",
            "court",
            "REF-BEN",
            "G1",
            "2026-11-17",
            "3",
            t[3],
            "present",
            "0",
            "0",
            "",
        ],
        [
            "P0003",
            "Carl Testcase",
            "court",
            "REF-CAR",
            "G1",
            "2026-11-17",
            "3",
            t[3],
            "not_marked",
            "0",
            "0",
            "",
        ],
        [
            "P0004",
            "Dev Example",
            "probation",
            "PROB-9",
            "G2",
            "2026-11-05",
            "1",
            t[1],
            "present",
            "0",
            "0",
            "",
        ],
    ]


# Worked by hand with the default rules (4 unexcused, 2 in a row, lateness of 30 minutes = absence):
# Adam: present, unexcused, 45 min late (an absence): 1 attended of 3, a run of 2 -> warning.
# Ben: 10 min late (attended), left after missing 40 (an absence), present: 2 of 3.
# Carl: excused, present, not marked: 1 of 1, the excused week left out.
SUMMARY = [
    [
        "P0001",
        "Adam Example",
        "court",
        "REF-ADA",
        "G1",
        "3",
        "1",
        "1",
        "24",
        "33.3",
        "0",
        "2",
        "2",
        "warning",
        "warning: 2 unexcused absences in a row: one more passes the limit of 2 (programme "
        "rules); attended 1 of 3 "
        "sessions expected (33%), 1 late or left early past the limit, counted as absence, "
        "1 of 24 curriculum "
        "sessions covered, 23 to do",
    ],
    [
        "P0002",
        "Ben Sample",
        "court",
        "REF-BEN",
        "G1",
        "3",
        "2",
        "2",
        "24",
        "66.7",
        "0",
        "1",
        "1",
        "on_track",
        "on track; attended 2 of 3 sessions expected (67%), 1 late or left early past the "
        "limit, counted as absence, "
        "2 of 24 curriculum sessions covered, 22 to do",
    ],
    [
        "P0003",
        "Carl Testcase",
        "court",
        "REF-CAR",
        "G1",
        "2",
        "1",
        "1",
        "24",
        "100.0",
        "1",
        "0",
        "0",
        "on_track",
        "on track; attended 1 of 1 sessions expected (100%), 1 excused, 1 of 24 curriculum "
        "sessions covered, 23 to do",
    ],
    [
        "P0004",
        "Dev Example",
        "probation",
        "PROB-9",
        "G2",
        "1",
        "1",
        "1",
        "24",
        "100.0",
        "0",
        "0",
        "0",
        "on_track",
        "on track; attended 1 of 1 sessions expected (100%), 1 of 24 curriculum sessions "
        "covered, 23 to do",
    ],
]


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_to_stdout_cell_by_cell(known, invoke, titles):
    result = invoke("export", "attendance")
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    assert rows[0] == HEADER
    assert rows[1:] == expected_rows(titles)


def test_csv_summary_cell_by_cell(known, invoke):
    rows = read_csv(invoke("export", "attendance", "--summary").stdout)
    assert rows[0] == SUMMARY_HEADER
    assert rows[1:] == SUMMARY


def test_json_rows_and_summary(known, invoke, titles, tmp_path):
    out = tmp_path / "att.json"
    result = invoke("export", "attendance", "-o", str(out))
    assert result.exit_code == 0 and "wrote" in result.stderr
    data = json.loads(out.read_text())
    want = [dict(zip(HEADER, r)) for r in expected_rows(titles)]
    for row in want:
        for key in ("curriculum_session", "minutes_late", "minutes_missed"):
            row[key] = int(row[key])
    assert data == want
    summary = json.loads(invoke("export", "attendance", "--summary", "--format", "json").stdout)
    assert summary[0] == {
        "participant_id": "P0001",
        "name": "Adam Example",
        "referral_source": "court",
        "referrer_reference": "REF-ADA",
        "groups": "G1",
        "sessions_held": 3,
        "sessions_attended": 1,
        "curriculum_covered": 1,
        "sessions_required": 24,
        "attendance_percent": 33.3,
        "excused_absences": 0,
        "unexcused_absences": 2,
        "longest_unexcused_run": 2,
        "compliance_status": "warning",
        "compliance_reason": SUMMARY[0][-1],
    }
    assert [r["participant_id"] for r in summary] == ["P0001", "P0002", "P0003", "P0004"]


def test_xlsx_read_back_with_openpyxl(known, invoke, titles, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "att.xlsx"
    result = invoke("export", "attendance", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    wb = load_workbook(out)
    assert wb.sheetnames == ["Attendance", "Summary"]
    assert wb["Attendance"].freeze_panes == "A2" and wb["Attendance"]["A1"].font.b
    rows = [list(r) for r in wb["Attendance"].iter_rows(values_only=True)]
    assert rows[0] == HEADER
    want = [
        [int(v) if i in (6, 9, 10) else (v or None) for i, v in enumerate(r)]
        for r in expected_rows(titles)
    ]
    assert rows[1:] == want
    summary = [list(r) for r in wb["Summary"].iter_rows(values_only=True)]
    assert summary[0] == SUMMARY_HEADER
    number_columns = {5, 6, 7, 8, 10, 11, 12}
    assert summary[1:] == [
        [int(v) if i in number_columns else float(v) if i == 9 else v for i, v in enumerate(r)]
        for r in SUMMARY
    ]


def test_filters(known, invoke):
    def ids(*args):
        return [(r[0], r[5]) for r in read_csv(invoke("export", "attendance", *args).stdout)[1:]]

    assert ids("--group", "G2") == [("P0004", "2026-11-05")]
    assert ids("--participant", "p0002") == [
        ("P0002", "2026-11-03"),
        ("P0002", "2026-11-10"),
        ("P0002", "2026-11-17"),
    ]
    assert ids("--referral-source", "probation") == [("P0004", "2026-11-05")]
    assert ids("--from", "2026-11-05", "--to", "2026-11-10") == [
        ("P0001", "2026-11-10"),
        ("P0002", "2026-11-10"),
        ("P0003", "2026-11-10"),
        ("P0004", "2026-11-05"),
    ]
    # The summary of a date range still judges each man on his whole record.
    summary = read_csv(invoke("export", "attendance", "--summary", "--from", "2026-11-17").stdout)
    assert [r[0] for r in summary[1:]] == ["P0001", "P0002", "P0003"]
    assert summary[1][5] == "3"


def test_bad_requests_are_one_line(known, invoke):
    xlsx = invoke("export", "attendance", "--format", "xlsx")
    assert xlsx.exit_code == 2 and "needs a file" in xlsx.output
    dates = invoke("export", "attendance", "--from", "2026-11-20", "--to", "2026-11-01")
    assert dates.exit_code == 2 and "--from 2026-11-20 is after --to 2026-11-01" in dates.output
    nobody = invoke("export", "attendance", "--participant", "P0999")
    assert nobody.exit_code == 2 and "no participant with id 'P0999'" in nobody.output
    facilitator = invoke("--user", "alex", "export", "attendance")
    assert facilitator.exit_code == 1 and "needs the role coordinator" in facilitator.output


def test_pseudonymised_export_holds_no_name_id_or_reference(known, invoke, tmp_path):
    secrets = [
        "Adam",
        "Example",
        "Ben Sample",
        "Carl",
        "Testcase",
        "Dev",
        "REF-ADA",
        "REF-BEN",
        "REF-CAR",
        "PROB-9",
        "P0001",
        "P0002",
        "P0003",
        "P0004",
        "court hearing",
        "North Probation",
        "Demo Court",
    ]
    outputs = {}
    for fmt in ("csv", "json"):
        outputs[fmt] = invoke("export", "attendance", "--pseudonymise", "--format", fmt).stdout
        outputs[fmt + "-summary"] = invoke(
            "export", "attendance", "--pseudonymise", "--summary", "--format", fmt
        ).stdout
    invoke("export", "attendance", "--pseudonymise", "-o", str(tmp_path / "p.xlsx"))
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "p.xlsx")
    outputs["xlsx"] = "\n".join(
        str(v) for ws in wb for r in ws.iter_rows(values_only=True) for v in r
    )
    key_file = known.path / "data" / "keys" / "pseudonym.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    key = key_file.read_text().strip()
    for name, text in outputs.items():
        for secret in secrets + [key, key[:16]]:
            assert secret not in text, f"{secret!r} found in the {name} export"
    rows = read_csv(outputs["csv"])
    # Stable: the same man has the same pseudonym in every row and in every export.
    adam = {r[0] for r in rows[1:] if r[4] == "G1" and r[5] == "2026-11-03" and r[8] == "present"}
    assert len(adam) == 1 and next(iter(adam)).startswith("M-")
    again = read_csv(invoke("export", "attendance", "--pseudonymise").stdout)
    assert again == rows
    assert (
        rows[1][3].startswith("R-") and rows[3][11] == ""
    )  # reference pseudonymised, excused reason left out


def test_pseudonymised_summary_does_not_name_the_order(known, invoke):
    invoke(
        "--user",
        "admin",
        "participant",
        "limits",
        "P0001",
        "--unexcused",
        "1",
        "--order",
        "Crown Court order 7/2026",
    )
    plain = invoke("export", "attendance", "--summary").stdout
    masked = invoke("export", "attendance", "--summary", "--pseudonymise").stdout
    assert "Crown Court order 7/2026" in plain
    assert "Crown Court order 7/2026" not in masked and "(referrer's order)" in masked


def test_text_a_spreadsheet_would_run_is_kept_as_text(office, invoke, tmp_path):
    admin = Office.open(office.path, "admin")
    people.add_participant(admin, '=HYPERLINK("http://x") Name', "court", "", "@REF")
    enrol_all(office)
    s = sessions.start_session(office, "G1", "2026-11-03")
    sessions.mark_attendance(office, s.id, "P0004", "present")
    rows = read_csv(invoke("export", "attendance", "--participant", "P0004").stdout)
    assert rows[1][1] == '\'=HYPERLINK("http://x") Name' and rows[1][3] == "'@REF"
    invoke("export", "attendance", "--participant", "P0004", "-o", str(tmp_path / "x.xlsx"))
    from openpyxl import load_workbook

    cell = load_workbook(tmp_path / "x.xlsx")["Attendance"]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_progress_on_stderr_and_output_file_private(known, invoke, tmp_path):
    out = tmp_path / "att.csv"
    result = invoke("export", "attendance", "--progress", "-o", str(out))
    assert result.exit_code == 0
    assert "exporting 2 group(s)" in result.stderr
    assert "wrote" in result.stderr and "10 rows, 4 men from 2 group(s)" in result.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert read_csv(out.read_text())[0] == HEADER


def test_export_is_audited_without_content(known, invoke):
    invoke("export", "attendance", "--pseudonymise")
    last = (known.path / "data" / "audit.jsonl").read_text().strip().splitlines()[-1]
    entry = json.loads(last)
    assert (entry["action"], entry["kind"], entry["rows"], entry["pseudonymised"]) == (
        "export",
        "attendance",
        "10",
        "yes",
    )
    assert "Adam" not in last


def test_an_output_name_with_an_unknown_extension_is_refused(known, invoke, tmp_path):
    r = invoke("--user", "admin", "export", "attendance", "-o", str(tmp_path / "out.pdf"))
    assert r.exit_code == 2 and "cannot tell the format" in r.output
    assert not (tmp_path / "out.pdf").exists()
