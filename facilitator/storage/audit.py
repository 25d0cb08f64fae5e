"""The audit log: one JSON line per change — who, when, what kind of record, which id.

It never holds content (no names, no check-in words). Each line carries the hash of the line
before it, so a line edited or removed breaks the chain at that point and `verify` names it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from facilitator import clock
from facilitator.storage.files import append_line

GENESIS = "0" * 64


def _digest(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _last_line(path: Path) -> str | None:
    """The last line, read from the end so the cost does not grow with the log."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            end = fh.tell()
            if end == 0:
                return None
            chunk = b""
            pos = end
            while pos > 0:
                step = min(4096, pos)
                pos -= step
                fh.seek(pos)
                chunk = fh.read(step) + chunk
                lines = chunk.rstrip(b"\n").split(b"\n")
                if len(lines) > 1 or pos == 0:
                    return lines[-1].decode("utf-8")
    except FileNotFoundError:
        return None
    return None


@dataclass
class AuditProblem:
    line: int
    message: str


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)

    def record(self, user: str, action: str, kind: str, record_id: str, **extra: str) -> dict:
        """Append one entry. The caller holds the workspace lock, so the chain cannot fork.

        `extra` is for short codes only (a category id, a status), never free text.
        """
        last = _last_line(self.path)
        prev_hash, seq = GENESIS, 1
        if last:
            try:
                prev = json.loads(last)
                prev_hash, seq = prev["hash"], int(prev["seq"]) + 1
            except (ValueError, KeyError, TypeError):
                # A damaged last line must not stop work being recorded; verify will report it.
                prev_hash = hashlib.sha256(last.encode("utf-8")).hexdigest()
                seq = sum(1 for _ in self.lines()) + 1
        entry = {
            "seq": seq,
            "time": clock.now().isoformat(),
            "user": user,
            "action": action,
            "kind": kind,
            "id": record_id,
            **extra,
            "prev": prev_hash,
        }
        entry["hash"] = _digest(entry)
        append_line(self.path, json.dumps(entry, ensure_ascii=False, sort_keys=True))
        return entry

    def lines(self) -> Iterator[str]:
        try:
            with open(self.path, encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        yield line.rstrip("\n")
        except FileNotFoundError:
            return

    def entries(self) -> Iterator[dict]:
        for line in self.lines():
            try:
                yield json.loads(line)
            except ValueError:
                continue

    def verify(self) -> AuditProblem | None:
        """The first line that was changed, removed or inserted, or None when the chain holds."""
        prev_hash, expected_seq = GENESIS, 1
        number = 0
        for number, line in enumerate(self.lines(), start=1):
            try:
                entry = json.loads(line)
            except ValueError:
                return AuditProblem(number, "line is not valid JSON (edited or truncated)")
            if not isinstance(entry, dict) or "hash" not in entry:
                return AuditProblem(number, "line has no hash (edited)")
            if entry.get("prev") != prev_hash:
                return AuditProblem(number, "chain broken: the line before it was changed or removed")
            if entry.get("seq") != expected_seq:
                return AuditProblem(number, f"sequence {entry.get('seq')} where {expected_seq} was expected: a line was removed")
            if _digest(entry) != entry["hash"]:
                return AuditProblem(number, "content does not match its hash: the line was edited")
            prev_hash, expected_seq = entry["hash"], expected_seq + 1
        return None
