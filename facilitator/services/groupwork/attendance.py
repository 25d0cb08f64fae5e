"""Reading attendance across many sessions at once: for compliance, exports, reports and the grid.

Read-only and fast: each store file is read whole with `load_json_store` (no TinyDB per file),
because an export over ten years opens about 18,000 session files and TinyDB's cost per open
would double its time. Damaged files still fail with the store's own message. Writes go
through services/groupwork/sessions.py.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from facilitator.domain.compliance import SESSION_CANCELLED, Mark
from facilitator.domain.enrolment import Enrolment
from facilitator.domain.participant import Participant
from facilitator.services.core.office import Office
from facilitator.services.groupwork.plan import cancelled_sessions
from facilitator.storage import migrations
from facilitator.storage.stores import safe_name
from facilitator.storage.tinystore import load_json_store


@dataclass
class HeldSession:
    group_id: str
    date: str
    curriculum_session: int
    state: str
    marks: dict[str, dict]  # participant id -> the attendance document


def _rows(data: dict, table: str) -> list[dict]:
    return list((data.get(table) or {}).values())


def _load(path: str, kind: str) -> dict:
    """A store file as a dict. Plain open and json.loads on the way that works (an export reads
    thousands); anything unusual goes through load_json_store for its checks and messages."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.loads(fh.read())
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        return load_json_store(Path(path), kind)  # raises StoreDamaged, naming the file
    return migrations.upgrade(data, kind, path)


def _group_dir(office: Office, group_id: str) -> str:
    return os.path.join(office.stores.path("sessions"), safe_name(group_id, "group id"))


def session_index(office: Office, group_id: str) -> list[dict]:
    """The group's sessions (date, curriculum number, state), oldest first."""
    path = os.path.join(_group_dir(office, group_id), "index.json")
    return sorted(_rows(_load(path, "session_index"), "sessions"), key=lambda d: d["date"])


_DECODER = json.JSONDecoder()
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_META_KEY = '"_meta":'


def _attendance_only(text: str) -> dict | None:
    try:
        return _attendance_table(text)
    except (ValueError, IndexError, TypeError):
        return None


def _attendance_table(text: str) -> dict | None:
    """The attendance table of a session file, parsed without its check-ins (two thirds of the
    file, and much of an export's time). None when the file is not laid out as this version
    writes it (the session and the schema stamp, then attendance, then the rest; compact;
    current schema, no migration): the caller then reads the whole file the ordinary way.

    Only structure is parsed, never searched for: every value is read with the JSON decoder
    from where the one before it ended. `"_meta":` cannot occur inside a string value (its
    quotes would be escaped there), so its last occurrence is the store's own. A file cut short
    or with something after its end (what a disk fault or a hand edit leaves) does not end as
    this version writes one, with the close of its last record, table and file: it is read the
    ordinary way, whose checks name the file, so an export or a report stops and says so
    rather than passing over the damage behind the attendance.
    """
    at = text.rfind(_META_KEY)
    if at < 0 or not text.startswith("{") or migrations.MIGRATIONS.get("session"):
        return None
    if not text.rstrip().endswith("}}"):
        return None
    meta, _ = _DECODER.raw_decode(text, at + len(_META_KEY))
    if migrations.read_meta({"_meta": meta}) != ("session", migrations.current_version("session")):
        return None
    i = 1
    while text[i] != "}":
        key, i = _DECODER.raw_decode(text, i)
        if text[i] != ":":
            return None
        if key == "attendance":
            table, _ = _DECODER.raw_decode(text, i + 1)
            return table if isinstance(table, dict) else None
        if key not in ("session", "_meta"):
            return None  # check-ins (or anything else) first: not worth skipping
        _, i = _DECODER.raw_decode(
            text, i + 1
        )  # the session's own record, or the schema stamp: small
        if text[i] == ",":
            i += 1
        elif text[i] != "}":
            return None
    return {}  # no attendance table yet


def session_marks(
    office: Office, group_id: str, day: str, folder: str | None = None
) -> dict[str, dict]:
    # The same file as Stores.session_file(group_id, day).
    path = os.path.join(folder or _group_dir(office, group_id), day[:4], f"{day}.json")
    try:
        with open(path, encoding="utf-8") as fh:
            table = _attendance_only(fh.read())
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError, IndexError, TypeError):
        table = None
    if table is None:  # anything unusual: the whole file, with the store's checks and messages
        return {d["participant_id"]: d for d in _rows(_load(path, "session"), "attendance")}
    return {d["participant_id"]: d for d in table.values()}


def held_sessions(
    office: Office, group_id: str, since: str | None = None, until: str | None = None
) -> Iterator[HeldSession]:
    """The group's sessions between two dates (inclusive), each with its marks, oldest first."""
    folder = _group_dir(office, group_id)
    for row in session_index(office, group_id):
        day = row["date"]
        if (since and day < since) or (until and day > until):
            continue
        yield HeldSession(
            group_id,
            day,
            int(row["curriculum_session"]),
            row.get("state", ""),
            session_marks(office, group_id, day, folder),
        )


def to_mark(day: str, number: int, doc: dict | None) -> Mark:
    if doc is None:
        return Mark(day, number, None)
    return Mark(
        day,
        number,
        doc["status"],
        int(doc.get("minutes_late") or 0),
        int(doc.get("minutes_missed") or 0),
    )


def participants(office: Office, ids: Iterable[str] | None = None) -> dict[str, Participant]:
    """Participants by id (every one, or these), read in one go (an export names thousands)."""
    path = str(office.stores.path("people.json"))
    wanted = None if ids is None else set(ids)
    return {
        d["id"]: Participant.from_dict(d)
        for d in _rows(_load(path, "people"), "participants")
        if wanted is None or d["id"] in wanted
    }


def group_enrolments(office: Office, group_id: str) -> list[Enrolment]:
    path = office.stores.path("enrolments", f"{safe_name(group_id, 'group id')}.json")
    return [
        Enrolment.from_dict(d) for d in _rows(load_json_store(path, "enrolments"), "enrolments")
    ]


def all_enrolments(office: Office) -> list[Enrolment]:
    out: list[Enrolment] = []
    for gid in office.stores.enrolment_groups():
        out.extend(group_enrolments(office, gid))
    return out


def enrolments_of_man(office: Office, participant_id: str) -> list[Enrolment]:
    """One man's enrolments, in all_enrolments' order. Ten years hold hundreds of groups: a
    group's file is parsed only when his id is in it (ids are written plainly in the JSON), so
    reading one man's costs a glance at each file rather than building every enrolment."""
    needle = json.dumps(participant_id).encode("utf-8")
    out: list[Enrolment] = []
    for gid in office.stores.enrolment_groups():
        path = office.stores.path("enrolments", f"{safe_name(gid, 'group id')}.json")
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            continue
        if needle not in raw:
            continue
        out += [
            Enrolment.from_dict(d)
            for d in _rows(load_json_store(path, "enrolments"), "enrolments")
            if d.get("participant_id") == participant_id
        ]
    return out


def enrolments_of_men_since(office: Office, since: str) -> list[Enrolment]:
    """Every enrolment (earlier groups too) of the men enrolled now or who left on or after
    `since`, in all_enrolments' order. Ten years hold thousands of men long gone: their rows
    are looked at, never built. A leaving date not written as YYYY-MM-DD is read as the
    record reads it (or fails as it does)."""
    rows: list[dict] = []
    for gid in office.stores.enrolment_groups():
        path = office.stores.path("enrolments", f"{safe_name(gid, 'group id')}.json")
        rows.extend(_rows(load_json_store(path, "enrolments"), "enrolments"))
    wanted = set()
    for d in rows:
        left = d.get("left_on") or ""
        if left and not (isinstance(left, str) and _ISO_DAY.fullmatch(left)):
            left = Enrolment.from_dict(d).left_on
        if not left or left >= since:
            wanted.add(d["participant_id"])
    return [Enrolment.from_dict(d) for d in rows if d["participant_id"] in wanted]


def marks_in_group(
    office: Office, group_id: str, enrolments: Iterable[Enrolment]
) -> dict[str, list[Mark]]:
    """For each of these enrolments, a Mark for every session held while he was enrolled
    (status None where nobody marked him)."""
    by_man: dict[str, list[Enrolment]] = {}
    for e in enrolments:
        if e.group_id == group_id:
            by_man.setdefault(e.participant_id, []).append(e)
    out: dict[str, list[Mark]] = {pid: [] for pid in by_man}
    if not by_man:
        return out
    rows = [e for ens in by_man.values() for e in ens]
    since = min(e.joined_on for e in rows)
    until = None if any(not e.left_on for e in rows) else max(e.left_on for e in rows)
    for held in held_sessions(office, group_id, since, until):
        for pid, ens in by_man.items():
            doc = held.marks.get(pid)
            # A mark counts from the day he joined (even on the day he left); a missing mark
            # only while he was enrolled.
            if doc is not None and any(e.joined_on <= held.date for e in ens):
                out[pid].append(to_mark(held.date, held.curriculum_session, doc))
            elif doc is None and any(e.active_on(held.date) for e in ens):
                out[pid].append(to_mark(held.date, held.curriculum_session, None))
    # A session the programme cancelled: every man enrolled then is marked "session
    # cancelled" (curriculum session 0: none was used up), which never counts as an absence.
    for day, _reason in cancelled_sessions(office, group_id, since, until or ""):
        for pid, ens in by_man.items():
            if any(e.active_on(day) for e in ens):
                out[pid].append(Mark(day, 0, SESSION_CANCELLED))
    for found in out.values():
        found.sort(key=lambda m: m.date)
    return out


def marks_of(
    office: Office, participant_id: str, enrolments: list[Enrolment] | None = None
) -> list[Mark]:
    """Every session a man was expected at, across every group he was in, oldest first."""
    if enrolments is None:
        enrolments = [e for e in all_enrolments(office) if e.participant_id == participant_id]
    mine = [e for e in enrolments if e.participant_id == participant_id]
    out: list[Mark] = []
    for gid in sorted({e.group_id for e in mine}):
        out.extend(marks_in_group(office, gid, mine).get(participant_id, []))
    return sorted(out, key=lambda m: m.date)
