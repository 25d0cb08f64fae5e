"""Writing a letter, recording it on the man's file, listing and checking.

    data/letters/<participant>.json        each letter written about him: kind, date,
                                           addressee, who wrote it, the file and its SHA-256
    <workspace>/letters/sent/<participant>/<id>-<kind>.<docx|md|html>   the letter itself, 0600

A man's letters are his records: retention removes them with his letters store (the files in
letters/sent/ with it). The audit names the letter, its kind and the man, never its words.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from facilitator import clock
from facilitator.domain.compliance import NotifyTask
from facilitator.domain.participant import Participant
from facilitator.domain.record import Record
from facilitator.domain.values import parse_date
from facilitator.errors import InvalidInput, Refused
from facilitator.services.compliance.status import SHARING_BASIS_OF_SOURCE, notify_referrer
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.core.sharing import record_sharing
from facilitator.services.letters import fields, templates, text, wording
from facilitator.services.letters.addressee import Addressee, addressee_for
from facilitator.services.letters.context import values_for
from facilitator.services.letters.kinds import KINDS, MAN, LetterKind, kind_named
from facilitator.storage.files import atomic_write_bytes, ensure_private_dir, existing_folder
from facilitator.storage.stores import all_docs, put_doc, safe_name

FORMATS = ("docx", "md", "html")
STORE_DIR = "letters"
ROLES = ("coordinator",)


@dataclass
class Letter(Record):
    id: str
    participant_id: str
    kind: str
    date: str  # the date the letter bears
    addressee: str
    addressee_role: str
    written_by: str
    written_at: str
    format: str
    file: str  # inside the workspace: letters/sent/P0001/LT0001-progress_report.docx
    sha256: str
    task_id: str = ""  # the notify-referrer task it told the referrer of


@dataclass
class Composed:
    """A letter filled in but not yet kept: for a preview, and for writing."""

    kind: LetterKind
    person: Participant
    addressee: Addressee
    day: date
    docx: bytes
    document: Any  # the filled python-docx document the bytes were saved from

    def as_format(self, fmt: str) -> bytes:
        if fmt == "docx":
            return self.docx
        if fmt == "md":
            return text.to_markdown(self.blocks).encode("utf-8")
        title = f"{self.kind.title}: {self.person.name}"
        return text.to_html(self.blocks, title).encode("utf-8")

    @property
    def plain(self) -> str:
        return text.to_plain(self.blocks)

    @property
    def blocks(self) -> list:
        """The letter read back once, for every form made from it."""
        if not hasattr(self, "_blocks"):
            self._blocks = text.blocks(self.document)
        return self._blocks


def _store(office: Office, participant_id: str, write: bool = False):
    return office.stores.store(
        f"{STORE_DIR}/{safe_name(participant_id, 'participant id')}.json", "letters", write
    )


def sent_folder(office: Office, participant_id: str) -> Path:
    return office.path.joinpath(*templates.SENT_DIR, safe_name(participant_id, "participant id"))


def format_of(output: str | os.PathLike | None, fmt: str | None = None) -> str:
    if fmt:
        fmt = fmt.lower().lstrip(".")
    elif output:
        fmt = Path(output).suffix.lower().lstrip(".")
    else:
        fmt = "docx"
    if fmt not in FORMATS:
        raise InvalidInput(f"a letter is written as .docx, .md or .html, not '{fmt}'")
    return fmt


def _day(on: str | date | None) -> date:
    if on is None or on == "":
        return clock.today()
    return on if isinstance(on, date) else parse_date(on, "letter date")


# -- composing ------------------------------------------------------------------------------------
def compose(
    office: Office,
    kind: str | LetterKind,
    participant_id: str,
    to: str | None = None,
    on: str | date | None = None,
    task_id: str | None = None,
    letter_id: str = "",
    person: Participant | None = None,
) -> Composed:
    """Fill the kind's template for this man. Nothing is kept; refuses with one line when the
    template asks for an unknown placeholder or the letter would carry forbidden words."""
    office.require_role(*ROLES, doing="write a letter")
    k = kind if isinstance(kind, LetterKind) else kind_named(kind)
    person = person or get_participant(office, participant_id)
    addressee = addressee_for(office, person, k, to)
    day = _day(on)
    context = values_for(office, person, k, addressee, day, letter_id, task_id)
    docx, document = templates.render_docx(office.path, k, context)
    composed = Composed(k, person, addressee, day, docx, document)
    problem = wording.problem_in(text.words_of(document))
    if problem:
        name = templates.shown(office.path, templates.template_for(office.path, k))
        raise Refused(f"the letter from template {name} {problem}: nothing was written")
    return composed


# -- writing --------------------------------------------------------------------------------------
# What a letter to an agency tells it, as the information-sharing log names it.
SHARED_BY_KIND = {
    "referral_acknowledgement": "other",
    "assessment_outcome": "assessment_outcome",
    "breach_notice": "attendance",
    "progress_report": "progress",
    "end_of_programme": "end_of_programme",
    "absence_warning": "attendance",
    "invitation": "other",
}


def write_letter(
    office: Office,
    kind: str,
    participant_id: str,
    output: str | os.PathLike | None = None,
    to: str | None = None,
    on: str | date | None = None,
    fmt: str | None = None,
    task_id: str | None = None,
) -> Letter:
    """Write a letter: kept in the workspace (letters/sent/), recorded on his file, audited;
    a copy at `output` when given."""
    office.require_role(*ROLES, doing="write a letter")
    fmt = format_of(output, fmt)
    target = existing_folder(output) if output else None
    with office.stores.writing():
        return _write(office, kind, participant_id, fmt, target, to, on, task_id)


def _write(
    office: Office,
    kind: str,
    participant_id: str,
    fmt: str,
    target: Path | None,
    to: str | None,
    on: str | date | None,
    task_id: str | None,
) -> Letter:
    """Caller holds the lock (inside `stores.writing()`)."""
    person = get_participant(office, participant_id)
    letter_id = office.stores.next_id("LT")
    composed = compose(office, kind, person.id, to, on, task_id, letter_id, person)
    data = composed.as_format(fmt)
    folder = ensure_private_dir(sent_folder(office, person.id))
    kept = folder / f"{letter_id}-{composed.kind.id}.{fmt}"
    atomic_write_bytes(kept, data)
    try:
        if target is not None:
            atomic_write_bytes(target, data)
        letter = Letter(
            id=letter_id,
            participant_id=person.id,
            kind=composed.kind.id,
            date=composed.day.isoformat(),
            addressee=composed.addressee.in_words,
            addressee_role=composed.addressee.role,
            written_by=office.user,
            written_at=clock.now().isoformat(timespec="seconds"),
            format=fmt,
            file=kept.relative_to(office.path).as_posix(),
            sha256=hashlib.sha256(data).hexdigest(),
            task_id=(task_id or "").strip().upper(),
        )
        with _store(office, person.id, write=True) as db:
            put_doc(db, "letters", letter.to_dict())
        office.audit("write", "letter", letter.id, letter_kind=letter.kind, participant=person.id)
        if composed.addressee.role != MAN and not letter.task_id:
            # Information about him leaves the programme: the sharing log says what, to whom.
            # (A breach notice for a task is logged when the task is closed as told.)
            record_sharing(
                office,
                person.id,
                information=SHARED_BY_KIND.get(letter.kind, "other"),
                to_agency=composed.addressee.in_words,
                basis=SHARING_BASIS_OF_SOURCE.get(person.referral_source, "agreement"),
                means="letter",
                on=letter.date,
                reference=letter.id,
                person=person,
            )
    except BaseException:
        kept.unlink(missing_ok=True)  # the action did not happen: neither did its file
        raise
    return letter


def notify_with_letter(
    office: Office,
    task_id: str,
    how: str,
    on: str | None = None,
    note: str = "",
    output: str | os.PathLike | None = None,
) -> tuple[NotifyTask, Letter]:
    """Tell the referrer of a breach with the breach notice: the task closed and the letter
    recorded in one action (both or neither)."""
    office.require_role(*ROLES, doing="write a letter")
    fmt = format_of(output)
    target = existing_folder(output) if output else None
    with office.stores.writing():
        task = notify_referrer(office, task_id, how, on, note)
        letter = _write(
            office, "breach_notice", task.participant_id, fmt, target, None, on, task.id
        )
    return task, letter


# -- reading --------------------------------------------------------------------------------------
def list_letters(office: Office, participant_id: str | None = None) -> list[Letter]:
    office.require_role(*ROLES, doing="list letters")
    if participant_id:
        pids = [get_participant(office, participant_id).id]
    else:
        base = office.stores.path(STORE_DIR)
        pids = sorted(p.stem for p in base.glob("*.json")) if base.is_dir() else []
    out: list[Letter] = []
    for pid in pids:
        with _store(office, pid) as db:
            out += [Letter.from_dict(d) for d in all_docs(db, "letters")]
    return sorted(out, key=lambda x: (x.written_at, x.id))


def check(office: Office) -> list[str]:
    """Every template problem, one line each ([] when each kind can be written)."""
    return templates.check_templates(office.path, sample_context())


def sample_context() -> dict[str, fields.Fields]:
    """Every placeholder filled, every list with one row: what `letter check` fills each
    template with, so a name used inside a loop or a branch is tried too."""
    values: dict[str, dict] = {}
    for top, names in fields.FIELDS.items():
        group: dict = {}
        for name in names:
            path = f"{top}.{name}"
            if path in fields.ITEMS:
                group[name] = [{k: "x" for k in fields.ITEMS[path]}]
            elif path in ("assessment.reasons", "assessment.appointments"):
                group[name] = ["x"]
            else:
                group[name] = "x"
        values[top] = group
    return fields.build(values)


def install_templates(root: Path, overwrite: bool = False) -> list[Path]:
    return templates.install_defaults(root, overwrite)


def remove_sent(office: Office, participant_id: str) -> int:
    """Retention: his letters' files go with his letters store. Caller holds the lock."""
    folder = sent_folder(office, participant_id)
    if not folder.is_dir():
        return 0
    n = sum(1 for p in folder.iterdir() if p.is_file())
    shutil.rmtree(folder)
    return n


def kinds() -> tuple[LetterKind, ...]:
    return KINDS
