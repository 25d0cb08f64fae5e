"""Where a group's sessions live, and reading them: one small file per session, and one index
per group of the sessions held.

    data/sessions/<group>/<year>/<date>.json     a session with its marks, check-ins, corrections
    data/sessions/<group>/index.json              the group's sessions, one row each
"""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitator.domain.attendance import Attendance
from facilitator.domain.checkin import CheckIn
from facilitator.domain.group import Group
from facilitator.domain.session import Correction, Session, session_id, split_session_id
from facilitator.errors import NotFound
from facilitator.services.core.group_store import get_group
from facilitator.services.core.office import Office
from facilitator.storage.stores import all_docs, get_doc, peek_docs, session_file_of


@dataclass
class SessionRecord:
    """A session with everything recorded in it."""

    session: Session
    attendance: dict[str, Attendance] = field(default_factory=dict)
    checkins: dict[str, CheckIn] = field(default_factory=dict)
    corrections: list[Correction] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            **self.session.to_dict(),
            "attendance": [a.to_dict() for a in self.attendance.values()],
            "checkins": [c.to_dict() for c in self.checkins.values()],
            "corrections": [c.to_dict() for c in self.corrections],
        }


def index_rows(office: Office, group_id: str, readonly: bool = False) -> list[dict]:
    """The group's sessions, oldest first. readonly: the rows as stored, uncopied, for a
    caller that only reads them (the index grows with the group's history)."""
    with office.stores.session_index(group_id) as db:
        rows = peek_docs(db, "sessions") if readonly else all_docs(db, "sessions")
    return sorted(rows, key=lambda d: d["date"])


def next_curriculum_session(office: Office, group: Group, day: str) -> int:
    """The curriculum session the group is on for a session on `day`."""
    earlier = [r for r in index_rows(office, group.id, readonly=True) if r["date"] < day]
    if earlier:
        return group.next_curriculum_session(int(earlier[-1]["curriculum_session"]))
    return 1


def list_sessions(office: Office, group_id: str | None = None) -> list[Session]:
    if group_id:
        groups = [get_group(office, group_id).id]
    else:
        groups = [p.name for p in office.stores.group_session_dirs()]
    out: list[Session] = []
    for gid in groups:
        out.extend(Session.from_dict(r) for r in index_rows(office, gid))
    out.sort(key=lambda s: (s.date, s.group_id))
    return out


def find_session(office: Office, group_id: str, day: str) -> Session | None:
    with office.stores.session_index(group_id) as db:
        doc = get_doc(db, "sessions", session_id(group_id, day))
    return Session.from_dict(doc) if doc else None


def get_session(office: Office, sid: str) -> SessionRecord:
    group_id, day = split_session_id(sid)
    record = read_record(office, group_id, day)
    if record is None:
        group = get_group(office, group_id)  # NotFound for an unknown group; forgives case
        record = read_record(office, group.id, day)
        if record is None:
            raise NotFound(
                f"no session '{sid}'", command=f"facilitator session list --group {group.id}"
            )
    return record


def read_record(office: Office, group_id: str, day: str) -> SessionRecord | None:
    if not office.stores.path("sessions", group_id).is_dir() and not office.stores.written(
        session_file_of(group_id, day)
    ):
        return None
    with office.stores.session_file(group_id, day) as db:
        doc = get_doc(db, "session", session_id(group_id, day))
        if doc is None:
            return None
        record = SessionRecord(Session.from_dict(doc))
        for a in all_docs(db, "attendance"):
            record.attendance[a["participant_id"]] = Attendance.from_dict(a)
        for c in all_docs(db, "checkins"):
            record.checkins[c["participant_id"]] = CheckIn.from_dict(c)
        record.corrections = [Correction.from_dict(c) for c in all_docs(db, "corrections")]
    return record


def locate_session(office: Office, sid: str) -> tuple[str, str]:
    """(group id, date) of an existing session, cheaply: marks and check-ins call this each time."""
    group_id, day = split_session_id(sid)
    if office.stores.path("sessions", group_id, day[:4], f"{day}.json").is_file():
        return group_id, day
    if office.stores.written(session_file_of(group_id, day)):  # started in this action
        return group_id, day
    return get_session(office, sid).session.group_id, day  # the slow path names what is wrong
