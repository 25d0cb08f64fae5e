"""`facilitator curriculum check | list | show` as a coordinator or facilitator uses them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "curricula_valid" / "steady-3"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run():
    def _run(*args: str):
        return CliRunner().invoke(cli, list(args))

    return _run


def test_check_a_valid_curriculum_exits_0_and_ends_with_the_coverage_table(run):
    result = run("curriculum", "check", str(VALID))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "steady-3: 3 sessions, 330 minutes; 0 errors, 0 warnings"
    assert "Core topic coverage" in lines
    assert lines[-1].split()[0] == "non_violent_alternatives" and lines[-1].endswith(" 1")


def test_check_reports_every_problem_with_file_and_line_and_exits_1(run):
    folder = FIXTURES / "curricula_broken" / "proposes_mediation"
    result = run("curriculum", "check", str(folder))
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in errors] == [
        f"{folder / '02-second.md'}:15",
        f"{folder / '02-second.md'}:17",
    ]
    assert "Core topic coverage" in result.stdout


def test_check_a_session_file_checks_its_whole_curriculum(run):
    result = run("curriculum", "check", str(VALID / "02-control.md"))
    assert result.exit_code == 0
    assert result.stdout.startswith("steady-3: 3 sessions")


def test_check_the_bundled_curriculum_by_id(run):
    result = run("curriculum", "check", "core-24")
    assert result.exit_code == 0, result.stdout
    assert "; 0 errors" in result.stdout
    assert "NONE" not in result.stdout


def test_check_a_path_that_does_not_exist_is_one_line_on_stderr(run, tmp_path):
    result = run("curriculum", "check", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().startswith("Error: no curriculum folder or id")
    assert "Traceback" not in result.output


def test_list_without_a_workspace_shows_the_bundled_curricula(run):
    result = run("curriculum", "list", "--json")
    assert result.exit_code == 0, result.output
    [core] = [c for c in json.loads(result.stdout) if c["id"] == "core-24"]
    assert core["source"] == "bundled"
    assert core["sessions"] >= 24 and core["errors"] == 0
    text = run("curriculum", "list").stdout
    assert "core-24" in text and "bundled" in text


def test_a_workspace_curriculum_is_listed_and_replaces_the_bundled_one(run, isolated_workspace):
    assert run("init").exit_code == 0
    curricula = isolated_workspace / "curricula"
    shutil.copytree(VALID, curricula / "steady-3")
    first = curricula / "core-24" / "01-why-we-are-here.md"
    first.write_text(
        first.read_text(encoding="utf-8").replace(
            "title: Why we are here", "title: Our own first session", 1
        ),
        encoding="utf-8",
    )

    listed = {c["id"]: c for c in json.loads(run("curriculum", "list", "--json").stdout)}
    assert listed["steady-3"]["source"] == "workspace"
    assert listed["core-24"]["source"] == "workspace"
    shown = json.loads(run("curriculum", "show", "core-24", "--json").stdout)
    assert shown["sessions"][0]["title"] == "Our own first session"
    assert shown["source"] == "workspace"


def test_show_json_lists_sessions_with_their_segments(run):
    result = run("curriculum", "show", "core-24", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == "core-24"
    sessions = data["sessions"]
    assert [s["number"] for s in sessions] == list(range(1, len(sessions) + 1))
    for s in sessions:
        assert {"number", "title", "theme", "minutes", "topics", "segments"} <= set(s)
        assert sum(seg["minutes"] for seg in s["segments"]) == s["minutes"]
        assert s["segments"][0]["kind"] == "check_in"
        assert all({"title", "kind", "minutes"} <= set(seg) for seg in s["segments"])


def test_show_one_session_json_carries_the_guidance(run):
    data = json.loads(run("curriculum", "show", str(VALID), "--session", "2", "--json").stdout)
    assert data["curriculum"] == "steady-3"
    assert data["segments"][0] == {
        "title": "Arrival round",
        "kind": "check_in",
        "minutes": 30,
        "line": 13,
        "markdown": 'The accountability round, as every week, then: "Who decided how money '
        'was spent in your house?"',
    }


def test_show_one_session_reads_as_a_plan_in_the_terminal(run):
    result = run("curriculum", "show", str(VALID), "--session", "1")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Session 1: Stopping" in out
    order = [
        out.index(s)
        for s in (
            "1. Check-in — 25 min (check-in, 0:00-0:25)",
            "2. Exercise: What brought me here — 40 min (exercise, 0:25-1:05)",
            "3. Break — 10 min (break, 1:05-1:15)",
            "5. Closing and homework — 15 min (closing, 1:45-2:00)",
        )
    ]
    assert order == sorted(order)
    assert "Each man says, in one or two sentences" in out
    assert "Steps" in out and "### Steps" not in out  # rendered, not raw Markdown
    assert all(line == line.rstrip() for line in out.splitlines())


def test_show_the_curriculum_as_a_table_of_sessions(run):
    result = run("curriculum", "show", str(VALID))
    assert result.exit_code == 0
    assert "3 sessions, 5 h 30 min in all" in result.stdout
    assert any(line.split()[:2] == ["2", "Rules,"] for line in result.stdout.splitlines())


@pytest.mark.parametrize(
    "args, words",
    [
        (("show", "no-such-curriculum"), "no curriculum 'no-such-curriculum' (available: core-24"),
        (("show", "core-24", "--session", "99"), "has no session 99"),
    ],
)
def test_show_unknown_things_is_one_line_and_exit_2(run, args, words):
    result = run("curriculum", *args)
    assert result.exit_code == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_refuses_a_curriculum_with_errors(run):
    result = run("curriculum", "show", str(FIXTURES / "curricula_broken" / "no_check_in"))
    assert result.exit_code == 1
    assert "has 1 error" in result.stderr and "facilitator curriculum check" in result.stderr


def test_curriculum_commands_start_without_the_heavy_imports():
    code = (
        "import sys, facilitator.cli;"
        "heavy = [m for m in ('markdown_it', 'yaml', 'rich', 'textual') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_check_a_folder_of_curricula_checks_each_one(run, tmp_path):
    shutil.copytree(VALID, tmp_path / "steady-3")
    shutil.copytree(FIXTURES / "curricula_broken" / "no_check_in", tmp_path / "no_check_in")
    result = run("curriculum", "check", str(tmp_path))
    assert result.exit_code == 1
    summaries = [
        line for line in result.stdout.splitlines() if " sessions, " in line and "; " in line
    ]
    assert summaries == [
        "no_check_in: 2 sessions, 120 minutes; 1 error, 0 warnings",
        "steady-3: 3 sessions, 330 minutes; 0 errors, 0 warnings",
    ]
