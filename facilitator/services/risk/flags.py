"""Risk flags and the review queue: raising (by hand, from a debrief, from partner support),
review, close, and the queue as the screens show it. Every change is audited with ids and
short codes only, never words."""

from __future__ import annotations

from datetime import datetime

from facilitator.domain.risk_flag import (
    LIST_FILTERS,
    PARTNER_SUMMARY,
    SEVERITIES,
    SOURCE_LABELS,
    Review,
    RiskFlag,
    check_categories,
    check_close,
    check_review,
    deadline_for,
    escalate,
    highest,
    is_overdue,
    queue_rank,
    review_state,
)
from facilitator.domain.values import check_choice, check_text_size, require_text
from facilitator.errors import InvalidInput, NotFound, Refused
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.core.session_store import get_session
from facilitator.services.risk.flag_store import (
    OPEN_STORE,
    all_flags,
    closed_flags,
    closed_store,
    get_flag,
    history_of,
    open_flags,
    save_history,
    save_open,
)
from facilitator.services.risk.settings import (
    category_severities,
    cluster_window_days,
    critical_close_needs_second_person,
    current_time,
    deadline_hours,
    review_roles,
    working_day_severities,
)
from facilitator.storage.stores import put_doc, remove_doc

HAND_SOURCES = ("hand", "debrief", "checkin")  # partner_contact only through raise_partner_concern


def list_flags(office: Office, status: str = "open", now: datetime | None = None) -> list[RiskFlag]:
    """Flags in queue order (overdue first, then by deadline). open = not yet closed, in review
    included."""
    status = check_choice(status or "open", LIST_FILTERS, "flag list status")
    now = now or current_time()
    if status in ("open", "overdue"):
        flags = [f for f in open_flags(office) if not f.is_closed]
        if status == "overdue":
            flags = [f for f in flags if is_overdue(f, now)]
    elif status == "closed":
        flags = closed_flags(office)
    else:
        flags = all_flags(office)
    return sorted(flags, key=lambda f: queue_rank(f, now))


def queue_counts(office: Office, now: datetime | None = None) -> dict[str, int]:
    """What the home screen shows: open flags, how many are overdue, how many are critical."""
    now = now or current_time()
    flags = [f for f in open_flags(office) if not f.is_closed]
    return {
        "open": len(flags),
        "overdue": sum(1 for f in flags if is_overdue(f, now)),
        "critical": sum(1 for f in flags if f.severity == "critical"),
    }


def flag_view(office: Office, flag: RiskFlag, now: datetime | None = None) -> dict:
    now = now or current_time()
    try:
        name = get_participant(office, flag.participant_id).name
    except NotFound:
        name = ""
    return {
        **flag.to_dict(),
        "participant_name": name,
        "source_label": SOURCE_LABELS[flag.source],
        "overdue": is_overdue(flag, now),
        "state": review_state(flag, now),
        "actions_taken": flag.actions_taken,
    }


# -- raising -----------------------------------------------------------------------------------
def _default_severity(office: Office, categories: list[str]) -> str:
    table = category_severities(office)
    return highest(table[c] for c in categories) or "medium"


def create_flag(
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
    at = at or current_time()
    given = (
        check_choice(severity, SEVERITIES, "severity")
        if severity
        else _default_severity(office, categories)
    )
    final, markers = escalate(
        categories, given, at, history_of(office, participant_id), cluster_window_days(office)
    )
    deadline = deadline_for(final, at, deadline_hours(office), working_day_severities(office))
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
    save_open(office, flag)
    save_history(office, flag)
    office.audit(
        "raise",
        "risk_flag",
        flag.id,
        participant=participant_id,
        source=source,
        severity=flag.severity,
        categories=",".join(categories),
    )
    return flag


def _check_session(office: Office, session_id: str | None) -> str:
    if not session_id:
        return ""

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
    summary = check_text_size(require_text(summary, "flag summary (--summary)"), "flag summary")
    if severity:
        severity = check_choice(severity, SEVERITIES, "severity")
    person = get_participant(office, participant_id)
    sid = _check_session(office, session_id)
    with office.stores.writing():
        return create_flag(
            office,
            participant_id=person.id,
            categories=cats,
            summary=summary,
            source=source,
            severity=severity,
            session_id=sid,
            at=at,
        )


def raise_partner_concern(
    office: Office, participant_id: str, category: str, severity: str | None = None
) -> RiskFlag:
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
        return create_flag(
            office,
            participant_id=person.id,
            categories=[cat],
            summary=PARTNER_SUMMARY,
            source="partner_contact",
            severity=severity,
            raised_by="partner_support",
        )


# -- review and close --------------------------------------------------------------------------
def review_flag(
    office: Office, flag_id: str, actions: list[str], note: str = "", at: datetime | None = None
) -> RiskFlag:
    """Record what the reviewer did; the flag moves to in review."""
    check_text_size(note, "review note")
    office.require_role(*review_roles(office), doing="review a risk flag")
    with office.stores.writing():
        flag = get_flag(office, flag_id)
        chosen = check_review(flag, actions, note)
        at = at or current_time()
        flag.reviews.append(
            Review(
                at=at.isoformat(), by=office.user, actions=chosen, note=(note or "").strip()
            ).to_dict()
        )
        flag.status = "in_review"
        save_open(office, flag)
        if "marac_referral" in chosen:
            save_history(office, flag)
        office.audit("review", "risk_flag", flag.id, actions=",".join(chosen), status=flag.status)
    return flag


def close_flag(office: Office, flag_id: str, outcome: str, at: datetime | None = None) -> RiskFlag:
    """Close a reviewed flag with its outcome; it leaves the live queue for the year's closed
    store. A critical flag's close keeps who reviewed it beside who closed it."""
    check_text_size(outcome, "outcome")
    closer = office.require_role(*review_roles(office), doing="close a risk flag")
    with office.stores.writing():
        flag = get_flag(office, flag_id)
        flag.outcome = check_close(flag, outcome)
        reviewers = sorted({r.by for r in flag.review_list})
        if (
            flag.severity == "critical"
            and critical_close_needs_second_person(office)
            and reviewers == [closer.id]
        ):
            raise Refused(
                f"flag {flag.id} is critical and {closer.id} reviewed it alone: another "
                "reviewer closes it (the programme's rule for critical flags)"
            )
        at = at or current_time()
        flag.status = "closed"
        flag.closed_by = office.user
        flag.closed_at = at.isoformat()
        save_open(office, flag)  # (1): see "flag stores" above
        with office.stores.store(
            closed_store(at.strftime("%Y-%m")), "risk_closed", write=True
        ) as db:
            put_doc(db, "flags", flag.to_dict())
        with office.stores.store(OPEN_STORE, "risk_open", write=True) as db:
            remove_doc(db, "flags", flag.id)
        office.audit(
            "close", "risk_flag", flag.id, status="closed", reviewed_by=",".join(reviewers)
        )
    return flag


def session_flags(office: Office, session_id: str) -> list[RiskFlag]:
    """Flags raised in the session, oldest first; partner-contact flags never (they stay apart)."""
    flags = [
        f
        for f in list_flags(office, "all")
        if f.session_id == session_id and f.source != "partner_contact"
    ]
    return sorted(flags, key=lambda f: (f.raised_at, f.id))


def open_flag_counts(office: Office, participant_ids: list[str]) -> dict[str, int]:
    """Open flags per man, for the men given (what the roster's marker shows)."""
    wanted = set(participant_ids)
    counts: dict[str, int] = {}
    for f in list_flags(office, "open"):
        if f.participant_id in wanted:
            counts[f.participant_id] = counts.get(f.participant_id, 0) + 1
    return counts
