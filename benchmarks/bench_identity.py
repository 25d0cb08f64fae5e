"""What signing costs: verifying the 10-year audit log with every line signed, and what signing
adds to saving one check-in.

    uv run python benchmarks/bench_identity.py [--saves 200] [--groups 400]

1. Verify: the 10-year workspace (benchmarks/history.py) is copied (hard links, its audit log
   rewritten) as if every member had had a key from the start: each line signed by the member
   who made it. `AuditLog.check` is timed with the keys (hash chain and every signature) and
   without (the hash chain alone, the baseline, in the same run), then the whole command
   `facilitator audit verify` as a user runs it, sign-in included. Target: <= 30 s.
2. Save: one check-in saved (with its scan) on a smaller history workspace, alternately with
   the audit signer set and not, so both are measured under the same conditions. Target: the
   signed median is at most 1 ms above the unsigned one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

OUT = ROOT / "benchmarks" / "out"
KEYS_FROM = "2016-01-01T00:00:00"


def passphrase_of(staff_id: str) -> str:
    return f"{staff_id} benchmark passphrase"


def signed_copy(groups: int) -> Path:
    """The history workspace with every audit line signed by its member (built once)."""
    from history import build_history

    from facilitator.storage.audit import GENESIS, _digest
    from facilitator.storage.staff_keys import StaffKeys

    info = build_history(OUT / f"foundation-history-g{groups}", groups=groups)
    target = OUT / f"identity-signed-g{groups}"
    done = target / "signed.json"
    if done.exists():
        return target
    if target.exists():
        shutil.rmtree(target)
    subprocess.run(["cp", "-al", str(info.path), str(target)], check=True)
    data = target / "data"
    (data / "audit.jsonl").unlink()
    (data / "audit.jsonl.head").unlink(missing_ok=True)
    keys = StaffKeys(data / "staff_keys")
    signers: dict = {}
    prev = GENESIS
    n = 0
    with (
        open(info.path / "data" / "audit.jsonl", encoding="utf-8") as src,
        open(data / "audit.jsonl", "w", encoding="utf-8") as out,
    ):
        for line in src:
            entry = json.loads(line)
            user = entry["user"]
            if user not in signers:
                keys.create(user, passphrase_of(user), KEYS_FROM)
                signers[user] = keys.unlock(user, passphrase_of(user))
            signer = signers[user]
            entry.pop("hash", None)
            entry["prev"], entry["signer"], entry["kid"] = prev, signer.staff_id, signer.kid
            entry["hash"] = prev = _digest(entry)
            entry["sig"] = signer.sign(prev.encode("ascii"))
            out.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    (data / "audit.jsonl.head").write_text(json.dumps({"seq": n, "hash": prev}))
    done.write_text(json.dumps({"lines": n, "signers": sorted(signers)}))
    return target


def _cpu() -> float:
    """Processor seconds of this process and the helpers it waited for: what the check costs
    whatever else the machine is doing."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def verify(groups: int) -> dict:
    from facilitator.storage.audit import AuditLog
    from facilitator.storage.staff_keys import StaffKeys

    ws = signed_copy(groups)
    log = AuditLog(ws / "data" / "audit.jsonl")
    keys = StaffKeys(ws / "data" / "staff_keys")
    t = time.perf_counter()
    chain = log.check(None)
    chain_s = time.perf_counter() - t
    t, cpu = time.perf_counter(), _cpu()
    signed = log.check(keys)
    signed_s, signed_cpu = time.perf_counter() - t, _cpu() - cpu
    assert chain.problem is None and signed.problem is None, (chain.problem, signed.problem)
    env = {**os.environ, "FACILITATOR_PASSPHRASE": passphrase_of("admin")}
    env.pop("FACILITATOR_NOW", None)
    t = time.perf_counter()
    done = subprocess.run(
        ["facilitator", "--workspace", str(ws), "--user", "admin", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
    )
    command_s = time.perf_counter() - t
    if done.returncode != 0:
        sys.exit(f"audit verify failed: {done.stdout}{done.stderr}")
    return {
        "lines": signed.entries,
        "signed": signed.signed,
        "chain_s": chain_s,
        "signed_s": signed_s,
        "signed_cpu": signed_cpu,
        "cores": len(os.sched_getaffinity(0)),
        "load": os.getloadavg()[0],
        "command_s": command_s,
        "said": done.stdout.strip(),
    }


def saves(n: int) -> dict:
    from bench_writes import session_to_save_into
    from history import build_history

    from facilitator.domain.checkin import CheckIn
    from facilitator.services.core.office import Office
    from facilitator.services.groupwork import sessions
    from facilitator.storage.staff_keys import StaffKeys

    info = build_history(OUT / "identity-saves-g20", groups=20)
    office = Office.open(info.path, "admin")
    # The key lives outside the workspace, so the workspace itself stays unkeyed and only the
    # audit signer differs between the two kinds of save.
    keys = StaffKeys(OUT / "identity-saves-keys")
    if not keys.has_key("admin"):
        keys.create("admin", passphrase_of("admin"), KEYS_FROM)
    signer = keys.unlock("admin", passphrase_of("admin"))
    s, men = session_to_save_into(office)
    times: dict[str, list[float]] = {"unsigned": [], "signed": []}
    for i in range(2 * n + 2):
        kind = "signed" if i % 2 else "unsigned"
        office.stores.audit.signer = signer if kind == "signed" else None
        c = CheckIn(participant_id=men[i % len(men)], summary=f"Did his control log ({i})")
        t = time.perf_counter()
        sessions.record_checkin(office, s.id, c)
        times[kind].append((time.perf_counter() - t) * 1000)
    office.stores.audit.signer = None
    return {k: statistics.median(v[1:]) for k, v in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--saves", type=int, default=200)
    ap.add_argument("--groups", type=int, default=400)
    args = ap.parse_args()
    v = verify(args.groups)
    s = saves(args.saves)
    print(f"Verify the audit log: {v['lines']:,} lines, {v['signed']:,} signed")
    print(f"  {'what':<44}{'seconds':>10}  target")
    print(f"  {'hash chain only (baseline)':<44}{v['chain_s']:>10.1f}")
    print(f"  {'chain and every signature (in-process)':<44}{v['signed_s']:>10.1f}  <= 30")
    print(f"  {'`facilitator audit verify` (whole command)':<44}{v['command_s']:>10.1f}  <= 30")
    print(
        f"  the in-process check used {v['signed_cpu']:.1f} processor-seconds on {v['cores']} "
        f"cores (load average {v['load']:.1f} when it ended): on an idle machine its wall time "
        f"is about {v['signed_cpu'] / v['cores']:.1f} s"
    )
    print(f"  it said: {v['said']}")
    print(f"Save one check-in, median of {args.saves} each, alternating")
    print(f"  {'unsigned (baseline)':<44}{s['unsigned']:>10.2f} ms")
    print(f"  {'signed':<44}{s['signed']:>10.2f} ms")
    print(f"  {'signing adds':<44}{s['signed'] - s['unsigned']:>10.2f} ms  <= 1")


if __name__ == "__main__":
    main()
