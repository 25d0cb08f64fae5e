"""Risk flags and the review queue (issue 5, DESIGN §3.3 and §6).

Public API (the CLI, the TUI, intake, partner support and the foundation's hooks call these):

Flags
    raise_flag(office, participant_id, categories, summary, severity=None, session_id=None,
               source="hand") -> RiskFlag           by hand (or "debrief"); severity defaults to
                                                    the highest default of its categories
    raise_partner_concern(office, participant_id, category, severity=None) -> RiskFlag
                                                    for partner support: carries only category,
                                                    severity and "source: partner contact"
    review_flag(office, flag_id, actions, note="") -> RiskFlag     open/in_review → in_review
    close_flag(office, flag_id, outcome) -> RiskFlag              → closed (close rules apply)
    get_flag(office, flag_id) -> RiskFlag
    list_flags(office, status="open") -> list[RiskFlag]   open (incl. in review) | overdue |
                                                    closed | all; sorted by deadline
    flag_view(office, flag, now=None) -> dict        the flag as shown: + overdue, participant
                                                    name, source label
    queue_counts(office) -> {"open": n, "overdue": n, "critical": n}   (home screen)
    is_overdue(flag, now)                            (re-exported from the domain)

Check-in suggestions
    suggest_from_checkin(office, session_id, checkin) -> Suggestion | None
    suggestions_for_checkin(office, session_id, checkin) -> list[str]   (hook: lines to print)
    list_suggestions(office, session_id, pending_only=False) -> list[Suggestion]
    get_suggestion(office, suggestion_id) -> Suggestion
    confirm_suggestion(office, suggestion_id, summary=None, categories=None, severity=None, reason=None)
        -> RiskFlag                                  the suggestion is kept as confirmed; a
                                                     suggested category left out needs a reason
    dismiss_suggestion(office, suggestion_id, reason) -> Suggestion      kept with its reason
    pending_suggestions(office, record) -> list[str]   (hook: what blocks closing a session)

Re-assessment
    record_assessment(office, participant_id, day, level) -> Assessment   (intake calls this)
    reassessment_due(office) -> list[DueAssessment]  men past their interval (setting
                                                    risk.reassessment_weeks) or flagged since

Demo
    build_demo(office, context)

Stores (small writes; none grows with the whole history):
    data/risk/open.json                    flags not yet closed (the live queue)
    data/risk/closed/<yyyy-mm>.json        closed flags, by the month they were closed
    data/risk/men/<participant>.json       each man's flags as the escalation rules need them
    data/risk/suggestions/<group>/<year>/<date>.json   one session's suggestions
    data/risk/suggestions/index-<year>.json            suggestion id → session
    data/risk/assessments.json             each man's risk assessments
Every change is audited with ids and short codes only, never words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from facilitator import clock
from facilitator.domain.checkin import CheckIn
from facilitator.domain.risk_flag import (
    ACTIONS,
    LIST_FILTERS,
    PARTNER_SUMMARY,
    SEVERITIES,
    SOURCE_LABELS,
    Assessment,
    Review,
    FlagHistory,
    RiskFlag,
    Suggestion,
    check_categories,
    check_close,
    check_review,
    deadline_for,
    escalate,
    highest,
    is_overdue,
    open_rank,
)
from facilitator.domain.session import split_session_id
from facilitator.domain.values import check_choice, parse_date, require_text
from facilitator.errors import InvalidInput, NotFound, Refused
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant, list_participants
from facilitator.storage.stores import all_docs, get_doc, put_doc, remove_doc, safe_name

__all__ = [
    "ACTIONS", "LIST_FILTERS", "SEVERITIES", "RiskFlag", "Suggestion", "Assessment", "DueAssessment",
    "raise_flag", "raise_partner_concern", "review_flag", "close_flag", "get_flag", "list_flags",
    "flag_view", "queue_counts", "is_overdue", "suggest_from_checkin", "suggestions_for_checkin",
    "list_suggestions", "get_suggestion", "confirm_suggestion", "dismiss_suggestion",
    "pending_suggestions", "record_assessment", "reassessment_due", "build_demo", "category_severities",
    "detector_for",
]

OPEN_STORE = "risk/open.json"
ASSESSMENT_STORE = "risk/assessments.json"
HAND_SOURCES = ("hand", "debrief", "checkin")  # partner_contact only through raise_partner_concern

# Check-in answers that are themselves risk indicators (errs towards flagging, DESIGN §6).
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


# -- settings and categories ------------------------------------------------------------------
def detector_for(office: Office):
    """The scanner with this workspace's rules (its risk_rules.toml, if any) and the severities
    its settings give (risk.severity: {category: severity})."""
    from facilitator.detector import detector_for_workspace

    return detector_for_workspace(office.path, office.setting("risk.severity", {}) or {})


def category_severities(office: Office | None = None) -> dict[str, str]:
    """Category id → severity in force: the rules' severities with the workspace's settings."""
    if office is None:
        from facilitator.detector.categories import DEFAULT_SEVERITIES

        return dict(DEFAULT_SEVERITIES)
    return {cat_id: r.severity for cat_id, r in detector_for(office).rules.categories.items()}


def _deadline_hours(office: Office) -> dict:
    return office.setting("risk.deadline_hours", {"critical": 0, "high": 24, "medium": 168})


def _working_day_severities(office: Office) -> list[str]:
    return list(office.setting("risk.working_day_severities", ["high"]))


def _cluster_window_days(office: Office) -> int:
    return int(office.setting("risk.cluster_window_days", 180))


def _now() -> datetime:
    return clock.now()


# -- flag stores -------------------------------------------------------------------------------
# Closing takes three small writes, in an order that a crash at any point leaves readable:
# (1) the closed flag replaces the live one in open.json, (2) it is added to its month's closed
# file, (3) it leaves open.json. A flag found in both places is the same closed flag.
def _closed_store(month: str) -> str:
    return f"risk/closed/{month}.json"


def _closed_months(office: Office) -> list[str]:
    folder = office.stores.path("risk", "closed")
    if not folder.is_dir():
        return []
    return sorted((p.stem for p in folder.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9].json")), reverse=True)


def _man_store(participant_id: str) -> str:
    return f"risk/men/{safe_name(participant_id, 'participant id')}.json"


def _open_flags(office: Office) -> list[RiskFlag]:
    with office.stores.store(OPEN_STORE, "risk_open") as db:
        return [RiskFlag.from_dict(d) for d in all_docs(db, "flags")]


def _closed_flags(office: Office) -> list[RiskFlag]:
    seen: dict[str, RiskFlag] = {}
    for month in _closed_months(office):
        with office.stores.store(_closed_store(month), "risk_closed") as db:
            for d in all_docs(db, "flags"):
                seen.setdefault(d["id"], RiskFlag.from_dict(d))
    # A close interrupted after step (1) has its closed copy only in open.json.
    for f in _open_flags(office):
        if f.is_closed:
            seen.setdefault(f.id, f)
    return list(seen.values())


def _all_flags(office: Office) -> list[RiskFlag]:
    closed = _closed_flags(office)
    ids = {f.id for f in closed}
    return closed + [f for f in _open_flags(office) if f.id not in ids]


def _flag_key(flag_id: str) -> str:
    return (flag_id or "").strip().upper()


def get_flag(office: Office, flag_id: str) -> RiskFlag:
    key = _flag_key(flag_id)
    with office.stores.store(OPEN_STORE, "risk_open") as db:
        doc = get_doc(db, "flags", key)
    if doc:
        return RiskFlag.from_dict(doc)
    # Closed flags: look for the id in the raw files first, and parse only the one that has it.
    needle = f'"id":"{key}"'.encode()
    for month in _closed_months(office):
        path = office.stores.path("risk", "closed", f"{month}.json")
        if needle in path.read_bytes():
            with office.stores.store(_closed_store(month), "risk_closed") as db:
                doc = get_doc(db, "flags", key)
            if doc:
                return RiskFlag.from_dict(doc)
    raise NotFound(f"no risk flag with id '{flag_id}' (see `facilitator risk list --status all`)")


def _save_open(office: Office, flag: RiskFlag) -> None:
    with office.stores.store(OPEN_STORE, "risk_open", write=True) as db:
        put_doc(db, "flags", flag.to_dict())


def _save_history(office: Office, flag: RiskFlag) -> None:
    """Keep the man's own record of his flags up to date (what escalation reads)."""
    with office.stores.store(_man_store(flag.participant_id), "risk_man", write=True) as db:
        put_doc(db, "flags", FlagHistory.of(flag).to_dict())


def _history(office: Office, participant_id: str) -> list[FlagHistory]:
    with office.stores.store(_man_store(participant_id), "risk_man") as db:
        return [FlagHistory.from_dict(d) for d in all_docs(db, "flags")]


def list_flags(office: Office, status: str = "open", now: datetime | None = None) -> list[RiskFlag]:
    """Flags in queue order (deadline first). open = not yet closed, in review included."""
    status = check_choice(status or "open", LIST_FILTERS, "flag list status")
    now = now or _now()
    if status in ("open", "overdue"):
        flags = [f for f in _open_flags(office) if not f.is_closed]
        if status == "overdue":
            flags = [f for f in flags if is_overdue(f, now)]
    elif status == "closed":
        flags = _closed_flags(office)
    else:
        flags = _all_flags(office)
    return sorted(flags, key=open_rank)


def queue_counts(office: Office) -> dict[str, int]:
    """What the home screen shows: open flags, how many are overdue, how many are critical."""
    now = _now()
    flags = [f for f in _open_flags(office) if not f.is_closed]
    return {
        "open": len(flags),
        "overdue": sum(1 for f in flags if is_overdue(f, now)),
        "critical": sum(1 for f in flags if f.severity == "critical"),
    }


def flag_view(office: Office, flag: RiskFlag, now: datetime | None = None) -> dict:
    now = now or _now()
    try:
        name = get_participant(office, flag.participant_id).name
    except NotFound:
        name = ""
    return {
        **flag.to_dict(),
        "participant_name": name,
        "source_label": SOURCE_LABELS[flag.source],
        "overdue": is_overdue(flag, now),
        "actions_taken": flag.actions_taken,
    }


# -- raising -----------------------------------------------------------------------------------
def _default_severity(office: Office, categories: list[str]) -> str:
    table = category_severities(office)
    return highest(table[c] for c in categories) or "medium"


def _create_flag(
    office: Office,
    *,
    participant_id: str,
    categories: list[str],
    summary: str,
    source: str,
    severity: str | None = None,
    session_id: str = "",
    suggestion_id: str = "",
    raised_by: str | None = None,
    at: datetime | None = None,
) -> RiskFlag:
    """Caller holds the lock and has checked the participant, categories and session."""
    at = at or _now()
    given = check_choice(severity, SEVERITIES, "severity") if severity else _default_severity(office, categories)
    final, markers = escalate(categories, given, at, _history(office, participant_id), _cluster_window_days(office))
    deadline = deadline_for(final, at, _deadline_hours(office), _working_day_severities(office))
    flag = RiskFlag(
        id=office.stores.next_id("F"),
        participant_id=participant_id,
        categories=categories,
        severity=final,
        summary=summary,
        source=source,
        raised_by=raised_by or office.user,
        raised_at=at.isoformat(),
        deadline=deadline.isoformat(),
        session_id=session_id,
        markers=markers,
        escalated_from=given if final != given else "",
        suggestion_id=suggestion_id,
    )
    _save_open(office, flag)
    _save_history(office, flag)
    office.audit("raise", "risk_flag", flag.id, participant=participant_id, source=source,
                 severity=flag.severity, categories=",".join(categories))
    return flag


def _check_session(office: Office, session_id: str | None) -> str:
    if not session_id:
        return ""
    from facilitator.services.groupwork.sessions import get_session

    return get_session(office, session_id).session.id


def raise_flag(
    office: Office,
    participant_id: str,
    categories: list[str],
    summary: str,
    severity: str | None = None,
    session_id: str | None = None,
    source: str = "hand",
    at: datetime | None = None,
) -> RiskFlag:
    """A flag raised by a member of staff: by hand at any moment, or from a debrief."""
    source = check_choice(source, HAND_SOURCES, "flag source")
    cats = check_categories(categories, category_severities(office))
    summary = require_text(summary, "flag summary (--summary)")
    if severity:
        severity = check_choice(severity, SEVERITIES, "severity")
    person = get_participant(office, participant_id)
    sid = _check_session(office, session_id)
    with office.stores.writing():
        return _create_flag(office, participant_id=person.id, categories=cats, summary=summary,
                            source=source, severity=severity, session_id=sid, at=at)


def raise_partner_concern(office: Office, participant_id: str, category: str, severity: str | None = None) -> RiskFlag:
    """A concern from partner support reaches the queue as category, severity and source only.

    Deliberately takes no text: nothing the partner said can travel through this call. Bad
    values are refused without repeating them, in case words were typed into a field.
    """
    office.require_role("partner_support", doing="raise a risk concern from partner contact")
    known = category_severities(office)
    cat = str(category or "").strip().lower().replace("-", "_").replace(" ", "_")
    if cat not in known:
        raise InvalidInput(f"unknown risk category: choose one of {', '.join(known)}")
    if severity is not None:
        sev = str(severity).strip().lower()
        if sev not in SEVERITIES:
            raise InvalidInput(f"unknown severity: choose one of {', '.join(SEVERITIES)}")
        severity = sev
    person = get_participant(office, participant_id)
    with office.stores.writing():
        return _create_flag(office, participant_id=person.id, categories=[cat], summary=PARTNER_SUMMARY,
                            source="partner_contact", severity=severity, raised_by="partner_support")


# -- review and close --------------------------------------------------------------------------
def review_flag(office: Office, flag_id: str, actions: list[str], note: str = "", at: datetime | None = None) -> RiskFlag:
    """Record what the reviewer did; the flag moves to in review."""
    with office.stores.writing():
        flag = get_flag(office, flag_id)
        chosen = check_review(flag, actions, note)
        at = at or _now()
        flag.reviews.append(Review(at=at.isoformat(), by=office.user, actions=chosen, note=(note or "").strip()).to_dict())
        flag.status = "in_review"
        _save_open(office, flag)
        if "marac_referral" in chosen:
            _save_history(office, flag)
        office.audit("review", "risk_flag", flag.id, actions=",".join(chosen), status=flag.status)
    return flag


def close_flag(office: Office, flag_id: str, outcome: str, at: datetime | None = None) -> RiskFlag:
    """Close a reviewed flag with its outcome; it leaves the live queue for the year's closed store."""
    with office.stores.writing():
        flag = get_flag(office, flag_id)
        flag.outcome = check_close(flag, outcome)
        at = at or _now()
        flag.status = "closed"
        flag.closed_by = office.user
        flag.closed_at = at.isoformat()
        _save_open(office, flag)  # (1): see "flag stores" above
        with office.stores.store(_closed_store(at.strftime("%Y-%m")), "risk_closed", write=True) as db:
            put_doc(db, "flags", flag.to_dict())
        with office.stores.store(OPEN_STORE, "risk_open", write=True) as db:
            remove_doc(db, "flags", flag.id)
        office.audit("close", "risk_flag", flag.id, status="closed")
    return flag


# -- check-in suggestions ----------------------------------------------------------------------
def _suggestion_file(session_id: str) -> str:
    group, day = split_session_id(session_id)
    return f"risk/suggestions/{safe_name(group, 'group id')}/{day[:4]}/{day}.json"


def _index_file(year: int | str) -> str:
    return f"risk/suggestions/index-{year}.json"


def _index_years(office: Office) -> list[int]:
    folder = office.stores.path("risk", "suggestions")
    if not folder.is_dir():
        return []
    years = [int(p.stem.removeprefix("index-")) for p in folder.glob("index-*.json")
             if p.stem.removeprefix("index-").isdigit()]
    return sorted(years, reverse=True)


def list_suggestions(office: Office, session_id: str, pending_only: bool = False) -> list[Suggestion]:
    from facilitator.services.groupwork.sessions import get_session

    sid = get_session(office, session_id).session.id
    with office.stores.store(_suggestion_file(sid), "risk_suggestions") as db:
        found = [Suggestion.from_dict(d) for d in all_docs(db, "suggestions")]
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
    raise NotFound(f"no risk suggestion with id '{suggestion_id}' (see `facilitator risk suggestions SESSION`)")


def _scan_checkin(office: Office, checkin: CheckIn) -> tuple[list[str], str | None, list[dict]]:
    """Categories, severity and matched spans for a check-in: its words and its answers."""
    table = category_severities(office)
    matches = [
        {"category": i.category, "severity": i.severity, "match": i.match,
         "start": i.start, "end": i.end}
        for i in _scan_text(office, checkin.text_for_scanning())
    ]
    cats = [m["category"] for m in matches]
    if checkin.disclosed == "yes":
        for form in checkin.forms:
            if form in FORM_CATEGORIES:
                cats.append(FORM_CATEGORIES[form])
                matches.append({"category": FORM_CATEGORIES[form], "severity": table[FORM_CATEGORIES[form]],
                                "match": f"check-in answer: {form}", "start": None, "end": None})
    for change in checkin.circumstance_changes:
        cat = CIRCUMSTANCE_CATEGORIES.get(change)
        if cat and (change not in CIRCUMSTANCES_NEEDING_DISCLOSURE or checkin.disclosed == "yes"):
            cats.append(cat)
            matches.append({"category": cat, "severity": table[cat], "match": f"circumstance: {change}",
                            "start": None, "end": None})
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
    from facilitator.services.groupwork.sessions import get_session

    sid = get_session(office, session_id).session.id
    pid = checkin.participant_id
    with office.stores.writing():
        with office.stores.store(_suggestion_file(sid), "risk_suggestions", write=True) as db:
            his = [Suggestion.from_dict(d) for d in all_docs(db, "suggestions") if d["participant_id"] == pid]
            pending = next((s for s in his if s.pending), None)
            decided = {c for s in his if not s.pending for c in s.categories}
            if pending is None and set(cats) <= decided:
                return None
            if pending is not None:
                merged = list(dict.fromkeys(pending.categories + cats))
                pending.categories = merged
                pending.severity = highest(category_severities(office)[c] for c in merged) or severity
                seen = {(m["category"], m["match"]) for m in pending.matches}
                pending.matches += [m for m in matches if (m["category"], m["match"]) not in seen]
                suggestion, action = pending, "update"
            else:
                suggestion = Suggestion(id=office.stores.next_id("S"), session_id=sid, participant_id=pid,
                                        categories=cats, severity=severity or "medium", matches=matches,
                                        created_at=_now().isoformat())
                action = "suggest"
            put_doc(db, "suggestions", suggestion.to_dict())
        if action == "suggest":
            with office.stores.store(_index_file(split_session_id(sid)[1][:4]), "risk_suggestion_index", write=True) as db:
                put_doc(db, "suggestions", {"id": suggestion.id, "session_id": sid})
        office.audit(action, "risk_suggestion", suggestion.id, session=sid, participant=pid,
                     severity=suggestion.severity, categories=",".join(suggestion.categories))
    return suggestion


def suggestions_for_checkin(office: Office, session_id: str, checkin: CheckIn) -> list[str]:
    """Hook for `checkin record`: the lines telling the facilitator what to confirm or dismiss."""
    s = suggest_from_checkin(office, session_id, checkin)
    if s is None:
        return []
    return [
        f"risk: suggested flag {s.id} for {s.participant_id}: {', '.join(s.categories)} ({s.severity})",
        f"  confirm: facilitator risk confirm {s.id}   dismiss: facilitator risk dismiss {s.id} --reason \"...\"",
    ]


def _decide(office: Office, suggestion: Suggestion, status: str, reason: str = "", flag_id: str = "",
            not_flagged: list[str] | None = None) -> Suggestion:
    """Caller holds the lock."""
    suggestion.not_flagged = list(not_flagged or [])
    suggestion.status = status
    suggestion.decided_by = office.user
    suggestion.decided_at = _now().isoformat()
    suggestion.reason = reason
    suggestion.flag_id = flag_id
    with office.stores.store(_suggestion_file(suggestion.session_id), "risk_suggestions", write=True) as db:
        put_doc(db, "suggestions", suggestion.to_dict())
    return suggestion


def _require_pending(suggestion: Suggestion) -> None:
    if not suggestion.pending:
        what = f"confirmed as flag {suggestion.flag_id}" if suggestion.status == "confirmed" else "dismissed"
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
            raise InvalidInput(f"{', '.join(left_out)} was suggested for {s.participant_id} and is not in the flag: "
                               f"give the reason it is not a risk (--reason), as for a dismissal")
        text = (summary or "").strip() or _checkin_summary(office, s) or (
            f"Suggested from the check-in in {s.session_id}: {', '.join(cats)}")
        flag = next((f for f in _open_flags(office) if f.suggestion_id == s.id), None)
        if flag is None:  # not already made by a confirm that was interrupted
            flag = _create_flag(office, participant_id=s.participant_id, categories=cats, summary=text,
                                source="checkin", severity=severity, session_id=s.session_id, suggestion_id=s.id)
        _decide(office, s, "confirmed", flag_id=flag.id, reason=reason if left_out else "", not_flagged=left_out)
        extra = {"not_flagged": ",".join(left_out)} if left_out else {}
        office.audit("confirm", "risk_suggestion", s.id, flag=flag.id, **extra)
    return flag


def _checkin_summary(office: Office, s: Suggestion) -> str:
    from facilitator.services.groupwork.sessions import get_session

    checkin = get_session(office, s.session_id).checkins.get(s.participant_id)
    return checkin.summary.strip() if checkin else ""


def dismiss_suggestion(office: Office, suggestion_id: str, reason: str) -> Suggestion:
    """Dismiss a suggestion; the reason is kept with it (a dismissal is a decision, recorded)."""
    reason = require_text(reason, "the reason for dismissing (--reason)")
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
        pending = [Suggestion.from_dict(d) for d in all_docs(db, "suggestions") if d.get("status") == "pending"]
    return [f"{s.participant_id}: risk suggestion {s.id} ({', '.join(s.categories)}) not confirmed or dismissed"
            for s in sorted(pending, key=lambda s: s.id)]


# -- re-assessment ------------------------------------------------------------------------------
@dataclass
class DueAssessment:
    participant_id: str
    name: str
    last_assessed: str  # "" when never assessed
    level: str
    due_on: str  # when the interval ends (or ended); "" when never assessed
    reasons: list[str]

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _assessments(office: Office) -> dict[str, list[Assessment]]:
    with office.stores.store(ASSESSMENT_STORE, "risk_assessments") as db:
        docs = all_docs(db, "assessments")
    return {d["id"]: [Assessment.from_dict(a) for a in d.get("history", [])] for d in docs}


def assessments_of(office: Office, participant_id: str) -> list[Assessment]:
    return sorted(_assessments(office).get(participant_id.strip().upper(), []), key=lambda a: a.date)


def record_assessment(office: Office, participant_id: str, day: str | date | None, level: str) -> Assessment:
    """Record a risk assessment of a man (at intake, on review, on a change, at exit)."""
    person = get_participant(office, participant_id)
    day_s = parse_date(day, "assessment date").isoformat() if day else clock.today().isoformat()
    assessment = Assessment(participant_id=person.id, date=day_s, level=level, recorded_by=office.user)
    with office.stores.writing():
        with office.stores.store(ASSESSMENT_STORE, "risk_assessments", write=True) as db:
            doc = get_doc(db, "assessments", person.id) or {"id": person.id, "history": []}
            doc["history"].append(assessment.to_dict())
            doc["history"].sort(key=lambda a: a["date"])
            put_doc(db, "assessments", doc)
        office.audit("assess", "risk_assessment", person.id, level=assessment.level)
    return assessment


def reassessment_due(office: Office, today: date | None = None) -> list[DueAssessment]:
    """Men in the programme whose risk re-assessment is due: interval passed, flagged since, or never."""
    today = today or clock.today()
    weeks = int(office.setting("risk.reassessment_weeks", 8))
    history = _assessments(office)
    out: list[DueAssessment] = []
    for person in list_participants(office):
        if person.status not in ("referred", "active"):
            continue
        done = sorted(history.get(person.id, []), key=lambda a: a.date)
        if not done:
            out.append(DueAssessment(person.id, person.name, "", "", "", ["no risk assessment recorded"]))
            continue
        last = done[-1]
        due_on = parse_date(last.date) + timedelta(weeks=weeks)
        reasons = []
        if due_on <= today:
            reasons.append(f"interval of {weeks} weeks passed on {due_on.isoformat()}")
        since = [f.id for f in _history(office, person.id) if f.raised_at[:10] > last.date]
        if since:
            reasons.append(f"new flag since: {', '.join(sorted(since))}")
        if reasons:
            out.append(DueAssessment(person.id, person.name, last.date, last.level, due_on.isoformat(), reasons))
    out.sort(key=lambda d: (d.due_on or "", d.participant_id))
    return out


# -- demo ---------------------------------------------------------------------------------------
def build_demo(office: Office, context: dict) -> None:
    """Demo flags: open ones (one critical and overdue), one in review, closed ones with actions."""
    from facilitator.services.groupwork.groups import roster
    from facilitator.services.groupwork.sessions import list_sessions

    rnd = context["rnd"]
    now = _now()
    groups = context["groups"]
    men = [e.participant.id for g in groups for e in roster(office, g.id, now.date().isoformat())]
    if len(men) < 6:
        return
    past = [s for s in list_sessions(office, groups[0].id) if s.date < now.date().isoformat()]
    last_session = past[-1] if past else None
    day = timedelta(days=1)

    def hand(pid, cats, summary, at, severity=None, session=None):
        return raise_flag(office, pid, cats, summary, severity=severity, session_id=session, at=at)

    # Closed earlier in the year, with the actions the reviewers took.
    f = hand(men[3], ["physical_violence"], "Said he pushed her against the door during an argument about contact.",
             now - 70 * day)
    review_flag(office, f.id, ["partner_support_informed", "risk_plan_updated"],
                "Partner support contacted her the same day; risk plan updated with a time-out agreement.",
                at=now - 69 * day)
    close_flag(office, f.id, "Actions complete; his risk plan now covers arguments about contact.", at=now - 60 * day)
    f = hand(men[5], ["threats_to_kill"], "Said he told her 'you'll regret it' with a gesture at his throat.",
             now - 45 * day, severity="critical")
    review_flag(office, f.id, ["marac_referral", "police_informed"], "MARAC referral sent; police informed.",
                at=now - 45 * day)
    close_flag(office, f.id, "Heard at MARAC; safety measures in place for her; monitoring continues.",
               at=now - 30 * day)

    # In review: raised in the evening of the group's last session, reviewed the next day.
    at = now - 4 * day
    if last_session:
        at = datetime.combine(parse_date(last_session.date), datetime.min.time()) + timedelta(hours=20, minutes=45)
    f = hand(men[1], ["separation", "controlling_behaviour"],
             "Told the group she has asked him to leave; he keeps checking her phone.", at,
             session=last_session.id if last_session else None)
    review_flag(office, f.id, ["partner_support_informed"], "Partner support informed; awaiting their contact.",
                at=at + day)

    # Open: a critical one past its deadline, a high one, a medium one.
    hand(men[0], ["strangulation"], "Rang in: said he 'grabbed her by the neck for a second' during Sunday's row.",
         now - 2 * day)
    hand(men[2], ["stalking"], "Has been driving past her new address most evenings.", now - timedelta(hours=3))
    hand(men[4], ["substance_misuse"], "Drinking most nights since losing his job.", now - rnd.randint(1, 3) * day)
    # A new flag within twelve months of his MARAC referral: marked "MARAC: repeat".
    hand(men[5], ["controlling_behaviour"], "Says he has told her who she may see at weekends.", now - 1 * day)

    # The scanner's suggestions on each group's last session, decided as a facilitator would.
    for group in groups:
        done = [s for s in list_sessions(office, group.id) if s.date < now.date().isoformat()]
        if done:
            _demo_decide_suggestions(office, done[-1].id)

    # Re-assessments: most men reviewed in the last weeks; every fourth is past his interval.
    assessed = _assessments(office)
    for i, pid in enumerate(men):
        if i % 4 == 0:
            continue
        earlier = sorted(assessed.get(pid, []), key=lambda a: a.date)
        level = earlier[-1].level if earlier else rnd.choice(["standard", "medium"])
        record_assessment(office, pid, (now.date() - timedelta(weeks=1 + i % 6)).isoformat(), level)


def _demo_decide_suggestions(office: Office, session_id: str) -> None:
    from facilitator.services.groupwork.sessions import get_session

    confirmed = False
    for checkin in get_session(office, session_id).checkins.values():
        s = suggest_from_checkin(office, session_id, checkin)
        if s is None:
            continue
        if s.severity != "medium" or ("economic_abuse" in s.categories and not confirmed):
            confirm_suggestion(office, s.id)
            confirmed = True
        elif checkin.disclosed == "no":
            dismiss_suggestion(office, s.id, "He named it himself from his control log and stopped; no new risk.")
        else:
            dismiss_suggestion(office, s.id, "Known pattern already in his risk plan; challenged in the round.")
