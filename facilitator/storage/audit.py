"""The audit log: one JSON line per change — who, when, what kind of record, which id.

It never holds content (no names, no check-in words). Each line carries the hash of the line
before it, so a line edited or removed breaks the chain at that point and `verify` names it.

A hash chain alone can be rewritten by anyone who can write the file: recompute every hash and
the head and it "holds" again. So once staff have signing keys, every line is also signed by
the member who acted: an Ed25519 signature over the line's hash, which covers the line and the
hash of the one before it. Rewriting the log then needs the private keys, which are kept only
under each member's passphrase. Lines from before the first key are verified by the chain and
counted as unsigned.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from facilitator import clock
from facilitator.errors import StoreError
from facilitator.storage.files import append_line

if TYPE_CHECKING:
    from facilitator.storage.staff_keys import Signer, StaffKeys

GENESIS = "0" * 64
# A sign-in that failed has no key to sign with; such lines are the only unsigned ones allowed
# once the workspace has keys.
UNSIGNED_ACTIONS = frozenset({"sign-in-failed"})
# Signatures are checked in batches of this many lines, on every processor the log's reader
# may use, once the log is long enough for that to pay for starting them.
BATCH = 20_000


def _digest(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k not in ("hash", "sig")}
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


@dataclass
class AuditReport:
    """What `verify` found: the first problem (None when everything holds) and the counts."""

    problem: AuditProblem | None = None
    entries: int = 0
    signed: int = 0
    unsigned: int = 0  # written before the workspace had keys (chain only)
    failed_sign_ins: int = 0
    signers: set[str] = field(default_factory=set)


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)
        # Entries of the action this thread is in the middle of, written with its other files
        # when it ends (see storage.journal); None outside an action.
        self._local = threading.local()
        # The signed-in member's unlocked key: every line written while it is set is signed.
        self.signer: Signer | None = None
        # A helper process reading for a member records nothing (it could not sign).
        self.read_only = False

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
        if self.read_only:
            raise StoreError(
                "a process reading for another records nothing: the change was not made"
            )
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
        entry: dict = {
            "seq": seq,
            "time": clock.now().isoformat(),
            "user": user,
            "action": action,
            "kind": kind,
            "id": record_id,
            **extra,
            "prev": prev_hash,
        }
        signer = self.signer
        if signer is not None and action not in UNSIGNED_ACTIONS:
            entry["signer"], entry["kid"] = signer.staff_id, signer.kid
        digest = entry["hash"] = _digest(entry)
        if "signer" in entry and signer is not None:
            entry["sig"] = signer.sign(digest.encode("ascii"))
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

    def verify(self, keys: StaffKeys | None = None) -> AuditProblem | None:
        """The first line that was changed, removed or inserted, or None when the log holds.
        With the workspace's keys, every signature is checked too."""
        return self.check(keys).problem

    def check(self, keys: StaffKeys | None = None) -> AuditReport:
        report = AuditReport()
        signatures = _Signatures(keys)
        report.problem = self._check_chain(report, signatures)
        bad = signatures.finish()
        if bad is not None and (report.problem is None or bad.line < report.problem.line):
            report.problem = bad
        return report

    def _check_chain(self, report: AuditReport, signatures: _Signatures) -> AuditProblem | None:
        prev_hash, expected_seq = GENESIS, 1
        number = 0
        head = self._read_head()
        head_seq = int(head["seq"]) if head else 0
        keyed_since = signatures.keyed_since
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
            if "sig" in entry or "signer" in entry:
                problem = signatures.add(number, entry)
                if problem:
                    return problem
                report.signed += 1
                report.signers.add(str(entry.get("signer")))
            elif entry.get("action") in UNSIGNED_ACTIONS:
                report.failed_sign_ins += 1
            elif signatures.keys is not None and (
                report.signed or (keyed_since and str(entry.get("time", "")) > keyed_since)
            ):
                # Once a line is signed, or the workspace has had keys, every later change is.
                return AuditProblem(
                    number,
                    "the line is not signed, though every change since staff had keys is: it "
                    "was written or rewritten without a member's key",
                )
            else:
                report.unsigned += 1
            report.entries += 1
            prev_hash, expected_seq = entry["hash"], expected_seq + 1
        if not head and number:
            # Every write leaves the head beside the log: without it, lines cut off the end
            # could not be noticed, so its absence is reported, never passed over.
            return AuditProblem(
                number,
                f"the record of the last line written ({self.head_path.name}) is missing or "
                "damaged: lines may have been removed from the end of the log",
            )
        if head:
            last_seq = expected_seq - 1
            if head_seq > last_seq:
                return AuditProblem(
                    number + 1,
                    f"the log ends after entry {last_seq} but {head['seq']} were written: "
                    f"{int(head['seq']) - last_seq} line(s) removed from the end",
                )
        return None


class _Signatures:
    """The signatures met while the chain is read, checked in batches (in other processes when
    there are many), so the first bad one can be named by its line."""

    def __init__(self, keys: StaffKeys | None):
        self.keys = keys
        self.keyed_since = keys.first_key_at() if keys else ""
        self._public: dict[tuple[str, str], tuple[bytes, str, str]] = {}
        self._batch: list[tuple[int, bytes, bytes, bytes]] = []
        self._pending: list = []
        self._pool: Any = None  # a process pool, started only for a long log
        self._bad: list[int] = []

    def _key(self, signer: str, kid: str) -> tuple[bytes, str, str] | None:
        if (signer, kid) not in self._public and self.keys is not None:
            for key in self.keys.public_keys(signer):
                self._public[(signer, key.kid)] = (
                    base64.b64decode(key.key),
                    key.created_at,
                    key.retired_at,
                )
        return self._public.get((signer, kid))

    def add(self, number: int, entry: dict) -> AuditProblem | None:
        if self.keys is None:
            return None  # chain only: the caller did not ask for signatures
        signer, kid, sig = str(entry.get("signer", "")), str(entry.get("kid", "")), entry.get("sig")
        if not signer or not isinstance(sig, str):
            return AuditProblem(number, "the line's signature is missing or damaged (edited)")
        key = self._key(signer, kid)
        if key is None:
            return AuditProblem(
                number, f"signed with a key this workspace has no record of for {signer} (forged)"
            )
        public, _created, retired = key
        if retired and str(entry.get("time", "")) > retired:
            return AuditProblem(
                number, f"signed with {signer}'s key after it was retired on {retired[:10]}"
            )
        try:
            raw_sig = base64.b64decode(sig, validate=True)
        except ValueError:
            return AuditProblem(number, "the line's signature is damaged (edited)")
        self._batch.append((number, public, entry["hash"].encode("ascii"), raw_sig))
        if len(self._batch) >= BATCH:
            self._flush()
        return None

    def _flush(self) -> None:
        batch, self._batch = self._batch, []
        if not batch:
            return
        workers = _processors()
        if workers > 1 and (self._pool is not None or self._pending):
            if self._pool is None:
                # Loaded here: every command writes audit lines, few check a long log.
                from concurrent.futures import ProcessPoolExecutor
                from multiprocessing import get_context

                self._pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
            self._pending.append(self._pool.submit(_bad_signatures, batch))
        elif workers > 1:
            # The first full batch: more may follow, so the helpers are worth starting.
            self._pending.append(None)
            self._bad += _bad_signatures(batch)
        else:
            self._bad += _bad_signatures(batch)

    def finish(self) -> AuditProblem | None:
        self._flush()
        for future in self._pending:
            if future is not None:
                self._bad += future.result()
        if self._pool is not None:
            self._pool.shutdown()
        if not self._bad:
            return None
        return AuditProblem(
            min(self._bad),
            "the signature does not verify: the line was changed or written without its "
            "signer's key",
        )


def _processors() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _bad_signatures(batch: list[tuple[int, bytes, bytes, bytes]]) -> list[int]:
    """Line numbers whose signature does not verify (run in a helper process for long logs)."""
    from nacl.bindings import crypto_sign_open
    from nacl.exceptions import BadSignatureError

    bad = []
    for number, public, message, signature in batch:
        try:
            crypto_sign_open(signature + message, public)
        except (BadSignatureError, ValueError):
            bad.append(number)
    return bad
