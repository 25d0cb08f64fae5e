"""Curriculum benchmark: whole commands, as a facilitator opening today's plan would run them.

    uv run python benchmarks/bench_curriculum.py [--runs 11]

Wall time of each command as a fresh process (interpreter start, imports, finding the
curriculum, loading it, printing), against the baseline `python -c "import click"` measured in
the same run, under the same conditions. Target: `curriculum show core-24 --json` under 300 ms.

Two conditions:
- installed: Python's bytecode cache in use (written to a private PYTHONPYCACHEPREFIX on the
  warm-up run), as on any machine after the first start;
- no bytecode: PYTHONDONTWRITEBYTECODE=1 and no cache, so every module is compiled on every
  start (how some sandboxes run; the worst case).
`curriculum show` normally finds the checked curriculum in the curriculum cache; the
"curriculum cache cold" row empties it before every run (the first start after an edit).
Also the in-process cost of parsing and checking, to separate import time from work.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 300.0


def wall(
    cmd: list[str], runs: int, env: dict[str, str], fresh_cache: Path | None = None
) -> list[float]:
    subprocess.run(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )  # warm-up
    times = []
    for i in range(runs):
        run_env = (
            env
            if fresh_cache is None
            else {**env, "FACILITATOR_CACHE_DIR": str(fresh_cache / str(i))}
        )
        t = time.perf_counter()
        done = subprocess.run(
            cmd, cwd=ROOT, env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        times.append((time.perf_counter() - t) * 1000)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode(errors='replace')}")
    return times


def in_process(runs: int) -> tuple[list[float], list[float]]:
    sys.path.insert(0, str(ROOT))
    from facilitator.curriculum import bundled_curricula_dir, check_curriculum, parse_curriculum

    folder = bundled_curricula_dir() / "core-24"
    parse_curriculum(folder)  # the first call builds the Markdown parser
    parse, check = [], []
    for _ in range(runs):
        t = time.perf_counter()
        parse_curriculum(folder)
        parse.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        check_curriculum(folder)
        check.append((time.perf_counter() - t) * 1000)
    return parse, check


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    args = ap.parse_args()

    py = sys.executable
    fac = [py, "-m", "facilitator"]
    show_json = fac + ["curriculum", "show", "core-24", "--json"]
    rows: list[tuple[str, str, list[float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # No workspace: the bundled curriculum is read, as on a fresh install.
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        base.update(
            FACILITATOR_WORKSPACE=str(tmp / "none"), FACILITATOR_CACHE_DIR=str(tmp / "cache")
        )
        conditions = {
            "installed": {**base, "PYTHONPYCACHEPREFIX": str(tmp / "pycache")},
            "no bytecode": {**base, "PYTHONDONTWRITEBYTECODE": "1"},
        }
        for condition, env in conditions.items():
            rows.append(
                (
                    condition,
                    "baseline: python -c 'import click'",
                    wall([py, "-c", "import click"], args.runs, env),
                )
            )
            rows.append((condition, "facilitator --help", wall(fac + ["--help"], args.runs, env)))
            rows.append(
                (condition, "curriculum show core-24 --json", wall(show_json, args.runs, env))
            )
            rows.append(
                (
                    condition,
                    "  same, curriculum cache cold",
                    wall(show_json, args.runs, env, tmp / f"cold-{condition}"),
                )
            )
            rows.append(
                (
                    condition,
                    "curriculum show core-24 --session 7",
                    wall(fac + ["curriculum", "show", "core-24", "--session", "7"], args.runs, env),
                )
            )
            rows.append(
                (
                    condition,
                    "curriculum check core-24",
                    wall(fac + ["curriculum", "check", "core-24"], args.runs, env),
                )
            )

    print(
        f"{'condition':<12} {'command':<38} {'median ms':>9} {'min ms':>7} {'max ms':>7} "
        f"{'vs baseline':>11}"
    )
    baseline: dict[str, float] = {}
    for condition, name, times in rows:
        med = statistics.median(times)
        baseline.setdefault(condition, med)
        print(
            f"{condition:<12} {name:<38} {med:>9.0f} {min(times):>7.0f} {max(times):>7.0f} "
            f"{med - baseline[condition]:>+11.0f}"
        )

    parse, check = in_process(args.runs)
    print()
    print(f"{'in process (core-24, 24 files)':<51} {'median ms':>9} {'min ms':>7} {'max ms':>7}")
    print(f"{'parse':<51} {statistics.median(parse):>9.1f} {min(parse):>7.1f} {max(parse):>7.1f}")
    print(
        f"{'parse and check':<51} {statistics.median(check):>9.1f} {min(check):>7.1f} "
        f"{max(check):>7.1f}"
    )

    print()
    for condition, name, times in rows:
        if name.startswith("curriculum show core-24 --json"):
            show = statistics.median(times)
            verdict = "meets" if show < TARGET_MS else "MISSES"
            print(
                f"{condition}: `curriculum show core-24 --json` {show:.0f} ms median, "
                f"{verdict} the "
                f"{TARGET_MS:.0f} ms target ({show - baseline[condition]:+.0f} ms over "
                "importing click)"
            )


if __name__ == "__main__":
    main()
