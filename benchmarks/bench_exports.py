"""Attendance exports on the ten-year workspace: time, CPU and peak memory.

    uv run python benchmarks/bench_exports.py [--groups 400] [--quick]

Builds (or finds in benchmarks/out/) the synthetic history of benchmarks/history.py and exports
every row of it. Each export runs in a forked child, so its peak resident memory is its own.
The baseline, measured in the same run, is reading every session's attendance without
writing anything: what an export cannot go below.
Budgets: CSV of every row ≤ 3 s, XLSX ≤ 15 s.

A large XLSX export reads its rows in a second process while the first writes: its CPU time
is then both processes' together (so it can exceed the wall time), and its peak memory the sum
of both processes' peaks. The "proc" column says how many processes ran.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from history import OUT, build_history  # noqa: E402

BUDGETS = {"csv": 3.0, "xlsx": 15.0}


def _baseline(office) -> int:
    from facilitator.services.groupwork import attendance as records

    n = 0
    for gid in [p.name for p in office.stores.group_session_dirs()]:
        for held in records.held_sessions(office, gid):
            n += len(held.marks)
    return n


def _export(office, fmt: str, target, **kw) -> int:
    from facilitator.services.reporting.exports import ExportFilter, export_attendance

    return export_attendance(office, ExportFilter(), fmt, target, **kw).rows


def tasks(out: Path):
    return [
        ("read every session's attendance (baseline)", None, lambda o: _baseline(o)),
        ("CSV, every row", "csv", lambda o: _export(o, "csv", out / "all.csv")),
        ("CSV to a pipe (no file)", None, lambda o: _export(o, "csv", io.StringIO())),
        ("JSON, every row", None, lambda o: _export(o, "json", out / "all.json")),
        (
            "CSV --summary (every man)",
            None,
            lambda o: _export(o, "csv", out / "summary.csv", summary=True),
        ),
        (
            "CSV --pseudonymise",
            None,
            lambda o: _export(o, "csv", out / "pseudo.csv", pseudonymise=True),
        ),
        ("XLSX, rows + summary sheet", "xlsx", lambda o: _export(o, "xlsx", out / "all.xlsx")),
    ]


def run_in_child(path: Path, fn) -> dict:
    """Run fn(office) in a forked child; its wall and CPU time, rows and peak RSS."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        try:
            from facilitator.services.core.office import Office

            office = Office.open(path, "admin")
            started, cpu = time.perf_counter(), time.process_time()
            rows = fn(office)
            # A large XLSX export reads in a second process (services/reporting/export_feed.py):
            # count its CPU time too, and its peak memory on top of this one's (they run at the
            # same time).
            kids = resource.getrusage(resource.RUSAGE_CHILDREN)
            result = {
                "wall": time.perf_counter() - started,
                "cpu": time.process_time() - cpu + kids.ru_utime + kids.ru_stime,
                "rows": rows,
                "rss_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + kids.ru_maxrss)
                / 1024,
                "processes": 2 if kids.ru_maxrss else 1,
            }
        except BaseException as err:  # report, never hang the parent
            result = {"error": repr(err)}
        os.write(write, json.dumps(result).encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", type=int, default=400)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--quick", action="store_true", help="CSV and XLSX only")
    a = ap.parse_args(argv)
    info = build_history(groups=a.groups, years=a.years)
    how = f"built in {info.build_seconds:.1f} s" if info.built else "from the cache"
    print(
        f"workspace {info.path} ({how}): {info.groups} groups, {info.sessions} sessions, "
        f"{info.participants} men, {info.attendance} attendance marks, {info.checkins} check-ins"
    )
    out = OUT / "exports"
    out.mkdir(parents=True, exist_ok=True)
    idle = run_in_child(info.path, lambda o: 0)
    print(
        f"a process with the workspace open and nothing exported: {idle['rss_mb']:.0f} MB "
        "resident\n"
    )
    header = (
        f"{'export':<36} {'rows':>8} {'wall s':>7} {'cpu s':>7} {'x base':>7} "
        f"{'peak MB':>8} {'proc':>4} "
        f"{'budget':>7}  verdict"
    )
    print(header)
    print("-" * len(header))
    base = None
    for name, budget_key, fn in tasks(out):
        if a.quick and budget_key is None and base is not None:
            continue
        r = run_in_child(info.path, fn)
        if "error" in r:
            print(f"{name:<36} failed: {r['error']}")
            continue
        base = base or r["wall"]
        budget = BUDGETS.get(budget_key or "")
        verdict = (
            ""
            if budget is None
            else "ok"
            if r["wall"] <= budget
            else (
                "over on a busy machine (CPU within)"
                if r["cpu"] / r["processes"] <= budget
                else "OVER"
            )
        )
        print(
            f"{name:<36} {r['rows']:>8} {r['wall']:>7.2f} {r['cpu']:>7.2f} "
            f"{r['wall'] / base:>7.1f} "
            f"{r['rss_mb']:>8.0f} {r['processes']:>4} {budget if budget else '':>7}  {verdict}"
        )
    sizes = {p.name: p.stat().st_size / 2**20 for p in out.iterdir() if p.is_file()}
    print("\nfiles: " + ", ".join(f"{k} {v:.1f} MB" for k, v in sorted(sizes.items())))
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: wall time above "
        "CPU time is "
        f"waiting for the disk or for other processes."
    )


if __name__ == "__main__":
    main()
