"""The programme's structured risk assessment of a man: factors with evidence, a level with the
assessor's rationale, re-assessment due from it, and a MARAC prompt when it is high."""

from __future__ import annotations

import json

import pytest
from conftest import as_coordinator

from facilitator.domain.risk_factors import FactorScore
from facilitator.errors import InvalidInput
from facilitator.services.risk import marac
from facilitator.services.risk.assessments import (
    assessments_of,
    reassessment_due,
    record_assessment,
)


def test_factors_with_evidence_and_rationale_are_kept_and_shown(office, invoke):
    result = invoke(
        "--user",
        "admin",
        "risk",
        "assess",
        "P0001",
        "--level",
        "medium",
        "--factor",
        "strangulation=present:told the assessor he put his hands round her neck in 2024",
        "--factor",
        "weapon=absent",
        "--factor",
        "separation=unknown",
        "--rationale",
        "history of strangulation; no current access to weapons",
        "--date",
        "2026-11-20",
    )
    assert result.exit_code == 0, result.output
    assert "2026-11-20: medium, 1 factor(s) present" in result.output
    [a] = assessments_of(office, "P0001")
    assert a.factors["weapon"] == {"score": "absent", "evidence": ""}
    assert a.present() == ["strangulation"]
    shown = invoke("--user", "admin", "risk", "assessments", "P0001").output
    assert "strangulation (told the assessor" in shown and "history of strangulation" in shown
    data = json.loads(invoke("--user", "admin", "risk", "assessments", "P0001", "--json").output)
    assert data[0]["rationale"].startswith("history of strangulation")
    # Re-assessment counts from it, as from any assessment.
    assert "P0001" not in {d.participant_id for d in reassessment_due(office)}


def test_a_high_assessment_raises_one_marac_prompt(office, invoke):
    result = invoke("--user", "admin", "risk", "assess", "P0002", "--level", "high")
    assert result.exit_code == 0 and "MARAC referral prompt" in result.output
    record_assessment(office, "P0002", "2026-11-24", "high")
    [prompt] = marac.prompts(office, open_only=True)
    assert (prompt.participant_id, prompt.source) == ("P0002", "programme_assessment")
    marac.refer(as_coordinator(office), "P0002", agency="Riverside MARAC", reasons=["weapons"])
    assert marac.prompts(office, open_only=True) == []
    record_assessment(office, "P0003", "2026-11-24", "medium")
    assert marac.prompts(office, open_only=True) == []


def test_unknown_factor_bad_score_and_missing_rationale_are_one_line(office, invoke):
    with pytest.raises(InvalidInput, match="unknown risk factor 'horoscope'"):
        record_assessment(
            office, "P0001", None, "medium", [FactorScore("horoscope", "present")], "x"
        )
    with pytest.raises(InvalidInput, match="score for weapon: choose one of present"):
        record_assessment(office, "P0001", None, "medium", [FactorScore("weapon", "maybe")], "x")
    with pytest.raises(InvalidInput, match="needs the assessor's rationale"):
        record_assessment(office, "P0001", None, "medium", [FactorScore("weapon", "absent")])
    bad = invoke("--user", "admin", "risk", "assess", "P0001", "--level", "medium", "--factor", "x")
    assert bad.exit_code != 0 and "is not FACTOR=SCORE" in bad.output
    assert assessments_of(office, "P0001") == []


def test_the_programme_chooses_its_factors(office, invoke):
    settings = office.ws.read_settings()
    settings.setdefault("risk", {})["factors"] = ["strangulation", "stalking"]
    with office.stores.writing():
        office.ws.write_settings(settings)
    listed = invoke("--user", "admin", "risk", "factors").output
    assert "strangulation" in listed and "stalking" in listed and "weapon" not in listed
    with pytest.raises(InvalidInput, match="unknown risk factor 'weapon'"):
        record_assessment(office, "P0001", None, "medium", [FactorScore("weapon", "absent")], "x")
