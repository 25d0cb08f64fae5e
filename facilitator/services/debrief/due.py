"""Which closed sessions still wait for a signed debrief, kept so that the home screen does not
read every group's session index and note index (ten years of them) each time it looks.

    data/debrief/pending.json   one row per group that has sessions: its closed group sessions
                                with no signed note (id, group, date, number, closed at, whether
                                a draft exists, who has still to sign), and the two files they
                                were read from (inode, size, modification time)

Nobody has to remember to update it. A group's row is used while its session index and its note
index are still the very files it was read from; every store write replaces its file by rename
(a new inode), so a session closed, a note signed, a backup restored or a store edited by hand
makes that group read again at the next look, and its row is written back. A missing, damaged
or older-format file only costs one full read. Only facts copied from the stores are kept, for the
sessions on or after `debrief.due_from` (a row kept for another date is read again): when a
note falls due (debrief.due_hours, the clock) is worked out at each look, by
services/debrief/notes.py.

An unsigned debrief stays due however old, so "still pending" cannot be cut by date (only by
due_from): the rows are all the unsigned ones, a handful in a programme that signs its notes.
"""

from __future__ import annotations

import os
from pathlib import Path

from facilitator.domain.session import Session
from facilitator.errors import StoreError
from facilitator.services.core.office import Office
from facilitator.services.groupwork import attendance as records
from facilitator.storage.stores import safe_name
from facilitator.storage.tinystore import load_json_store

STORE = "debrief/pending.json"
KIND = "debrief_pending"
FORMAT = 1  # of a group's row; a row of another format is read again
# A pending session: [session id, group id, date, curriculum session, closed at, note status
# ("no note" or "draft"), who has still to sign]
Pending = list


def _stamp(path: str) -> list[int] | None:
    """What changes whenever the store is written (a rename gives the file a new inode)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def _sources(data_dir: str, group_id: str) -> tuple[str, str]:
    """The group's session index and note index (plain strings: 800 of them on each look)."""
    gid = safe_name(group_id, "group id")
    return (
        os.path.join(data_dir, "sessions", gid, "index.json"),
        os.path.join(data_dir, "debrief", gid, "index.json"),
    )


def read_group(office: Office, group_id: str, since: str = "") -> list[Pending]:
    """A group's closed group sessions on or after `since` without a signed note, read from its
    two indexes."""
    _, notes_file = _sources(str(office.stores.path()), group_id)
    notes = {
        r["id"]: r
        for r in (load_json_store(Path(notes_file), "debrief_index").get("notes") or {}).values()
    }
    out = []
    for row in records.session_index(office, group_id):
        s = Session.from_dict(row)  # the session service's own checks and defaults
        if not s.is_closed or s.kind != "group" or (since and s.date < since):
            continue
        note = notes.get(s.id)
        if note and note["status"] == "signed":
            continue
        if note:
            awaiting = [a for a in note.get("authors", []) if a not in note.get("signed_by", [])]
        else:
            awaiting = list(s.facilitators_present)
        out.append(
            [
                s.id,
                s.group_id,
                s.date,
                s.curriculum_session,
                s.closed_at,
                "draft" if note else "no note",
                awaiting,
            ]
        )
    return out


def _kept(path: Path) -> tuple[dict[str, dict], bool]:
    """The kept rows by group, and whether the file is damaged (or from a newer version)."""
    try:
        data = load_json_store(path, KIND)
    except StoreError:
        return {}, True
    rows = data.get("groups") or {}
    return {
        d["id"]: d for d in rows.values() if isinstance(d, dict) and d.get("format") == FORMAT
    }, False


def pending(office: Office, since: str = "") -> list[Pending]:
    """Every group's pending sessions on or after `since` (debrief.due_from): from the kept rows
    where their files and `since` are unchanged, read again where not (and written back)."""
    path = office.stores.path(*STORE.split("/"))
    kept, damaged = _kept(path)
    out: list[Pending] = []
    fresh: list[dict] = []
    groups = [p.name for p in office.stores.group_session_dirs()]
    data_dir = str(office.stores.path())
    for gid in groups:
        # Stamps before reading: a write in between makes the row look stale next time, never fresh.
        stamps = [_stamp(f) for f in _sources(data_dir, gid)]
        row = kept.get(gid)
        if row is None or row.get("stamps") != stamps or row.get("since") != since:
            row = {
                "id": gid,
                "format": FORMAT,
                "since": since,
                "stamps": stamps,
                "pending": read_group(office, gid, since),
            }
            fresh.append(row)
        out.extend(row["pending"])
    if fresh or damaged or len(kept) != len(groups):
        _write(office, path, damaged, groups, kept, fresh)
    return out


def _write(
    office: Office,
    path: Path,
    damaged: bool,
    groups: list[str],
    kept: dict[str, dict],
    fresh: list[dict],
) -> None:
    """Write the rows back; when that cannot be done (a read-only or busy workspace) the next
    look reads those groups again, nothing worse."""
    rows = {gid: kept[gid] for gid in groups if gid in kept} | {r["id"]: r for r in fresh}
    try:
        with office.stores.writing():
            if damaged:
                path.unlink(missing_ok=True)  # only a copy of what the indexes hold: made afresh
            with office.stores.store(STORE, KIND, write=True) as db:
                db.drop_table("groups")
                db.table("groups").insert_multiple(rows[gid] for gid in groups)
    except (OSError, StoreError):
        pass
