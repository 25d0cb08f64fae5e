"""One-to-one sessions: recorded like group ones, and counted toward completion where the rules say.

Each man's one-to-ones live in his own small store, `data/individual/<participant>.json`; ids
are `<participant>-O<n>` (P0001-O3), so a session is found without a search.

For compliance: `curriculum_covered_one_to_one(office, participant_id)` lists the
curriculum sessions a man covered one-to-one that count toward his completion: the kinds in
the setting `intake.one_to_one_counts_toward_completion` (default catch-up only), attended
(present, late or left early), naming a curriculum session. `sessions_covered_one_to_one`
gives just the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitator import clock
from facilitator.domain.attendance import Attendance
from facilitator.domain.checkin import CheckIn
from facilitator.domain.individual import IndividualSession
from facilitator.domain.values import parse_date
from facilitator.errors import InvalidInput, NotFound, Refused
from facilitator.services.core.group_store import enrolments, get_group
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.risk.flags import raise_flag
from facilitator.services.risk.settings import detector_for
from facilitator.services.risk.suggestions import suggest_from_one_to_one
from facilitator.storage.stores import all_docs, put_doc


def _store(office: Office, pid: str, write: bool = False):
    return office.stores.store(f"individual/{pid}.json", "individual_sessions", write)


def counting_kinds(office: Office) -> list[str]:
    return list(office.setting("intake.one_to_one_counts_toward_completion", ["catch_up"]))


def list_individual_sessions(
    office: Office, participant_id: str | None = None
) -> list[IndividualSession]:
    if participant_id:
        pids = [get_participant(office, participant_id).id]
    else:
        folder = office.stores.path("individual")
        pids = sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []
    out: list[IndividualSession] = []
    for pid in pids:
        if not office.stores.path("individual", f"{pid}.json").exists():
            continue
        with _store(office, pid) as db:
            out.extend(IndividualSession.from_dict(d) for d in all_docs(db, "sessions"))
    out.sort(key=lambda s: (s.date, s.participant_id, s.id))
    return out


def get_individual_session(office: Office, session_id: str) -> IndividualSession:
    pid, sep, _ = session_id.strip().upper().partition("-O")
    if sep:
        for found in list_individual_sessions(office, pid):
            if found.id.upper() == session_id.strip().upper():
                return found
    raise NotFound(
        f"no one-to-one session '{session_id}' (ids look like P0001-O1)",
        command="facilitator individual list",
    )


def _check_curriculum_session(office: Office, pid: str, number: int) -> None:
    current = [e for e in enrolments(office, participant_id=pid) if not e.left_on]
    if number and current:
        length = get_group(office, current[0].group_id).cycle_length
        if number > length:
            raise InvalidInput(
                f"curriculum session {number} is beyond his group's curriculum (1 to {length})"
            )


def record_individual_session(
    office: Office,
    participant_id: str,
    kind: str,
    status: str = "present",
    day: str | None = None,
    worker: str | None = None,
    curriculum_session: int = 0,
    minutes_late: int = 0,
    minutes_missed: int = 0,
    reason: str = "",
    checkin: CheckIn | None = None,
    flag_categories: list[str] | None = None,
    flag_summary: str = "",
    flag_severity: str | None = None,
) -> IndividualSession:
    """Record a one-to-one: his attendance, his check-in if he was there, and any risk flag."""
    person = get_participant(office, participant_id)
    staff = office.find_staff(worker).id if worker else office.user
    when = parse_date(day, "session date").isoformat() if day else clock.today().isoformat()
    now = clock.now().isoformat()
    mark = Attendance(
        participant_id=person.id,
        status=status,
        minutes_late=minutes_late,
        minutes_missed=minutes_missed,
        reason=reason,
        marked_by=office.user,
        marked_at=now,
    )
    if checkin is not None:
        checkin.participant_id, checkin.recorded_by, checkin.recorded_at = (
            person.id,
            office.user,
            now,
        )
    _check_curriculum_session(office, person.id, int(curriculum_session or 0))
    # Validate everything before a flag is raised or a number taken.
    draft = IndividualSession(
        id=f"{person.id}-O0",
        participant_id=person.id,
        kind=kind,
        date=when,
        worker=staff,
        attendance=mark.to_dict(),
        checkin=checkin.to_dict() if checkin else None,
        curriculum_session=curriculum_session,
        recorded_by=office.user,
        recorded_at=now,
    )
    if flag_summary and not flag_categories:
        raise InvalidInput("a flag summary needs its category (--flag CATEGORY)")
    if checkin is not None:
        draft.indicators = [c for c in _scan(office, checkin) if c not in (flag_categories or [])]
    if flag_categories:
        # Raised first, under its own lock: a risk must reach the queue even if this write fails.
        draft.flags.append(
            _raise_flag(office, person.id, flag_categories, flag_summary, flag_severity)
        )
    with office.stores.writing():
        with _store(office, person.id, write=True) as db:
            existing = all_docs(db, "sessions")
            if any(d["date"] == when and d["kind"] == draft.kind for d in existing):
                raise Refused(f"{person.id} already has a {draft.kind} one-to-one on {when}")
            draft.id = f"{person.id}-O{len(existing) + 1}"
            if checkin is not None:
                # Queued as a group check-in's words are, and first: what the scanner finds
                # waits in the queue for a decision, never only said and forgotten.
                found = suggest_from_one_to_one(office, draft.id, checkin, flag_categories)
                draft.suggestion_id = found.id if found else ""
            put_doc(db, "sessions", draft.to_dict())
        office.audit(
            "record",
            "individual_session",
            draft.id,
            session_kind=draft.kind,
            status=draft.mark.status,
        )
    return draft


def _scan(office: Office, checkin: CheckIn) -> list[str]:
    """Risk categories the scanner finds in his check-in words (the detector errs towards
    flagging); the worker sees them and decides, as in a group session."""
    text = checkin.text_for_scanning()
    if not text.strip():
        return []
    return list(detector_for(office).scan(text).categories)


def _raise_flag(
    office: Office, pid: str, categories: list[str], summary: str, severity: str | None
) -> str:
    flag = raise_flag(office, pid, list(categories), summary, severity)
    return flag.id


@dataclass
class CoveredOneToOne:
    curriculum_session: int
    date: str
    session_id: str
    kind: str
    attendance: str


def curriculum_covered_one_to_one(office: Office, participant_id: str) -> list[CoveredOneToOne]:
    """One-to-ones that count toward his completion under the programme's rules, oldest first."""
    kinds = counting_kinds(office)
    out = []
    for s in list_individual_sessions(office, participant_id):
        number = s.covers(kinds)
        if number:
            out.append(CoveredOneToOne(number, s.date, s.id, s.kind, s.mark.status))
    return out


def sessions_covered_one_to_one(office: Office, participant_id: str) -> list[int]:
    return sorted(
        {c.curriculum_session for c in curriculum_covered_one_to_one(office, participant_id)}
    )
