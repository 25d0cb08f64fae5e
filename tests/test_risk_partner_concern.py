"""A concern raised by partner support reaches the queue without a word of what she said.

Information given by a victim is never shown or repeated on the group side. The flag
carries category, severity and "source: partner contact" only — in the stores, the audit log and
everything the CLI prints.
"""

from __future__ import annotations

import inspect
import json

import pytest

from facilitator.errors import AccessDenied, InvalidInput
from facilitator.services.core.office import Office
from facilitator.services.risk import flags as risk

# What the partner told her worker. It must never reach the group side.
HER_WORDS = "Canaryword: he held the bread knife to my throat in the car on Sunday"


def lead(office):
    """The risk lead: reviewing and closing flags is a coordinator's."""
    return Office.open(office.path, "admin")


def group_side_text(ws) -> str:
    """Every file the group side can read (partner support's own store excluded)."""
    out = []
    for p in sorted(ws.rglob("*")):
        if p.is_file() and "partner" not in p.relative_to(ws).parts and p.name != ".lock":
            out.append(p.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(out)


@pytest.fixture
def pat(office):
    return Office.open(office.path, "pat")


def test_the_call_cannot_carry_words(pat):
    params = list(inspect.signature(risk.raise_partner_concern).parameters)
    assert params == ["office", "participant_id", "category", "severity"]
    with pytest.raises(TypeError):
        risk.raise_partner_concern(pat, "P0001", "weapons", "critical", summary=HER_WORDS)  # type: ignore[call-arg]


def test_words_typed_into_a_field_are_refused_and_not_repeated(pat, office):
    for category, severity in ((HER_WORDS, "high"), ("weapons", HER_WORDS)):
        with pytest.raises(InvalidInput) as err:
            risk.raise_partner_concern(pat, "P0001", category, severity)
        assert "Canaryword" not in str(err.value)
    assert risk.list_flags(office, "all") == []
    assert "Canaryword" not in group_side_text(office.path)


def test_only_partner_support_may_raise_one(office):
    with pytest.raises(AccessDenied):
        risk.raise_partner_concern(office, "P0001", "weapons", "critical")  # alex is a facilitator
    assert risk.list_flags(office, "all") == []


def test_partner_flag_shows_and_stores_only_category_severity_and_source(pat, office, invoke):
    flag = risk.raise_partner_concern(pat, "P0001", "weapons", "critical")
    assert (flag.categories, flag.severity, flag.source) == (
        ["weapons"],
        "critical",
        "partner_contact",
    )
    assert flag.summary == "Risk concern raised by partner support (source: partner contact)"
    assert flag.raised_by == "partner_support" and flag.session_id == ""

    # The reviewers work it like any other flag.
    risk.review_flag(
        lead(office), flag.id, ["marac_referral"], "Referred to MARAC by the risk lead."
    )

    printed = "\n".join(
        [
            invoke("--user", "alex", "risk", "list").output,
            invoke("--user", "alex", "risk", "list", "--json").output,
            invoke("--user", "alex", "risk", "show", flag.id).output,
            invoke("--user", "alex", "risk", "show", flag.id, "--json").output,
        ]
    )
    assert "partner contact" in printed and "weapons" in printed
    assert "Canaryword" not in printed and "bread knife" not in printed
    shown = json.loads(invoke("--user", "alex", "risk", "show", flag.id, "--json").output)
    assert shown["summary"] == flag.summary and shown["source_label"] == "partner contact"

    audit = [
        json.loads(line) for line in (office.path / "data/audit.jsonl").read_text().splitlines()
    ]
    raised = [e for e in audit if e["kind"] == "risk_flag" and e["action"] == "raise"]
    assert raised[0]["source"] == "partner_contact" and raised[0]["categories"] == "weapons"
    assert "Canaryword" not in group_side_text(office.path)
