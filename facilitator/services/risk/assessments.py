"""Risk assessments of each man (at intake, on review, on a change, at exit) and who is due a
re-assessment.

    data/risk/assessments.json             each man's risk assessments
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from facilitator import clock
from facilitator.domain.risk_factors import DEFAULT_FACTORS, SCORES, FactorScore
from facilitator.domain.risk_flag import Assessment
from facilitator.domain.values import check_text_size, parse_date
from facilitator.errors import InvalidInput
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant, list_participants
from facilitator.services.risk.flag_store import history_of
from facilitator.services.risk.marac import raise_prompt
from facilitator.storage.stores import all_docs, get_doc, put_doc

ASSESSMENT_STORE = "risk/assessments.json"


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


def all_assessments(office: Office) -> dict[str, list[Assessment]]:
    with office.stores.store(ASSESSMENT_STORE, "risk_assessments") as db:
        docs = all_docs(db, "assessments")
    return {d["id"]: [Assessment.from_dict(a) for a in d.get("history", [])] for d in docs}


def assessments_of(office: Office, participant_id: str) -> list[Assessment]:
    return sorted(
        all_assessments(office).get(participant_id.strip().upper(), []), key=lambda a: a.date
    )


def risk_factors(office: Office) -> dict[str, str]:
    """The factors this programme assesses: id -> what it means. The `risk.factors` setting
    picks from the defaults or adds its own (a table of id = "meaning")."""
    chosen = office.setting("risk.factors", None)
    if isinstance(chosen, dict) and chosen:
        return {str(k): str(v) for k, v in chosen.items()}
    if isinstance(chosen, list) and chosen:
        return {str(k): DEFAULT_FACTORS.get(str(k), str(k).replace("_", " ")) for k in chosen}
    return dict(DEFAULT_FACTORS)


def _scored(office: Office, factors: list[FactorScore]) -> dict[str, dict[str, str]]:
    known = risk_factors(office)
    out: dict[str, dict[str, str]] = {}
    for f in factors:
        if f.factor not in known:
            raise InvalidInput(
                f"unknown risk factor '{f.factor}': choose from {', '.join(known)} "
                "(or set risk.factors)"
            )
        if f.score not in SCORES:
            raise InvalidInput(f"score for {f.factor}: choose one of {', '.join(SCORES)}")
        out[f.factor] = FactorScore(
            f.factor, f.score, check_text_size(f.evidence, f"evidence for {f.factor}", 1000)
        ).to_dict()
    return out


def record_assessment(
    office: Office,
    participant_id: str,
    day: str | date | None,
    level: str,
    factors: list[FactorScore] | None = None,
    rationale: str = "",
) -> Assessment:
    """Record a risk assessment of a man (at intake, on review, on a change, at exit): his
    level and, where assessed, each factor with its evidence and the assessor's rationale. A
    high level raises a MARAC prompt in the same unit."""
    person = get_participant(office, participant_id)
    day_s = parse_date(day, "assessment date").isoformat() if day else clock.today().isoformat()
    scored = _scored(office, factors or [])
    if scored and not rationale.strip():
        raise InvalidInput("a structured assessment needs the assessor's rationale (--rationale)")
    assessment = Assessment(
        participant_id=person.id,
        date=day_s,
        level=level,
        recorded_by=office.user,
        recorded_at=clock.now().isoformat(),
        factors=scored,
        rationale=check_text_size(rationale.strip(), "rationale", 2000),
    )
    with office.stores.writing():
        with office.stores.store(ASSESSMENT_STORE, "risk_assessments", write=True) as db:
            doc = get_doc(db, "assessments", person.id) or {"id": person.id, "history": []}
            doc["history"].append(assessment.to_dict())
            doc["history"].sort(key=lambda a: (a["date"], a.get("recorded_at", "")))
            put_doc(db, "assessments", doc)
        office.audit("assess", "risk_assessment", person.id, level=assessment.level)
        raise_prompt(office, person.id, assessment.level, "programme_assessment", on=day_s)
    return assessment


def reassessment_due(office: Office, today: date | None = None) -> list[DueAssessment]:
    """Men in the programme whose risk re-assessment is due: interval passed, flagged since, or
    never."""
    today = today or clock.today()
    weeks = int(office.setting("risk.reassessment_weeks", 8))
    history = all_assessments(office)
    out: list[DueAssessment] = []
    for person in list_participants(office):
        if person.status not in ("referred", "active"):
            continue
        done = sorted(history.get(person.id, []), key=lambda a: a.date)
        if not done:
            out.append(
                DueAssessment(person.id, person.name, "", "", "", ["no risk assessment recorded"])
            )
            continue
        last = done[-1]
        due_on = parse_date(last.date) + timedelta(weeks=weeks)
        reasons = []
        if due_on <= today:
            reasons.append(f"interval of {weeks} weeks passed on {due_on.isoformat()}")
        since = [f.id for f in history_of(office, person.id) if last.predates(f.raised_at)]
        if since:
            reasons.append(f"new flag since: {', '.join(sorted(since))}")
        if reasons:
            out.append(
                DueAssessment(
                    person.id, person.name, last.date, last.level, due_on.isoformat(), reasons
                )
            )
    out.sort(key=lambda d: (d.due_on or "", d.participant_id))
    return out
