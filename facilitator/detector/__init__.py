"""Risk indicators in what men say at check-in. Pure: no storage.

    scan(text, detector=None) -> ScanResult(indicators, severity)
    Detector(rules=None)                        compiled rules; .scan(text)
    load_rules(path=None) -> Rules              shipped rules, a file merged over them
    rules_for_workspace(folder) -> Rules        <folder>/risk_rules.toml if it exists
    detector_for_workspace(folder, severities)  cached Detector for a workspace (rules file + settings)
    Indicator(category, severity, match, start, end).to_dict()
    categories: CATEGORIES, DEFAULT_SEVERITIES, SEVERITIES, severity_rank, highest_severity

Importing this package is cheap: rules are read and patterns compiled on the first scan.
"""

from facilitator.detector.categories import (
    CATEGORIES,
    CATEGORY_IDS,
    DEFAULT_SEVERITIES,
    SEVERITIES,
    highest_severity,
    severity_rank,
)
from facilitator.detector.detector import (
    Detector,
    Indicator,
    ScanResult,
    default_detector,
    detector_for_workspace,
    scan,
)
from facilitator.detector.rules import Rules, RulesError, load_rules, rules_for_workspace

__all__ = [
    "CATEGORIES",
    "CATEGORY_IDS",
    "DEFAULT_SEVERITIES",
    "SEVERITIES",
    "Detector",
    "Indicator",
    "Rules",
    "RulesError",
    "ScanResult",
    "default_detector",
    "detector_for_workspace",
    "highest_severity",
    "load_rules",
    "rules_for_workspace",
    "scan",
    "severity_rank",
]
