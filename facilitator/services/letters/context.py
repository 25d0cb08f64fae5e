"""The values a letter about one man is written from, built into the allow-list (fields.py).

Read only from what may reach a referrer and the man himself: his participant record, his
group dates, attendance marks (how he attended, never the reasons typed with them), session
titles, his compliance standing, the coordinator's engagement summary, the intake decision's
outcome and reasons (never the risk assessment), and the notify-referrer task's breach in
words. Check-ins, debriefs, risk flags and the partner store are never opened here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from facilitator.domain.compliance import NotifyTask
from facilitator.domain.intake import OUTCOME_LABELS
from facilitator.domain.participant import Participant
from facilitator.domain.values import parse_date
from facilitator.errors import Refused
from facilitator.services.compliance.status import list_tasks
from facilitator.services.core.office import Office
from facilitator.services.intake.assessment import get_intake, sessions_required
from facilitator.services.letters import fields
from facilitator.services.letters.addressee import Addressee, referrer_of
from facilitator.services.letters.kinds import LetterKind
from facilitator.services.reporting.referrer_report import report_data

ROLE_WORDS = {
    "coordinator": "Programme coordinator",
    "facilitator": "Group facilitator",
    "admin": "Programme manager",
    "partner_support": "Partner support worker",
}
# The intake decision's reasons as a referrer reads them (the codes are the programme's list).
REASON_WORDS = {
    "denies_any_violence": "he denies any use of violence or abuse, so the programme cannot "
    "work with him on it at present",
    "acute_mental_illness": "his mental health needs to be treated first",
    "chaotic_substance_use": "his use of alcohol or drugs would stop him taking part safely",
    "not_willing_to_change": "he is not willing at present to work on changing his behaviour",
    "needs_not_met_in_a_group": "his needs cannot be met in a group",
    "risk_not_manageable_in_a_group": "the risk he poses cannot be managed in a group setting",
    "refused_programme_agreement": "he did not agree to the programme agreement",
    "refused_information_sharing": "he did not agree to the sharing of information and the "
    "limits of confidentiality",
    "refused_partner_contact_consent": "he did not consent to contact with his partner or "
    "ex-partner by partner support",
    "waiting_for_court_outcome": "the outcome of court proceedings is awaited",
}
# What a letter about completion must say (after the Respect Standard): completing a
# programme shows what he attended and covered, never that he is safe.
COMPLETION_STATEMENT = (
    "Completing the programme means that he attended and took part in the sessions listed "
    "above. It is not evidence that he is safe or that the risk he poses has gone: please go "
    "on basing decisions about risk on everything known about him, including from other "
    "agencies."
)
LEFT_STATEMENT = (
    "A man leaving a programme before its end can be a time of raised risk for his partner, "
    "ex-partner and children. Partner support is told when a man leaves the programme."
)


def _ending_words(person: Participant) -> str:
    """How his programme ended, without the reason typed with it: that is free text staff
    wrote for the file, and may carry what a letter must not (what a partner said)."""
    if person.status == "completed":
        return (
            "completed by the coordinator's decision"
            if person.completion_decision.strip()
            else "completed"
        )
    return {"suspended": "suspended", "exited": "left the programme"}.get(person.status, "")


def long_date(day: str) -> str:
    if not day:
        return ""
    d = parse_date(day)
    return f"{d.day} {d.strftime('%B %Y')}"


def _reason_words(code: str) -> str:
    words = REASON_WORDS.get(code, code.replace("_", " "))
    return words[:1].upper() + words[1:]


def _latest_group(office: Office, data) -> dict[str, Any]:
    enrolments = sorted(data.standing.enrolments, key=lambda e: e.joined_on)
    if not enrolments:
        return {}
    e = enrolments[-1]
    g = data.groups_by_id.get(e.group_id)
    if g is None:
        return {}
    return {
        "name": g.name,
        "weekday": g.weekday.capitalize(),
        "time": g.time,
        "location": g.location,
        "joined": long_date(e.joined_on),
        "left": long_date(e.left_on),
    }


def _breach(office: Office, person: Participant, task_id: str | None) -> dict[str, Any]:
    tasks = list_tasks(office, participant_id=person.id)
    task: NotifyTask | None
    if task_id:
        task = next((t for t in tasks if t.id == task_id.strip().upper()), None)
    else:
        # The breach still to tell first; else the latest told.
        waiting = [t for t in tasks if t.state == "open"]
        task = waiting[0] if waiting else (tasks[-1] if tasks else None)
    if task is None:
        return {}
    return {
        "what": task.what,
        "on": long_date(task.breach_on),
        "due": long_date(task.due_on),
        "task": task.id,
    }


def _assessment(office: Office, person: Participant) -> dict[str, Any]:
    intake = get_intake(office, person.id, person)
    out: dict[str, Any] = {"sessions_required": sessions_required(office)}
    if intake is None:
        return out
    out["appointments"] = [long_date(str(a.get("date", ""))) for a in intake.assessments]
    decision = intake.decision
    if decision is not None:
        out |= {
            "outcome": OUTCOME_LABELS[decision.outcome],
            "outcome_id": decision.outcome,
            "date": long_date(decision.date),
            "reasons": [_reason_words(r) for r in decision.reasons if r != "other"],
        }
    return out


def values_for(
    office: Office,
    person: Participant,
    kind: LetterKind,
    to: Addressee,
    day: date,
    letter_id: str = "",
    task_id: str | None = None,
) -> dict[str, fields.Fields]:
    """The allow-listed context for one letter. Refuses a letter that has nothing to say."""
    data = report_data(office, person.id, person=person)
    c = data.compliance
    rules = data.standing.rules
    actor = office.actor
    role = next((r for r in ("coordinator", "facilitator", "admin") if r in actor.roles), "")
    ref = referrer_of(person)
    group = _latest_group(office, data)
    breach = _breach(office, person, task_id)
    assessment = _assessment(office, person)
    if kind.id == "breach_notice" and not breach:
        raise Refused(f"{person.id} has no breach for the referrer to be told of")
    if kind.id == "assessment_outcome" and not assessment.get("outcome"):
        raise Refused(f"{person.id} has no assessment decision yet")
    if kind.id == "end_of_programme" and person.status not in ("completed", "exited", "suspended"):
        raise Refused(
            f"{person.id}'s programme has not ended (status {person.status}): end it first"
        )
    completed = person.status == "completed"
    ended_on = max((e.left_on for e in data.standing.enrolments if e.left_on), default="")
    values: dict[str, dict[str, Any]] = {
        "programme": {
            "name": office.setting("programme.name", ""),
            "address": office.setting("programme.address", ""),
            "phone": office.setting("programme.phone", ""),
            "secure_email": office.setting("programme.secure_email", ""),
            "charity_number": office.setting("programme.charity_number", ""),
        },
        "to": {
            "name": to.name,
            "organisation": to.organisation,
            "address": to.address,
            "reference": to.reference,
            "salutation": to.salutation,
        },
        "referrer": {
            "name": ref.name,
            "organisation": ref.organisation,
            "reference": ref.reference,
        },
        "man": {
            "name": person.name,
            "first_name": person.first_name,
            "id": person.id,
            "date_of_birth": long_date(getattr(person, "date_of_birth", "") or ""),
            "referrer_reference": person.referrer_reference,
            "referral_source": person.referral_source.replace("_", " "),
            "referred_on": long_date(person.referred_on),
            "status": person.status,
        },
        "order": {"label": rules.order_label, "limits": data.limits},
        "letter": {
            "id": letter_id,
            "kind": kind.id,
            "title": kind.title,
            "date": long_date(day.isoformat()),
            "date_iso": day.isoformat(),
        },
        "standing": {"label": c.label, "reason": c.reason},
        "attendance": {
            "held": c.sessions_held,
            "attended": c.attended,
            "excused": c.excused,
            "unexcused": c.unexcused,
            "percent": f"{c.attendance_percent:.0f}%" if c.attendance_percent is not None else "",
            "longest_run": c.longest_run,
            "rows": [
                {"date": long_date(d), "session": n, "title": title, "attendance": words}
                for d, _gid, n, title, words in data.attendance
            ],
        },
        "sessions": {
            "required": c.required,
            "covered_count": len(data.covered),
            "to_do_count": len(data.to_do),
            "covered": [{"number": n, "title": t} for n, t in data.covered],
            "to_do": [{"number": n, "title": t} for n, t in data.to_do],
        },
        "group": group,
        "engagement": {"text": " ".join(data.engagement.split()), "by": data.engagement_by},
        "signed": {"name": actor.name, "role": ROLE_WORDS.get(role, "")},
        "assessment": assessment,
        "breach": breach,
        "warning": {
            "unexcused": c.unexcused,
            "allowed": rules.unexcused_absences_allowed,
            "in_a_row": c.current_run,
            "in_a_row_allowed": rules.consecutive_unexcused_allowed,
            "source": rules.source("unexcused_absences_allowed"),
        },
        "ending": {
            "status": person.status,
            "status_words": _ending_words(person),
            "on": long_date(ended_on),
            "completed": completed,
            "statement": COMPLETION_STATEMENT if completed else LEFT_STATEMENT,
        },
        "invitation": {
            "first_session": group.get("joined", ""),
            "time": group.get("time", ""),
            "group_name": group.get("name", ""),
            "location": group.get("location", ""),
        },
    }
    return fields.build(values)
