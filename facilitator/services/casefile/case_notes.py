"""Case notes: dated notes any group-side member of staff writes about a man (a phone call
with probation, a call after a missed session, a change in his circumstances).

Each note is scanned for risk indicators as a check-in is: what the scanner finds waits in his
risk suggestions (record id P0001-N3) to be confirmed as a flag or dismissed with a reason. A
note may be changed by its writer for 24 hours; after that it is settled and only amended
(dated, by whom, the words as written kept), as a signed debrief is.

Partner support does not write here: what a partner says stays behind the wall.

    add_note(office, participant_id, text, kind=, day=, contact_id=) -> Saved
    edit_note(office, participant_id, note_id, text) -> Saved        within 24 hours, its writer
    amend_note(office, participant_id, note_id, text) -> Saved
    list_notes(office, participant_id, kind=None) -> [CaseNote]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitator import clock
from facilitator.domain.casefile import (
    NOTE_KINDS,
    CaseNote,
    NoteAmendment,
    amend,
    check_can_edit,
)
from facilitator.domain.risk_flag import Suggestion
from facilitator.domain.values import check_choice, parse_date
from facilitator.errors import InvalidInput, NotFound
from facilitator.services.casefile import agency_contacts
from facilitator.services.casefile.store import docs, his_file, man_id, next_number
from facilitator.services.core.office import Office
from facilitator.services.risk.suggestions import scan_matches, suggest_for_record
from facilitator.storage.stores import put_doc

WRITERS = ("facilitator", "coordinator")


@dataclass
class Saved:
    note: CaseNote
    suggestion: Suggestion | None  # what the scanner queued from its words, if anything
    amendment: NoteAmendment | None = None


def list_notes(office: Office, participant_id: str, kind: str | None = None) -> list[CaseNote]:
    """His case notes, newest first."""
    office.require_role(*WRITERS, doing="read a man's case notes")
    pid = man_id(office, participant_id)
    notes = [CaseNote.from_dict(d) for d in docs(office, pid, "notes")]
    if kind:
        wanted = check_choice(kind, NOTE_KINDS, "note kind")
        notes = [n for n in notes if n.kind == wanted]
    return sorted(notes, key=lambda n: (n.date, n.written_at, int(n.id[1:])), reverse=True)


def get_note(office: Office, participant_id: str, note_id: str) -> CaseNote:
    key = (note_id or "").strip().upper()
    for note in list_notes(office, participant_id):
        if note.id == key:
            return note
    raise NotFound(f"no case note '{note_id}' for {participant_id.strip().upper()}")


def add_note(
    office: Office,
    participant_id: str,
    text: str,
    kind: str = "other",
    day: str | None = None,
    contact_id: str = "",
) -> Saved:
    office.require_role(*WRITERS, doing="write a case note")
    pid = man_id(office, participant_id)
    when = parse_date(day, "note date").isoformat() if day else clock.today().isoformat()
    if when > clock.today().isoformat():
        raise InvalidInput(f"note date {when} is in the future")
    contact = agency_contacts.find(office, pid, contact_id).id if contact_id else ""
    now = clock.now().isoformat()
    fields: dict[str, Any] = dict(
        participant_id=pid, date=when, kind=kind, text=text, contact_id=contact
    )
    CaseNote(id="N0", written_at=now, written_by=office.user, **fields)  # checked first
    with office.stores.writing():
        with his_file(office, pid, write=True) as db:
            note = CaseNote(
                id=next_number(db, "N"), written_at=now, written_by=office.user, **fields
            )
        # Scanned under the same lock: no note is saved before what it discloses is queued.
        suggestion = _scan(office, note, note.text)
        _save(office, note)
        office.audit("add", "case_note", f"{pid}/{note.id}", note_kind=note.kind)
    return Saved(note, suggestion)


def edit_note(office: Office, participant_id: str, note_id: str, text: str) -> Saved:
    """Its writer may correct a note for 24 hours after writing it."""
    office.require_role(*WRITERS, doing="change a case note")
    with office.stores.writing():
        note = get_note(office, participant_id, note_id)
        check_can_edit(note, office.user, clock.now())
        changed = CaseNote.from_dict(note.to_dict() | {"text": text})  # re-validated
        changed.edited_at = clock.now().isoformat()
        suggestion = _scan(office, changed, changed.text)
        _save(office, changed)
        office.audit("edit", "case_note", f"{changed.participant_id}/{changed.id}")
    return Saved(changed, suggestion)


def amend_note(office: Office, participant_id: str, note_id: str, text: str) -> Saved:
    """Add a dated amendment; the note's own words never change."""
    office.require_role(*WRITERS, doing="amend a case note")
    with office.stores.writing():
        note = get_note(office, participant_id, note_id)
        amendment = amend(note, office.user, text, clock.now())
        suggestion = _scan(office, note, amendment.text)
        _save(office, note)
        office.audit(
            "amend",
            "case_note",
            f"{note.participant_id}/{note.id}",
            amendment=str(amendment.number),
        )
    return Saved(note, suggestion, amendment)


def _scan(office: Office, note: CaseNote, text: str) -> Suggestion | None:
    """Caller holds the lock."""
    found = suggest_for_record(
        office, f"{note.participant_id}-{note.id}", note.participant_id, scan_matches(office, text)
    )
    if found is not None:
        note.suggestion_id = found.id
    return found


def _save(office: Office, note: CaseNote) -> None:
    with his_file(office, note.participant_id, write=True) as db:
        put_doc(db, "notes", note.to_dict())
