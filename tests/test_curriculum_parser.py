"""Curriculum -> sessions -> segments, each with its source, read from the documented format."""

from __future__ import annotations

import re
from pathlib import Path

from facilitator.curriculum import check_curriculum, load_curriculum, parse_curriculum

ROOT = Path(__file__).parent.parent
VALID = Path(__file__).parent / "fixtures" / "curricula_valid" / "steady-3"


def test_a_curriculum_written_from_the_readme_loads():
    c = load_curriculum(VALID)
    assert (c.id, c.title, c.version, c.default_session_minutes) == (
        "steady-3",
        "Steady steps: a three-session taster",
        "0.3",
        120,
    )
    assert c.topics["fathering"] == "Fathering and child contact"
    assert [(s.number, s.title, s.minutes) for s in c.sessions] == [
        (1, "Stopping", 120),
        (2, "Rules, money and control", 120),
        (3, "Respect and consent", 90),
    ]
    assert c.total_minutes == 330


def test_segments_have_kind_minutes_source_line_and_markdown():
    c = load_curriculum(VALID)
    first = c.session(1)
    assert [(s.title, s.kind, s.minutes, s.line) for s in first.segments] == [
        ("Check-in", "check_in", 25, 15),
        ("Exercise: What brought me here", "exercise", 40, 23),
        ("Break", "break", 10, 34),
        ("Exercise: A time-out plan", "exercise", 30, 38),
        ("Closing and homework", "closing", 15, 42),
    ]
    assert all(s.source == VALID / "01-stopping.md" for s in first.segments)
    exercise = first.segments[1].markdown
    assert exercise.startswith("### Steps\n\n1. Each man says")
    # A `##` inside a fenced code block belongs to the segment; it does not start one.
    assert "## This line is inside a code block" in exercise
    assert first.intro_markdown == "# Session 1: Stopping\n\nMaterials: flipchart, time-out cards."
    assert first.objectives[1].startswith("Make a time-out plan: when")


def test_kind_markers_override_the_heading_words():
    second = load_curriculum(VALID).session(2)
    assert [(s.title, s.kind) for s in second.segments] == [
        ("Arrival round", "check_in"),
        ("The rules in my house", "exercise"),
        ("Tea", "break"),
        ("Money diary", "exercise"),
        ("Homework and goodbye", "closing"),
    ]


def test_crlf_and_byte_order_mark_files_read_like_any_other(tmp_path):
    folder = tmp_path / "steady-3"
    folder.mkdir()
    for path in VALID.iterdir():
        (folder / path.name).write_bytes(
            b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
        )
    report = check_curriculum(folder)
    assert report.problems == []
    assert report.curriculum.session(1).segments[2].line == 34


def test_the_worked_example_in_the_readme_checks_without_errors(tmp_path):
    readme = (ROOT / "curricula" / "README.md").read_text(encoding="utf-8")
    example = readme[readme.index("## A worked example") :]
    files = re.findall(r"`(respect-2/[^`]+)`\n\n```\w*\n(.*?)```", example, re.S)
    assert [name for name, _ in files] == [
        "respect-2/curriculum.yaml",
        "respect-2/01-time-out.md",
        "respect-2/02-accountability.md",
    ]
    for name, text in files:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = check_curriculum(tmp_path / "respect-2")
    assert report.errors == []
    # As the README says: four core topics are not covered by two sessions.
    assert len(report.warnings) == 4
    assert [s.minutes for s in report.curriculum.sessions] == [90, 90]
    assert report.curriculum.session(2).segments[1].kind == "exercise"


def test_unnumbered_sessions_are_kept_out_of_the_running_order():
    result = parse_curriculum(
        Path(__file__).parent / "fixtures" / "curricula_broken" / "missing_session_number"
    )
    assert [s.number for s in result.curriculum.sessions] == [1]
    assert len(result.session_files) == 2
