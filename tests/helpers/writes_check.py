"""The kill tests' workspace and their checks of what a killed writer left behind.

`make_workspace` sets up staff, three synthetic men in a group and four sessions with everyone
present. `kill_trial` starts tests.helpers.risk_writer, SIGKILLs it after a random delay, runs
the next command (`facilitator risk list`) and returns what `problems` finds, read from the
files themselves rather than through the services (which would mend or hide what they find).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from facilitator.curriculum.locate import bundled_curricula_dir
from facilitator.domain.checkin import CheckIn
from facilitator.services.core import people
from facilitator.services.core.office import Office
from facilitator.services.groupwork import groups, sessions
from facilitator.services.intake import assessment as intake
from facilitator.services.risk.suggestions import checkin_indicators
from facilitator.storage.audit import AuditLog
from facilitator.storage.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-24T18:00:00"
DAYS = ["2026-11-03", "2026-11-10", "2026-11-17", "2026-11-24"]
SESSIONS = [f"G1-{d}" for d in DAYS]
MEN = ["P0001", "P0002", "P0003"]
DISCLOSURES = [
    "Said he put his hands round her throat during Saturday's row.",
    "Told her he would kill her if she left him.",
    "Keeps a knife by the bed and showed it to her.",
    "Has been following her to work and waiting outside.",
    "Punched the wall and smashed the door when she went out.",
]


def make_workspace(path: Path) -> Path:
    os.environ["FACILITATOR_NOW"] = NOW
    Workspace.init(path, "Kill test", bundled_curricula_dir())
    office = Office.open(path, "admin")
    people.add_staff(office, "Test Admin", ["admin", "coordinator"], "admin")
    people.add_staff(office, "Alex Facilitator", ["facilitator", "coordinator"], "alex")
    people.add_staff(office, "Bea Facilitator", ["facilitator"], "bea")
    office = Office.open(path, "alex")
    for name in ("Adam Example", "Ben Sample", "Carl Testcase"):
        people.add_participant(office, name, "court", "Demo Court", "REF-" + name[:3].upper())
    groups.create_group(
        office, "Tuesday group", "core-24", "tuesday", "18:30", ["alex", "bea"],
        start_date=DAYS[0], group_id="G1",
    )  # fmt: skip
    for pid in MEN:
        intake.complete_intake(office, pid, "2026-10-20")
        groups.enrol(office, "G1", pid, DAYS[0])
    for day in DAYS:
        s = sessions.start_session(office, "G1", day)
        for pid in MEN:
            sessions.mark_attendance(office, s.id, pid, "present")
    return path


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _rows(data: dict, table: str) -> list[dict]:
    return list((data.get(table) or {}).values())


def problems(ws: Path, acks: list[str]) -> list[str]:
    """Every way the workspace fails the rules a kill must not break, one line each."""
    data = ws / "data"
    found: list[str] = []
    office = Office.open(ws, "alex")  # only to scan check-ins as the service would
    # -- check-ins and their suggestions
    index: dict[str, str] = {}
    for f in sorted((data / "risk" / "suggestions").glob("index-*.json")):
        index.update({r["id"]: r["session_id"] for r in _rows(_json(f), "suggestions")})
    suggested: dict[str, dict] = {}
    stored_checkins: dict[tuple[str, str], str] = {}
    for sid, day in zip(SESSIONS, DAYS, strict=True):
        sess = _json(data / "sessions" / "G1" / day[:4] / f"{day}.json")
        sugg = _rows(
            _json(data / "risk" / "suggestions" / "G1" / day[:4] / f"{day}.json"), "suggestions"
        )
        for s in sugg:
            suggested[s["id"]] = s
            if index.get(s["id"]) != sid:
                found.append(f"suggestion {s['id']} in {sid} is not in the year index")
        for c in _rows(sess, "checkins"):
            pid = c["participant_id"]
            stored_checkins[(sid, pid)] = c["summary"]
            wanted = {m["category"] for m in checkin_indicators(office, CheckIn.from_dict(c))}
            have = {cat for s in sugg if s["participant_id"] == pid for cat in s["categories"]}
            if not wanted <= have:
                found.append(
                    f"check-in {sid}/{pid} disclosed {sorted(wanted - have)}: no suggestion"
                )
    for sid_ in index:
        if sid_ not in suggested:
            found.append(f"index names suggestion {sid_} but its session file lacks it")
    # -- flags: queue, closed months, his history, the audit
    live = {d["id"]: d for d in _rows(_json(data / "risk" / "open.json"), "flags")}
    closed: dict[str, dict] = {}
    for f in sorted((data / "risk" / "closed").glob("*.json")):
        closed.update({d["id"]: d for d in _rows(_json(f), "flags")})
    history: set[str] = set()
    for f in sorted((data / "risk" / "men").glob("*.json")):
        history |= {d["id"] for d in _rows(_json(f), "flags")}
    log = AuditLog(data / "audit.jsonl")
    raised = {e["id"] for e in log.entries() if e.get("action") == "raise"}
    closes = {
        e["id"]
        for e in log.entries()
        if e.get("action") == "close" and e.get("kind") == "risk_flag"
    }
    for fid, flag in {**live, **closed}.items():
        if fid not in history:
            found.append(f"flag {fid} is missing from {flag['participant_id']}'s history")
        if fid not in raised:
            found.append(f"flag {fid} has no 'raise' line in the audit")
        if flag.get("suggestion_id"):
            s = suggested.get(flag["suggestion_id"])
            if not s or s.get("status") != "confirmed" or s.get("flag_id") != fid:
                found.append(
                    f"flag {fid} came from suggestion {flag['suggestion_id']}, not confirmed"
                )
    for fid in live:
        if live[fid].get("status") == "closed":
            found.append(f"flag {fid} closed but still in the live queue")
    for fid in closed:
        if fid not in closes:
            found.append(f"flag {fid} closed with no 'close' line in the audit")
    for fid in history - set(live) - set(closed):
        found.append(f"flag {fid} is in a man's history but in no queue")
    for s in suggested.values():
        if s.get("status") == "confirmed" and s.get("flag_id") not in {**live, **closed}:
            found.append(
                f"suggestion {s['id']} confirmed as {s.get('flag_id')}, which does not exist"
            )
    problem = log.verify()
    if problem:
        found.append(f"audit line {problem.line}: {problem.message}")
    # -- what the writer acknowledged
    for ack in acks:
        kind, *rest = ack.split()
        if kind == "checkin":
            sid, pid, tag = rest
            stored = stored_checkins.get((sid, pid), "")
            if not stored or _tag(stored) < _tag_of(tag):
                found.append(f"acknowledged check-in {sid}/{pid} #{tag} was lost")
        elif kind == "flag" and rest[0] not in live and rest[0] not in closed:
            found.append(f"acknowledged flag {rest[0]} was lost")
        elif kind == "close" and rest[0] not in closed:
            found.append(f"acknowledged close of {rest[0]} was lost")
        elif kind in ("confirm", "dismiss"):
            s = suggested.get(rest[0])
            if not s or s.get("status") == "pending":
                found.append(f"acknowledged {kind} of {rest[0]} was lost")
    # -- leftovers
    for p in ws.rglob("*.tmp"):
        found.append(f"temporary file left: {p.relative_to(ws)}")
    if _journal_pending(data):
        found.append("journal left after the next command")
    return found


def _journal_pending(data: Path) -> bool:
    # Read by name, not through the storage layer: the benchmark runs these checks on older
    # code too, which has no journal.
    journal = data / ".journal"
    return journal.exists() and journal.stat().st_size > 0


def _tag_of(tag: str) -> tuple[int, int]:
    seed, n = tag.split(".")
    return int(seed), int(n)


def _tag(summary: str) -> tuple[int, int]:
    return _tag_of(summary.rsplit("(#", 1)[1].rstrip(")"))


@dataclass
class Trial:
    delay_ms: float
    acks: int
    problems: list[str] = field(default_factory=list)
    replayed: bool = False  # the kill left a journal that the next command finished
    temp_left: int = 0  # temporary files on disk just after the kill


def kill_trial(ws: Path, seed: int, all_acks: list[str], max_delay: float = 0.4) -> Trial:
    """One trial: start the writer, kill it at a random moment once it is working, run the
    next command, check. `all_acks` gathers acknowledgements over the trials."""
    env = {**os.environ, "FACILITATOR_NOW": NOW}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.risk_writer", str(ws), str(seed)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    delay = random.Random(seed).random() * max_delay
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate()
    acks = [line[4:] for line in out.splitlines() if line.startswith("ack ")]
    all_acks.extend(acks)
    trial = Trial(delay * 1000, len(acks))
    trial.replayed = _journal_pending(ws / "data")
    trial.temp_left = len(list(ws.rglob("*.tmp")))
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "--workspace", str(ws), "--user", "alex",
         "risk", "list", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        trial.problems.append(f"next command failed: {done.stderr.strip()}")
    trial.problems += problems(ws, all_acks)
    return trial
