"""The risk categories the programme reviews, with their default severities.

Drawn from the SafeLives DASH checklist, the Danger Assessment and research on domestic
homicide. A programme may change a severity (rules file or settings); the ids never change,
because flags and reports refer to them.
"""

from __future__ import annotations

from collections.abc import Iterable  # not typing: it costs import time, and this must import fast

# Lowest first, so a severity's index is its rank (the same order as domain/risk_flag.py).
SEVERITIES: tuple[str, ...] = ("medium", "high", "critical")


class Category:
    """A risk category: its id (stable, flags refer to it), label, what it covers, default severity."""

    __slots__ = ("id", "label", "description", "severity")

    def __init__(self, id: str, label: str, description: str, severity: str):
        self.id = id
        self.label = label
        self.description = description
        self.severity = severity  # the default

    def __repr__(self) -> str:
        return f"Category({self.id!r}, {self.severity!r})"


CATEGORIES: tuple[Category, ...] = (
    Category(
        "strangulation",
        "Strangulation",
        "strangling, choking, suffocating, hands on the neck",
        "critical",
    ),
    Category(
        "threats_to_kill",
        "Threats to kill",
        "threats to kill the partner, children, others or himself and her",
        "critical",
    ),
    Category(
        "weapons", "Weapons", "access to or use of weapons, or objects used as weapons", "critical"
    ),
    Category("separation", "Separation", "recent, planned or feared separation or divorce", "high"),
    Category(
        "stalking", "Stalking", "following, watching, repeated unwanted contact, tracking", "high"
    ),
    Category(
        "sexual_violence", "Sexual violence", "sexual coercion, assault, image-based abuse", "high"
    ),
    Category(
        "pregnancy",
        "Pregnancy or new baby",
        "partner pregnant or a baby under 18 months; abuse in pregnancy",
        "high",
    ),
    Category(
        "child_safeguarding",
        "Child safeguarding",
        "harm or threats to children, children present, contact disputes, abduction threats",
        "high",
    ),
    Category(
        "breach_of_order",
        "Breach of order",
        "breach of bail, injunction, non-molestation, restraining or contact order",
        "high",
    ),
    Category("escalation", "Escalation", "abuse more frequent or more severe", "high"),
    Category(
        "physical_violence",
        "Physical violence",
        "new physical violence since the last session",
        "high",
    ),
    Category("suicidal", "Suicidal", "suicidal thoughts, threats or attempts", "high"),
    Category(
        "honour_based",
        "Honour-based abuse",
        "so-called honour-based abuse, forced marriage, third-party threats",
        "high",
    ),
    Category(
        "victim_fear", "Victim's fear", "she is very frightened of him, of what he will do", "high"
    ),
    Category("substance_misuse", "Substance misuse", "escalating alcohol or drug use", "medium"),
    Category(
        "property_damage",
        "Property damage",
        "smashing, breaking or throwing things, punching walls or doors",
        "medium",
    ),
    Category(
        "controlling_behaviour",
        "Controlling behaviour",
        "jealousy, monitoring, isolation, rules: coercive control",
        "medium",
    ),
    Category(
        "economic_abuse", "Economic abuse", "control of money, preventing work, debt", "medium"
    ),
    Category("animal_harm", "Harm to animals", "harm or threats to pets", "medium"),
)

BY_ID: dict[str, Category] = {c.id: c for c in CATEGORIES}
CATEGORY_IDS: tuple[str, ...] = tuple(BY_ID)
DEFAULT_SEVERITIES: dict[str, str] = {c.id: c.severity for c in CATEGORIES}


def severity_rank(severity: str | None) -> int:
    """0 for medium up to 2 for critical; -1 for none or an unknown word."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


def highest_severity(severities: Iterable[str | None]) -> str | None:
    """The most severe of them, or None when there is none."""
    best = None
    for s in severities:
        if severity_rank(s) > severity_rank(best):
            best = s
    return best


def label(category_id: str) -> str:
    """A category's label for people; an unknown (programme-added) id reads as itself."""
    cat = BY_ID.get(category_id)
    return cat.label if cat else category_id.replace("_", " ").capitalize()
