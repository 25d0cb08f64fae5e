"""A checked curriculum is reused from the cache only while nothing it was made from has changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator.curriculum import checked, load_curriculum

VALID = Path(__file__).parent / "fixtures" / "curricula_valid" / "steady-3"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("FACILITATOR_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "steady-3"
    shutil.copytree(VALID, copy)
    return copy


def test_the_cached_report_equals_a_fresh_check(folder):
    first = checked(folder)
    again = checked(folder)
    assert list((folder.parent / "cache").iterdir())
    assert again == first
    assert (
        again.curriculum.session(1).segments[1].markdown
        == first.curriculum.session(1).segments[1].markdown
    )


def test_an_edited_session_is_read_again(folder):
    assert load_curriculum(folder).session(2).title == "Rules, money and control"
    path = folder / "02-control.md"
    path.write_text(
        path.read_text().replace("title: Rules, money and control", "title: Rules and money")
    )
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert load_curriculum(folder).session(2).title == "Rules and money"


def test_an_edit_that_breaks_the_curriculum_is_refused_not_served_from_the_cache(folder):
    from facilitator.curriculum import InvalidCurriculum

    load_curriculum(folder)
    path = folder / "03-respect.md"
    path.write_text(path.read_text().replace("## Check-in (25 min)", "## Welcome (25 min)"))
    with pytest.raises(InvalidCurriculum):
        load_curriculum(folder)


def test_a_damaged_cache_file_is_ignored(folder):
    checked(folder)
    [cache_file] = (folder.parent / "cache").iterdir()
    cache_file.write_text('{"key": ', encoding="utf-8")
    assert checked(folder).ok
    cache_file.write_text(json.dumps({"key": json.loads("{}"), "report": 1}), encoding="utf-8")
    assert checked(folder).ok


def test_an_unwritable_cache_only_costs_a_fresh_check(folder, monkeypatch):
    blocker = folder.parent / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FACILITATOR_CACHE_DIR", str(blocker / "cache"))
    assert checked(folder).ok
    assert checked(folder).curriculum.id == "steady-3"


def test_a_cached_show_does_not_import_the_parser(tmp_path):
    env = {
        **os.environ,
        "FACILITATOR_CACHE_DIR": str(tmp_path / "cache"),
        "FACILITATOR_WORKSPACE": str(tmp_path / "ws"),
    }
    code = (
        "import sys; from facilitator.cli import main\n"
        "try:\n    main(['curriculum', 'show', 'core-24', '--json'])\n"
        "except SystemExit:\n    pass\n"
        "print('PARSER' if 'markdown_it' in sys.modules else 'CACHED', file=sys.stderr)"
    )
    first = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    second = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert first.stderr.strip().endswith("PARSER"), first.stderr
    assert second.stderr.strip().endswith("CACHED"), second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)
