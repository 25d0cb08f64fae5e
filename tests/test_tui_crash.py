"""A real crash: the UI runs in its own process on a terminal, a check-in is half-typed, the
process is killed with SIGKILL (no exit handlers, nothing flushed), and reopening finds the
draft."""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest
from conftest import enrol_all
from helpers.tui import make_app, open_session, wait_for

from facilitator.services.core import session_store as session_store
from facilitator.services.groupwork import drafts

SID = "G1-2026-11-24"
ROOT = Path(__file__).resolve().parent.parent


def _poll(condition, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
async def test_a_killed_app_leaves_the_half_written_check_in_as_a_draft(office):
    enrol_all(office)
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(
        os.environ,
        TERM="xterm-256color",
        FACILITATOR_USER="alex",
        FACILITATOR_WORKSPACE=str(office.path),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "run", "G1"],
        cwd=ROOT,
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
    )
    os.close(slave)
    # Keep reading what it draws, or it would block on a full terminal buffer.
    threading.Thread(target=lambda: _drain(master), daemon=True).start()

    def typing(text: str) -> None:
        for ch in text:
            os.write(master, ch.encode())
            time.sleep(0.05)

    try:
        _poll(
            lambda: session_store.find_session(office, "G1", "2026-11-24") is not None,
            30,
            "the session screen",
        )
        time.sleep(1.0)  # the screen is drawn and the roster has the focus
        typing("p")
        _poll(
            lambda: "P0001" in session_store.get_session(office, SID).attendance, 10, "Adam's mark"
        )
        typing("\x1b[H")  # Home: back to Adam
        typing("\r")
        time.sleep(0.8)
        typing("\t\t\t")
        typing("He said she was asking for it")
        _poll(
            lambda: (
                drafts.checkin_drafts(office, SID)
                .get("P0001", {})
                .get("summary", "")
                .endswith("for it")
            ),
            10,
            "the draft on disk",
        )
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # no clean exit, nothing flushed on the way out
        proc.wait(10)
        os.close(master)
    assert proc.returncode == -signal.SIGKILL
    assert "P0001" not in session_store.get_session(office, SID).checkins

    app = make_app(office, "G1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, app)
        screen = app.screen
        await wait_for(pilot, lambda: screen.form_pid == "P0001", what="his form, reopened")
        assert screen.form.fields()["summary"] == "He said she was asking for it"


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
