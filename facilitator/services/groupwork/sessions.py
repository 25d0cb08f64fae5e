"""Running a session: start, attendance, check-ins, close, and audited corrections after closing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from facilitator import clock
from facilitator.domain.attendance import IN_ROOM, Attendance
from facilitator.domain.checkin import CheckIn
from facilitator.domain.group import Group
from facilitator.domain.risk_flag import Suggestion
from facilitator.domain.session import Correction, Session, session_id
from facilitator.domain.values import WEEKDAYS, check_text_size, parse_date
from facilitator.errors import NotFound, Refused
from facilitator.services.core.group_store import enrolled_ids, get_group, roster
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.core.session_store import (
    SessionRecord,
    find_session,
    get_session,
    locate_session,
    next_curriculum_session,
)
from facilitator.services.groupwork.plan import CANCELLED, moved_away, planned_on
from facilitator.services.risk.suggestions import pending_suggestions, scan_and_keep
from facilitator.storage.stores import all_docs, get_doc, put_doc

if TYPE_CHECKING:
    from tinydb import TinyDB


def off_its_day(group: Group, day: str) -> bool:
    """Whether a session on `day` would be on another weekday than the group meets on."""
    return WEEKDAYS[parse_date(day).weekday()] != group.weekday


def needs_reason(office: Office, group: Group, day: str | None = None) -> bool:
    """Whether starting the group's session on `day` (today when not given) must be given its
    reason: on another weekday than the group's, unless the plan moved the session there (the
    move's reason is the session's)."""
    day = parse_date(day, "session date").isoformat() if day else clock.today().isoformat()
    if not off_its_day(group, day):
        return False
    planned = planned_on(office, group, day, closures=False)
    return not (planned is not None and planned.moved_from)


def start_session(
    office: Office,
    group_id: str,
    day: str | None = None,
    facilitators: list[str] | None = None,
    reason: str = "",
) -> Session:
    """Start the group's session on `day`, taking the plan's entry for it (its cover
    facilitator, the reason it was moved there). On another weekday than the group's it needs
    the reason (rescheduled), kept with the session and in the audit: a session moved without
    one leaves men and referrers unsure which day counts. A cancelled session is not started."""
    group = get_group(office, group_id)
    day = parse_date(day, "session date").isoformat() if day else clock.today().isoformat()
    reason = " ".join((reason or "").split())
    check_text_size(reason, "reason")
    to = moved_away(office, group.id, day)
    if to and to != day:
        raise Refused(
            f"the session group {group.id} had planned on {day} was moved to {to}",
            command=f"facilitator group plan {group.id}",
        )
    planned = planned_on(office, group, day, closures=False)
    if planned is not None and planned.state == CANCELLED:
        raise Refused(f"the session of group {group.id} on {day} is cancelled ({planned.reason})")
    if planned is not None and planned.moved_from and not reason:
        reason = f"moved from {planned.moved_from}: {planned.reason}"
    if off_its_day(group, day) and not reason:
        held = WEEKDAYS[parse_date(day).weekday()]
        raise Refused(
            f"group {group.id} meets on {group.weekday.capitalize()}s and {day} is a "
            f'{held.capitalize()}: give the reason it is held that day (--reason "rescheduled: '
            '...")'
        )
    present = (
        [office.find_staff(f).id for f in facilitators]
        if facilitators
        else list(planned.facilitators if planned is not None else group.facilitators)
    )
    # A session is recorded on its day or after it (one held earlier), never ahead of time.
    if day > clock.today().isoformat():
        raise Refused(
            f"{day} is in the future: a session is started on its day (today is {clock.today()})"
        )
    if group.start_date and day < group.start_date:
        raise Refused(f"group {group.id} starts on {group.start_date}: no session before that date")
    if not enrolled_ids(office, group.id, day):
        raise Refused(
            f"nobody is enrolled in group {group.id} on {day}: enrol men first",
            command="facilitator group enrol",
        )
    with office.stores.writing():
        existing = find_session(office, group.id, day)
        if existing:
            raise Refused(
                f"group {group.id} already has a session on {day} ({existing.id}, {existing.state})"
            )
        session = Session(
            id=session_id(group.id, day),
            group_id=group.id,
            curriculum_session=next_curriculum_session(office, group, day),
            date=day,
            facilitators_present=present,
            state="open",
            opened_at=clock.now().isoformat(),
            opened_by=office.user,
            rescheduled_reason=reason if off_its_day(group, day) else "",
        )
        with office.stores.session_file(group.id, day, write=True) as db:
            put_doc(db, "session", session.to_dict())
        with office.stores.session_index(group.id, write=True) as db:
            put_doc(db, "sessions", session.to_dict())
        extra = {"rescheduled": session.rescheduled_reason} if session.rescheduled_reason else {}
        office.audit("start", "session", session.id, **extra)
    return session


def open_or_start_session(
    office: Office, group_id: str, day: str | None = None, reason: str = ""
) -> Session:
    """What the UI does on Enter: today's session, started if there is none yet (`reason`:
    why it is held on another weekday than the group's)."""
    group = get_group(office, group_id)
    day = parse_date(day).isoformat() if day else clock.today().isoformat()
    return find_session(office, group.id, day) or start_session(
        office, group.id, day, reason=reason
    )


def _require_enrolled(office: Office, session: Session, participant_id: str) -> str:
    pid = participant_id.strip().upper()
    # Only the group's own enrolments are read: this check runs on every mark and check-in.
    if pid not in enrolled_ids(office, session.group_id, session.date):
        person = get_participant(office, pid)  # NotFound when he does not exist at all
        raise Refused(
            f"{person.id} ({person.name}) is not enrolled in group {session.group_id} on "
            f"{session.date}"
        )
    return pid


def _session_doc(db: TinyDB, sid: str) -> Session:
    """The session as its own file holds it, read under the lock."""
    doc = get_doc(db, "session", sid)
    if doc is None:
        raise NotFound(f"session {sid} is gone: was it removed meanwhile?")
    return Session.from_dict(doc)


def _guard_closed(session: Session, correction_reason: str | None) -> str | None:
    if not session.is_closed:
        return None
    reason = (correction_reason or "").strip()
    if not reason:
        raise Refused(
            f"session {session.id} is closed: a change is a correction and needs a reason "
            '(--correct "why")'
        )
    return reason


def mark_attendance(
    office: Office,
    sid: str,
    participant_id: str,
    status: str,
    minutes_late: int = 0,
    minutes_missed: int = 0,
    reason: str = "",
    correction_reason: str | None = None,
) -> Attendance:
    group_id, day = locate_session(office, sid)
    mark = Attendance(
        participant_id=participant_id.strip().upper(),
        status=status,
        minutes_late=minutes_late,
        minutes_missed=minutes_missed,
        reason=reason,
        marked_by=office.user,
        marked_at=clock.now().isoformat(),
    )
    with office.stores.writing():
        with office.stores.session_file(group_id, day, write=True) as db:
            # Read under the lock: the session may have been closed a moment ago.
            session = _session_doc(db, session_id(group_id, day))
            pid = _require_enrolled(office, session, participant_id)
            correction = _guard_closed(session, correction_reason)
            before = get_doc(db, "attendance", pid, field="participant_id")
            put_doc(db, "attendance", mark.to_dict(), field="participant_id")
            if correction:
                _add_correction(
                    office, db, session, pid, "attendance", correction, before, mark.to_dict()
                )
        office.audit(
            "correct" if correction else "mark",
            "attendance",
            f"{session.id}/{pid}",
            status=mark.status,
        )
    return mark


@dataclass
class RecordedCheckIn:
    """A saved check-in and the risk suggestion the scanner kept from it (None: nothing found,
    or only what was already decided for him this session)."""

    checkin: CheckIn
    suggestion: Suggestion | None


def record_checkin(
    office: Office, sid: str, checkin: CheckIn, correction_reason: str | None = None
) -> RecordedCheckIn:
    """Save his check-in and scan it under the same lock: no check-in is acknowledged before
    what it discloses is waiting in the risk suggestions."""
    group_id, day = locate_session(office, sid)
    for label, text in (
        ("check-in summary", checkin.summary),
        ("what he did instead", checkin.alternatives_used),
        ("circumstances note", checkin.circumstances_note),
        ("alcohol or drugs", checkin.substance_use),
    ):
        check_text_size(text, label)
    checkin.recorded_by = office.user
    checkin.recorded_at = clock.now().isoformat()
    checkin = CheckIn.from_dict(checkin.to_dict())  # validates
    with office.stores.writing():
        with office.stores.session_file(group_id, day, write=True) as db:
            session = _session_doc(db, session_id(group_id, day))
            pid = _require_enrolled(office, session, checkin.participant_id)
            checkin.participant_id = pid
            mark = get_doc(db, "attendance", pid, field="participant_id")
            if mark is None or mark["status"] not in IN_ROOM:
                state = mark["status"] if mark else "not marked"
                raise Refused(
                    f"{pid} is {state} for {session.id}: mark him present, late or left "
                    "early before his check-in"
                )
            correction = _guard_closed(session, correction_reason)
            before = get_doc(db, "checkins", pid, field="participant_id")
            put_doc(db, "checkins", checkin.to_dict(), field="participant_id")
            if correction:
                _add_correction(
                    office, db, session, pid, "checkin", correction, before, checkin.to_dict()
                )
        office.audit("correct" if correction else "record", "checkin", f"{session.id}/{pid}")
        suggestion = scan_and_keep(office, session.id, checkin)
    return RecordedCheckIn(checkin, suggestion)


def _add_correction(office, db, session, pid, kind, reason, before, after) -> None:
    existing = all_docs(db, "corrections")
    correction = Correction(
        id=f"{session.id}/C{len(existing) + 1}",
        session_id=session.id,
        participant_id=pid,
        record_kind=kind,
        reason=reason,
        changed_by=office.user,
        changed_at=clock.now().isoformat(),
        before=before,
        after=after,
    )
    put_doc(db, "corrections", correction.to_dict())


def missing_before_close(office: Office, record: SessionRecord) -> list[str]:
    """What a facilitator should see before closing: men with no mark, check-ins not done."""
    missing = []
    for entry in roster(office, record.session.group_id, record.session.date):
        pid = entry.participant.id
        mark = record.attendance.get(pid)
        if mark is None:
            missing.append(f"{pid} {entry.participant.name}: no attendance mark")
        elif mark.in_room and pid not in record.checkins:
            missing.append(f"{pid} {entry.participant.name}: check-in not recorded")
    missing.extend(pending_suggestions(office, record))
    return missing


def close_session(
    office: Office, sid: str, force: bool = False, look: bool = True
) -> tuple[Session, list[str]]:
    """Close and lock the session; with `force`, whatever is missing (returned). `look=False`
    (with force) does not look for what is missing: a session recorded from an old spreadsheet
    has no check-ins to look for, and looking reads every man's record."""
    record = get_session(office, sid)
    if record.session.is_closed:
        raise Refused(f"session {sid} is already closed")
    missing = missing_before_close(office, record) if look or not force else []
    if missing and not force:
        raise Refused(
            f"session {sid} has {len(missing)} thing(s) missing: "
            + "; ".join(missing)
            + " (use --force to close anyway)"
        )
    session = record.session
    with office.stores.writing():
        with office.stores.session_file(session.group_id, session.date, write=True) as db:
            current = _session_doc(db, session.id)
            if current.is_closed:
                raise Refused(f"session {sid} is already closed")
            current.state = "closed"
            current.closed_at = clock.now().isoformat()
            current.closed_by = office.user
            put_doc(db, "session", current.to_dict())
        with office.stores.session_index(session.group_id, write=True) as db:
            put_doc(db, "sessions", current.to_dict())
        office.audit("close", "session", session.id)
    return current, missing
