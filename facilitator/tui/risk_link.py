"""The session runner's way to the risk feature (issue 5): the scanner, flags, suggestions, queue.

Everything goes through `facilitator.detector` and `facilitator.services.risk.flags` when they are
installed; without them the UI still runs a session, and says that flags cannot be raised.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from facilitator.errors import FacilitatorError

# DESIGN §6: the categories and their default severities, used when the risk rules are absent.
DEFAULT_CATEGORIES: list[tuple[str, str]] = [
    ("strangulation", "critical"),
    ("threats_to_kill", "critical"),
    ("weapons", "critical"),
    ("separation", "high"),
    ("stalking", "high"),
    ("sexual_violence", "high"),
    ("pregnancy", "high"),
    ("child_safeguarding", "high"),
    ("breach_of_order", "high"),
    ("escalation", "high"),
    ("physical_violence", "high"),
    ("suicidal", "high"),
    ("honour_based", "high"),
    ("victim_fear", "high"),
    ("substance_misuse", "medium"),
    ("property_damage", "medium"),
    ("controlling_behaviour", "medium"),
    ("economic_abuse", "medium"),
    ("animal_harm", "medium"),
]
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2}


class RiskUnavailable(FacilitatorError):
    pass


@dataclass
class Indicator:
    category: str
    severity: str
    match: str


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name and name.startswith(err.name):
            return None
        raise


def _service():
    return _module("facilitator.services.risk.flags")


def _need(name: str):
    svc = _service()
    fn = getattr(svc, name, None) if svc else None
    if fn is None:
        raise RiskUnavailable("the risk feature is not installed in this version: flags cannot be recorded here")
    return fn


def available() -> bool:
    svc = _service()
    return svc is not None and hasattr(svc, "raise_flag")


def label(category: str) -> str:
    cats = _module("facilitator.detector.categories")
    if cats is not None and hasattr(cats, "label"):
        return cats.label(category)
    return category.replace("_", " ").capitalize()


def categories(office) -> list[tuple[str, str]]:
    """(category id, default severity), most severe first, as the programme's settings have them."""
    svc = _service()
    fn = getattr(svc, "category_severities", None) if svc else None
    pairs = list(DEFAULT_CATEGORIES)
    if fn is not None:
        try:
            pairs = list(dict(fn(office)).items())
        except FacilitatorError:
            pass
    return sorted(pairs, key=lambda p: SEVERITY_ORDER.get(p[1], 9))


def scan(text: str, office=None, fields: dict | None = None) -> list[Indicator]:
    """What the scanner would suggest for a check-in as it is being written, one line per
    category, most severe first: its words, and the answers that are risks in themselves."""
    severities = dict(categories(office)) if office is not None else dict(DEFAULT_CATEGORIES)
    out: dict[str, Indicator] = {}
    risk = _module("facilitator.detector")
    if text.strip() and risk is not None and hasattr(risk, "scan"):
        # The workspace's own rules and severities, as the saved check-in will be scanned with.
        svc = _service()
        detector = svc.detector_for(office) if office is not None and hasattr(svc, "detector_for") else None
        found = detector.scan(text) if detector is not None else risk.scan(text)
        for ind in getattr(found, "indicators", found):
            cat = _get(ind, "category")
            if cat not in out:
                out[cat] = Indicator(cat, severities.get(cat, _get(ind, "severity")), _get(ind, "match"))
    svc = _service()
    if fields and svc is not None:
        forms = getattr(svc, "FORM_CATEGORIES", {})
        changes = getattr(svc, "CIRCUMSTANCE_CATEGORIES", {})
        needing = getattr(svc, "CIRCUMSTANCES_NEEDING_DISCLOSURE", ())
        disclosed = fields.get("disclosed") == "yes"
        for form in fields.get("forms") or []:
            cat = forms.get(form)
            if disclosed and cat and cat not in out:
                out[cat] = Indicator(cat, severities.get(cat, "medium"), f"answer: {form.replace('_', ' ')}")
        for change in fields.get("circumstance_changes") or []:
            cat = changes.get(change)
            if cat and cat not in out and (change not in needing or disclosed):
                out[cat] = Indicator(cat, severities.get(cat, "medium"), f"change: {change.replace('_', ' ')}")
    return sorted(out.values(), key=lambda i: SEVERITY_ORDER.get(i.severity, 9))


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name)


# -- flags -----------------------------------------------------------------------------------
def raise_flag(office, participant_id: str, category: str, severity: str, summary: str, session_id: str):
    return _need("raise_flag")(office, participant_id, [category], summary, severity=severity, session_id=session_id)


def flag_counts(office, participant_ids: list[str]) -> dict[str, int]:
    """Open flags per man (what the roster's marker shows)."""
    svc = _service()
    fn = getattr(svc, "list_flags", None) if svc else None
    if fn is None:
        return {}
    wanted = set(participant_ids)
    counts: dict[str, int] = {}
    for f in fn(office, "open"):
        if f.participant_id in wanted:
            counts[f.participant_id] = counts.get(f.participant_id, 0) + 1
    return counts


# -- suggestions -----------------------------------------------------------------------------
def suggestions(office, session_id: str, participant_id: str) -> list:
    """Stored suggestions for a man's check-in in this session (pending and decided)."""
    svc = _service()
    fn = getattr(svc, "list_suggestions", None) if svc else None
    if fn is None:
        return []
    return [s for s in fn(office, session_id) if s.participant_id == participant_id]


def record_suggestions(office, session_id: str, checkin) -> None:
    """After a check-in is saved: the service keeps what the scanner found as a suggestion."""
    svc = _service()
    fn = getattr(svc, "suggest_from_checkin", None) if svc else None
    if fn is not None:
        fn(office, session_id, checkin)


def confirm(office, suggestion_id: str, summary: str | None = None, categories: list[str] | None = None,
            reason: str | None = None):
    """Confirm a suggestion as a flag; `categories` narrows it (a category left out needs `reason`)."""
    return _need("confirm_suggestion")(office, suggestion_id, summary=summary, categories=categories, reason=reason)


def dismiss(office, suggestion_id: str, reason: str):
    return _need("dismiss_suggestion")(office, suggestion_id, reason)


# -- queue -----------------------------------------------------------------------------------
def queue(office, include_closed: bool = False) -> list:
    return list(_need("list_flags")(office, "all" if include_closed else "open"))


def review(office, flag_id: str, actions: list[str], note: str):
    return _need("review_flag")(office, flag_id, actions, note)


def close(office, flag_id: str, outcome: str):
    return _need("close_flag")(office, flag_id, outcome)
