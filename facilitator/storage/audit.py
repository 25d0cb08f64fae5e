"""The audit log: one JSON line per change — who, when, what kind of record, which id.

It never holds content (no names, no check-in words). Each line carries the hash of the line
before it, so a line edited or removed breaks the chain at that point and `verify` names it.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from facilitator import clock
from facilitator.storage.files import append_line

GENESIS = "0" * 64


def _digest(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()


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
                    return lines[-1].decode("utf-8", errors="replace")
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
        # Entries of the action this thread is in the middle of, written with its other files
        # when it ends (see storage.journal); None outside an action.
        self._local = threading.local()

    @property
    def pending(self) -> list[dict] | None:
        return getattr(self._local, "pending", None)

    @pending.setter
    def pending(self, entries: list[dict] | None) -> None:
        self._local.pending = entries

    def record(self, user: str, action: str, kind: str, record_id: str, **extra: str) -> dict:
        """Append one entry. The caller holds the workspace lock, so the chain cannot fork.

        `extra` is for short codes only (a category id, a status), never free text.
        """
        pending = self.pending
        last = json.dumps(pending[-1]) if pending else _last_line(self.path)
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
        if pending is not None:
            pending.append(entry)
            return entry
        append_line(self.path, json.dumps(entry, ensure_ascii=False, sort_keys=True))
        self._write_head(entry)
        return entry

    def append_entries(self, entries: list[dict]) -> int:
        """Append entries made earlier under the lock, skipping those already in the log (a
        replayed action may have got part of the way): their sequence numbers say which."""
        if not entries:
            return 0
        last = _last_line(self.path)
        try:
            last_seq = int(json.loads(last)["seq"]) if last else 0
        except (ValueError, KeyError, TypeError):
            last_seq = 0
        lines = [
            json.dumps(entry, ensure_ascii=False, sort_keys=True)
            for entry in entries
            if int(entry.get("seq", 0)) > last_seq
        ]
        if lines:
            append_line(self.path, "\n".join(lines))  # one write, one fsync
        self._write_head(entries[-1])
        return len(lines)

    # The head remembers the last line written, so lines cut off the end of the log (which
    # leave the chain itself intact) are noticed. It is renamed into place but not fsync'd: after
    # a power cut it can only lag behind the log, which verify accepts.
    @property
    def head_path(self) -> Path:
        return self.path.with_name(self.path.name + ".head")

    def _write_head(self, entry: dict) -> None:
        tmp = self.head_path.with_name(self.head_path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, json.dumps({"seq": entry["seq"], "hash": entry["hash"]}).encode("utf-8"))
        finally:
            os.close(fd)
        os.replace(tmp, self.head_path)

    def _read_head(self) -> dict | None:
        try:
            head = json.loads(self.head_path.read_text(encoding="utf-8"))
            return head if isinstance(head, dict) and "seq" in head else None
        except (OSError, ValueError):
            return None

    def raw_lines(self) -> Iterator[bytes]:
        try:
            with open(self.path, "rb") as fh:
                for line in fh:
                    if line.strip():
                        yield line.rstrip(b"\n")
        except FileNotFoundError:
            return

    def lines(self) -> Iterator[str]:
        # Bytes that are not UTF-8 (a damaged disk, an edit) must not stop a listing: they show
        # as replacement characters here, and `verify` names the line.
        for raw in self.raw_lines():
            yield raw.decode("utf-8", errors="replace")

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
        head = self._read_head()
        head_seq = int(head["seq"]) if head else 0
        for number, raw in enumerate(self.raw_lines(), start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                return AuditProblem(number, "line holds bytes that are not UTF-8 text (damaged)")
            try:
                entry = json.loads(line)
            except ValueError:
                return AuditProblem(number, "line is not valid JSON (edited or truncated)")
            if not isinstance(entry, dict) or "hash" not in entry:
                return AuditProblem(number, "line has no hash (edited)")
            if entry.get("prev") != prev_hash:
                return AuditProblem(
                    number, "chain broken: the line before it was changed or removed"
                )
            if entry.get("seq") != expected_seq:
                return AuditProblem(
                    number,
                    f"sequence {entry.get('seq')} where {expected_seq} was expected: a line "
                    "was removed",
                )
            if _digest(entry) != entry["hash"]:
                return AuditProblem(number, "content does not match its hash: the line was edited")
            if head and entry["seq"] == head_seq and entry["hash"] != head.get("hash"):
                return AuditProblem(
                    number,
                    "this line differs from the one recorded as written: the end of the "
                    "log was rewritten",
                )
            prev_hash, expected_seq = entry["hash"], expected_seq + 1
        if head:
            last_seq = expected_seq - 1
            if head_seq > last_seq:
                return AuditProblem(
                    number + 1,
                    f"the log ends after entry {last_seq} but {head['seq']} were written: "
                    f"{int(head['seq']) - last_seq} line(s) removed from the end",
                )
        return None
