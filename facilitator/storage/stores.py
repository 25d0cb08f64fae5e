"""Which store file holds which records, and small helpers to read and write them.

The split keeps every frequent write small (each is a whole-file atomic rewrite): a mark or a
check-in rewrites only that session's own file, whatever the size of the history.

    data/people.json                               participants
    data/groups.json                               groups
    data/enrolments/<group>.json                   who joined and left that group
    data/counters.json                             the last number used for each kind of id
    data/sessions/<group>/index.json               the group's sessions (date, number, state)
    data/sessions/<group>/<year>/<date>.json       one session: attendance, check-ins, corrections
    data/audit.jsonl                               the audit log
Other features add their own files under data/ through `Stores.store()`.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from facilitator.errors import InvalidInput, RecordDamaged
from facilitator.storage import journal
from facilitator.storage.audit import AuditLog
from facilitator.storage.journal import Transaction
from facilitator.storage.tinystore import open_store
from facilitator.storage.workspace import Workspace

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def safe_name(value: str, what: str) -> str:
    """Ids become file names: refuse anything that could leave its folder."""
    if not _SAFE_NAME.match(value or "") or ".." in value:
        raise InvalidInput(f"{what} '{value}' may use only letters, digits, '-', '_' and '.'")
    return value


# Where each kind of record lives, relative to data/: spelled here once, for the stores below
# and for the history builder that writes whole files at once.
PEOPLE_FILE = "people.json"
GROUPS_FILE = "groups.json"
COUNTERS_FILE = "counters.json"


def enrolments_file(group_id: str) -> str:
    return f"enrolments/{safe_name(group_id, 'group id')}.json"


def session_index_file(group_id: str) -> str:
    return f"sessions/{safe_name(group_id, 'group id')}/index.json"


def session_file_of(group_id: str, day: str) -> str:
    return f"sessions/{safe_name(group_id, 'group id')}/{day[:4]}/{day}.json"


class Stores:
    def __init__(self, workspace: Workspace):
        self.ws = workspace
        self.audit = AuditLog(workspace.audit_file)
        workspace.audit_log = self.audit
        # The action this thread is in the middle of (`writing()`), or None.
        self._local = threading.local()

    @property
    def txn(self) -> Transaction | None:
        return getattr(self._local, "txn", None)

    # -- files --------------------------------------------------------------------------
    def path(self, *parts: str) -> Path:
        return self.ws.data_dir.joinpath(*parts)

    @contextmanager
    def store(self, relative: str, kind: str, write: bool = False) -> Iterator[TinyDB]:
        txn = self.txn
        if txn is None:
            # A journal on disk: another process stopped half way through an action. Finish it
            # before reading, so that no reader sees its files disagreeing.
            self.ws.recover_if_interrupted()
        path = self.path(*relative.split("/"))
        with open_store(path, kind, write=write, txn=txn) as db:
            try:
                yield db
            except RecordDamaged as err:
                if err.where:
                    raise
                # Read while the store was open: the file it came from is known here.
                raise RecordDamaged(err.bare, str(path)) from None

    def written(self, relative: str) -> bool:
        """Whether the action in progress has written this store (not on disk until the
        action ends)."""
        txn = self.txn
        return txn is not None and self.path(*relative.split("/")) in txn.files

    def people(self, write: bool = False):
        return self.store(PEOPLE_FILE, "people", write)

    def groups(self, write: bool = False):
        return self.store(GROUPS_FILE, "groups", write)

    def enrolments(self, group_id: str, write: bool = False):
        return self.store(enrolments_file(group_id), "enrolments", write)

    def enrolment_groups(self) -> list[str]:
        base = self.path("enrolments")
        return sorted(p.stem for p in base.glob("*.json")) if base.is_dir() else []

    def session_index(self, group_id: str, write: bool = False):
        return self.store(session_index_file(group_id), "session_index", write)

    def session_file(self, group_id: str, day: str, write: bool = False):
        return self.store(session_file_of(group_id, day), "session", write)

    def group_session_dirs(self) -> list[Path]:
        base = self.path("sessions")
        return sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []

    # -- writing ------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[Stores]:
        """Hold the workspace lock for one user action (read, change, write, audit), and
        write everything it changed as one unit when it ends (storage.journal): a kill leaves
        all of it or none of it, and an error none of it. Nested calls join the outer action."""
        if self.txn is not None:
            yield self
            return
        self.ws.require()
        with self.ws.lock():
            txn = Transaction()
            self._local.txn = txn
            self.audit.pending = txn.audit
            try:
                yield self
            finally:
                self._local.txn = None
                self.audit.pending = None
            journal.commit(self.ws.data_dir, self.audit, txn)

    def next_id(self, prefix: str, width: int = 4) -> str:
        """The next id of a kind, e.g. P0007. Caller holds the lock."""
        with self.store(COUNTERS_FILE, "counters", write=True) as db:
            table = db.table("counters")
            q = Query()
            row = table.get(q.prefix == prefix)
            n = int(row["last"]) + 1 if row else 1
            table.upsert({"prefix": prefix, "last": n}, q.prefix == prefix)
        return f"{prefix}{n:0{width}d}"


# -- table helpers (documents are keyed by their "id" field) ----------------------------
def all_docs(db: TinyDB, table: str) -> list[dict[str, Any]]:
    # Copies: TinyDB hands out its cached objects, and changing them would change the cache.
    return [copy.deepcopy(dict(d)) for d in db.table(table).all()]


def peek_docs(db: TinyDB, table: str) -> list[dict[str, Any]]:
    """The documents as stored, uncopied: for read-only checks on a hot path. Never change them."""
    data = db.storage.read()
    return list(data.get(table, {}).values()) if data else []


def get_doc(db: TinyDB, table: str, key: str, field: str = "id") -> dict[str, Any] | None:
    doc = db.table(table).get(Query()[field] == key)
    return copy.deepcopy(dict(doc)) if doc is not None else None


def put_doc(db: TinyDB, table: str, doc: dict[str, Any], field: str = "id") -> None:
    db.table(table).upsert(copy.deepcopy(dict(doc)), Query()[field] == doc[field])


def remove_doc(db: TinyDB, table: str, key: str, field: str = "id") -> None:
    db.table(table).remove(Query()[field] == key)
