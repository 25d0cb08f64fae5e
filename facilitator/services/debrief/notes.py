"""Debrief notes: created from a closed session, written and signed by its
facilitators, amended once signed, and due when unsigned 48 hours after the session.

Public API (the CLI, the TUI and the home screen call these):

    create_note(office, session_id) -> DebriefNote       pre-filled from the closed session
    get_note(office, note_id) -> DebriefNote              note id = session id (G1-2026-11-24)
    note_for_session(office, session_id) -> DebriefNote | None
    list_notes(office, group_id=None) -> list[dict]       index rows + "file_state"
    file_state(office, note) -> str                       ok | changed outside the tool
                                                          | file missing
    note_path(office, note) -> Path
    save_body(office, note_id, body, expected_sha256=None) -> (DebriefNote, withdrawn signers)
    sign_note(office, note_id, decisions=()) -> SignResult          risk scan first
    amend_note(office, note_id, text, decisions=()) -> SignResult   signed notes only
    adopt_file(office, note_id) -> DebriefNote    take a draft's file as edited outside the tool
    restore_file(office, note_id) -> DebriefNote  write the file again from the saved note
    due_notes(office, now=None) -> list[DueNote]  closed sessions without a signed note after
                                                  debrief.due_hours (home screen, notes list --due);
                                                  which are unsigned: services/debrief/due.py
    template_path(office) -> Path                 the workspace's template, else the bundled one

Risk indicators in a note: services/debrief/indicators.py (scan_note, Decision).

Stores (a save touches one small file per note plus its group's index):
    data/debrief/<group>/index.json                the group's notes: status, signers, file hash
    data/debrief/<group>/<year>/<date>.json        one note: text, signatures, amendments,
                                                   indicators decided
    session_notes/<group>/<date>-session-<NN>.md   the note as Markdown (for people)
    data/debrief/pending.json                      sessions with no signed note yet, per group
                                                   (kept by services/debrief/due.py)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from pathlib import Path

from facilitator import clock
from facilitator.domain import debrief as rules
from facilitator.domain.debrief import (
    FILE_CHANGED,
    FILE_MISSING,
    FILE_OK,
    DebriefNote,
    Handled,
)
from facilitator.domain.debrief_text import body_of_file, render_file
from facilitator.domain.session import Session, split_session_id
from facilitator.errors import InvalidInput, NotFound, Refused
from facilitator.services.core import identity
from facilitator.services.core.group_store import get_group
from facilitator.services.core.office import Office
from facilitator.services.core.session_store import get_session
from facilitator.services.debrief import due as debrief_due
from facilitator.services.debrief import indicators as debrief_risk
from facilitator.services.debrief import prefill
from facilitator.services.debrief.prefill import bundled_template_path, template_path  # noqa: F401 (API)
from facilitator.storage.files import atomic_write_text
from facilitator.storage.stores import all_docs, get_doc, put_doc, safe_name


def _index_store(group_id: str) -> str:
    return f"debrief/{safe_name(group_id, 'group id')}/index.json"


def _note_store(group_id: str, day: str) -> str:
    return f"debrief/{safe_name(group_id, 'group id')}/{day[:4]}/{day}.json"


def note_path(office: Office, note: DebriefNote) -> Path:
    return office.path / note.path


def _sha256_file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _state(path: Path, expected: str) -> str:
    found = _sha256_file(path)
    if found is None:
        return FILE_MISSING
    return FILE_OK if found == expected else FILE_CHANGED


def file_state(office: Office, note: DebriefNote) -> str:
    """Whether the Markdown file is still what the tool last wrote (its hash)."""
    return _state(note_path(office, note), note.file_sha256)


def _require_file_intact(office: Office, note: DebriefNote) -> None:
    state = file_state(office, note)
    if state == FILE_OK:
        return
    where = note_path(office, note)
    if state == FILE_MISSING:
        raise Refused(
            f"note {note.id}: its file {where} is missing; write it again from the saved note",
            command=f"facilitator notes restore {note.id}",
        )
    take = "" if note.is_signed else ", or take the file's text as the note"
    adopt = "" if note.is_signed else f"; `facilitator notes adopt {note.id}`"
    raise Refused(
        f"note {note.id}: its file {where} was changed outside the tool since "
        f"{note.updated_at[:16].replace('T', ' ')}; put the saved text back{take}",
        command=f"facilitator notes restore {note.id}{adopt}",
    )


# -- reading -----------------------------------------------------------------------------------
def _load(office: Office, note_id: str) -> DebriefNote | None:

    try:
        group_ref, day = split_session_id(note_id or "")
        group_id = get_group(office, group_ref).id
    except (InvalidInput, NotFound):
        return None
    with office.stores.store(_note_store(group_id, day), "debrief_note") as db:
        doc = get_doc(db, "note", f"{group_id}-{day}")
    return DebriefNote.from_dict(doc) if doc else None


def get_note(office: Office, note_id: str) -> DebriefNote:
    note = _load(office, note_id)
    if note is None:
        raise NotFound(f"no debrief note '{note_id}'", command="facilitator notes list")
    return note


def note_for_session(office: Office, session_id: str) -> DebriefNote | None:
    return _load(office, session_id)


def _group_ids_with_notes(office: Office) -> list[str]:
    base = office.stores.path("debrief")
    return sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []


def _index_rows(office: Office, group_id: str) -> list[dict]:
    with office.stores.store(_index_store(group_id), "debrief_index") as db:
        return all_docs(db, "notes")


def list_notes(office: Office, group_id: str | None = None) -> list[dict]:
    """Every note's index row, with whether its file is still what the tool wrote."""
    if group_id:
        groups = [get_group(office, group_id).id]
    else:
        groups = _group_ids_with_notes(office)
    rows = []
    for gid in groups:
        for row in _index_rows(office, gid):
            row["file_state"] = _state(office.path / row["path"], row.get("file_sha256", ""))
            rows.append(row)
    rows.sort(key=lambda r: (r["date"], r["group_id"]))
    return rows


# -- writing -----------------------------------------------------------------------------------
def _save(office: Office, note: DebriefNote, action: str, **codes: str) -> DebriefNote:
    """Caller holds the lock. Stores first, then the file: after a crash in between the file
    reads as changed outside the tool, and `notes restore` writes it from the saved note."""
    now = clock.now().isoformat()
    note.updated_at, note.updated_by = now, office.user
    text = render_file(note)
    note.file_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with office.stores.store(
        _note_store(note.group_id, note.date), "debrief_note", write=True
    ) as db:
        put_doc(db, "note", note.to_dict())
    with office.stores.store(_index_store(note.group_id), "debrief_index", write=True) as db:
        put_doc(db, "notes", note.summary())
    atomic_write_text(note_path(office, note), text)
    office.audit(action, "debrief", note.id, status=note.status, **codes)
    return note


def _authors(office: Office, session: Session) -> list[str]:

    return list(session.facilitators_present) or list(
        get_group(office, session.group_id).facilitators
    )


def create_note(office: Office, session_id: str) -> DebriefNote:
    """The debrief of a closed session, pre-filled from what was recorded in it."""

    record = get_session(office, session_id)
    session = record.session
    if not session.is_closed:
        raise Refused(
            f"session {session.id} is still open: close it first, then write its debrief",
            command=f"facilitator session close {session.id}",
        )
    authors = _authors(office, session)
    actor = office.actor
    if actor.id not in authors and not actor.has_role("coordinator", "admin"):
        raise Refused(
            f"{actor.id} did not facilitate session {session.id}: its debrief is written by "
            f"{' and '.join(authors)}"
        )
    group = get_group(office, session.group_id)
    title = prefill.curriculum_title(office, group.curriculum, session.curriculum_session)
    body = rules.normalise_body(prefill.prefilled_body(office, record, group, title, authors))
    now = clock.now().isoformat()
    note = DebriefNote(
        id=session.id,
        session_id=session.id,
        group_id=group.id,
        date=session.date,
        curriculum_session=session.curriculum_session,
        path=(
            f"{office.ws.notes_dir.name}/{group.id}/"
            f"{rules.note_file_name(session.date, session.curriculum_session)}"
        ),
        authors=authors,
        group_name=group.name,
        curriculum=group.curriculum,
        title=title,
        body=body,
        prefilled_sha256=rules.sha256_text(body),
        created_at=now,
        created_by=office.user,
    )
    with office.stores.writing():
        if _load(office, session.id) is not None:
            raise Refused(
                f"session {session.id} already has a debrief note",
                command=f"facilitator notes show {session.id}",
            )
        _save(office, note, "create")
    return note


def save_body(
    office: Office, note_id: str, body: str, expected_sha256: str | None = None
) -> tuple[DebriefNote, list[str]]:
    """Replace a draft's text. `expected_sha256`: the text the editor started from, so a save
    does not silently overwrite what the other facilitator saved meanwhile."""
    with office.stores.writing():
        note = get_note(office, note_id)
        _require_file_intact(office, note)
        rules.check_editable(note)
        if expected_sha256 and expected_sha256 != note.body_sha256:
            raise Refused(
                f"note {note.id} was saved by {note.updated_by} at {note.updated_at[11:16]} "
                "since you "
                f"opened it: open it again and make your change there"
            )
        if rules.normalise_body(body) == note.body:
            return note, []  # nothing new: no write, no audit line
        withdrawn = rules.replace_body(note, body)
        _save(office, note, "edit")
        if withdrawn:
            office.audit("unsign", "debrief", note.id, withdrawn=",".join(withdrawn))
    # Scanned after the lock is let go (a long note takes a moment), then queued under it.
    debrief_risk.queue_suggestions(office, note)
    return note, withdrawn


@dataclass
class SignResult:
    note: DebriefNote
    flags: list = field(default_factory=list)  # RiskFlags raised from the note
    dismissed: list[Handled] = field(default_factory=list)
    amendment: rules.Amendment | None = None


def sign_note(
    office: Office, note_id: str, decisions=(), passphrase: str | None = None
) -> SignResult:
    """Sign as the acting user. Risk indicators in the note with no flag yet for the man must
    each be flagged or dismissed first (`decisions`); otherwise nothing is signed. A member with
    a signing key signs with it (the key they signed in with, or their passphrase), so the
    signature is theirs, not a name."""

    note = get_note(office, note_id)
    _require_file_intact(office, note)
    try:
        rules.check_can_sign(note, office.user)
    except Refused:
        with office.stores.writing():
            office.audit("refused", "debrief", note.id, doing="sign")
        raise
    seen_sha = note.body_sha256
    key_signature = ""
    if office.signer is not None or identity.keys(office).has_key(office.user):
        _, key_signature = identity.sign_as_actor(
            office, passphrase, rules.signed_message(note.id, seen_sha)
        )
    outcome = debrief_risk.decide(office, note, note.body, decisions, doing="sign")
    with office.stores.writing():
        note = get_note(office, note_id)
        if note.body_sha256 != seen_sha:
            raise Refused(
                f"note {note.id} was changed by {note.updated_by} while you were signing: "
                "read it again, then sign"
            )
        note.handled += [h.to_dict() for h in outcome.handled]
        rules.sign(note, office.user, clock.now(), key_signature)
        _save(office, note, "sign", signer=office.user)
    return SignResult(note, outcome.flags, outcome.dismissed)


def signature_state(office: Office, note: DebriefNote, signature: rules.Signature) -> str:
    """How a signature stands: "key verified", "DOES NOT VERIFY" (the note or the signature was
    changed), or "name only" (signed before the member had a key)."""
    if not signature.key_signature:
        return "name only"
    message = rules.signed_message(note.id, signature.body_sha256)
    if signature.body_sha256 == note.body_sha256 and identity.verify(
        office, signature.by, message, signature.key_signature
    ):
        return "key verified"
    return "DOES NOT VERIFY"


def amendment_state(office: Office, note: DebriefNote, amendment: rules.Amendment) -> str:
    """How an amendment's signature stands, in the same words as a note's."""
    if not amendment.key_signature:
        return "name only"
    message = rules.amendment_message(note.id, amendment.number, amendment.text)
    if identity.verify(office, amendment.by, message, amendment.key_signature):
        return "key verified"
    return "DOES NOT VERIFY"


def amend_note(office: Office, note_id: str, text: str, decisions=()) -> SignResult:
    """Append a dated amendment to a signed note (its signed text never changes)."""

    note = get_note(office, note_id)
    _require_file_intact(office, note)
    actor = office.actor
    may = actor.id in note.authors or actor.has_role("coordinator", "admin")
    rules.check_can_amend(note, actor.id, may)
    text = rules.normalise_body(text or "").strip()
    if not text:
        raise InvalidInput("the amendment is empty: give its words with --text")
    outcome = debrief_risk.decide(office, note, text, decisions, doing="amend")
    with office.stores.writing():
        note = get_note(office, note_id)
        note.handled += [h.to_dict() for h in outcome.handled]
        sign = office.signer.sign if office.signer is not None else None
        amendment = rules.amend(note, actor.id, text, clock.now(), may, sign)
        _save(office, note, "amend", amendment=str(amendment.number))
    return SignResult(note, outcome.flags, outcome.dismissed, amendment)


def adopt_file(office: Office, note_id: str) -> DebriefNote:
    """Take a draft's file, as edited outside the tool, as its text (the front matter is the
    tool's)."""
    with office.stores.writing():
        note = get_note(office, note_id)
        state = file_state(office, note)
        if state == FILE_MISSING:
            raise Refused(
                f"note {note.id}: its file is missing; nothing to adopt",
                command=f"facilitator notes restore {note.id}",
            )
        if state == FILE_OK:
            raise Refused(f"note {note.id}: its file is as the tool wrote it; nothing to adopt")
        if note.is_signed:
            raise Refused(
                f"note {note.id} is signed: outside changes cannot replace its text; restore it "
                "and add an amendment",
                command=f"facilitator notes restore {note.id}",
            )
        text = note_path(office, note).read_text(encoding="utf-8", errors="replace")
        withdrawn = rules.replace_body(note, body_of_file(text))
        _save(office, note, "adopt")
        if withdrawn:
            office.audit("unsign", "debrief", note.id, withdrawn=",".join(withdrawn))
    debrief_risk.queue_suggestions(office, note)
    return note


def restore_file(office: Office, note_id: str) -> DebriefNote:
    """Write the note's file again from the saved note, replacing any outside change."""
    with office.stores.writing():
        note = get_note(office, note_id)
        if file_state(office, note) == FILE_OK:
            raise Refused(f"note {note.id}: its file is as the tool wrote it; nothing to restore")
        _save(office, note, "restore")
    return note


# -- due ---------------------------------------------------------------------------------------
@dataclass
class DueNote:
    session_id: str
    group_id: str
    date: str
    curriculum_session: int
    closed_at: str
    due_at: str
    note_status: str  # "no note" or "draft"
    awaiting: list[str]  # who has still to sign (everyone when there is no note)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def due_notes(office: Office, now: datetime | None = None) -> list[DueNote]:
    """Closed sessions whose debrief is not signed `debrief.due_hours` after the session.

    Sessions before the setting `debrief.due_from` (a date; empty for none) are never due: a
    programme that starts writing debriefs in the tool is not shown its whole history as due.
    The sessions still waiting for a signed note come from services/debrief/due.py, which reads
    again only the groups whose session or note index changed since it last looked.
    """

    now = now or clock.now()
    hours = float(office.setting("debrief.due_hours", 48))
    since = str(office.setting("debrief.due_from", "") or "")
    out = []
    for sid, group_id, day, number, closed_at, status, awaiting in debrief_due.pending(
        office, since
    ):
        due = rules.due_at(day, closed_at, hours)
        if due > now:
            continue
        out.append(
            DueNote(sid, group_id, day, number, closed_at, due.isoformat(), status, list(awaiting))
        )
    out.sort(key=attrgetter("due_at", "session_id"))
    return out
