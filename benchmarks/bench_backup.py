"""Backup benchmark: backing up and restoring the 10-year workspace, time and size.

    uv run python benchmarks/bench_backup.py [--groups 400] [--keep DIR]

Measured in one run, on a copy of the same workspace (benchmarks/history.py):
- baselines: copying the folder (shutil.copytree, the floor for reading and writing every
  file) and an unencrypted tar.gz of it (tarfile, zlib level 1 like the backup);
- `facilitator backup`, `backup verify` and `restore` as a user runs them (a fresh process
  each, scrypt key derivation included), with each process's peak memory (ru_maxrss);
- how long the backup holds the workspace lock (other writers wait that long at most);
- `retention due` over the whole workspace and one subject access export;
- that the restore is identical to the original, file for file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from history import build_history  # noqa: E402

PASSPHRASE = "benchmark passphrase, synthetic"
# Runs the CLI in a fresh process and reports that process's peak memory on stderr's last line.
RUNNER = (
    "import resource, sys\n"
    "from facilitator.cli import main\n"
    "try:\n    main(sys.argv[1:])\n"
    "finally:\n    print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
    "file=sys.stderr)\n"
)


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def tree_digest(path: Path) -> dict[str, str]:
    return {
        p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def cli(workspace: Path | None, *args: str) -> tuple[float, float, str]:
    """(seconds, peak MiB, stdout) of one `facilitator ...` run in its own process."""
    env = dict(os.environ, FACILITATOR_BACKUP_PASSPHRASE=PASSPHRASE, FACILITATOR_USER="admin")
    if workspace:
        env["FACILITATOR_WORKSPACE"] = str(workspace)
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"facilitator {' '.join(args)} failed: {done.stderr.strip()}")
    rss = next(
        int(line.split()[1])
        for line in reversed(done.stderr.splitlines())
        if line.startswith("maxrss")
    )
    return seconds, rss / 1024, done.stdout


def timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


@contextmanager
def lock_timer(held: list[float]):
    """Time every hold of the workspace lock made in this process."""
    from facilitator.storage.workspace import Workspace

    original = Workspace.lock

    @contextmanager
    def timed_lock(self):
        with original(self):
            t = time.perf_counter()
            try:
                yield
            finally:
                held.append(time.perf_counter() - t)

    Workspace.lock = timed_lock
    try:
        yield
    finally:
        Workspace.lock = original


def lock_held_by_backup(workspace: Path, out: Path) -> float:
    from facilitator.services.core.office import Office
    from facilitator.services.records.backup import make_backup
    from facilitator.storage.sealed import Secret

    held: list[float] = []
    office = Office.open(workspace, "admin")
    with lock_timer(held):
        make_backup(office, Secret.from_passphrase(PASSPHRASE), out)
    return max(held)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=400)
    parser.add_argument("--keep", help="keep the archive and the restore in this folder")
    args = parser.parse_args(argv)

    info = build_history(groups=args.groups)
    base = Path(args.keep or tempfile.mkdtemp(prefix="bench-backup-"))
    base.mkdir(parents=True, exist_ok=True)
    work = base / "workspace"
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(base / "restored", ignore_errors=True)
    rows = []
    try:
        t_copy, _ = timed(lambda: shutil.copytree(info.path, work))  # the copy every step works on
        original = tree_digest(work)
        raw = size_of(work)
        rows.append(("baseline: copy the folder", t_copy, raw, None, ""))

        tgz = base / "plain.tar.gz"

        def make_tgz():
            with tarfile.open(tgz, "w:gz", compresslevel=1) as tar:
                tar.add(work, arcname="workspace")

        t_tgz, _ = timed(make_tgz)
        rows.append(("baseline: tar.gz, not encrypted", t_tgz, size_of(tgz), None, ""))
        tgz.unlink()

        archive = base / "backup.fbk"
        t_backup, rss_backup, _ = cli(work, "backup", "-o", str(archive))
        size = archive.stat().st_size
        rows.append(
            (
                "facilitator backup",
                t_backup,
                size,
                rss_backup,
                f"{t_backup / t_tgz:.1f}x tar.gz time",
            )
        )
        held = lock_held_by_backup(work, base / "again.fbk")
        (base / "again.fbk").unlink()
        rows.append(
            ("  of which the workspace lock held", held, None, None, "writers wait at most this")
        )
        t_verify, rss_verify, _ = cli(None, "backup", "verify", str(archive))
        rows.append(("facilitator backup verify", t_verify, None, rss_verify, ""))
        target = base / "restored"
        t_restore, rss_restore, _ = cli(None, "restore", str(archive), "--to", str(target))
        restored = tree_digest(target)
        # The backups themselves added a log line and an audit line to `work` afterwards.
        same = all(
            restored.get(k) == v
            for k, v in original.items()
            if k not in ("data/audit.jsonl", "data/backup.json")
        )
        rows.append(
            (
                "facilitator restore",
                t_restore,
                size_of(target),
                rss_restore,
                f"{t_restore / t_copy:.1f}x copy time; identical: {'yes' if same else 'NO'}",
            )
        )

        t_due, rss_due, out = cli(work, "retention", "due", "--json")
        rows.append(
            (
                "retention due (whole workspace)",
                t_due,
                None,
                rss_due,
                f"{len(json.loads(out))} records due",
            )
        )
        t_sar, rss_sar, _ = cli(
            work, "participant", "export-data", "P0100", "-o", str(base / "sar-P0100")
        )
        rows.append(
            (
                "participant export-data (one man)",
                t_sar,
                size_of(base / "sar-P0100.json"),
                rss_sar,
                "",
            )
        )
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)

    print(
        f"workspace: {info.groups} groups, {info.participants} men, {info.sessions} sessions, "
        f"{info.attendance} marks, {info.checkins} check-ins, {info.audit_lines} audit lines; "
        f"{len(original)} files, {raw / 2**20:.0f} MiB"
    )
    print(f"{'step':38} {'seconds':>8} {'MiB':>8} {'peak MiB':>9}  note")
    for name, seconds, nbytes, rss, note in rows:
        mib = f"{nbytes / 2**20:.1f}" if nbytes is not None else ""
        peak = f"{rss:.0f}" if rss is not None else ""
        print(f"{name:38} {seconds:8.2f} {mib:>8} {peak:>9}  {note}")
    if not same:
        raise SystemExit("the restored workspace differs from the original")


if __name__ == "__main__":
    main()
