"""The README's set-up, intake, partner support and session commands, run top to bottom on a
fresh workspace as a new coordinator would type them: every line must succeed."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from helpers.signed import passphrase_of

README = Path(__file__).resolve().parent.parent / "README.md"
SECTIONS = (
    "## Setting up a real programme",
    "### Partner support",
    "### Running a session from the command line",
)


def readme_lines() -> list[str]:
    """The shell lines of the sections above, in order, continuation lines joined."""
    text = README.read_text(encoding="utf-8")
    lines: list[str] = []
    for heading in SECTIONS:
        start = text.index(heading)
        nxt = re.search(r"^#{2,3} ", text[start + len(heading) :], re.M)
        part = text[start : start + len(heading) + (nxt.start() if nxt else len(text))]
        for block in re.findall(r"```sh\n(.*?)```", part, re.S):
            lines += block.replace("\\\n", " ").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_the_readme_has_the_commands_this_test_runs():
    lines = readme_lines()
    assert any(line.startswith("uv run facilitator init") for line in lines)
    assert any("session close" in line for line in lines)
    assert sum(line.startswith("uv run facilitator") for line in lines) >= 25


def test_every_readme_command_runs_in_order_on_a_fresh_workspace(runner, tmp_path, monkeypatch):
    from facilitator.cli import cli

    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T18:00:00")  # the Tuesday the text uses
    monkeypatch.setenv("FACILITATOR_PARTNER_PASSPHRASE", "a partner passphrase for tests")
    monkeypatch.delenv("FACILITATOR_USER", raising=False)
    env: dict[str, str] = {}
    ran = 0
    for line in readme_lines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            env[name] = str(tmp_path / "ws") if name == "FACILITATOR_WORKSPACE" else value
            continue
        assert words[:3] == ["uv", "run", "facilitator"], line
        # A redirected export would be a 0644 file: the commands write their own files, 0600.
        assert ">" not in words, line
        args = words[3:]
        # Each member signs in with their own passphrase, and sets new ones, without typing.
        acting = args[1] if args[:1] == ["--user"] else env.get("FACILITATOR_USER", "sam")
        target = args[4] if args[2:4] == ["staff", "passphrase"] and len(args) > 4 else acting
        signing = {
            "FACILITATOR_PASSPHRASE": passphrase_of(acting),
            "FACILITATOR_NEW_PASSPHRASE": passphrase_of(target),
        }
        result = runner.invoke(cli, args, env=env | signing, catch_exceptions=False)

        assert result.exit_code == 0, f"{line}\n{result.output}"
        ran += 1
    assert ran >= 25
    assert "audit log intact" in result.output  # the last line checks the whole chain
