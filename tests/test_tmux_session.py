"""A whole group session in a real terminal (tmux, 80×24): benchmarks/tmux_session.py."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not shutil.which("tmux"), reason="tmux is not installed")


def load_script():
    spec = importlib.util.spec_from_file_location(
        "tmux_session", ROOT / "benchmarks" / "tmux_session.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["tmux_session"] = module
    spec.loader.exec_module(module)
    return module


def test_a_whole_session_in_tmux_shows_no_code_no_command_and_nothing_private(tmp_path):
    script = load_script()
    workspace = tmp_path / "demo"
    env = {"FACILITATOR_NOW": script.NOW}
    subprocess.run(
        ["uv", "run", "facilitator", "demo", "--no-ui", str(workspace)],
        cwd=ROOT,
        env={**__import__("os").environ, **env},
        check=True,
        capture_output=True,
    )
    screens = script.run(workspace)  # raises when a step's screen never came
    for s in screens:
        script.check(s)
    names = [s.name for s in screens]
    assert "debrief signed by both" in names
    assert "Signed by both" in screens[-1].text
    found = [f"{s.name}: {f}" for s in screens for f in s.findings]
    assert not found, "\n".join(found)
