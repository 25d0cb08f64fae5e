"""Subject access: everything held about one man, for him (UK GDPR Art. 15).

    export_data(office, participant_id) -> Export     .data (JSON-ready) and .html()
    write_export(office, participant_id, path) -> (json path, html path, Export), letters in
    a folder beside them

What he gets: his participant record, enrolments, attendance, check-ins and their corrections,
one-to-ones, intake (agreements and decisions), the flags he may see, check-in suggestions,
compliance, and the index of debrief notes that mention him (not their text, which is about
the whole group), the outcome questionnaires he answered, his case file (his details, the
agency workers involved with him, his children's records, the staff's case notes), the
letters written to him or about him (and the letter files) and his timeline (as staff see it, less what is withheld below).

What he never gets (information from a victim is never shown to him):
- anything from the partner store, which is not even opened;
- any flag raised from partner contact (source partner_contact), nor any reference to one:
  even its existence would expose her as the source;
- on the flags he does see, the reviews, outcome and escalation markers, which can rest on
  what others said; risk assessments, for the same reason (withheld as third-party and
  safety-related information; the export says so in general terms).
Records of a kind this module does not know yet (a feature added later) are left out and
named to the coordinator, never exported unread.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from facilitator import clock
from facilitator.errors import InvalidInput
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.records.person_records import Holding, find, read_store, rows
from facilitator.services.records.timeline import PROTECTIVE_KINDS, timeline
from facilitator.storage.files import atomic_write_bytes, atomic_write_text, ensure_private_dir

PARTNER_SOURCE = "partner_contact"
KNOWN_KINDS = {
    "letters",
    "participant",
    "enrolments",
    "sessions",
    "flags",
    "assessments",
    "intake",
    "notes",
    "compliance",
    "outcomes",
    "partner",
    "reports",
    "marac",
    "sharing",
    "casefile",
}
# Sharing done to protect someone from him is withheld with the rest of what is held for others'
# safety: telling him of a MARAC or a safeguarding referral can tell him who spoke.
SHARING_WITHHELD = {"marac_referral", "safeguarding_referral", "risk_concern"}
FLAG_FIELDS = (
    "id",
    "raised_at",
    "categories",
    "severity_at_raising",
    "source",
    "summary",
    "session_id",
    "status",
    "closed_at",
)
WITHHELD = (
    "Risk assessments, and the reviews, outcomes and escalation markers of risk flags, are "
    "withheld: they can contain information about, or given by, other people, and information "
    "held to protect others' safety. For the same reason, MARAC and safeguarding records, and "
    "information shared under the safeguarding exception, are withheld."
)
SOURCE_WORDS = {
    "checkin": "your check-in",
    "hand": "raised by staff",
    "debrief": "the facilitators' debrief",
}


@dataclass
class Export:
    participant_id: str
    data: dict
    unreviewed: list[str] = field(
        default_factory=list
    )  # store files of unknown kinds, not exported

    def html(self) -> str:
        return render_html(self.data)


def export_data(office: Office, participant_id: str) -> Export:

    office.require_role("coordinator", doing="export a man's data (subject access)")
    person = get_participant(office, participant_id)
    holdings = find(office, [person.id])[person.id].holdings
    partner_flags = {
        h.doc.get("id")
        for h in holdings
        if h.kind == "flags" and h.doc and h.doc.get("source") == PARTNER_SOURCE
    }
    data: dict = {
        "about": {
            "participant_id": person.id,
            "made_at": clock.now().isoformat(),
            "made_by": office.user,
            "programme": office.setting("programme.name", ""),
            "withheld": WITHHELD,
        },
        # His status as every report says it: a completion by decision is said as one.
        "participant": person.to_dict() | {"status_in_words": person.status_words},
        "enrolments": [],
        "attendance": [],
        "checkins": [],
        "corrections": [],
        "unsaved_checkin_drafts": [],
        "one_to_one_sessions": [],
        "intake": [],
        "flags": [],
        "checkin_suggestions": [],
        "compliance": [],
        "questionnaires_you_answered": [],
        "debrief_notes_mentioning_you": [],
        "engagement_summaries_for_your_referrer": [],
        "information_shared_about_you": [],
        "your_details": {},
        "agency_contacts": [],
        "children": [],
        "case_notes": [],
        "letters": [],
        "timeline": [],
    }
    unreviewed: set[str] = set()
    for h in holdings:
        if h.kind not in KNOWN_KINDS:
            unreviewed.add(h.file)
            continue
        _add(office, data, h)
    for key in ("attendance", "checkins", "corrections", "flags", "debrief_notes_mentioning_you"):
        data[key].sort(
            key=lambda d: (
                str(d.get("date") or d.get("raised_at") or ""),
                str(d.get("session_id", "")),
            )
        )
    data["timeline"] = [
        e.to_dict()
        for e in timeline(office, person.id)
        # Risk assessments are withheld; a partner-sourced flag is not even named.
        if e.kind != "assessment"
        and e.kind not in PROTECTIVE_KINDS
        and not (e.kind == "flag" and e.ref in partner_flags)
    ]
    data = _without(data, partner_flags)
    return Export(person.id, data, sorted(unreviewed))


def _session_of(h: Holding) -> tuple[str, str]:
    """(session id, date) of a per-session holding."""
    return h.record_id, h.record_id[-10:]


def _add(office: Office, data: dict, h: Holding) -> None:
    doc = dict(h.doc or {})
    f = h.file
    if h.kind in ("partner", "participant", "assessments", "marac"):
        # the partner store is never read; he is in data["participant"]; assessments and MARAC
        # records withheld
        return
    if h.kind == "sharing":
        if doc.get("basis") != "safeguarding" and doc.get("information") not in SHARING_WITHHELD:
            keep = ("shared_on", "information", "to_agency", "to_person", "basis", "means")
            data["information_shared_about_you"].append({k: doc.get(k) for k in keep})
        return
    if h.kind == "letters":
        # What was written to him or about him, and to whom; the letters themselves go with
        # the export as files (write_export). A letter never holds what she said.
        docs = [doc] if h.doc else _read_docs(office, f, "letters")
        fields = ("id", "kind", "date", "addressee", "written_by", "format", "file", "sha256")
        data["letters"].extend({k: d.get(k) for k in fields} for d in docs)
        return
    if h.kind == "enrolments":
        data["enrolments"].append(doc)
    elif f.startswith("sessions/"):
        sid, day = _session_of(h)
        row = {"session_id": sid, "date": day, **doc}
        tables: dict[str | None, list] = {
            "attendance": data["attendance"],
            "checkins": data["checkins"],
            "corrections": data["corrections"],
        }
        tables.get(h.table, []).append(row)
    elif f.startswith("drafts/"):
        data["unsaved_checkin_drafts"].append({"session_id": h.record_id, **doc})
    elif f.startswith("individual/"):
        data["one_to_one_sessions"].extend(_read_docs(office, f, "sessions"))
    elif f.startswith("intake/"):
        for intake in _read_docs(office, f, "intake"):
            intake.pop("risk", None)  # withheld: a risk assessment can rest on what others said
            data["intake"].append(intake)
    elif h.kind == "flags" and f.startswith(("risk/suggestions/", "risk/individual_suggestions/")):
        data["checkin_suggestions"].append(
            {
                k: doc.get(k)
                for k in (
                    "id",
                    "session_id",
                    "categories",
                    "status",
                    "created_at",
                    "reason",
                    "flag_id",
                )
            }
        )
    elif h.kind == "flags":
        if doc.get("source") == PARTNER_SOURCE or "summary" not in doc:
            return  # hers; or a copy kept for the escalation rules (risk/men/), listed once already
        if any(f["id"] == doc.get("id") for f in data["flags"]):
            return  # a flag whose close was interrupted is in two stores: the same flag
        data["flags"].append(
            {
                "id": doc.get("id"),
                "raised_at": doc.get("raised_at"),
                "categories": doc.get("categories"),
                "severity_at_raising": doc.get("escalated_from") or doc.get("severity"),
                "source": _source_words(doc.get("source")),
                "summary": doc.get("summary"),
                "session_id": doc.get("session_id"),
                "status": doc.get("status"),
                "closed_at": doc.get("closed_at"),
            }
        )
    elif h.kind == "outcomes":
        # His own answers (data/outcomes/<him>.json); a partner's live only in the partner store.
        docs = _read_docs(office, f, "answers") if h.whole_file else [doc]
        data["questionnaires_you_answered"].extend(
            d for d in docs if d.get("respondent", "man") == "man"
        )
    elif h.kind == "compliance":
        data["compliance"].append({"record": f.removesuffix(".json"), **doc})
    elif h.kind == "reports" and f.startswith("reports/engagement/"):
        # What the coordinator wrote about his engagement for his referrer's reports.
        data["engagement_summaries_for_your_referrer"].extend(_read_docs(office, f, "summaries"))
    elif h.kind == "casefile":
        held = read_store(office.stores.path(*f.split("/")))
        for table, key in (
            ("contacts", "agency_contacts"),
            ("children", "children"),
            ("notes", "case_notes"),
        ):
            data[key].extend(dict(d) for d in (held.get(table) or {}).values())
        for doc in (held.get("details") or {}).values():
            data["your_details"] = dict(doc.get("values") or {}) | dict(doc.get("monitoring") or {})
    elif h.kind == "notes":
        data["debrief_notes_mentioning_you"].append(
            {k: doc.get(k) for k in ("id", "session_id", "group_id", "date", "title", "status")}
        )


def _source_words(source):
    """How the export names where a flag came from; an unknown source is shown as stored."""
    return SOURCE_WORDS.get(source, source) if isinstance(source, str) else source


def _read_docs(office: Office, rel: str, table: str) -> list[dict]:
    data = read_store(office.stores.path(*rel.split("/")))
    return [dict(doc) for name, doc in rows(data) if name == table]


def _without(value, hidden: set[str | None]):
    """The export with every trace of a partner-sourced flag taken out (ids in lists, records
    pointing at one): its existence alone would tell him she spoke."""
    if not hidden:
        return value
    if isinstance(value, dict):
        if value.get("id") in hidden or value.get("flag_id") in hidden:
            return None
        out = {}
        for k, v in value.items():
            v2 = _without(v, hidden)
            if v2 is None and v is not None:
                continue
            out[k] = v2
        return out
    if isinstance(value, list):
        kept = [_without(v, hidden) for v in value if not (isinstance(v, str) and v in hidden)]
        return [v for v in kept if v is not None]
    if isinstance(value, str) and value in hidden:
        return None
    return value


def write_export(
    office: Office, participant_id: str, path: str | Path
) -> tuple[Path, Path, Export]:
    """Write FILE.json and FILE.html (readable by the owner only), with the letters kept for
    him in FILE-letters/, and audit it (no content)."""
    path = Path(path).expanduser()
    base = path.with_suffix("") if path.suffix.lower() in (".json", ".html", ".htm") else path
    json_path, html_path = base.with_name(base.name + ".json"), base.with_name(base.name + ".html")
    if not json_path.parent.is_dir():
        raise InvalidInput(f"folder {json_path.parent} does not exist")
    export = export_data(office, participant_id)
    atomic_write_text(
        json_path, json.dumps(export.data, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    atomic_write_text(html_path, export.html())
    _copy_letters(office, export, base.with_name(base.name + "-letters"))
    with office.stores.writing():
        office.audit("export", "subject_access", export.participant_id)
    return json_path, html_path, export


def _copy_letters(office: Office, export: Export, folder: Path) -> None:
    """Each letter kept for him, copied beside the export (a folder only the owner reads)."""
    kept = [
        office.path / str(letter["file"])
        for letter in export.data.get("letters", [])
        if letter.get("file") and (office.path / str(letter["file"])).is_file()
    ]
    if not kept:
        return
    ensure_private_dir(folder)
    for path in kept:
        atomic_write_bytes(folder / path.name, path.read_bytes())


# -- the readable copy ---------------------------------------------------------------------
SECTION_TITLES = {
    "participant": "Your record",
    "enrolments": "Groups you joined",
    "attendance": "Attendance",
    "checkins": "Check-ins",
    "corrections": "Corrections made to closed sessions",
    "unsaved_checkin_drafts": "Check-ins being written (not yet saved)",
    "one_to_one_sessions": "One-to-one sessions",
    "intake": "Intake and assessment",
    "flags": "Risk flags",
    "checkin_suggestions": "Risk suggestions from your check-ins",
    "compliance": "Compliance with the programme's rules and your order",
    "questionnaires_you_answered": "Questionnaires you answered",
    "debrief_notes_mentioning_you": "Debrief notes that mention you (the notes themselves "
    "are about the whole group)",
    "engagement_summaries_for_your_referrer": "What the coordinator wrote about your engagement "
    "for your referrer's reports",
    "your_details": "Your details",
    "agency_contacts": "Workers from other agencies involved with you",
    "children": "Your children",
    "case_notes": "Case notes written by staff",
    "letters": "Letters written to you or about you",
    "timeline": "Timeline of your time with the programme",
}


def _cell(value) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        return html.escape(", ".join(_plain(v) for v in value))
    if isinstance(value, dict):
        return html.escape(
            "; ".join(f"{k}: {_plain(v)}" for k, v in value.items() if v not in (None, "", []))
        )
    return html.escape(str(value))


def _plain(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def _table(rows: list[dict]) -> str:
    if not rows:
        return "<p>None held.</p>"
    columns: list[str] = []
    for r in rows:
        columns += [k for k in r if k not in columns]
    head = "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(r.get(c))}</td>" for c in columns) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(data: dict) -> str:
    about = data["about"]
    person = data["participant"]
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Records held about {html.escape(person.get('name', ''))}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid "
        "#999;padding:.25em .5em;"
        "vertical-align:top;text-align:left}th{background:#eee}</style></head><body>",
        f"<h1>Records held about {html.escape(person.get('name', ''))} "
        f"({html.escape(about['participant_id'])})</h1>",
        f"<p>{html.escape(about.get('programme') or '')}. Made "
        f"{html.escape(about['made_at'][:16].replace('T', ' '))}.</p>",
        f"<p>{html.escape(about['withheld'])}</p>",
    ]
    for key, title in SECTION_TITLES.items():
        rows = data.get(key)
        rows = [rows] if isinstance(rows, dict) else rows or []
        parts.append(f"<h2>{html.escape(title)}</h2>{_table(rows)}")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
