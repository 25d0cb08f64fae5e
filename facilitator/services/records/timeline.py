"""One man's history on one line per event, newest first: referral, intake, assessments,
enrolments, every group session with his attendance and stance, one-to-ones, flags, case notes,
agency contacts, children's records, compliance, status changes and outcomes.

    timeline(office, participant_id, kinds=None) -> [Event]

What it shows is what group-side staff may see: of a flag only its categories and its state,
never its summary (a partner-sourced flag's would point at her) nor anything from the partner
store, which is not opened; of a check-in only his stance, not what he said; of a case note its
words, which staff wrote.

It reads only his own files and the few small stores keyed by every man (the live flag queue,
compliance tasks): a group's sessions are read only between his joining and his leaving, and
the enrolment files are searched for his id before any is parsed, so the cost follows the
length of his own history, not the programme's.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from facilitator import clock
from facilitator.domain.casefile import AgencyContact, CaseNote, Child
from facilitator.domain.enrolment import Enrolment
from facilitator.domain.individual import IndividualSession
from facilitator.domain.intake import Intake
from facilitator.domain.marac import SHARED_INFORMATION
from facilitator.domain.participant import Participant, status_change_words
from facilitator.domain.values import check_choices
from facilitator.services.casefile.safeguarding import referrals_of
from facilitator.services.casefile.store import docs as casefile_docs
from facilitator.services.compliance.status import list_tasks
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.core.session_store import index_rows
from facilitator.services.core.sharing import sharing_records
from facilitator.services.evaluation.outcomes import man_records
from facilitator.services.letters.service import list_letters
from facilitator.services.records.person_records import read_store
from facilitator.services.risk.assessments import assessments_of
from facilitator.services.risk.flag_store import history_of, open_flags
from facilitator.services.risk.marac import prompts, referrals
from facilitator.storage.stores import session_file_of

KINDS = (
    "referral",
    "intake",
    "assessment",
    "enrolment",
    "session",
    "one_to_one",
    "flag",
    "case_note",
    "agency_contact",
    "child",
    "compliance",
    "status",
    "outcome",
    "letter",
    "sharing",
    "marac",
    "safeguarding",
)
# Kept to protect others: staff see them on his timeline, his own copy (subject access) does not.
PROTECTIVE_KINDS = ("marac", "safeguarding")
# The coordinator's correspondence with other agencies: a facilitator's view of his timeline
# leaves it out rather than failing, and asking for it by name is refused in the usual way.
COORDINATOR_KINDS = ("letter", "sharing", "marac", "safeguarding")


@dataclass
class Event:
    at: str  # the day (YYYY-MM-DD) or moment it happened: what orders the timeline
    kind: str
    what: str  # one line in words
    ref: str = ""  # the record's id, for `show` commands
    detail: dict = field(default_factory=dict)

    @property
    def day(self) -> str:
        return self.at[:10]

    def to_dict(self) -> dict:
        return asdict(self) | {"date": self.day}


def timeline(office: Office, participant_id: str, kinds: list[str] | None = None) -> list[Event]:
    office.require_role("facilitator", "coordinator", doing="read a man's timeline")
    wanted = set(check_choices(kinds, KINDS, "timeline kind")) if kinds else set(KINDS)
    if not office.actor.has_role("coordinator", "admin"):
        if kinds and wanted & set(COORDINATOR_KINDS):
            office.require_role("coordinator", doing="read his letters, sharing and referrals")
        wanted -= set(COORDINATOR_KINDS)
    person = get_participant(office, participant_id)
    # A journal left by an interrupted action is finished before any file is read raw.
    office.ws.recover_if_interrupted()
    events: list[Event] = []
    readers = {
        "referral": _referral,
        "intake": _intake,
        "assessment": _assessments,
        "enrolment": _enrolments_events,
        "session": _sessions,
        "one_to_one": _one_to_ones,
        "flag": _flags,
        "case_note": _case_notes,
        "agency_contact": _contacts,
        "child": _children,
        "compliance": _compliance,
        "status": _status,
        "outcome": _outcomes,
        "letter": _letters,
        "sharing": _sharing,
        "marac": _marac,
        "safeguarding": _safeguarding,
    }
    joined = _his_enrolments(office, person.id) if wanted & {"enrolment", "session"} else []
    for kind in KINDS:
        if kind in wanted:
            events.extend(readers[kind](office, person, joined))
    events.sort(key=lambda e: (e.at, KINDS.index(e.kind), e.ref), reverse=True)
    return events


# -- each kind -----------------------------------------------------------------------------------
def _referral(office: Office, person: Participant, _joined) -> list[Event]:
    by = person.referral_source.replace("_", " ") + (
        f" ({person.referrer})" if person.referrer else ""
    )
    ref = f", reference {person.referrer_reference}" if person.referrer_reference else ""
    return [
        Event(person.referred_on or person.created_at[:10], "referral", f"referred by {by}{ref}")
    ]


def _intake(office: Office, person: Participant, _joined) -> list[Event]:
    doc = _his(read_store(_path(office, f"intake/{person.id}.json")).get("intake"), person.id)
    if doc is None:
        return []
    intake = Intake.from_dict(doc)
    out = [Event(intake.started_on, "intake", f"intake started by {intake.started_by or 'staff'}")]
    for a in intake.assessments:
        out.append(Event(a["date"], "intake", f"assessment session with {a['worker']}"))
    for name, doc in sorted(intake.agreements.items()):
        out.append(
            Event(
                doc.get("date", ""),
                "intake",
                f"agreement {name.replace('_', ' ')}: {doc.get('answer')}",
            )
        )
    for d in intake.decisions:
        out.append(Event(d["date"], "intake", f"intake decision: {d['outcome'].replace('_', ' ')}"))
    return [e for e in out if e.at]


def _assessments(office: Office, person: Participant, _joined) -> list[Event]:
    return [
        Event(a.date, "assessment", f"risk assessment: {a.level}")
        for a in assessments_of(office, person.id)
    ]


def _his_enrolments(office: Office, pid: str) -> list[Enrolment]:
    """His enrolments, from the files that hold his id: a byte search before any parse."""
    needle = f'"{pid}"'.encode()
    base = office.stores.path("enrolments")
    out: list[Enrolment] = []
    for path in sorted(base.glob("*.json")) if base.is_dir() else []:
        if needle not in path.read_bytes():
            continue
        for doc in (read_store(path).get("enrolments") or {}).values():
            if isinstance(doc, dict) and doc.get("participant_id") == pid:
                out.append(Enrolment.from_dict(doc))
    return sorted(out, key=lambda e: e.joined_on)


def _enrolments_events(office: Office, person: Participant, joined: list[Enrolment]) -> list[Event]:
    out = []
    for e in joined:
        out.append(
            Event(
                e.joined_on,
                "enrolment",
                f"joined group {e.group_id} at session {e.joined_at_session}",
                e.group_id,
            )
        )
        if e.left_on:
            out.append(
                Event(
                    e.left_on, "enrolment", f"left group {e.group_id}: {e.left_reason}", e.group_id
                )
            )
    return out


def _sessions(office: Office, person: Participant, joined: list[Enrolment]) -> list[Event]:
    today = clock.today().isoformat()
    out = []
    for e in joined:
        until = e.left_on or "9999-12-31"
        for row in index_rows(office, e.group_id):
            day = row["date"]
            if not (e.joined_on <= day < until) or day > today:
                continue
            data = read_store(_path(office, session_file_of(e.group_id, day)))
            mark = _his(data.get("attendance"), person.id)
            checkin = _his(data.get("checkins"), person.id)
            status = mark.get("status", "not marked") if mark else "not marked"
            stance = checkin.get("stance", "") if checkin else ""
            words = (
                f"session {row['curriculum_session']} ({e.group_id}): {status.replace('_', ' ')}"
            )
            if mark and mark.get("minutes_late"):
                words += f" {mark['minutes_late']} min"
            if stance and stance != "not_recorded":
                words += f", stance {stance}"
            out.append(
                Event(
                    day,
                    "session",
                    words,
                    row["id"],
                    {"attendance": status, "stance": stance, "state": row.get("state", "")},
                )
            )
    return out


def _path(office: Office, relative: str) -> Path:
    return office.stores.path(*relative.split("/"))


def _his(table, pid: str) -> dict | None:
    if not isinstance(table, dict):
        return None
    return next(
        (d for d in table.values() if isinstance(d, dict) and d.get("participant_id") == pid), None
    )


def _one_to_ones(office: Office, person: Participant, _joined) -> list[Event]:
    out = []
    held = read_store(_path(office, f"individual/{person.id}.json")).get("sessions") or {}
    sessions = [IndividualSession.from_dict(d) for d in held.values() if isinstance(d, dict)]
    for s in sessions:
        status = (s.attendance or {}).get("status", "not marked")
        stance = (s.checkin or {}).get("stance", "")
        words = (
            f"one-to-one ({s.kind.replace('_', ' ')}) with {s.worker}: {status.replace('_', ' ')}"
        )
        if stance and stance != "not_recorded":
            words += f", stance {stance}"
        out.append(
            Event(s.date, "one_to_one", words, s.id, {"attendance": status, "stance": stance})
        )
    return out


def _flags(office: Office, person: Participant, _joined) -> list[Event]:
    """Categories and state only: never a summary, never where it came from."""
    live = {f.id: f for f in open_flags(office) if f.participant_id == person.id}
    out = []
    for h in history_of(office, person.id):
        flag = live.get(h.id)
        state = flag.status.replace("_", " ") if flag else "closed"
        out.append(
            Event(
                h.raised_at,
                "flag",
                f"risk flag {h.id}: {', '.join(c.replace('_', ' ') for c in h.categories)} ({state})",
                h.id,
                {"categories": list(h.categories), "state": state},
            )
        )
    return out


def _case_notes(office: Office, person: Participant, _joined) -> list[Event]:
    out = []
    for d in casefile_docs(office, person.id, "notes"):
        note = CaseNote.from_dict(d)
        first = note.text.splitlines()[0] if note.text else ""
        more = f" (+{len(note.amendments)} amendment{'s' if len(note.amendments) != 1 else ''})"
        out.append(
            Event(
                note.date + note.written_at[10:],
                "case_note",
                f"case note ({note.kind.replace('_', ' ')}) by {note.written_by}: {first}"
                + (more if note.amendments else ""),
                note.id,
                {"text": note.full_text()},
            )
        )
    return out


def _contacts(office: Office, person: Participant, _joined) -> list[Event]:
    out = []
    for d in casefile_docs(office, person.id, "contacts"):
        c = AgencyContact.from_dict(d)
        out.append(Event(c.added_at, "agency_contact", f"agency contact added: {c.label()}", c.id))
        if c.removed_at:
            out.append(
                Event(c.removed_at, "agency_contact", f"agency contact removed: {c.label()}", c.id)
            )
    return out


def _children(office: Office, person: Participant, _joined) -> list[Event]:
    out = []
    for d in casefile_docs(office, person.id, "children"):
        child = Child.from_dict(d)
        out.append(
            Event(
                child.added_at,
                "child",
                f"child recorded: {child.first_name}; his contact {child.contact.replace('_', ' ')}"
                + (f"; plan {child.plan.replace('_', ' ')}" if child.plan != "none" else ""),
                child.id,
            )
        )
    return out


def _compliance(office: Office, person: Participant, _joined) -> list[Event]:
    out = []
    for t in list_tasks(office, participant_id=person.id):
        out.append(Event(t.breach_on, "compliance", f"breach: {t.what}", t.id))
        if t.state == "done" and t.told_on:
            out.append(
                Event(t.told_on, "compliance", f"referrer told of the breach ({t.told_how})", t.id)
            )
    return out


def _status(office: Office, person: Participant, _joined) -> list[Event]:
    return [
        Event(
            c.get("at", ""),
            "status",
            f"status {status_change_words(c)}",
        )
        for c in person.status_changes
        if c.get("at")
    ]


def _outcomes(office: Office, person: Participant, _joined) -> list[Event]:
    return [
        Event(r.date, "outcome", f"outcome questionnaire at {r.point.replace('_', ' ')}", r.id)
        for r in man_records(office, person.id)
        if r.respondent == "man"
    ]


def _letters(office: Office, person: Participant, _joined) -> list[Event]:
    return [
        Event(
            letter.written_at or letter.date,
            "letter",
            f"letter written: {letter.kind.replace('_', ' ')} to {letter.addressee}",
            letter.id,
        )
        for letter in list_letters(office, person.id)
    ]


def _sharing(office: Office, person: Participant, _joined) -> list[Event]:
    out = []
    for r in sharing_records(office, person.id):
        if r.basis == "safeguarding" or r.information in (
            "marac_referral",
            "safeguarding_referral",
        ):
            continue  # said under its own kind, which his own copy leaves out
        what = SHARED_INFORMATION.get(r.information, r.information)
        out.append(
            Event(r.shared_on, "sharing", f"{what} shared with {r.to_agency} ({r.means})", r.id)
        )
    return out


def _marac(office: Office, person: Participant, _joined) -> list[Event]:
    out = []
    for p in prompts(office):
        if p.participant_id == person.id:
            out.append(
                Event(p.raised_on, "marac", f"{p.level} risk: MARAC referral to consider", p.id)
            )
    for r in referrals(office, person.id):
        repeat = " (repeat)" if r.repeat else ""
        out.append(Event(r.referred_on, "marac", f"referred to {r.agency}{repeat}", r.id))
        if r.meeting_on:
            out.append(Event(r.meeting_on, "marac", f"MARAC meeting ({r.agency})", r.id))
        for a in r.action_list():
            state = f"done {a.done_on}" if a.done_on else f"due {a.due_on}"
            out.append(Event(a.due_on, "marac", f"MARAC action: {a.text} ({state})", a.id))
    return out


def _safeguarding(office: Office, person: Participant, _joined) -> list[Event]:
    out = []
    for r in referrals_of(office, person.id):
        kids = ", ".join(r.children)
        out.append(
            Event(r.referred_on, "safeguarding", f"safeguarding referral to {r.to} ({kids})", r.id)
        )
        if r.outcome_on:
            out.append(
                Event(r.outcome_on, "safeguarding", f"outcome: {r.outcome.replace('_', ' ')}", r.id)
            )
    return out


def as_json(events: list[Event]) -> str:
    return json.dumps([e.to_dict() for e in events], indent=2, ensure_ascii=False)
