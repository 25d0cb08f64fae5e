"""Retention: keeping a man's records no longer than the programme needs them
(UK GDPR storage limitation).

    due(office, today=None) -> list[DueItem]      what has passed its period (held men marked)
    apply(office, today=None) -> ApplyResult      deletes (or anonymises) exactly that
    place_hold / release_hold / list_holds        a legal hold stops everything about one man

Rules (settings [retention]):
- A man's case is closed when his status is completed or exited. It closed on the latest date
  his records carry (referral, joining and leaving, sessions, one-to-ones, flags, intake
  decisions...): a concern recorded after he left keeps the case open until then.
- Each kind of record is kept `years.<kind>` years after that (default six, the usual UK
  limitation-based period). Flags and check-in suggestions about harm to children, or that led
  to a safeguarding referral, are kept `child_protection_years` (default 25); while one is kept
  his participant record is kept too, because a concern that cannot be tied to a man protects
  no child.
- `action` "delete" removes the records; "anonymise" keeps them for programme figures with
  names and every free-text field replaced. Debrief notes are about the whole group: either way
  his section and every line naming him are taken out of the note, not the note itself.
- The partner store is never opened here (the group side holds no key), and its file names are
  keyed, so nothing here knows which men it holds records about. When a partner store exists,
  every man past the partner period is listed ("his records, if any"), for partner support to
  check and remove with `facilitator partner forget ID` (which opens the store with its key),
  and only to someone who may open that store. A man whose own records retention deleted goes
  on being listed until partner support has run `partner forget` for him, whether or not the
  store held anything: dropping him earlier would tell the group side which men it held. Once
  she has, he is not listed again (retention.json `partner_checked`, ids only).
- Every removal is audited per man and kind of record, with counts, never content. The audit
  log itself keeps its lines (ids only): removing them would break its chain.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from facilitator import clock
from facilitator.domain.debrief import DebriefNote
from facilitator.domain.debrief_text import man_sections
from facilitator.errors import InvalidInput
from facilitator.services.core.legal_holds import (
    HOLD_STORE,
    held_ids,
    partner_checked,
    partner_files_left,
)
from facilitator.services.core.office import Office
from facilitator.services.debrief import notes as debrief
from facilitator.services.groupwork.attendance import all_enrolments
from facilitator.services.letters.service import remove_sent
from facilitator.services.partner.store import may_open
from facilitator.services.records.person_records import Holding, PersonRecords, find, read_store
from facilitator.storage import migrations
from facilitator.storage.journal import find_temp_files, settings_temp_files
from facilitator.storage.stores import all_docs, get_doc, put_doc, remove_doc
from facilitator.storage.tinystore import load_json_store

CLOSED_STATUSES = ("completed", "exited")
ACTIONS = ("delete", "anonymise")
ANONYMISED = "(anonymised)"
REMOVED = "[removed under the retention policy]"
# Free text staff or others typed: what anonymising replaces. Codes, ids and dates stay.
FREE_TEXT = {
    "name",
    "summary",
    "reason",
    "note",
    "notes",
    "text",
    "alternatives_used",
    "circumstances_note",
    "substance_use",
    "referrer",
    "referrer_reference",
    "status_reason",
    "left_reason",
    "phone",
    "safe_contact",
    "her_account",
    "wishes",
    "safety_planning",
    "order",
}
FREE_TEXT_BY_KIND = {"flags": {"outcome"}}
DROPPED = {"matches", "before", "after"}  # copies of his words: removed outright
BATCH = 50  # men handled under one hold of the workspace lock
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class DueItem:
    participant_id: str
    kind: str
    record_id: str
    file: str
    closed_on: str
    due_on: str
    child_protection: bool = False
    held: bool = False

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ApplyResult:
    men: int = 0
    removed: dict[str, int] = field(default_factory=dict)  # kind -> records
    partner_files: list[str] = field(
        default_factory=list
    )  # men whose partner records, if any, are due
    held: int = 0
    temp_files: int = 0  # leftovers of interrupted writes, removed (they may hold his data)


# -- settings ------------------------------------------------------------------------------
def action_setting(office: Office) -> str:
    action = str(office.setting("retention.action", "delete") or "delete")
    if action not in ACTIONS:
        raise InvalidInput(f"setting retention.action is '{action}': use delete or anonymise")
    return action


def years_for(office: Office, kind: str, child_protection: bool = False) -> int:
    if child_protection:
        return _years(
            office.setting("retention.child_protection_years", 25),
            "retention.child_protection_years",
        )
    table = office.setting("retention.years", {}) or {}
    name = kind if kind in table else "other" if "other" in table else "participant"
    return _years(table.get(name, 6), f"retention.years.{name}")


def _years(value, setting: str) -> int:
    try:
        years = int(value)
    except (TypeError, ValueError):
        years = -1
    if years < 0:
        raise InvalidInput(f"setting {setting} is '{value}': give a whole number of years")
    return years


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# -- what is due ---------------------------------------------------------------------------
def _closed_men(office: Office) -> dict[str, str]:
    """Men whose case is closed -> the earliest it can have closed (a cheap lower bound: the
    referral and enrolment dates; the full records are read only for the men it leaves in)."""

    with office.stores.people() as db:
        people = all_docs(db, "participants")
    closed = {
        p["id"]: p.get("referred_on") or "" for p in people if p.get("status") in CLOSED_STATUSES
    }
    for e in all_enrolments(office):
        if e.participant_id in closed:
            closed[e.participant_id] = max(closed[e.participant_id], e.joined_on, e.left_on or "")
    return closed


def _latest_date(value, key: str = "") -> str:
    """The latest business date anywhere in a record: `date`, `*_on`, and a flag's raising and
    closing. Not the times a record was typed (recorded_at...): backfilled work keeps its date."""
    best = ""
    if isinstance(value, dict):
        for k, v in value.items():
            best = max(best, _latest_date(v, k))
    elif isinstance(value, list):
        for v in value:
            best = max(best, _latest_date(v, key))
    elif isinstance(value, str) and (
        key == "date" or key.endswith("_on") or key in ("raised_at", "closed_at")
    ):
        if _ISO_DAY.match(value):
            best = value[:10]
    return best


def _closed_on(office: Office, records: PersonRecords, floor: str) -> str:
    best = floor
    for h in records.holdings:
        if h.doc is not None:
            best = max(best, _latest_date(h.doc))
        elif h.whole_file and h.kind != "partner":  # her store is never read here
            # His own file (intake, one-to-ones, outcomes): its dates count too, so a man
            # excluded at intake is closed on the day of that decision, not on his referral.
            best = max(best, _latest_date(read_store(office.stores.path(*h.file.split("/")))))
        if h.file.startswith(("sessions/", "drafts/")) and _ISO_DAY.match(h.record_id[-10:]):
            best = max(best, h.record_id[-10:])  # a mark or check-in is dated by its session
    return best or clock.today().isoformat()


def _items_for(
    office: Office, records: PersonRecords, closed_on: str, today: date, held: bool
) -> list[DueItem]:
    closed = date.fromisoformat(closed_on)
    items: list[DueItem] = []
    kept_cp_until = None
    for h in records.holdings:
        due_on = _plus_years(closed, years_for(office, h.kind, h.child_protection))
        if h.child_protection and due_on > today:
            kept_cp_until = max(kept_cp_until or due_on, due_on)
        items.append(
            DueItem(
                records.participant_id,
                h.kind,
                h.record_id,
                h.file,
                closed_on,
                due_on.isoformat(),
                h.child_protection,
                held,
            )
        )
    for item in items:
        if item.kind == "participant" and kept_cp_until and item.due_on < kept_cp_until.isoformat():
            item.due_on = kept_cp_until.isoformat()  # his identity stays with the concern
    return [i for i in items if i.due_on <= today.isoformat()]


def _min_years(office: Office) -> int:
    table = office.setting("retention.years", {}) or {}
    return min(
        [years_for(office, kind) for kind in table]
        + [years_for(office, "other"), years_for(office, "", child_protection=True)]
    )


def _candidates(office: Office, today: date) -> dict[str, str]:
    """Closed cases that may have something due: man -> the earliest his case can have closed."""
    horizon = _plus_years(today, -_min_years(office)).isoformat()
    return {pid: earliest for pid, earliest in _closed_men(office).items() if earliest <= horizon}


def due(office: Office, today: date | None = None, include_held: bool = True) -> list[DueItem]:
    """Every record past its period, oldest case first; men on hold are marked held."""
    today = today or clock.today()
    action_setting(office)
    held = held_ids(office)
    floor = _candidates(office, today)
    men = sorted(pid for pid in floor if include_held or pid not in held)
    out: list[DueItem] = []
    partner_side = may_open(office)
    checked = partner_checked(office)
    for pid, records in sorted(find(office, men).items()):
        items = _items_for(
            office, records, _closed_on(office, records, floor[pid]), today, pid in held
        )
        out.extend(i for i in items if i.kind != "partner" or (partner_side and pid not in checked))
    if partner_side:
        out.extend(
            DueItem(pid, "partner", "partner store", rel, "", since)
            for pid, rel, since in partner_files_left(office)
        )
    out.sort(key=lambda i: (i.closed_on, i.participant_id, i.kind, i.record_id))
    return out


def stale_open_cases(office: Office, today: date | None = None) -> list[str]:
    """Men whose status keeps their case open (referred, active, suspended) though nothing
    about them is dated within the shortest retention period: retention cannot apply to them
    until someone records that their case closed."""

    today = today or clock.today()
    horizon = _plus_years(today, -_min_years(office)).isoformat()
    with office.stores.people() as db:
        latest = {
            p["id"]: p.get("referred_on") or ""
            for p in all_docs(db, "participants")
            if p.get("status") not in CLOSED_STATUSES
        }
    for e in all_enrolments(office):
        if e.participant_id in latest:
            latest[e.participant_id] = max(
                latest[e.participant_id], e.joined_on, e.left_on or "9999-12-31"
            )
    return sorted(pid for pid, day in latest.items() if day and day <= horizon)


def _temp_files(office: Office) -> list[Any]:
    # The group side's own folders only (the partner store's writes are its own business), and
    # beside the settings only the settings' own (an export may be being written there).
    found = []
    for folder in (office.ws.data_dir, office.ws.notes_dir):
        if folder.is_dir():
            found += find_temp_files(folder)
    return sorted(set(found + settings_temp_files(office.path)))


def leftover_temp_files(office: Office) -> list[str]:
    """Temporary files interrupted writes left behind (each may hold a copy of personal
    data), as paths inside the workspace: `apply` removes them."""
    return [p.relative_to(office.path).as_posix() for p in _temp_files(office)]


# -- applying ------------------------------------------------------------------------------
def apply(office: Office, today: date | None = None) -> ApplyResult:
    """Remove (or anonymise) every record past its period, men on hold excepted.

    Men are handled in batches, each under one hold of the workspace lock, and each batch is
    worked out again under the lock: a hold placed or a record added meanwhile is respected."""
    office.require_role("coordinator", doing="apply the retention policy")
    today = today or clock.today()
    action = action_setting(office)
    result = ApplyResult()
    if may_open(office):
        result.partner_files += [pid for pid, _, _ in partner_files_left(office)]
    with office.stores.writing():
        # Under the lock, so that no write still owns one of them.
        for path in _temp_files(office):
            path.unlink(missing_ok=True)
            result.temp_files += 1
        if result.temp_files:
            office.audit("remove", "temp_files", "workspace", count=str(result.temp_files))
    men = sorted(pid for pid in _candidates(office, today) if pid not in held_ids(office))
    for start in range(0, len(men), BATCH):
        batch = men[start : start + BATCH]
        with office.stores.writing():
            held = held_ids(office)
            floor = _candidates(office, today)
            live = [pid for pid in batch if pid in floor and pid not in held]
            result.held += sum(1 for pid in batch if pid in held)
            checked = partner_checked(office)
            for pid, records in sorted(find(office, live).items()):
                items = _items_for(
                    office, records, _closed_on(office, records, floor[pid]), today, False
                )
                items = [i for i in items if i.kind != "partner" or pid not in checked]
                wanted = {(i.kind, i.file, i.record_id) for i in items}
                chosen = [h for h in records.holdings if (h.kind, h.file, h.record_id) in wanted]
                if chosen:
                    result.men += 1
                    _remove(office, pid, chosen, action, result)
    return result


def _remove(
    office: Office, pid: str, holdings: list[Holding], action: str, result: ApplyResult
) -> None:
    """Caller holds the lock. Notes are redacted; the partner store is left to partner support."""
    by_kind: dict[str, int] = {}
    by_file: dict[str, list[Holding]] = {}
    name = next((h.doc.get("name", "") for h in holdings if h.kind == "participant" and h.doc), "")
    name = name or _current_name(office, pid)
    for h in holdings:
        if h.kind == "partner":
            if may_open(office):
                result.partner_files.append(pid)
            continue
        by_file.setdefault(h.file, []).append(h)
    # Notes first, while his name can still be read from his participant record.
    for rel in sorted(by_file, key=lambda r: (not r.startswith("debrief/"), r)):
        found = by_file[rel]
        if rel.startswith("debrief/"):
            _redact_notes(office, pid, name, found)
        elif all(h.whole_file for h in found) and action == "delete":
            os.unlink(office.stores.path(*rel.split("/")))
        else:
            _change_docs(office, rel, found, action)
        for h in found:
            by_kind[h.kind] = by_kind.get(h.kind, 0) + 1
    if "letters" in by_kind:
        # The letters themselves name him: they go with the record of them, whichever action.
        remove_sent(office, pid)
    for kind, n in sorted(by_kind.items()):
        verb = "redact" if kind == "notes" else action
        office.audit(f"retention_{verb}", kind, pid, records=str(n))
        result.removed[kind] = result.removed.get(kind, 0) + n
    if (
        "participant" in by_kind
        and action == "delete"
        and any(h.kind == "partner" for h in holdings)
    ):
        # With his record gone he is no longer found; keep listing him until partner support checks.
        with office.stores.store(HOLD_STORE, "retention", write=True) as db:
            put_doc(db, "partner_left", {"id": pid, "since": clock.today().isoformat()})


def _current_name(office: Office, pid: str) -> str:
    with office.stores.people() as db:
        doc = get_doc(db, "participants", pid)
    return (doc or {}).get("name", "")


def _change_docs(office: Office, rel: str, holdings: list[Holding], action: str) -> None:
    with office.stores.store(rel, _store_kind(office, rel), write=True) as db:
        for h in holdings:
            if h.table is None:  # whole_file: anonymise a man's own file, every document in it
                for table in [t for t in db.tables() if t != "_meta"]:
                    docs = all_docs(db, table)
                    db.table(table).truncate()
                    for doc in docs:
                        db.table(table).insert(anonymised(doc, h.kind))
            elif action == "delete":
                remove_doc(db, h.table, h.key, h.field)
            else:
                current = get_doc(db, h.table, h.key, h.field)
                if current is not None:
                    put_doc(db, h.table, anonymised(current, h.kind), h.field)
        emptied = not any(len(db.table(t)) for t in db.tables() if t != "_meta")
    path = office.stores.path(*rel.split("/"))
    if emptied and action == "delete" and path.stem.upper() == holdings[0].participant_id:
        os.unlink(path)  # his own file (risk/men/P0001.json), now empty


def _store_kind(office: Office, rel: str) -> str:
    """The kind a store file declares, so it is written back as what it is."""

    data = load_json_store(office.stores.path(*rel.split("/")), "any")
    return migrations.read_meta(data)[0] or "any"


def anonymised(doc, kind: str = ""):
    """The record without who or what: free text replaced, copies of his words dropped."""
    if isinstance(doc, list):
        return [anonymised(v, kind) for v in doc]
    if not isinstance(doc, dict):
        return doc
    out: dict[str, Any] = {}
    text_keys = FREE_TEXT | FREE_TEXT_BY_KIND.get(kind, set())
    for k, v in doc.items():
        if k in DROPPED:
            out[k] = [] if isinstance(v, list) else None
        elif k in text_keys and isinstance(v, str):
            out[k] = ANONYMISED if v.strip() else v
        elif k == "reviews" and isinstance(v, list):
            out[k] = [
                dict(anonymised(r, kind), note=ANONYMISED if r.get("note") else "") for r in v
            ]
        else:
            out[k] = anonymised(v, kind)
    return out


# -- debrief notes -------------------------------------------------------------------------
def redact_text(text: str, pid: str, name: str) -> str:
    """His section out; table rows naming him out; his id and name elsewhere replaced."""

    for start, end, who in sorted(man_sections(text), reverse=True):
        if who == pid:
            text = text[:start] + f"### {REMOVED}\n\n" + text[end:]
    ident = re.compile(
        rf"(?<!\w){re.escape(pid)}(?!\w)" + (rf"|{re.escape(name)}" if name.strip() else "")
    )
    lines = []
    for line in text.split("\n"):
        if ident.search(line):
            if line.lstrip().startswith("|"):
                continue  # his row in a table
            line = ident.sub("[removed]", line)
        lines.append(line)
    return "\n".join(lines)


def _redact_notes(office: Office, pid: str, name: str, holdings: list[Holding]) -> None:
    """Caller holds the lock. Through the debrief service's own save, so the note's file,
    hash and index stay in step (and `notes` commands keep working on it)."""

    for h in holdings:
        with office.stores.store(h.file, "debrief_note") as db:
            doc = get_doc(db, h.table or "note", h.key)
        if doc is None:
            continue
        note = DebriefNote.from_dict(doc)
        note.body = redact_text(note.body, pid, name)
        note.amendments = [
            dict(a, text=redact_text(a.get("text", ""), pid, name)) for a in note.amendments
        ]
        note.handled = [
            x
            for x in note.handled
            if x.get("participant_id") != pid and not str(x.get("key", "")).startswith(f"{pid}:")
        ]
        debrief._save(office, note, "retention_redact")  # noqa: SLF001 - the one way a note is written
