"""The debrief note: written after a session by its facilitators, signed
by each of them; once every author has signed it is read-only and later changes are amendments.

Pure: no I/O and no clock. Callers pass the time.

    DebriefNote   one per session; its id is the session id (G1-2026-11-24)
    Signature     who signed, when, and the hash of the text they signed
    Amendment     a dated change appended to a signed note
    Handled       a risk indicator in the note the facilitators flagged or dismissed

    check_can_sign(note, user)   sign(note, user, at)   replace_body(note, body, ...)
    check_can_amend(note, user, may_amend)   due_at(session_date, closed_at, hours)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import lru_cache

from facilitator.domain.record import Record
from facilitator.domain.values import check_choice, require_text
from facilitator.errors import Refused

NOTE_STATUSES = ("draft", "signed")
HANDLED_ACTIONS = ("flagged", "dismissed")
# The integrity of the note file as the tool last wrote it.
FILE_OK = "ok"
FILE_CHANGED = "changed outside the tool"
FILE_MISSING = "file missing"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def note_file_name(day: str, curriculum_session: int) -> str:
    """session_notes/<group>/<this>: the date first so a folder lists in order."""
    return f"{day}-session-{int(curriculum_session):02d}.md"


@dataclass
class Signature(Record):
    by: str
    at: str
    body_sha256: str  # the text signed: a draft changed after signing withdraws the signature
    # The member's key signature over signed_message(); "" where they had no key (name only).
    key_signature: str = ""


def signed_message(note_id: str, body_sha256: str) -> bytes:
    """What a member's key signs: the note and the hash of its text."""
    return f"facilitator debrief signature\n{note_id}\n{body_sha256}".encode()


def amendment_message(note_id: str, number: int, text: str) -> bytes:
    """What a member's key signs for an amendment: the note, its number and its words."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"facilitator debrief amendment\n{note_id}\n{number}\n{digest}".encode()


@dataclass
class Amendment(Record):
    number: int
    at: str
    by: str
    text: str
    key_signature: str = ""  # the member's key over amendment_message (none before keys)


@dataclass
class Handled(Record):
    """A risk indicator found in the note and what the facilitators decided about it."""

    key: str  # "<participant id or ?>:<category>"
    category: str
    participant_id: str  # the man it was flagged for; "" when dismissed without naming one
    action: str  # flagged, dismissed
    by: str
    at: str
    flag_id: str = ""
    reason: str = ""  # why it was dismissed

    def __post_init__(self) -> None:
        self.action = check_choice(self.action, HANDLED_ACTIONS, "indicator decision")


@dataclass
class DebriefNote(Record):
    id: str  # the session id: one note per session
    session_id: str
    group_id: str
    date: str
    curriculum_session: int
    path: str  # the Markdown file, relative to the workspace
    authors: list[str] = field(default_factory=list)  # the facilitators who must sign
    group_name: str = ""
    curriculum: str = ""
    title: str = ""  # the curriculum session's title
    status: str = "draft"
    body: str = ""  # the note's text as the tool last saved it (without front matter)
    prefilled_sha256: str = ""  # the body as created from the template: signing needs more
    file_sha256: str = ""  # the whole file as the tool last wrote it
    signatures: list[dict] = field(default_factory=list)
    amendments: list[dict] = field(default_factory=list)
    handled: list[dict] = field(default_factory=list)
    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    updated_by: str = ""

    def __post_init__(self) -> None:
        self.status = check_choice(self.status, NOTE_STATUSES, "note status")

    # -- reading ------------------------------------------------------------------------
    @property
    def signature_list(self) -> list[Signature]:
        return [Signature.from_dict(s) for s in self.signatures]

    @property
    def amendment_list(self) -> list[Amendment]:
        return [Amendment.from_dict(a) for a in self.amendments]

    @property
    def handled_list(self) -> list[Handled]:
        return [Handled.from_dict(h) for h in self.handled]

    @property
    def signed_by(self) -> list[str]:
        return [s.by for s in self.signature_list]

    @property
    def awaiting(self) -> list[str]:
        """Authors who have not signed yet."""
        return [a for a in self.authors if a not in self.signed_by]

    @property
    def is_signed(self) -> bool:
        return self.status == "signed"

    @property
    def body_sha256(self) -> str:
        return sha256_text(self.body)

    def handled_keys(self) -> set[str]:
        return {h.key for h in self.handled_list}

    def summary(self) -> dict:
        """The row the index keeps (everything but the text)."""
        return {
            "id": self.id,
            "session_id": self.session_id,
            "group_id": self.group_id,
            "date": self.date,
            "curriculum_session": self.curriculum_session,
            "title": self.title,
            "path": self.path,
            "status": self.status,
            "authors": list(self.authors),
            "signed_by": self.signed_by,
            "amendments": len(self.amendments),
            "file_sha256": self.file_sha256,
            "updated_at": self.updated_at,
        }


# -- rules -------------------------------------------------------------------------------------
def check_can_sign(note: DebriefNote, user: str) -> None:
    if note.is_signed:
        raise Refused(f"note {note.id} is already signed by {' and '.join(note.signed_by)}")
    if user not in note.authors:
        raise Refused(
            f"{user} is not a facilitator of session {note.session_id}: only "
            f"{' or '.join(note.authors) or 'its facilitators'} may sign its debrief"
        )
    if user in note.signed_by:
        waiting = ", ".join(note.awaiting) or "nobody"
        raise Refused(f"{user} has already signed note {note.id}; waiting for {waiting}")
    if note.prefilled_sha256 and note.body_sha256 == note.prefilled_sha256:
        raise Refused(
            f"note {note.id} is still the template as created: write the debrief before signing it"
        )


def sign(note: DebriefNote, user: str, at: datetime, key_signature: str = "") -> DebriefNote:
    """Add the user's signature; with every author's the note is signed (read-only)."""
    check_can_sign(note, user)
    note.signatures.append(
        Signature(
            by=user, at=at.isoformat(), body_sha256=note.body_sha256, key_signature=key_signature
        ).to_dict()
    )
    if not note.awaiting:
        note.status = "signed"
    return note


def check_editable(note: DebriefNote) -> None:
    if note.is_signed:
        raise Refused(
            f"note {note.id} is signed by {' and '.join(note.signed_by)} and is read-only: "
            "add an amendment instead",
            command=f'facilitator notes amend {note.id} --text "..."',
        )


def replace_body(note: DebriefNote, body: str) -> list[str]:
    """Change a draft's text. Signatures given to the earlier text are withdrawn (returned)."""
    check_editable(note)
    body = normalise_body(body)
    if body == note.body:
        return []
    withdrawn = [s.by for s in note.signature_list]
    note.body = body
    note.signatures = []
    return withdrawn


def normalise_body(body: str) -> str:
    """One trailing newline, Unix line ends: so a save with no change is no change."""
    return body.replace("\r\n", "\n").rstrip() + "\n"


def check_can_amend(note: DebriefNote, user: str, may_amend: bool) -> None:
    if not note.is_signed:
        raise Refused(
            f"note {note.id} is a draft: change its text instead of amending",
            command=f"facilitator notes edit {note.id}",
        )
    if not may_amend:
        raise Refused(
            f"{user} may not amend note {note.id}: its facilitators ({', '.join(note.authors)}) "
            f"or a coordinator may"
        )


def amend(
    note: DebriefNote,
    user: str,
    text: str,
    at: datetime,
    may_amend: bool,
    sign: Callable[[bytes], str] | None = None,
) -> Amendment:
    check_can_amend(note, user, may_amend)
    text = require_text(text, "the amendment (--text)")
    number = len(note.amendments) + 1
    signature = sign(amendment_message(note.id, number, text)) if sign else ""
    amendment = Amendment(
        number=number, at=at.isoformat(), by=user, text=text, key_signature=signature
    )
    note.amendments.append(amendment.to_dict())
    return amendment


def due_at(session_date: str, closed_at: str, hours: float) -> datetime:
    """When a session's debrief falls due: `hours` after the session ended.

    The end is when it was closed, but never later than midnight after the session's day: a
    session closed days late (or entered afterwards) does not push its debrief back.
    """
    end_of_day = datetime.combine(datetime.fromisoformat(session_date).date() + _ONE_DAY, _MIDNIGHT)
    end = min(datetime.fromisoformat(closed_at), end_of_day) if closed_at else end_of_day
    return end + _hours(hours)


# The home screen works out every unsigned session's due time (thousands on a long history):
# the constants are made once.
_ONE_DAY = timedelta(days=1)
_MIDNIGHT = time(0, 0)


@lru_cache(maxsize=16)
def _hours(hours: float) -> timedelta:
    return timedelta(hours=float(hours))
