"""The risk settings of a workspace: the detector with its rules, category severities, review
deadlines and the window the escalation rules look back over."""

from __future__ import annotations

from datetime import datetime

from facilitator import clock
from facilitator.detector import detector_for_workspace
from facilitator.detector.categories import DEFAULT_SEVERITIES, severity_rank
from facilitator.services.core.office import Office


# -- settings and categories ------------------------------------------------------------------
def detector_for(office: Office):
    """The scanner with this workspace's rules (its risk_rules.toml, if any) and the severities
    its settings give (risk.severity: {category: severity})."""

    return detector_for_workspace(office.path, office.setting("risk.severity", {}) or {})


def category_severities(office: Office | None = None) -> dict[str, str]:
    """Category id → severity in force: the rules' severities with the workspace's settings."""
    if office is None:
        return dict(DEFAULT_SEVERITIES)
    return {cat_id: r.severity for cat_id, r in detector_for(office).rules.categories.items()}


def review_roles(office: Office) -> tuple[str, ...]:
    """Who reviews and closes flags (admins always may). Facilitators raise, confirm and add
    notes; the decision on what is done is a coordinator's unless the programme says more."""
    return tuple(office.setting("risk.review_roles", ["coordinator"]) or ["coordinator"])


def critical_close_needs_second_person(office: Office) -> bool:
    """Whether a critical flag must be closed by someone other than the only one who reviewed
    it (a four-eyes rule some programmes keep for the gravest disclosures)."""
    return bool(office.setting("risk.critical_close_by_another", False))


def deadline_hours(office: Office) -> dict:
    return office.setting("risk.deadline_hours", {"critical": 0, "high": 24, "medium": 168})


def working_day_severities(office: Office) -> list[str]:
    return list(office.setting("risk.working_day_severities", ["high"]))


def cluster_window_days(office: Office) -> int:
    return int(office.setting("risk.cluster_window_days", 180))


def current_time() -> datetime:
    return clock.now()


def categories_by_severity(office: Office) -> list[tuple[str, str]]:
    """(category id, severity in force), most severe first, for a form to choose from."""
    return sorted(category_severities(office).items(), key=lambda p: -severity_rank(p[1]))
