"""Where a man's records are: every store document, per-man file and note that holds him.

Retention (services/records/retention.py) removes what this finds; subject access
(services/records/subject_access.py) exports what it finds. Both must see the same records, so they
share this one search.

Two kinds of store are searched differently:
- per-session files (sessions/, drafts/, risk/suggestions/, debrief/) are many: only the
  sessions of the groups he was enrolled in, between joining and leaving, are read;
- every other store under data/ is searched whole, so a feature added later (outcomes, ...)
  is covered without a change here: a document holds him when its `participant_id` (or, in
  a store of men, its `id`) is his, and a file named after him (intake/P0001.json) is his.

The partner store is never opened, and its file names are keyed (storage/partner_vault.py): no
one here can tell which men have partner records. When a partner store exists, every man is
given a partner holding, "his records, if any", for partner support to check with its key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from facilitator.domain.enrolment import Enrolment
from facilitator.services.core.legal_holds import PARTNER_HOLDING
from facilitator.services.core.office import Office
from facilitator.services.partner.store import store_folder
from facilitator.storage import migrations
from facilitator.storage.partner_vault import PartnerVault
from facilitator.storage.tinystore import load_json_store

# Folders under data/ holding one file per session, named <group>/<year>/<date>.json.
PER_SESSION = ("sessions", "risk/suggestions", "debrief")
NOT_RECORDS = {"counters.json", "backup.json", "retention.json"}
_PID = re.compile(r"^P\d+$")
# What the partner store may hold about a man, as retention names it (it is never opened here).


@dataclass
class Holding:
    """One place that holds part of a man's record."""

    participant_id: str
    kind: str  # the retention kind: participant, enrolments, sessions, flags, notes, intake, ...
    file: str  # relative to data/ ("people.json"); "partner:<name>" for the partner store
    table: str | None  # None: the whole file is his
    field: str = "id"  # the field that keys the document in its table
    key: str = ""
    doc: dict | None = None  # the document as stored (None for whole files and the partner store)
    record_id: str = ""  # what `retention due` names: a session, flag or enrolment id
    child_protection: bool = False

    @property
    def whole_file(self) -> bool:
        return self.table is None


@dataclass
class PersonRecords:
    participant_id: str
    holdings: list[Holding] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Holding]:
        return [h for h in self.holdings if h.kind == kind]


def kind_of(relative: str) -> str:
    """The retention kind of a store, from where it lives."""
    if relative == "people.json":
        return "participant"
    if relative.startswith(("sessions/", "drafts/", "individual/")):
        return "sessions"
    if relative.startswith("risk/assessments"):
        return "assessments"
    if relative == "risk/marac.json":
        return "marac"
    if relative == "sharing.json":
        return "sharing"
    if relative.startswith("risk/"):
        return "flags"
    if relative.startswith("debrief/"):
        return "notes"
    return relative.split("/", 1)[0].removesuffix(".json") if "/" in relative else "other"


def is_child_protection(doc: dict, categories: Iterable[str], actions: Iterable[str]) -> bool:
    """A flag or suggestion about harm to children, or one that led to a safeguarding referral."""
    cats, acts = set(categories), set(actions)
    if cats & set(doc.get("categories") or []):
        return True
    return any(
        acts & set(r.get("actions") or []) for r in doc.get("reviews") or [] if isinstance(r, dict)
    )


def read_store(path: Path) -> dict:
    """A store as its own kind reads it (migrated in memory); {} when it does not exist."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError):
        return load_json_store(path, "any")  # raises the store's own "damaged" message
    if not isinstance(data, dict):
        return load_json_store(path, "any")
    kind, _ = migrations.read_meta(data)
    return migrations.upgrade(data, kind or "any", str(path))


def rows(data: dict) -> Iterable[tuple[str, dict]]:
    for table, docs in data.items():
        if table == "_meta" or not isinstance(docs, dict):
            continue
        for doc in docs.values():
            if isinstance(doc, dict):
                yield table, doc


def _store_files(office: Office) -> list[str]:
    """Every JSON store under data/ except the per-session folders, relative to data/."""
    base = office.stores.path()
    out = []
    for path in sorted(base.rglob("*.json")):
        rel = path.relative_to(base).as_posix()
        if rel in NOT_RECORDS or any(rel.startswith(p + "/") for p in PER_SESSION):
            continue
        out.append(rel)
    return out


def _key_field(doc: dict) -> str:
    """What picks out this one document: its id, else (one per man in its table) his id."""
    return "id" if "id" in doc else "participant_id"


def _record_id(rel: str, doc: dict) -> str:
    return str(doc.get("id") or doc.get("session_id") or Path(rel).stem)


def find(office: Office, participant_ids: Iterable[str]) -> dict[str, PersonRecords]:
    """Every holding of each of these men (ids as stored, e.g. P0001)."""
    pids = {p.strip().upper() for p in participant_ids}
    found = {pid: PersonRecords(pid) for pid in pids}
    cp_cats = office.setting("retention.child_protection_categories", ["child_safeguarding"]) or []
    cp_acts = office.setting("retention.child_protection_actions", ["safeguarding_referral"]) or []

    def add(h: Holding) -> None:
        if h.kind in ("flags",) and h.doc is not None:
            h.child_protection = is_child_protection(h.doc, cp_cats, cp_acts)
        found[h.participant_id].holdings.append(h)

    enrolments: list[Enrolment] = []
    for rel in _store_files(office):
        path = office.stores.path(*rel.split("/"))
        kind = kind_of(rel)
        stem = path.stem.upper()
        his_file = stem if _PID.match(stem) else None  # intake/P0001.json: all of it is his
        if his_file in pids and kind != "flags":
            add(Holding(stem, kind, rel, None, record_id=rel.removesuffix(".json")))
            continue
        data = read_store(path)
        for table, doc in rows(data):
            if table == "enrolments":
                enrolments.append(Enrolment.from_dict(doc))
            pid = doc.get("participant_id")
            key_field = _key_field(doc)
            if not pid and kind in ("participant", "assessments"):
                pid = doc.get("id")  # stores of men: the document's own id is his
            pid = pid or his_file
            if pid in pids:
                add(
                    Holding(
                        pid,
                        kind,
                        rel,
                        table,
                        key_field,
                        str(doc.get(key_field)),
                        doc,
                        _record_id(rel, doc),
                    )
                )

    for rel, day, pid, table, key_field, doc in _per_session(office, pids, enrolments):
        kind = kind_of(rel)
        add(
            Holding(
                pid,
                kind,
                rel,
                table,
                key_field,
                str(doc.get(key_field)),
                doc,
                doc.get("id", day) if kind == "notes" else f"{_group_of(rel)}-{day}",
            )
        )

    # Copies of a flag kept elsewhere (risk/men/P0001.json) are child protection when it is.
    for records in found.values():
        protected = {
            h.doc.get("id") for h in records.holdings if h.child_protection and h.doc is not None
        }
        for h in records.holdings:
            if h.kind == "flags" and h.doc is not None and h.doc.get("id") in protected:
                h.child_protection = True

    for pid, rel in _partner_files(office, pids):
        found[pid].holdings.append(Holding(pid, "partner", rel, None, record_id="partner store"))
    return found


def _group_of(rel: str) -> str:
    """The group of a per-session file: <folder>/<group>/<year>/<date>.json, or
    drafts/<sid>.json."""
    if rel.startswith("drafts/"):
        return Path(rel).stem[:-11]
    return rel.split("/")[-3]


def _windows(enrolments: list[Enrolment], pids: set[str]) -> dict[str, list[tuple[str, str, str]]]:
    """group id -> [(participant, joined, left or '9999')] for these men."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for e in enrolments:
        if e.participant_id in pids:
            out.setdefault(e.group_id, []).append(
                (e.participant_id, e.joined_on, e.left_on or "9999-12-31")
            )
    return out


def _session_days(office: Office, group_id: str) -> list[str]:
    path = office.stores.path("sessions", group_id, "index.json")
    data = read_store(path)
    return sorted(d["date"] for _, d in rows(data) if "date" in d)


def _per_session(office: Office, pids: set[str], enrolments: list[Enrolment]):
    """(store, day, participant, table, key field, document) in the per-session files of the
    sessions held while each man was enrolled. Notes hold him when they name his id."""
    for group_id, spans in sorted(_windows(enrolments, pids).items()):
        for day in _session_days(office, group_id):
            present = {pid for pid, joined, left in spans if joined <= day <= left}
            if not present:
                continue
            sid = f"{group_id}-{day}"
            for folder in PER_SESSION:
                rel = f"{folder}/{group_id}/{day[:4]}/{day}.json"
                path = office.stores.path(*rel.split("/"))
                if not path.exists():
                    continue
                data = read_store(path)
                for table, doc in rows(data):
                    if folder == "debrief":
                        for pid in present:
                            if _names(doc, pid):
                                yield rel, day, pid, table, "id", doc
                    elif doc.get("participant_id") in present:
                        key_field = _key_field(doc)
                        yield rel, day, doc["participant_id"], table, key_field, doc
            draft = f"drafts/{sid}.json"
            path = office.stores.path("drafts", f"{sid}.json")
            if path.exists():
                for table, doc in rows(read_store(path)):
                    if doc.get("participant_id") in present:
                        yield draft, day, doc["participant_id"], table, "participant_id", doc


def _names(note: dict, pid: str) -> bool:
    """Whether a debrief note mentions him: his id in its text, or an indicator tied to him."""
    pattern = re.compile(rf"(?<![\w]){re.escape(pid)}(?![\w])")
    texts = [note.get("body") or ""] + [a.get("text", "") for a in note.get("amendments") or []]
    if any(pattern.search(t) for t in texts):
        return True
    return any(h.get("participant_id") == pid for h in note.get("handled") or [])


def _partner_files(office: Office, pids: set[str]) -> Iterable[tuple[str, str]]:
    """Every man, when there is a partner store: whether it holds anything about him cannot be
    told without its key (its file names are keyed), and must not be."""

    if not PartnerVault.exists(store_folder(office)):
        return
    for pid in sorted(pids):
        yield pid, PARTNER_HOLDING
