"""Where a man's case file lives, and its small helpers.

    data/casefile/<man>.json    tables: details (one document), contacts, children, notes,
                                counters (the last number used for each kind within his file)

One file per man: a write touches only his file, whatever the size of the programme's history,
and retention and subject access find all of it by its name.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tinydb import Query, TinyDB

from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.storage.stores import all_docs, safe_name

KIND = "casefile"


def casefile_file(participant_id: str) -> str:
    return f"casefile/{safe_name(participant_id, 'participant id')}.json"


@contextmanager
def his_file(office: Office, participant_id: str, write: bool = False) -> Iterator[TinyDB]:
    with office.stores.store(casefile_file(participant_id), KIND, write=write) as db:
        yield db


def man_id(office: Office, participant_id: str) -> str:
    """His id as stored; NotFound for a man who is not held."""
    return get_participant(office, participant_id).id


def docs(office: Office, participant_id: str, table: str) -> list[dict]:
    if not office.stores.path(*casefile_file(participant_id).split("/")).exists():
        return []
    with his_file(office, participant_id) as db:
        return all_docs(db, table)


def next_number(db: TinyDB, prefix: str) -> str:
    """The next id of a kind within his file (C3, K1, N12). Caller holds the lock."""
    table = db.table("counters")
    q = Query()
    row = table.get(q.prefix == prefix)
    n = int(row["last"]) + 1 if row else 1
    table.upsert({"prefix": prefix, "last": n}, q.prefix == prefix)
    return f"{prefix}{n}"
