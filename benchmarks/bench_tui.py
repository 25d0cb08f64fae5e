"""Session-runner UI benchmark: how soon the home screen answers, and what one attendance key costs.

    uv run python benchmarks/bench_tui.py [--launches 5] [--marks 60] [--groups 400]

Measured in one run:
- launch to the home screen, as a separate process (interpreter start, imports, workspace,
  Textual in headless mode at 80×24), on the demo workspace and on a 10-year workspace
  (benchmarks/history.py): when the groups are on screen and Enter works, when the risk counts
  are shown (the app's HomeReady), and when the due lists are complete; on the 10-year one
  also with no kept debrief list (the first launch: services/debrief/due.py reads everything);
  against the baseline every command pays: `python -c "import facilitator.cli"`;
- an attendance key on a roster of 12 men (in-process, Pilot): from the key press until the
  mark is saved, the man's row is redrawn and the frame is drawn; against the service save
  alone (lock, atomic write with fsync, audit line) and the drawing alone.
Targets: home ≤ 1 s on this 2-core machine; attendance key ≤ 50 ms median.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

NOW = "2026-11-24T18:00:00"  # a Tuesday, the day the 10-year history ends
os.environ["FACILITATOR_NOW"] = NOW


def env() -> dict[str, str]:
    # As an installed tool runs: bytecode cached (this sandbox may set PYTHONDONTWRITEBYTECODE).
    out = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out["PYTHONPYCACHEPREFIX"] = str(ROOT / "benchmarks" / "out" / "pycache")
    out["FACILITATOR_NOW"] = NOW
    return out


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# -- launch -------------------------------------------------------------------------------------
def child(workspace: str, user: str) -> None:
    """Run in the launched process: open the UI headless and say when each stage is on screen."""
    import facilitator.cli  # noqa: F401 - what `facilitator` imports before opening the UI
    from facilitator.services.core.office import Office
    from facilitator.tui.app import FacilitatorApp

    def say(stage: str) -> None:
        print(stage, flush=True)

    # No super() in these handlers: Textual calls FacilitatorApp's own handlers after them (it
    # walks the class's MRO), and calling them here too pushed a second home screen whose
    # loading competed with the first.
    class Timed(FacilitatorApp):
        def on_mount(self) -> None:
            self.call_after_refresh(lambda: say("groups"))
            self.set_interval(0.005, self._watch)

        def on_facilitator_app_home_ready(self, msg) -> None:
            say("ready")

        def _watch(self) -> None:
            if getattr(self.screen, "fully_loaded", False):
                say("complete")
                self.exit()

    office = Office.open(workspace, user)
    from facilitator.services.core import identity

    if identity.needs_sign_in(office):
        # The demo's members have keys: signed in as the sign-in screen would, with the demo
        # passphrase (its key derivation is part of this launch's time, as it is for a person).
        from facilitator.demo.sign_in import passphrase_of

        identity.sign_in(office, user, passphrase_of(user))
        say("signed in")
    Timed(office).run(headless=True, size=(80, 24))


def launch(workspace: Path, user: str) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", str(workspace), user]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    stamps: dict[str, float] = {}
    for line in proc.stdout:
        stamps.setdefault(line.strip(), (time.perf_counter() - t0) * 1000)
    proc.wait()
    if proc.returncode != 0 or "complete" not in stamps:
        raise SystemExit(
            f"the UI did not come up on {workspace} (exit {proc.returncode}, saw {sorted(stamps)})"
        )
    return stamps


def baseline_import(n: int) -> float:
    cmd = [sys.executable, "-c", "import facilitator.cli"]
    subprocess.run(cmd, cwd=ROOT, env=env(), check=True)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env(), check=True)
        times.append((time.perf_counter() - t) * 1000)
    return median(times)


def launches(workspace: Path, user: str, n: int, before=None) -> dict[str, float]:
    launch(workspace, user)  # warm: bytecode, file cache
    runs = []
    for _ in range(n):
        if before:
            before()
        runs.append(launch(workspace, user))
    return {stage: median([r[stage] for r in runs]) for stage in ("groups", "ready", "complete")}


def forget_kept_debriefs(workspace: Path):
    """The first launch after the debriefs' kept list is gone (services/debrief/due.py): every
    session and note index read once, and the list written."""
    kept = workspace / "data" / "debrief" / "pending.json"
    return lambda: kept.unlink(missing_ok=True)


# -- workspaces -----------------------------------------------------------------------------------
def demo_workspace(base: Path) -> Path:
    from facilitator.demo.workspace import build_demo

    path = base / "demo"
    build_demo(path)
    return path


def twelve_men(base: Path) -> Path:
    """A group of 12 men on the bundled curriculum, all with a complete intake."""
    from facilitator.curriculum.locate import bundled_curricula_dir
    from facilitator.services.core import people
    from facilitator.services.core.office import Office
    from facilitator.services.groupwork import groups
    from facilitator.services.intake import assessment as intake
    from facilitator.storage.workspace import Workspace

    path = base / "twelve"
    Workspace.init(path, "Benchmark (synthetic data)", bundled_curricula_dir())
    office = Office.open(path, "admin")
    people.add_staff(office, "Bench Admin", ["admin", "coordinator"], "admin")
    people.add_staff(office, "Alex Facilitator", ["facilitator"], "alex")
    people.add_staff(office, "Bea Facilitator", ["facilitator"], "bea")
    office = Office.open(path, "alex")
    first = ["Adam", "Ben", "Carl", "Dev", "Eli", "Finn", "Gus", "Hal", "Ivan", "Jon", "Kit", "Leo"]
    groups.create_group(
        office,
        "Tuesday group",
        "core-24",
        "tuesday",
        "18:30",
        ["alex", "bea"],
        start_date="2026-11-03",
        group_id="G1",
    )
    for name in first:
        p = people.add_participant(office, f"{name} Example", "court", "Bench Court", "REF")
        intake.complete_intake(office, p.id, "2026-10-20")
        groups.enrol(office, "G1", p.id, "2026-11-03")
    return path


# -- attendance key -----------------------------------------------------------------------------
async def attendance_keys(workspace: Path, marks: int) -> dict[str, list[float]]:
    """Key events go to the app as the terminal driver sends them (Pilot's own waits for idle
    would add ~40 ms of test harness); the clock stops when the man's row shows the new mark
    (saved before it is drawn) and the next frame with it has been rendered."""
    from textual import events

    from facilitator.services.core import session_store as session_store
    from facilitator.services.core.office import Office
    from facilitator.services.groupwork import sessions
    from facilitator.tui.app import FacilitatorApp
    from facilitator.tui.screens.session import SessionScreen

    office = Office.open(workspace, "alex")
    app = FacilitatorApp(office, "G1")
    frames: list[float] = []
    render = app._display

    def spy(screen, renderable) -> None:  # every frame the app renders
        if renderable is not None:
            frames.append(time.perf_counter())
        render(screen, renderable)

    app._display = spy
    key_ms: list[float] = []
    redraw_ms: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        while not isinstance(app.screen, SessionScreen):
            await pilot.pause(0.01)
        await pilot.pause()
        screen = app.screen
        roster = screen.roster
        pids = list(roster.rows_by_pid)
        assert len(pids) == 12, len(pids)
        for i in range(marks + 12):
            pid = pids[i % 12]
            key, word = ("p", "present") if (i // 12) % 2 == 0 else ("u", "unexcused")
            roster.move_cursor(i % 12)
            await pilot.pause()
            t = time.perf_counter()
            app._driver.send_message(events.Key(key, key))
            while word not in roster.row_text(pid):
                await asyncio.sleep(0.0005)
            shown = time.perf_counter()
            while not frames or frames[-1] < shown:
                await asyncio.sleep(0.0005)
            if i >= 12:  # the first round warms up
                key_ms.append((frames[-1] - t) * 1000)
            # The drawing alone: the row's cells updated and the whole screen rendered (an upper
            # bound: Textual redraws only the changed region).
            t = time.perf_counter()
            roster.update_row(screen._row(pid))
            app.screen._compositor.render_update(full=True)
            redraw_ms.append((time.perf_counter() - t) * 1000)
        await pilot.pause()
        saved = session_store.get_session(office, screen.sid).attendance
        assert all(pid in saved for pid in pids)

        # The service save alone, on the same session.
        service_ms = []
        for i in range(marks):
            pid = pids[i % 12]
            status = "present" if i % 2 else "unexcused"
            t = time.perf_counter()
            sessions.mark_attendance(office, screen.sid, pid, status)
            service_ms.append((time.perf_counter() - t) * 1000)
    return {"key": key_ms, "service": service_ms, "redraw": redraw_ms}


# -- main ---------------------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--launches", type=int, default=5)
    ap.add_argument("--marks", type=int, default=60)
    ap.add_argument("--groups", type=int, default=400)
    ap.add_argument("--child", nargs=2, metavar=("WORKSPACE", "USER"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return

    from history import build_history

    t = time.perf_counter()
    # Its own copy: other benchmarks may be rebuilding the shared one at the same moment.
    info = build_history(
        ROOT / "benchmarks" / "out" / f"tui-history-g{args.groups}", groups=args.groups
    )
    print(
        f"history: {info.path} ({info.groups} groups, {info.sessions} sessions, "
        f"{info.participants} men; "
        f"{time.perf_counter() - t:.1f} s to build or find)",
        file=sys.stderr,
    )

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        demo = demo_workspace(base)
        twelve = twelve_men(base)

        base_ms = baseline_import(args.launches)
        demo_ms = launches(demo, "alex", args.launches)
        hist_ms = launches(info.path, "admin", args.launches)
        first_ms = launches(
            info.path, "admin", args.launches, before=forget_kept_debriefs(info.path)
        )
        keys = asyncio.run(attendance_keys(twelve, args.marks))

    print()
    print(f"Launch to home screen, 80×24 headless, median of {args.launches} (ms)")
    print(f"{'workspace':<34}{'groups, Enter works':>20}{'titles, risk':>13}{'due lists':>11}")
    print(f"{'baseline: import facilitator.cli':<34}{base_ms:>20.0f}{'':>13}{'':>11}")
    for name, ms in (
        ("demo", demo_ms),
        (f"10 years ({info.groups} groups)", hist_ms),
        ("10 years, no kept debrief list", first_ms),
    ):
        print(f"{name:<34}{ms['groups']:>20.0f}{ms['ready']:>13.0f}{ms['complete']:>11.0f}")
    print("target: ≤ 1000 ms to an interactive home screen")
    print()
    print(f"Attendance key, roster of 12 men ({len(keys['key'])} keys; ms)")
    print(f"{'':<40}{'median':>8}{'p95':>8}{'max':>8}")
    for name, values in (
        ("key → saved, row redrawn, frame drawn", keys["key"]),
        ("baseline: service save alone", keys["service"]),
        ("row update + full-screen render", keys["redraw"]),
    ):
        print(f"{name:<40}{median(values):>8.1f}{pct(values, 95):>8.1f}{max(values):>8.1f}")
    print("target: ≤ 50 ms median from key to saved, redrawn roster")


if __name__ == "__main__":
    main()
