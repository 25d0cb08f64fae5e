"""Suggestions the scanner makes from check-ins, debrief notes and a man's own records (his
one-to-ones, case notes, children's records), kept for the facilitators to confirm as a flag or
dismiss with a reason.

    data/risk/suggestions/<group>/<year>/<date>.json   one group session's suggestions
    data/risk/individual_suggestions/<man>.json        one man's own records' suggestions: his
                                                       one-to-ones, his case notes, his children
    data/risk/suggestions/index-<year>.json            suggestion id → session
"""

from __future__ import annotations

import re

from facilitator.detector.categories import label, severity_rank
from facilitator.domain.checkin import CheckIn
from facilitator.domain.risk_flag import SEVERITIES, RiskFlag, Suggestion, check_categories, highest
from facilitator.domain.session import split_session_id
from facilitator.domain.values import check_choice, check_text_size, require_text
from facilitator.errors import InvalidInput, NotFound, Refused
from facilitator.services.core.office import Office
from facilitator.services.core.session_store import get_session
from facilitator.services.risk.flag_store import open_flags
from facilitator.services.risk.flags import create_flag
from facilitator.services.risk.settings import category_severities, current_time, detector_for
from facilitator.storage.stores import all_docs, get_doc, put_doc, safe_name

# Check-in answers that are themselves risk indicators (the detector errs towards flagging).
FORM_CATEGORIES = {
    "physical": "physical_violence",
    "sexual": "sexual_violence",
    "coercive_control": "controlling_behaviour",
    "economic": "economic_abuse",
    "harassment_stalking": "stalking",
    "towards_children": "child_safeguarding",
}
CIRCUMSTANCE_CATEGORIES = {"separation": "separation", "bail_or_order": "breach_of_order"}
# Circumstances that are only a risk together with disclosed abuse (a court date alone is not).
CIRCUMSTANCES_NEEDING_DISCLOSURE = ("bail_or_order",)


# A one-to-one's id: the man's id, "-O", its number (P0001-O3).
_ONE_TO_ONE = re.compile(r"^(?P<man>P\d+)-O\d+$", re.IGNORECASE)
# A record of his own that is scanned or prompts review like a one-to-one: a one-to-one (O), a
# case note (N) or a child's record in his case file (K): P0001-N4, P0001-K1.
_HIS_RECORD = re.compile(r"^(?P<man>P\d+)-[ONK]\d+$", re.IGNORECASE)
_MAN = re.compile(r"^P\d+$", re.IGNORECASE)


def is_one_to_one(session_id: str) -> bool:
    return bool(_ONE_TO_ONE.match((session_id or "").strip()))


def is_his_record(session_id: str) -> bool:
    """A suggestion kept in his own file rather than a group session's."""
    return bool(_HIS_RECORD.match((session_id or "").strip()))


# -- check-in suggestions ----------------------------------------------------------------------
def _suggestion_file(session_id: str) -> str:
    own = _HIS_RECORD.match(session_id.strip()) or _MAN.match(session_id.strip())
    if own:
        man = own["man"] if "man" in own.groupdict() else own[0]
        return f"risk/individual_suggestions/{man.upper()}.json"
    group, day = split_session_id(session_id)
    return f"risk/suggestions/{safe_name(group, 'group id')}/{day[:4]}/{day}.json"


def _session_key(office: Office, session_id: str) -> str:
    """The session's id as stored: a group session is looked up (NotFound if it is not held);
    a one-to-one's, a case note's or a child record's id is its own, and a man's id (P0001)
    stands for all of his own records."""
    if is_his_record(session_id) or _MAN.match((session_id or "").strip()):
        return session_id.strip().upper()
    return get_session(office, session_id).session.id


def _index_file(year: int | str) -> str:
    return f"risk/suggestions/index-{year}.json"


def _index_years(office: Office) -> list[int]:
    folder = office.stores.path("risk", "suggestions")
    if not folder.is_dir():
        return []
    years = [
        int(p.stem.removeprefix("index-"))
        for p in folder.glob("index-*.json")
        if p.stem.removeprefix("index-").isdigit()
    ]
    return sorted(years, reverse=True)


def list_suggestions(
    office: Office, session_id: str, pending_only: bool = False
) -> list[Suggestion]:
    """A session's suggestions: a group session's, one one-to-one's (P0001-O3), one case
    note's (P0001-N2), one child record's (P0001-K1), or all of a man's own records' (P0001)."""
    sid = _session_key(office, session_id)
    whole = bool(_MAN.match(sid))
    with office.stores.store(_suggestion_file(sid), "risk_suggestions") as db:
        found = [
            Suggestion.from_dict(d)
            for d in all_docs(db, "suggestions")
            if d["session_id"] == sid or whole
        ]
    found.sort(key=lambda s: (s.created_at, s.id))
    return [s for s in found if s.pending] if pending_only else found


def get_suggestion(office: Office, suggestion_id: str) -> Suggestion:
    key = (suggestion_id or "").strip().upper()
    for year in _index_years(office):
        with office.stores.store(_index_file(year), "risk_suggestion_index") as db:
            row = get_doc(db, "suggestions", key)
        if row:
            with office.stores.store(_suggestion_file(row["session_id"]), "risk_suggestions") as db:
                doc = get_doc(db, "suggestions", key)
            if doc:
                return Suggestion.from_dict(doc)
    raise NotFound(
        f"no risk suggestion with id '{suggestion_id}'",
        command="facilitator risk suggestions SESSION",
    )


def _scan_checkin(office: Office, checkin: CheckIn) -> tuple[list[str], str | None, list[dict]]:
    """Categories, severity and matched spans for a check-in: its words and its answers."""
    table = category_severities(office)
    matches = [
        {
            "category": i.category,
            "severity": i.severity,
            "match": i.match,
            "start": i.start,
            "end": i.end,
            "source": i.source,
            "words": list(i.words),
        }
        for i in _scan_text(office, checkin.text_for_scanning())
    ]
    cats = [m["category"] for m in matches]
    if checkin.disclosed == "yes":
        for form in checkin.forms:
            if form in FORM_CATEGORIES:
                cats.append(FORM_CATEGORIES[form])
                matches.append(
                    {
                        "category": FORM_CATEGORIES[form],
                        "severity": table[FORM_CATEGORIES[form]],
                        "match": f"check-in answer: {form}",
                        "start": None,
                        "end": None,
                        "source": "answer",
                        "words": [form],
                    }
                )
    for change in checkin.circumstance_changes:
        cat = CIRCUMSTANCE_CATEGORIES.get(change)
        if cat and (change not in CIRCUMSTANCES_NEEDING_DISCLOSURE or checkin.disclosed == "yes"):
            cats.append(cat)
            matches.append(
                {
                    "category": cat,
                    "severity": table[cat],
                    "match": f"circumstance: {change}",
                    "start": None,
                    "end": None,
                    "source": "circumstance",
                    "words": [change],
                }
            )
    unique = list(dict.fromkeys(c for c in cats if c in table))
    return unique, highest(table[c] for c in unique), matches


def _scan_text(office: Office, text: str) -> list:
    return list(detector_for(office).scan(text).indicators) if text.strip() else []


def suggest_from_checkin(office: Office, session_id: str, checkin: CheckIn) -> Suggestion | None:
    """Scan a recorded check-in and keep a suggestion for the facilitators to confirm or dismiss.

    A check-in recorded again updates his pending suggestion; what was already confirmed or
    dismissed is not suggested twice.
    """
    cats, severity, matches = _scan_checkin(office, checkin)
    if not cats:
        return None

    sid = get_session(office, session_id).session.id
    with office.stores.writing():
        return keep_suggestion(office, sid, checkin, cats, severity, matches)


def scan_and_keep(office: Office, session_id: str, checkin: CheckIn) -> Suggestion | None:
    """As suggest_from_checkin, for a caller that already holds the workspace lock (recording
    the check-in and keeping its suggestion are one unit of work)."""
    cats, severity, matches = _scan_checkin(office, checkin)
    if not cats:
        return None
    return keep_suggestion(office, session_id, checkin, cats, severity, matches)


def keep_suggestion(
    office: Office,
    sid: str,
    checkin: CheckIn,
    cats: list[str],
    severity: str | None,
    matches: list[dict],
) -> Suggestion | None:
    """Caller holds the lock."""
    return keep_for(office, sid, checkin.participant_id, cats, severity, matches)


def keep_for(
    office: Office,
    sid: str,
    pid: str,
    cats: list[str],
    severity: str | None,
    matches: list[dict],
    again: bool = False,
) -> Suggestion | None:
    """Keep (or add to) his pending suggestion for one session or record. Categories already
    decided for it are not suggested twice, unless `again`: a new event in the same record (a
    second change to a child's contact) is put to review afresh. Caller holds the lock."""
    with office.stores.store(_suggestion_file(sid), "risk_suggestions", write=True) as db:
        his = [
            Suggestion.from_dict(d)
            for d in all_docs(db, "suggestions")
            if d["participant_id"] == pid and d["session_id"] == sid
        ]
        pending = next((s for s in his if s.pending), None)
        decided = {c for s in his if not s.pending for c in s.categories}
        if pending is None and set(cats) <= decided and not again:
            return None
        if pending is not None:
            merged = list(dict.fromkeys(pending.categories + cats))
            pending.categories = merged
            pending.severity = (
                highest(category_severities(office)[c] for c in merged)
                or severity
                or pending.severity
            )
            seen = {(m["category"], m["match"]) for m in pending.matches}
            pending.matches += [m for m in matches if (m["category"], m["match"]) not in seen]
            suggestion, action = pending, "update"
        else:
            suggestion = Suggestion(
                id=office.stores.next_id("S"),
                session_id=sid,
                participant_id=pid,
                categories=cats,
                severity=severity or "medium",
                matches=matches,
                created_at=current_time().isoformat(),
            )
            action = "suggest"
        put_doc(db, "suggestions", suggestion.to_dict())
    if action == "suggest":
        year = suggestion.created_at[:4] if is_his_record(sid) else split_session_id(sid)[1][:4]
        with office.stores.store(_index_file(year), "risk_suggestion_index", write=True) as db:
            put_doc(db, "suggestions", {"id": suggestion.id, "session_id": sid})
    office.audit(
        action,
        "risk_suggestion",
        suggestion.id,
        session=sid,
        participant=pid,
        severity=suggestion.severity,
        categories=",".join(suggestion.categories),
    )
    return suggestion


def suggest_from_one_to_one(
    office: Office, session_id: str, checkin: CheckIn, flagged: list[str] | None = None
) -> Suggestion | None:
    """A one-to-one's check-in is scanned and queued as a group check-in's is; categories the
    worker flagged in the same record are not suggested again. Caller holds the lock."""
    cats, _, matches = _scan_checkin(office, checkin)
    left = [c for c in cats if c not in (flagged or [])]
    if not left:
        return None
    table = category_severities(office)
    kept = [m for m in matches if m["category"] in left]
    return keep_suggestion(office, session_id, checkin, left, highest(table[c] for c in left), kept)


def scan_matches(office: Office, text: str) -> list[dict]:
    """What the scanner finds in free text (a case note), as a check-in's words are read."""
    return [
        {
            "category": i.category,
            "severity": i.severity,
            "match": i.match,
            "start": i.start,
            "end": i.end,
            "source": "text",
            "words": list(i.words),
        }
        for i in _scan_text(office, text)
    ]


def suggest_for_record(
    office: Office, record_id: str, participant_id: str, matches: list[dict], again: bool = False
) -> Suggestion | None:
    """Queue for review what a record of his own shows (a case note's words, a child's new
    plan): one pending suggestion per record, confirmed or dismissed as a check-in's is.
    Caller holds the lock."""
    if not is_his_record(record_id):
        raise InvalidInput(f"'{record_id}' is not a record of a man's own")
    table = category_severities(office)
    kept = [m for m in matches if m["category"] in table]
    cats = list(dict.fromkeys(m["category"] for m in kept))
    if not cats:
        return None
    return keep_for(
        office,
        record_id.strip().upper(),
        participant_id,
        cats,
        highest(table[c] for c in cats),
        kept,
        again,
    )


def pending_for(office: Office, session_id: str, participant_id: str) -> Suggestion | None:
    """His suggestion in this session or record that waits for a decision, if any."""
    return next(
        (
            s
            for s in list_suggestions(office, session_id, pending_only=True)
            if s.participant_id == participant_id
        ),
        None,
    )


def waiting_for_review(office: Office) -> list[Suggestion]:
    """Every suggestion that waits for a decision, from group sessions (check-ins and debriefs)
    and from men's own records (one-to-ones, case notes, children's records), oldest first.
    It reads every suggestion file: for the office's review list, not for the room."""
    root = office.stores.path()
    files = sorted(office.stores.path("risk", "suggestions").glob("*/*/*.json"))
    files += sorted(office.stores.path("risk", "individual_suggestions").glob("*.json"))
    found: list[Suggestion] = []
    for path in files:
        relative = path.relative_to(root).as_posix()
        with office.stores.store(relative, "risk_suggestions") as db:
            found += [
                Suggestion.from_dict(d)
                for d in all_docs(db, "suggestions")
                if d.get("status") == "pending"
            ]
    return sorted(found, key=lambda s: (s.created_at, s.id))


def where_from(s: Suggestion) -> str:
    """Where a suggestion came from, in words: "check-in in G1-2026-11-24", "case note
    P0001-N2"; a group session's that its debrief raised says so."""
    if is_his_record(s.session_id):
        return f"{_source_words(s.session_id)} {s.session_id}".replace("check-in in", "one-to-one")
    what = "debrief of" if _from_debrief_only(s) else "check-in in"
    return f"{what} {s.session_id}"


def suggest_from_debrief(
    office: Office, session_id: str, participant_id: str, matches: list[dict]
) -> Suggestion | None:
    """Queue what a session's debrief says of one man with his check-in's suggestions for that
    session: the same review, the same pending suggestion while one waits. Caller holds the
    lock."""
    table = category_severities(office)
    kept = [m | {"source": "debrief"} for m in matches if m["category"] in table]
    cats = list(dict.fromkeys(m["category"] for m in kept))
    if not cats:
        return None
    sid = get_session(office, session_id).session.id
    return keep_for(office, sid, participant_id, cats, highest(table[c] for c in cats), kept)


def settle_from_debrief(
    office: Office,
    session_id: str,
    participant_id: str,
    flagged: dict[str, str],
    dismissed: dict[str, str],
) -> Suggestion | None:
    """The facilitators decided a debrief's indicators for him as they signed (`flagged`:
    category -> flag id, `dismissed`: category -> reason): his pending suggestion in that
    session is decided with them once every category in it has its decision, so the queue does
    not ask again what the note already answered. Caller holds the lock."""
    s = pending_for(office, session_id, participant_id)
    if s is None:
        return None
    raised = {
        c: f.id
        for f in open_flags(office)
        if f.participant_id == participant_id
        and f.session_id == s.session_id
        and f.source != "partner_contact"
        for c in f.categories
    } | flagged
    if not set(s.categories) <= set(raised) | set(dismissed):
        return None
    flag_ids = [raised[c] for c in s.categories if c in raised]
    left_out = [c for c in s.categories if c not in raised]
    reason = "; ".join(dict.fromkeys(dismissed[c] for c in left_out))
    if flag_ids:
        _decide(office, s, "confirmed", reason=reason, flag_id=flag_ids[0], not_flagged=left_out)
        office.audit("confirm", "risk_suggestion", s.id, flag=flag_ids[0], via="debrief")
    else:
        _decide(office, s, "dismissed", reason=reason)
        office.audit("dismiss", "risk_suggestion", s.id, via="debrief")
    return s


def checkin_indicators(office: Office, checkin: CheckIn) -> list[dict]:
    """What the scanner finds in a check-in as it is being written, as the saved one will be
    scanned: one indicator per category (its first match), most severe first."""
    table = category_severities(office)
    first: dict[str, dict] = {}
    for m in _scan_checkin(office, checkin)[2]:
        if m["category"] in table:
            first.setdefault(m["category"], {**m, "severity": table[m["category"]]})
    return sorted(first.values(), key=lambda m: -severity_rank(m["severity"]))


def _decide(
    office: Office,
    suggestion: Suggestion,
    status: str,
    reason: str = "",
    flag_id: str = "",
    not_flagged: list[str] | None = None,
) -> Suggestion:
    """Caller holds the lock."""
    suggestion.not_flagged = list(not_flagged or [])
    suggestion.status = status
    suggestion.decided_by = office.user
    suggestion.decided_at = current_time().isoformat()
    suggestion.reason = reason
    suggestion.flag_id = flag_id
    with office.stores.store(
        _suggestion_file(suggestion.session_id), "risk_suggestions", write=True
    ) as db:
        put_doc(db, "suggestions", suggestion.to_dict())
    return suggestion


def _require_pending(suggestion: Suggestion) -> None:
    if not suggestion.pending:
        what = (
            f"confirmed as flag {suggestion.flag_id}"
            if suggestion.status == "confirmed"
            else "dismissed"
        )
        raise Refused(f"suggestion {suggestion.id} was already {what}")


def confirm_suggestion(
    office: Office,
    suggestion_id: str,
    summary: str | None = None,
    categories: list[str] | None = None,
    severity: str | None = None,
    reason: str | None = None,
) -> RiskFlag:
    """Turn a check-in suggestion into a flag. The facilitator may add categories or leave some
    out; each suggested category left out is a decision like a dismissal, so it needs a reason,
    and both are kept with the suggestion."""
    check_text_size(summary, "flag summary")
    check_text_size(reason, "reason")
    known = category_severities(office)
    cats = check_categories(categories, known) if categories else None
    if severity:
        severity = check_choice(severity, SEVERITIES, "severity")
    with office.stores.writing():
        s = get_suggestion(office, suggestion_id)
        _require_pending(s)
        cats = cats or list(s.categories)
        left_out = [c for c in s.categories if c not in cats]
        reason = (reason or "").strip()
        if left_out and not reason:
            raise InvalidInput(
                f"{', '.join(left_out)} was suggested for {s.participant_id} and is not in "
                "the flag: "
                f"give the reason it is not a risk (--reason), as for a dismissal"
            )
        text = (
            (summary or "").strip()
            or _checkin_summary(office, s)
            or (
                f"Suggested from the {_source_words(s.session_id)} {s.session_id}: {', '.join(cats)}"
            )
        )
        flag = next((f for f in open_flags(office) if f.suggestion_id == s.id), None)
        if flag is None:  # not already made by a confirm that was interrupted
            flag = create_flag(
                office,
                participant_id=s.participant_id,
                categories=cats,
                summary=text,
                source="debrief" if _from_debrief_only(s) else "checkin",
                severity=severity,
                session_id=s.session_id,
                suggestion_id=s.id,
            )
        _decide(
            office,
            s,
            "confirmed",
            flag_id=flag.id,
            reason=reason if left_out else "",
            not_flagged=left_out,
        )
        extra = {"not_flagged": ",".join(left_out)} if left_out else {}
        office.audit("confirm", "risk_suggestion", s.id, flag=flag.id, **extra)
    return flag


def _source_words(record_id: str) -> str:
    """What a suggestion's record is, in words: a case note, a child's record, a one-to-one's
    check-in or a group session's."""
    own = _HIS_RECORD.match((record_id or "").strip())
    letter = own[0].split("-")[-1][:1].upper() if own else ""
    return {"N": "case note", "K": "child's record", "O": "check-in in"}.get(letter, "check-in in")


def _from_debrief_only(s: Suggestion) -> bool:
    return bool(s.matches) and all(m.get("source") == "debrief" for m in s.matches)


def _checkin_summary(office: Office, s: Suggestion) -> str:
    if is_his_record(s.session_id):
        return ""  # the record is groupwork's or his case file's; the flag says where it came from
    if _from_debrief_only(s):
        return f"From the debrief of {s.session_id}: {s.matches[0]['match']}"

    checkin = get_session(office, s.session_id).checkins.get(s.participant_id)
    return checkin.summary.strip() if checkin else ""


def dismiss_suggestion(office: Office, suggestion_id: str, reason: str) -> Suggestion:
    """Dismiss a suggestion; the reason is kept with it (a dismissal is a decision, recorded)."""
    reason = check_text_size(require_text(reason, "the reason for dismissing (--reason)"), "reason")
    with office.stores.writing():
        s = get_suggestion(office, suggestion_id)
        _require_pending(s)
        _decide(office, s, "dismissed", reason=reason)
        office.audit("dismiss", "risk_suggestion", s.id)
    return s


def pending_suggestions(office: Office, record) -> list[str]:
    """Hook for closing a session: suggestions nobody has confirmed or dismissed yet."""
    sid = record.session.id
    with office.stores.store(_suggestion_file(sid), "risk_suggestions") as db:
        pending = [
            Suggestion.from_dict(d)
            for d in all_docs(db, "suggestions")
            if d.get("status") == "pending"
        ]
    return [
        f"{s.participant_id}: a risk suggestion ({', '.join(label(c) for c in s.categories)}) "
        f"is not confirmed or dismissed yet (suggestion {s.id})"
        for s in sorted(pending, key=lambda s: s.id)
    ]


def suggestions_for(office: Office, session_id: str, participant_id: str) -> list[Suggestion]:
    """His suggestions in this session, pending and decided."""
    return [s for s in list_suggestions(office, session_id) if s.participant_id == participant_id]
