"""Intake and assessment: what must be in place before a man joins a group.

Pure rules, no I/O. A man's intake holds:

    referral received      the date the referral reached the programme
    assessment sessions    date and worker of each
    agreements             programme agreement, information sharing and the limits of
                           confidentiality, consent to partner contact: signed or refused
    initial risk assessment  structured items (the risk flag categories) scored present / absent /
                           unknown, a professional judgement standard / medium / high, and the
                           date of the next review
    eligibility decisions  suitable / not suitable / deferred / excluded, with reasons; the
                           last one stands

Refusing a required agreement is an exclusion decision: he cannot take part without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from facilitator.domain.record import Record
from facilitator.domain.risk_flag import ASSESSMENT_LEVELS as LEVELS
from facilitator.domain.values import check_choice, check_choices, parse_date, require_text
from facilitator.errors import InvalidInput, Refused

OUTCOMES = ("suitable", "not_suitable", "deferred", "excluded")
OUTCOME_LABELS = {
    "suitable": "suitable",
    "not_suitable": "not suitable",
    "deferred": "deferred",
    "excluded": "excluded",
}
# Outcomes that need at least one reason from the programme's list.
OUTCOMES_NEEDING_REASON = ("not_suitable", "deferred", "excluded")
# Outcomes that end his route into a group; partner support is told.
OUTCOMES_ENDING = ("not_suitable", "excluded")

AGREEMENTS = ("programme_agreement", "information_sharing", "partner_contact_consent")
AGREEMENT_LABELS = {
    "programme_agreement": "programme agreement",
    "information_sharing": "information sharing and limits of confidentiality",
    "partner_contact_consent": "consent to partner contact",
}
ANSWERS = ("signed", "refused")

SCORES = ("present", "absent", "unknown")


def refusal_reason(agreement: str) -> str:
    """The reason id recorded when he refuses an agreement."""
    return {
        "programme_agreement": "refused_programme_agreement",
        "information_sharing": "refused_information_sharing",
        "partner_contact_consent": "refused_partner_contact_consent",
    }.get(agreement, f"refused_{agreement}")


def label(reason: str) -> str:
    return reason.replace("_", " ")


@dataclass
class AssessmentSession(Record):
    date: str
    worker: str

    def __post_init__(self) -> None:
        self.date = parse_date(self.date, "assessment date").isoformat()
        self.worker = require_text(self.worker, "assessing worker")


@dataclass
class Agreement(Record):
    name: str
    answer: str
    date: str
    recorded_by: str = ""

    def __post_init__(self) -> None:
        self.name = require_text(self.name, "agreement").lower().replace("-", "_")
        self.answer = check_choice(self.answer, ANSWERS, "answer")
        self.date = parse_date(self.date, "agreement date").isoformat()


@dataclass
class RiskAssessment(Record):
    date: str
    assessed_by: str
    items: dict[str, str]
    level: str
    next_review: str

    def __post_init__(self) -> None:
        self.date = parse_date(self.date, "assessment date").isoformat()
        self.level = check_choice(self.level, LEVELS, "risk level")
        self.next_review = parse_date(self.next_review, "next review date").isoformat()
        if self.next_review <= self.date:
            raise InvalidInput(
                f"the next review ({self.next_review}) must come after the assessment ({self.date})"
            )
        self.items = {
            k: check_choice(v, SCORES, f"score for {k}") for k, v in dict(self.items).items()
        }

    def present(self) -> list[str]:
        return [k for k, v in self.items.items() if v == "present"]


@dataclass
class Decision(Record):
    outcome: str
    date: str
    reasons: list[str] = field(default_factory=list)
    decided_by: str = ""

    def __post_init__(self) -> None:
        self.outcome = check_choice(self.outcome, OUTCOMES, "eligibility decision")
        self.date = parse_date(self.date, "decision date").isoformat()

    def check_reasons(self, known: Iterable[str]) -> None:
        self.reasons = check_choices(self.reasons, tuple(known), "reason")
        if self.outcome in OUTCOMES_NEEDING_REASON and not self.reasons:
            raise InvalidInput(
                f"a decision '{OUTCOME_LABELS[self.outcome]}' needs at least one reason (--reason)"
            )


@dataclass
class Intake(Record):
    participant_id: str
    started_on: str
    referral_received_on: str = ""
    started_by: str = ""
    assessments: list[dict] = field(default_factory=list)
    agreements: dict[str, dict] = field(default_factory=dict)
    risk: dict | None = None
    decisions: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.started_on = parse_date(self.started_on, "intake start date").isoformat()
        if self.referral_received_on:
            self.referral_received_on = parse_date(
                self.referral_received_on, "referral date"
            ).isoformat()

    # -- reading --------------------------------------------------------------------------
    @property
    def decision(self) -> Decision | None:
        return Decision.from_dict(self.decisions[-1]) if self.decisions else None

    @property
    def risk_assessment(self) -> RiskAssessment | None:
        return RiskAssessment.from_dict(self.risk) if self.risk else None

    def agreement(self, name: str) -> Agreement | None:
        doc = self.agreements.get(name)
        return Agreement.from_dict(doc) if doc else None

    # -- changing -------------------------------------------------------------------------
    def add_assessment(self, session: AssessmentSession) -> None:
        if any(
            a["date"] == session.date and a["worker"] == session.worker for a in self.assessments
        ):
            raise Refused(
                f"an assessment session on {session.date} with {session.worker} is already recorded"
            )
        self.assessments.append(session.to_dict())
        self.assessments.sort(key=lambda a: a["date"])

    def record_agreement(self, agreement: Agreement, required: Iterable[str]) -> Decision | None:
        """Keep the answer; a refused required agreement returns the exclusion it leads to."""
        required = tuple(required)
        if agreement.name not in required:
            raise InvalidInput(
                f"unknown agreement '{agreement.name}': choose one of {', '.join(required)}"
            )
        self.agreements[agreement.name] = agreement.to_dict()
        if agreement.answer == "refused":
            exclusion = Decision(
                outcome="excluded",
                date=agreement.date,
                reasons=[refusal_reason(agreement.name)],
                decided_by=agreement.recorded_by,
            )
            self.decisions.append(exclusion.to_dict())
            return exclusion
        return None

    def set_risk(self, assessment: RiskAssessment, categories: Iterable[str]) -> None:
        categories = tuple(categories)
        unknown = [k for k in assessment.items if k not in categories]
        if unknown:
            raise InvalidInput(
                f"unknown risk item '{unknown[0]}': choose from {', '.join(categories)}"
            )
        # Every item is scored: what nobody asked about is honestly 'unknown'.
        assessment.items = {c: assessment.items.get(c, "unknown") for c in categories}
        self.risk = assessment.to_dict()

    def decide(self, decision: Decision, reasons_known: Iterable[str]) -> None:
        decision.check_reasons(reasons_known)
        if decision.outcome == "suitable":
            refused = [a for a in self.agreements.values() if a.get("answer") == "refused"]
            if refused:
                what = AGREEMENT_LABELS.get(refused[0]["name"], label(refused[0]["name"]))
                raise Refused(
                    f"{what} was refused on {refused[0]['date']}: record it as signed first "
                    f"if he has since agreed"
                )
        self.decisions.append(decision.to_dict())


def missing_for_group(
    intake: Intake | None, sessions_required: int, agreements: Iterable[str]
) -> list[str]:
    """What stands between him and a group, in the words a coordinator would use."""
    if intake is None:
        return ["intake not started"]
    missing: list[str] = []
    if not intake.referral_received_on:
        missing.append("date the referral was received")
    have = len(intake.assessments)
    if have < sessions_required:
        missing.append(f"assessment sessions ({have} of {sessions_required} recorded)")
    for name in agreements:
        found = intake.agreements.get(name)
        what = AGREEMENT_LABELS.get(name, label(name))
        if not found:
            missing.append(f"signed {what}")
        elif found.get("answer") != "signed":
            missing.append(f"{what} (refused)")
    if not intake.risk:
        missing.append("initial risk assessment")
    decision = intake.decision
    if decision is None:
        missing.append("eligibility decision")
    elif decision.outcome != "suitable":
        why = ", ".join(label(r) for r in decision.reasons)
        missing.append(
            f"a decision of suitable (the last decision, {decision.date}, was "
            f"{OUTCOME_LABELS[decision.outcome]}{': ' + why if why else ''})"
        )
    return missing
