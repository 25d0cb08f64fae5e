"""Intake and assessment: referral, assessment sessions, agreements, initial risk, eligibility.

One small store per man, `data/intake/<participant>.json`, so recording one answer never
rewrites anyone else's intake.

One referral date: the date his referral reached the programme is his participant record's
`referred_on`, which programme figures and retention count from. The intake's "referral
received" is that same date: `intake start` takes it from there, and a date given at the start
or with `intake record referral` corrects the participant record too (under the same lock,
audited by field name, never the date). An intake stored before this that disagrees is shown
with the participant's date and a note saying how to settle it. A man joins a group only once
his intake is complete and the last decision found him suitable (`require_ready_for_group`,
called by enrol). When a man is
found not suitable or excluded, partner support sees a contact task: the contact points are
read from these records by `services.contact_points`, so nothing needs the partner store's key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from facilitator import clock
from facilitator.detector.categories import CATEGORY_IDS
from facilitator.domain.intake import (
    AGREEMENT_LABELS,
    OUTCOME_LABELS,
    OUTCOMES_ENDING,
    Agreement,
    AssessmentSession,
    Decision,
    Intake,
    RiskAssessment,
    label,
    missing_for_group,
)
from facilitator.domain.participant import Participant, status_change
from facilitator.domain.values import parse_date
from facilitator.errors import Refused
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.risk.assessments import record_assessment
from facilitator.storage.stores import get_doc, put_doc

AT_INTAKE = "at intake"  # marks a status set by an intake decision


# -- settings ------------------------------------------------------------------------------
def sessions_required(office: Office) -> int:
    return int(office.setting("intake.assessment_sessions_required", 2))


def required_agreements(office: Office) -> list[str]:
    return list(office.setting("intake.agreements", list(AGREEMENT_LABELS)))


def decision_reasons(office: Office) -> list[str]:
    return list(office.setting("intake.reasons", ["other"]))


def risk_items(office: Office) -> list[str]:
    """The structured items of the initial risk assessment: the risk flag categories."""

    return list(CATEGORY_IDS)


# -- reading -------------------------------------------------------------------------------
def _store(office: Office, participant_id: str, write: bool = False):
    return office.stores.store(f"intake/{participant_id}.json", "intake", write)


def get_intake(
    office: Office, participant_id: str, person: Participant | None = None
) -> Intake | None:
    """His intake, with the one referral date (his participant record's); `person`: his
    record, when the caller has read it already."""
    person = person or get_participant(office, participant_id)
    intake = _read(office, person.id)
    if intake and person.referred_on:
        intake.referral_received_on = person.referred_on
    return intake


def _read(office: Office, pid: str) -> Intake | None:
    if not office.stores.path("intake", f"{pid}.json").exists():
        return None
    with _store(office, pid) as db:
        doc = get_doc(db, "intake", pid, field="participant_id")
    return Intake.from_dict(doc) if doc else None


def list_intakes(office: Office) -> list[Intake]:
    folder = office.stores.path("intake")
    if not folder.is_dir():
        return []
    out = [_read(office, p.stem) for p in sorted(folder.glob("*.json"))]
    return [i for i in out if i is not None]


def missing(office: Office, person: Participant) -> list[str]:
    return missing_for_group(
        _read(office, person.id), sessions_required(office), required_agreements(office)
    )


def require_ready_for_group(office: Office, person: Participant) -> None:
    """Called by enrol: refuse with exactly what is missing."""
    gaps = missing(office, person)
    if gaps:
        raise Refused(
            f"{person.id} cannot join a group until his intake is complete and he was found "
            f"suitable; missing: {'; '.join(gaps)}",
            command=f"facilitator intake start {person.id}"
            if gaps == ["intake not started"]
            else "",
        )


@dataclass
class ChecklistItem:
    what: str
    done: bool
    detail: str = ""


def checklist(office: Office, participant_id: str) -> list[ChecklistItem]:
    """Every step of his intake, done or not: what the participant screen shows."""
    person = get_participant(office, participant_id)
    intake = _read(office, person.id)
    if intake is None:
        return [ChecklistItem("intake started", False, f"facilitator intake start {person.id}")]
    need = sessions_required(office)
    received = person.referred_on or intake.referral_received_on
    detail = received
    if intake.referral_received_on and intake.referral_received_on != received:
        # Stored before the two were kept as one: the participant's date counts; say how to settle
        # it.
        detail += (
            f" (his intake said {intake.referral_received_on}: if that is right, "
            f"facilitator intake record referral {person.id} {intake.referral_received_on})"
        )
    items = [
        ChecklistItem("referral received", bool(received), detail),
        ChecklistItem(
            f"assessment sessions ({need} needed)",
            len(intake.assessments) >= need,
            ", ".join(f"{a['date']} {a['worker']}" for a in intake.assessments) or "none yet",
        ),
    ]
    for name in required_agreements(office):
        found = intake.agreement(name)
        items.append(
            ChecklistItem(
                AGREEMENT_LABELS.get(name, label(name)),
                bool(found and found.answer == "signed"),
                f"{found.answer} {found.date}" if found else "not yet",
            )
        )
    risk = intake.risk_assessment
    items.append(
        ChecklistItem(
            "initial risk assessment",
            risk is not None,
            f"{risk.level}, {len(risk.present())} item(s) present, next review {risk.next_review}"
            if risk
            else "not yet",
        )
    )
    decision = intake.decision
    detail = "not yet"
    if decision:
        detail = f"{OUTCOME_LABELS[decision.outcome]} {decision.date}"
        if decision.reasons:
            detail += ": " + ", ".join(label(r) for r in decision.reasons)
    items.append(
        ChecklistItem("found suitable", bool(decision and decision.outcome == "suitable"), detail)
    )
    return items


def participant_show_fields(office: Office, person: Participant) -> dict:
    """What `participant show` adds: the intake checklist (group-side data only)."""
    intake = _read(office, person.id)
    gaps = missing(office, person)
    decision = intake.decision if intake else None
    risk = intake.risk_assessment if intake else None
    return {
        "intake_status": "complete: suitable" if not gaps else "missing: " + "; ".join(gaps),
        "intake_decision": decision.outcome if decision else None,
        "intake_risk_level": risk.level if risk else None,
        "intake_next_risk_review": risk.next_review if risk else None,
    }


# -- changing ------------------------------------------------------------------------------
def _change(
    office: Office, participant_id: str, action: str, change, create: bool = False
) -> Intake:
    """Read his intake under the lock, apply `change(intake)`, write it and audit once."""
    person = get_participant(office, participant_id)
    with office.stores.writing():
        with _store(office, person.id, write=True) as db:
            doc = get_doc(db, "intake", person.id, field="participant_id")
            if doc and create:
                raise Refused(
                    f"{person.id}'s intake was started on {doc['started_on']}; nothing was changed"
                )
            if not doc and not create:
                raise Refused(
                    f"{person.id} has no intake yet",
                    command=f"facilitator intake start {person.id}",
                )
            intake = change(Intake.from_dict(doc) if doc else None, person)
            put_doc(db, "intake", intake.to_dict(), field="participant_id")
        office.audit(action, "intake", person.id)
        decision = intake.decision
        if decision and decision.outcome in OUTCOMES_ENDING:
            _end_referral(
                office,
                person.id,
                f"{OUTCOME_LABELS[decision.outcome]} {AT_INTAKE}: "
                + ", ".join(label(r) for r in decision.reasons),
            )
        elif decision and decision.outcome == "suitable":
            _reopen_referral(office, person.id)
    return intake


def _end_referral(office: Office, pid: str, reason: str) -> None:
    """A man still at referral stage leaves the programme: exited, with the intake's reason."""
    person = get_participant(office, pid)  # as it is now, under the lock
    if person.status == "referred":
        _write_status(office, person, "exited", reason)


def _reopen_referral(office: Office, pid: str) -> None:
    """Found suitable after an exclusion at intake (he has since signed): referred again."""
    person = get_participant(office, pid)
    if person.status == "exited" and AT_INTAKE in person.status_reason:
        _write_status(office, person, "referred", "")


def _write_status(office: Office, person: Participant, status: str, reason: str) -> None:
    """Caller holds the lock (people.set_participant_status would take it a second time)."""
    doc = person.to_dict() | {
        "status": status,
        "status_reason": reason,
        "status_changes": person.status_changes
        + [status_change(status, reason, office.user, clock.now().isoformat())],
    }
    Participant.from_dict(doc)
    with office.stores.people(write=True) as db:
        put_doc(db, "participants", doc)
    office.audit("status", "participant", person.id, status=status)


def _day(value: str | date | None, what: str) -> str:
    return parse_date(value, what).isoformat() if value else clock.today().isoformat()


def start_intake(
    office: Office,
    participant_id: str,
    referral_received_on: str | None = None,
    started_on: str | None = None,
) -> Intake:
    """Start his intake. The referral date is his participant record's unless one is given: a
    different one given here corrects his participant record too (see the module's docstring)."""
    day = _day(started_on, "intake start date")
    given = _referral_day(referral_received_on, day) if referral_received_on else None

    def change(_, person: Participant) -> Intake:
        received = given or person.referred_on or day
        if received != person.referred_on:
            _write_referral_date(office, person, received)
        return Intake(
            participant_id=person.id,
            started_on=day,
            referral_received_on=received,
            started_by=office.user,
        )

    return _change(office, participant_id, "start", change, create=True)


def record_referral(office: Office, participant_id: str, received_on: str) -> Intake | None:
    """Correct the date his referral reached the programme: on his participant record, which the
    figures count from, and on his intake once it is started. His intake, or None before it."""
    person = get_participant(office, participant_id)
    with office.stores.writing():
        person = get_participant(office, person.id)  # again, under the lock
        intake = _read(office, person.id)
        day = _referral_day(received_on, intake.started_on if intake else None)
        if intake and intake.referral_received_on != day:
            intake.referral_received_on = day
            with _store(office, person.id, write=True) as db:
                put_doc(db, "intake", intake.to_dict(), field="participant_id")
            office.audit("record_referral", "intake", person.id)
        if person.referred_on != day:
            _write_referral_date(office, person, day)
    return intake


def _referral_day(value: str, intake_started: str | None) -> str:
    """A referral date given by hand: not in the future, nor after his intake started."""
    day = parse_date(value, "referral date").isoformat()
    if day > clock.today().isoformat():
        raise Refused(f"referral date {day} is in the future; nothing was changed")
    if intake_started and day > intake_started:
        raise Refused(
            f"a referral received on {day} comes after the intake it led to, started on "
            f"{intake_started}; nothing was changed"
        )
    return day


def _write_referral_date(office: Office, person: Participant, day: str) -> None:
    """Caller holds the lock. The audit line names the field that changed, not the dates."""
    doc = person.to_dict() | {"referred_on": day}
    Participant.from_dict(doc)
    with office.stores.people(write=True) as db:
        put_doc(db, "participants", doc)
    office.audit("correct", "participant", person.id, field="referred_on")


def record_assessment_session(
    office: Office, participant_id: str, day: str | None = None, worker: str | None = None
) -> Intake:
    session = AssessmentSession(
        date=_day(day, "assessment date"),
        worker=office.find_staff(worker).id if worker else office.user,
    )

    def change(intake: Intake, _) -> Intake:
        intake.add_assessment(session)
        return intake

    return _change(office, participant_id, "record_assessment", change)


def record_agreement(
    office: Office, participant_id: str, name: str, answer: str, day: str | None = None
) -> tuple[Intake, Decision | None]:
    """Signed or refused. A refusal is an exclusion decision, returned so the caller can say so."""
    agreement = Agreement(
        name=name, answer=answer, date=_day(day, "agreement date"), recorded_by=office.user
    )
    result: dict = {}

    def change(intake: Intake, _) -> Intake:
        result["exclusion"] = intake.record_agreement(agreement, required_agreements(office))
        return intake

    intake = _change(office, participant_id, "record_agreement", change)
    return intake, result.get("exclusion")


def record_risk_assessment(
    office: Office,
    participant_id: str,
    items: dict[str, str],
    level: str,
    next_review: str | None = None,
    day: str | None = None,
) -> Intake:
    when = _day(day, "assessment date")
    if not next_review:
        weeks = int(office.setting("risk.reassessment_weeks", 8))
        next_review = (parse_date(when) + timedelta(weeks=weeks)).isoformat()
    assessment = RiskAssessment(
        date=when, assessed_by=office.user, items=items, level=level, next_review=next_review
    )
    categories = risk_items(office)

    def change(intake: Intake, _) -> Intake:
        intake.set_risk(assessment, categories)
        return intake

    intake = _change(office, participant_id, "record_risk", change)
    _tell_risk_service(office, intake.participant_id, assessment.date, assessment.level)
    return intake


def _tell_risk_service(office: Office, pid: str, day: str, level: str) -> None:
    """The risk queue tracks re-assessment dates from this first one, when present."""
    record_assessment(office, pid, day, level)


def decide(
    office: Office,
    participant_id: str,
    outcome: str,
    reasons: list[str] | None = None,
    day: str | None = None,
) -> Intake:
    decision = Decision(
        outcome=outcome,
        date=_day(day, "decision date"),
        reasons=list(reasons or []),
        decided_by=office.user,
    )

    def change(intake: Intake, _) -> Intake:
        intake.decide(decision, decision_reasons(office))
        return intake

    return _change(office, participant_id, "decide", change)


def complete_intake(
    office: Office,
    participant_id: str,
    day: str | date,
    level: str = "standard",
    items: dict[str, str] | None = None,
    workers: list[str] | None = None,
) -> Intake:
    """A whole suitable intake on one day: for tests, the demo and data brought in from
    elsewhere."""
    day = parse_date(day).isoformat()
    start_intake(office, participant_id, started_on=day)
    staff = workers or [office.user]
    for n in range(sessions_required(office)):
        record_assessment_session(
            office,
            participant_id,
            (parse_date(day) + timedelta(days=n)).isoformat(),
            staff[n % len(staff)],
        )
    for name in required_agreements(office):
        record_agreement(office, participant_id, name, "signed", day)
    record_risk_assessment(office, participant_id, items or {}, level, day=day)
    return decide(office, participant_id, "suitable", [], day)
