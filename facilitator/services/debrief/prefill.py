"""What a new debrief note says before anyone writes in it: the template filled from the closed
session (date, group, curriculum session and title, who attended and how, each man's check-in
stance, the flags raised in the session).

The template is the workspace's own `session_notes/debrief-template.md` when it has one, else the
one shipped with facilitator (the repository's `session_notes/`, copied into the wheel).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from facilitator.curriculum.locate import session_title
from facilitator.detector.categories import label
from facilitator.domain.attendance import SYMBOLS
from facilitator.domain.checkin import STANCE_LABELS
from facilitator.domain.debrief_text import fill_template, flag_line, markdown_table
from facilitator.errors import InvalidInput
from facilitator.services.core.group_store import enrolments
from facilitator.services.core.office import Office
from facilitator.services.risk.flags import session_flags
from facilitator.storage.stores import get_doc

TEMPLATE_NAME = "debrief-template.md"
# Inside an installed wheel the repository's session_notes/debrief-template.md is copied here.
_PACKAGE_COPY = "_bundled_notes"


# -- the template ------------------------------------------------------------------------------
def bundled_template_path() -> Path:
    """The template shipped with facilitator: the wheel's copy, else the source tree's."""
    package = Path(__file__).resolve().parents[2]
    for candidate in (
        package / _PACKAGE_COPY / TEMPLATE_NAME,
        package.parent / "session_notes" / TEMPLATE_NAME,
    ):
        if candidate.is_file():
            return candidate
    return package / _PACKAGE_COPY / TEMPLATE_NAME


def template_path(office: Office) -> Path:
    """A programme's own template (session_notes/debrief-template.md in the workspace) wins."""
    own = office.ws.notes_dir / TEMPLATE_NAME
    return own if own.is_file() else bundled_template_path()


def curriculum_title(office: Office, curriculum_id: str, number: int) -> str:
    """The session's title in its curriculum; "" when it cannot be read, which must not stop
    the debrief."""
    return session_title(curriculum_id, office.ws.curricula_dir, number)


def session_men(office: Office, record) -> list[tuple[str, str]]:
    """(id, name) of the men of a session: those enrolled that day in the order they joined,
    then anyone else marked. Reads the people store once and only for these men: a programme
    holds thousands of men over the years, a session a dozen."""

    session = record.session
    enrolled = sorted(
        (e for e in enrolments(office, group_id=session.group_id) if e.active_on(session.date)),
        key=lambda e: (e.joined_on, e.participant_id),
    )
    ids = list(dict.fromkeys([e.participant_id for e in enrolled] + sorted(record.attendance)))
    with office.stores.people() as db:
        docs = {pid: get_doc(db, "participants", pid) for pid in ids}
    return [(pid, doc["name"] if (doc := docs[pid]) else pid) for pid in ids]


def prefilled_body(office: Office, record, group, title: str, authors: list[str]) -> str:
    session = record.session
    attendance_rows, men = [], []
    for pid, name in session_men(office, record):
        mark = record.attendance.get(pid)
        attendance_rows.append((pid, name, how_attended(mark)))
        if mark is not None and mark.in_room:
            checkin = record.checkins.get(pid)
            stance = (
                STANCE_LABELS.get(checkin.stance, checkin.stance)
                if checkin
                else "no check-in recorded"
            )
            men.append({"id": pid, "name": name, "attended": how_attended(mark), "stance": stance})
    staff = {s.id: s.name for s in office.staff()}
    values = {
        "group": group.id,
        "group_name": group.name,
        "date": long_date(session.date),
        "curriculum": group.curriculum,
        "curriculum_session": str(session.curriculum_session),
        "title": title or "(title not found in the curriculum)",
        "facilitators": " and ".join(f"{staff.get(a, a)} ({a})" for a in authors)
        or "(none recorded)",
        "attendance": markdown_table(
            ["id", "name", "attended"], attendance_rows, empty="_No man was enrolled._"
        ),
        "flags": flags_this_session(office, session.id),
    }
    path = template_path(office)
    try:
        template = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InvalidInput(f"the debrief template {path} cannot be read ({err})") from None
    return fill_template(template, values, men, source=f"the debrief template {path}")


def how_attended(mark) -> str:
    if mark is None:
        return f"{SYMBOLS[None]} not marked"
    words = {
        "late": f"late ({mark.minutes_late} min)",
        "left_early": f"left early (missed {mark.minutes_missed} min)"
        if mark.minutes_missed
        else "left early",
        "excused": f"excused ({mark.reason})" if mark.reason else "excused",
        "unexcused": "absent, not excused",
    }.get(mark.status, mark.status)
    return f"{SYMBOLS[mark.status]} {words}"


def long_date(day: str) -> str:
    d = date.fromisoformat(day)
    return f"{d.strftime('%A')} {d.day} {d.strftime('%B %Y')}"


def flags_this_session(office: Office, session_id: str) -> str:
    """The flags raised in the session, never a partner-contact one (her information stays
    apart)."""

    flags = [f for f in session_flags(office, session_id)]
    if not flags:
        return "_No flag was raised this session._"

    lines = []
    for f in flags:
        cats = ", ".join(label(c) for c in f.categories)
        lines.append(
            flag_line(f.id, f.participant_id, cats, f.severity, f.status.replace("_", " "))
        )
    return "\n".join(lines)
