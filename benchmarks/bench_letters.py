"""Letters benchmark: writing one letter as a whole command on the ten-year workspace, against
`participant show` for the same man measured in the same run.

    uv run python benchmarks/bench_letters.py [--groups 400] [--n 9]

On its own copy of the synthetic history (benchmarks/history.py; built once into
benchmarks/out/letters-history-g<groups>, since every timed write adds a letter to it), with
the default templates copied in. The man is one enrolled in a running group with the longest
attendance record there. Each row is the median wall time of the command run as a new process,
with bytecode cached, as an installed tool runs. Target: one letter ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ["FACILITATOR_NOW"] = "2026-11-24T18:00:00"  # the day the history ends

from history import build_history  # noqa: E402

from facilitator.services.core.office import Office  # noqa: E402
from facilitator.services.groupwork import attendance as records  # noqa: E402
from facilitator.services.letters.templates import install_defaults  # noqa: E402

TARGET_MS = 300


def wall(cmd: list[str], n: int) -> list[float]:
    # As an installed tool runs: with bytecode cached (this sandbox may set
    # PYTHONDONTWRITEBYTECODE, which would make every start recompile every module).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(ROOT / "benchmarks" / "out" / "pycache")
    run = dict(cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    first = subprocess.run(cmd, **run)  # warm the caches
    if first.returncode:
        raise SystemExit(f"{' '.join(cmd[3:])} failed: {first.stderr.decode().strip()}")
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, **run)
        times.append((time.perf_counter() - t) * 1000)
    return times


def busiest_man(office: Office) -> str:
    """A man enrolled now with the most sessions behind him: the longest letter to write."""
    enrolments = records.all_enrolments(office)
    current = [e for e in enrolments if not e.left_on]
    by_man: dict[str, int] = {}
    for e in current:
        marks = records.marks_in_group(office, e.group_id, current).get(e.participant_id, [])
        by_man[e.participant_id] = len(marks)
    return max(sorted(by_man), key=lambda pid: by_man[pid])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", type=int, default=400)
    ap.add_argument("--n", type=int, default=9, help="runs of each command (median shown)")
    args = ap.parse_args(argv)

    t = time.perf_counter()
    info = build_history(
        ROOT / "benchmarks" / "out" / f"letters-history-g{args.groups}", groups=args.groups
    )
    print(
        f"history: {info.path} ({info.groups} groups, {info.sessions} sessions, "
        f"{info.participants} men; {time.perf_counter() - t:.1f} s to build or find)",
        file=sys.stderr,
    )
    install_defaults(Path(info.path))
    office = Office.open(info.path, "admin")
    pid = busiest_man(office)
    out = ROOT / "benchmarks" / "out" / "letters"
    out.mkdir(parents=True, exist_ok=True)
    base = [sys.executable, "-m", "facilitator", "--workspace", str(info.path), "--user", "admin"]
    rows = [
        ("baseline: participant show", ["participant", "show", pid]),
        (
            "letter write progress_report -o .docx",
            ["letter", "write", "progress_report", pid, "-o", str(out / "p.docx")],
        ),
        (
            "letter write progress_report -o .md",
            ["letter", "write", "progress_report", pid, "-o", str(out / "p.md")],
        ),
        (
            "letter write progress_report -o .html",
            ["letter", "write", "progress_report", pid, "-o", str(out / "p.html")],
        ),
        ("letter write absence_warning (kept only)", ["letter", "write", "absence_warning", pid]),
        ("letter list (this man)", ["letter", "list", pid]),
        ("letter check (all seven templates)", ["letter", "check"]),
    ]
    print(f"man: {pid}", file=sys.stderr)
    print(f"{'command (ms, whole process)':<46}{'median':>9}{'max':>9}{'vs base':>9}")
    baseline = None
    for name, cmd in rows:
        ms = wall(base + cmd, args.n)
        med = statistics.median(ms)
        baseline = baseline or med
        ratio = f"{med / baseline:8.2f}x" if name != rows[0][0] else ""
        print(f"{name:<46}{med:9.1f}{max(ms):9.1f}{ratio:>9}")
    print(f"target: one letter written ≤ {TARGET_MS} ms as a whole command")


if __name__ == "__main__":
    main()
