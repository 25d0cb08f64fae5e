"""A whole group session run in tmux at 80×24, as a facilitator runs it, every screen checked.

    uv run python benchmarks/tmux_session.py [--keep DIR] [--captures DIR]

On a demo workspace in a temporary folder, in a real terminal (tmux, 80 columns by 24 rows):
alex signs in, opens today's session of the Friday group, marks every man (one late, one
excused), takes three check-ins (the first discloses strangulation; the flag is confirmed from
the risk suggestion), turns privacy mode on and off (Ctrl+T), closes the session, writes and
signs the debrief; then bea signs in and signs it too.

Each captured screen is checked for what a person in the room must not see:
- a cut-off label: a word running into the right edge, or text ending in "…";
- a raw category code (physical_violence, threats_to_kill, ...);
- CLI command text ("facilitator ", "--action", "uv run");
- in privacy mode: a surname or the words of a check-in.
A table of screens and findings is printed; the exit status is 1 when anything was found.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-27T18:25:00"  # a Friday: the demo's first group meets today
SESSION_ID = "G1-2026-11-27"
WIDTH, HEIGHT = 80, 24

CODES = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
CLI_TEXT = ("facilitator ", "--action", "uv run")
SURNAMES = ("Example", "Sample", "Testcase", "Placeholder", "Demo ", "Fictional", "Madeup")
CHECKIN_WORDS = ("throat", "strangled", "calm week", "raised his voice")


@dataclass
class Screen:
    name: str
    text: str
    privacy: bool = False
    findings: list[str] = field(default_factory=list)


# A server of its own: the run never touches a person's tmux sessions.
SOCKET = f"facilitator-room-{os.getpid()}"


def tmux(*args: str) -> str:
    cmd = ["tmux", "-L", SOCKET, *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


class Terminal:
    """One tmux session running the UI; keys in, screens out."""

    def __init__(self, name: str, command: str) -> None:
        self.name = name
        env = {"FACILITATOR_NOW": NOW, "NO_COLOR": ""}
        flags = [x for k, v in env.items() for x in ("-e", f"{k}={v}")]
        for attempt in range(3):  # a server still shutting down refuses a new session
            try:
                tmux(
                    "new-session",
                    "-d",
                    "-s",
                    name,
                    "-x",
                    str(WIDTH),
                    "-y",
                    str(HEIGHT),
                    *flags,
                    command,
                )
                break
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
                time.sleep(0.5)

    def capture(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        for key in keys:
            tmux("send-keys", "-t", self.name, key)
            time.sleep(pause)

    def type(self, words: str) -> None:
        tmux("send-keys", "-t", self.name, "-l", words)
        time.sleep(0.3)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        end = time.monotonic() + timeout
        while True:
            screen = self.capture()
            if text in screen:
                time.sleep(0.25)  # let the frame finish drawing
                return self.capture()
            if time.monotonic() > end:
                raise TimeoutError(f"waited {timeout:.0f} s for {text!r}; the screen:\n{screen}")
            time.sleep(0.1)

    def wait_until_gone(self, text: str, timeout: float = 15.0) -> str:
        """The screen once `text` (a loading word such as 'counting…') has left it."""
        end = time.monotonic() + timeout
        while True:
            screen = self.capture()
            if text not in screen:
                return screen
            if time.monotonic() > end:
                raise TimeoutError(f"{text!r} still shown after {timeout:.0f} s:\n{screen}")
            time.sleep(0.1)

    def settle(self, seconds: float = 0.6) -> str:
        time.sleep(seconds)
        return self.capture()

    def close(self) -> None:
        subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", self.name], capture_output=True)


# -- checks -------------------------------------------------------------------------------------
def check(screen: Screen) -> None:
    lines = screen.text.splitlines()
    for n, line in enumerate(lines, 1):
        body = line.rstrip()
        # A word running into the last column was cut by the terminal's edge (a box's right
        # border or a scrollbar there is not text).
        if len(body) >= WIDTH and body[WIDTH - 1].isalnum() and body[WIDTH - 2].isalnum():
            screen.findings.append(f"line {n}: cut at the right edge: …{body[-24:]!r}")
        for m in re.finditer(r"\S*…", line):
            screen.findings.append(f"line {n}: ends in an ellipsis: {m.group(0)!r}")
        for m in CODES.finditer(line):
            screen.findings.append(f"line {n}: raw code {m.group(0)!r}")
        for cli in CLI_TEXT:
            if cli in line:
                screen.findings.append(f"line {n}: CLI text {cli!r}")
        if screen.privacy:
            for word in (*SURNAMES, *CHECKIN_WORDS):
                if word in line:
                    screen.findings.append(f"line {n}: in privacy mode shows {word.strip()!r}")


# -- the session ----------------------------------------------------------------------------------
def cursor_name(screen: str) -> str:
    for line in screen.splitlines():
        if line.startswith("▸"):
            return line[14:29].strip()
    return ""


def go_to(term: Terminal, name: str) -> None:
    """Put the roster's cursor on a man, as a facilitator would with the arrow keys."""
    term.keys("Home")
    for _ in range(12):
        screen = term.settle(0.3)
        if cursor_name(screen).startswith(name):
            return
        term.keys("Down")
    raise TimeoutError(f"the roster's cursor never reached {name}; the screen:\n{screen}")


def back_to_roster(term: Terminal) -> None:
    """Esc from the check-in form (a saved check-in with nothing to decide closes it itself)."""
    for _ in range(3):
        if not re.search(r"Check-in: [A-Z]", term.settle(0.5)):
            return
        term.keys("Escape")
    raise TimeoutError("the check-in form did not close on Esc")


def open_note(term: Terminal, session_id: str) -> None:
    """Open one session's debrief from a freshly opened debriefs list: down to its row, Enter."""
    lines = term.wait_for("Debriefs ·").splitlines()
    rows = [line.split()[0] for line in lines[3:] if line.strip()[:1].isalnum()]
    if session_id not in rows:
        raise TimeoutError(f"no debrief of {session_id} in the list: {rows}")
    term.keys(*["Down"] * rows.index(session_id), "Enter")
    if session_id not in term.wait_for("^g Sign").splitlines()[1]:
        raise TimeoutError(f"Enter on {session_id}'s row opened another note")


def launch(workspace: Path, user: str, tag: str) -> Terminal:
    facilitator = ROOT / ".venv" / "bin" / "facilitator"
    program = str(facilitator) if facilitator.exists() else "uv run facilitator"
    command = f"cd {ROOT} && {program} -w {workspace} -u {user}; sleep 600"
    return Terminal(f"facilitator-room-{tag}-{os.getpid()}", command)


def run(workspace: Path) -> list[Screen]:
    screens: list[Screen] = []

    def shot(name: str, text: str, privacy: bool = False) -> str:
        screens.append(Screen(name, text, privacy))
        return text

    term = launch(workspace, "alex", "alex")
    try:
        shot("sign in", term.wait_for("Your passphrase"))
        term.type("demo-alex-passphrase")
        term.keys("Enter")
        term.wait_for("Risk flags")
        # The due lists load after the groups: "counting…" is their loading word, not a cut.
        shot("home", term.wait_until_gone("counting…"))
        term.keys("Enter")
        shot("session", term.wait_for("Roster"))

        # Attendance for every man: Eli 10 minutes late, Hal excused, the rest present.
        marks = ["p", "p", "p", "p", "l", "p", "p", "e", "p"]
        for i, mark in enumerate(marks):
            term.keys(mark)
            if mark == "l":
                shot("late: how many minutes", term.wait_for("minutes late"))
                term.keys("C-u")
                term.type("10")
                term.keys("Enter")
            elif mark == "e":
                shot("excused: reason", term.settle(1.0))
                term.type("at a hospital appointment")
                term.keys("Enter")
            term.settle(0.4)
        shot("attendance done", term.wait_for("9/9 marked"))

        # Check-in 1: a disclosure of strangulation; the flag confirmed from the suggestion.
        go_to(term, "Adam")
        term.keys("Enter")
        shot("check-in form", term.wait_for("Any abuse since last time"))
        term.keys("2", "Tab", "1", "Tab", "1", "Tab")
        term.type("He said he grabbed her by the throat and strangled her in an argument.")
        shot("check-in: risk suggested", term.wait_for("Strangulation"))
        term.keys("C-s")
        shot("check-in saved", term.wait_for("saved"))
        term.keys("Enter")
        shot("confirm as a flag", term.wait_for("which categories"))
        term.keys("Enter")
        shot("flag raised", term.wait_for("Flag raised"))
        back_to_roster(term)

        # Check-ins 2 and 3: no abuse disclosed.
        for name, words in (
            ("Ben", "Talked about a calm week at home with the children."),
            ("Carl", "Said he raised his voice at work and walked away."),
        ):
            go_to(term, name)
            term.keys("Enter")
            term.wait_for(f"Check-in: {name}")
            term.keys("1", "Tab", "Tab", "Tab")
            term.type(words)
            term.keys("C-s")
            shot(f"check-in {name} saved", term.wait_for("Saved"))
            back_to_roster(term)

        # Privacy mode on: what the room may see; then off again.
        term.keys("C-t")
        shot("privacy on: session", term.wait_for("PRIVACY ON"), privacy=True)
        go_to(term, "Adam")
        term.keys("Enter")
        shot("privacy on: check-in", term.settle(1.2), privacy=True)
        back_to_roster(term)
        term.keys("C-t")
        shot("privacy off: session", term.wait_for("privacy off"))

        # Close the session, then write and sign the debrief.
        term.keys("C-e")
        shot("close: what is missing", term.wait_for("Close session"))
        term.keys("y")
        shot("closed: debrief now?", term.wait_for("Write the debrief now"))
        term.keys("y")
        shot("debrief editor", term.wait_for("^g Sign"))
        term.keys("C-End")
        term.type(" Adam disclosed strangulation; flagged and referred for review today.")
        term.keys("C-s")
        shot("debrief saved", term.settle(1.0))
        term.keys("C-g")
        shot("debrief signed by alex", term.settle(1.5))
        term.keys("Escape")
        shot("closed session", term.settle(1.0))
        term.keys("Escape")
        term.wait_for("Risk flags")
        term.keys("C-q")
    finally:
        term.close()

    term = launch(workspace, "bea", "bea")
    try:
        term.wait_for("Your passphrase")
        term.type("demo-bea-passphrase")
        term.keys("Enter")
        term.wait_for("Risk flags")
        shot("home as bea", term.wait_until_gone("counting…"))
        term.keys("d")
        shot("debriefs as bea", term.wait_for("Debriefs ·"))
        open_note(term, SESSION_ID)
        shot("debrief as bea", term.capture())
        term.keys("C-g")
        shot("debrief signed by both", term.settle(1.5))
        term.keys("C-q")
    finally:
        term.close()
    return screens


def table(screens: list[Screen]) -> str:
    rows = [f"{'screen':<28} findings"]
    for s in screens:
        rows.append(f"{s.name:<28} {len(s.findings) or '-'}")
        rows += [f"    {f}" for f in s.findings]
    found = sum(len(s.findings) for s in screens)
    rows.append(f"{len(screens)} screens, {found} findings")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", help="build the workspace here (kept afterwards)")
    ap.add_argument("--captures", help="write every captured screen into this folder")
    args = ap.parse_args(argv)
    if not shutil.which("tmux"):
        print("tmux is not installed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(args.keep) if args.keep else Path(tmp) / "demo"
        env = {**os.environ, "FACILITATOR_NOW": NOW}
        subprocess.run(
            ["uv", "run", "facilitator", "demo", "--no-ui", str(workspace)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        started = time.monotonic()
        screens = run(workspace)
        for s in screens:
            check(s)
        if args.captures:
            out = Path(args.captures)
            out.mkdir(parents=True, exist_ok=True)
            for i, s in enumerate(screens, 1):
                (out / f"{i:02d} {s.name}.txt").write_text(s.text)
        print(table(screens))
        print(f"session run in {time.monotonic() - started:.0f} s")
    return 1 if any(s.findings for s in screens) else 0


if __name__ == "__main__":
    sys.exit(main())
