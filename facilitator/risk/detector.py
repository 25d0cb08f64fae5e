"""The scanner: finds risk indicators in check-in text and notes and says where each one is.

    scan(text, detector=None) -> ScanResult        with the shipped rules unless a Detector is given
    Detector(rules=None).scan(text) -> ScanResult  rules from load_rules() / rules_for_workspace()
    detector_for_workspace(folder, severities=None) -> Detector   cached; the workspace's rules file
                                                   and severity settings
    ScanResult.indicators: list[Indicator]         in text order
    ScanResult.severity: "critical" | "high" | "medium" | None   the highest found
    Indicator(category, severity, match, start, end), .to_dict()

Each category's patterns are one compiled regex; every match is then checked against the
everyday phrases it may sit in ("choked on a fish bone") and its context (negation, his own
safety plan, someone else). What is left is reported with its span, so a facilitator can see
exactly which words raised it. Patterns compile when a Detector is built, not on import.
"""

from __future__ import annotations

import re
from pathlib import Path

from facilitator.risk.categories import DEFAULT_SEVERITIES, SEVERITIES, highest_severity, severity_rank
from facilitator.risk.context import ContextRules, TextContext, compile_words
from facilitator.risk.rules import CategoryRules, Rules, RulesError

# Curly quotes and primes become a straight apostrophe: the same length, so spans stay true.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u00b4": "'", "`": "'"})


class Indicator:
    """One matched phrase: its category, that category's severity, the words and their span."""

    __slots__ = ("category", "severity", "match", "start", "end")

    def __init__(self, category: str, severity: str, match: str, start: int, end: int):
        self.category = category
        self.severity = severity
        self.match = match
        self.start = start
        self.end = end

    def to_dict(self) -> dict:
        return {"category": self.category, "severity": self.severity, "match": self.match,
                "start": self.start, "end": self.end}

    def __eq__(self, other) -> bool:
        return isinstance(other, Indicator) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.category, self.start, self.end))

    def __repr__(self) -> str:
        return f"Indicator({self.category!r}, {self.severity!r}, {self.match!r}, {self.start}, {self.end})"


class ScanResult:
    """What a scan found: the indicators in text order and the highest severity among them."""

    __slots__ = ("indicators", "severity")

    def __init__(self, indicators: list[Indicator], severity: str | None):
        self.indicators = indicators
        self.severity = severity

    @property
    def categories(self) -> list[str]:
        """Each category found once, the most severe first (then in text order)."""
        seen: dict[str, Indicator] = {}
        for ind in self.indicators:
            seen.setdefault(ind.category, ind)
        return sorted(seen, key=lambda c: (-severity_rank(seen[c].severity), seen[c].start))

    def __bool__(self) -> bool:
        return bool(self.indicators)

    def to_dict(self) -> dict:
        return {"indicators": [i.to_dict() for i in self.indicators], "severity": self.severity}

    def __repr__(self) -> str:
        return f"ScanResult({self.indicators!r}, severity={self.severity!r})"


class _Compiled:
    __slots__ = ("rules", "regex", "exclude", "negation")

    def __init__(self, rules: CategoryRules):
        self.rules = rules
        self.regex = _compile_category(rules.id, "patterns", rules.patterns)
        self.exclude = _compile_category(rules.id, "exclude", rules.exclude) if rules.exclude else None
        self.negation = _compile_category(rules.id, "negation", rules.negation) if rules.negation else None


def _compile_category(cat_id: str, what: str, patterns: tuple[str, ...]) -> re.Pattern:
    try:
        return compile_words(patterns)
    except re.error:
        for p in patterns:  # say which one
            try:
                re.compile(p)
            except re.error as err:
                raise RulesError(f"risk rules [categories.{cat_id}] {what}: {p[:120]!r} is not a valid regular expression ({err})") from None
        raise


class Detector:
    """Risk indicators by the given rules (the shipped ones by default)."""

    def __init__(self, rules: Rules | None = None):
        if rules is None:
            from facilitator.risk.rules import load_rules

            rules = load_rules(None)
        self.rules = rules
        try:
            self._context = ContextRules(rules.context)
        except re.error as err:
            raise RulesError(f"risk rules [context]: a pattern is not a valid regular expression ({err})") from None
        self._categories = [_Compiled(c) for c in rules.categories.values()]
        self._exclude = _compile_category("(all)", "exclude", rules.exclude) if rules.exclude else None
        self._tokens = [(prefix, _compile_category(f"tokens {prefix}", "phrases", phrases))
                        for prefix, phrases in rules.tokens]

    def _tokenize(self, text: str) -> str:
        """Swap each [tokens] phrase for its same-length token ("his missus" -> "_ta_______")."""
        for prefix, regex in self._tokens:
            n = len(prefix)

            def token(m: re.Match, prefix=prefix, n=n) -> str:
                size = m.end() - m.start()
                return prefix + "_" * (size - n) if size >= n else m.group()

            text = regex.sub(token, text)
        return text

    def scan(self, text: str) -> ScanResult:
        if not text:
            return ScanResult([], None)
        norm = self._tokenize(text.translate(_QUOTES))
        ctx: TextContext | None = None
        everyday: list[tuple[int, int]] | None = None  # spans of the global exclusions
        found: list[Indicator] = []
        for cat in self._categories:
            excluded: list[tuple[int, int]] | None = None
            for m in cat.regex.finditer(norm):
                start, end = m.span()
                if ctx is None:
                    ctx = TextContext(norm, self._context)
                    everyday = [e.span() for e in self._exclude.finditer(norm)] if self._exclude else []
                if excluded is None:
                    excluded = everyday + ([e.span() for e in cat.exclude.finditer(norm)] if cat.exclude else [])
                if any(_silences(es, ee, start, end) for es, ee in excluded):
                    continue
                r = cat.rules
                if r.negatable and ctx.negated(start, end, cat.negation):
                    continue
                if r.hypothetical and ctx.hypothetical(start, end):
                    continue
                if r.third_party and ctx.someone_else(start, end):
                    continue
                found.append(Indicator(r.id, r.severity, text[start:end], start, end))
        found.sort(key=lambda i: (i.start, -severity_rank(i.severity), i.end))
        return ScanResult(found, highest_severity(i.severity for i in found))


def _silences(es: int, ee: int, start: int, end: int) -> bool:
    """An everyday phrase silences a match it touches ("strangled" in "a strangled cry"),
    unless the phrase lies wholly inside a longer match ("nail gun" in "nail gun at her")."""
    if not (es < end and start < ee):
        return False
    inside = start <= es and ee <= end and (ee - es) < (end - start)
    return not inside


_default: Detector | None = None
_by_workspace: dict[tuple, Detector] = {}


def default_detector() -> Detector:
    """The detector with the shipped rules, built on first use and kept."""
    global _default
    if _default is None:
        _default = Detector()
    return _default


def detector_for_workspace(folder: Path | str | None, severities: dict[str, str] | None = None) -> Detector:
    """The detector a workspace uses: its risk_rules.toml if it has one, and its severity
    settings (category -> severity; unknown categories and words are ignored, as in settings).
    Kept per folder and rebuilt when the rules file or the severities change."""
    from facilitator.risk.rules import WORKSPACE_RULES_FILE, rules_for_workspace

    stamp = None
    if folder is not None:
        try:
            stamp = (Path(folder) / WORKSPACE_RULES_FILE).stat().st_mtime_ns
        except OSError:
            stamp = None
    valid = {c: s for c, s in (severities or {}).items() if c in DEFAULT_SEVERITIES and s in SEVERITIES}
    if stamp is None and not valid:
        return default_detector()
    key = (str(folder), stamp, tuple(sorted(valid.items())))
    if key not in _by_workspace:
        _by_workspace.clear()  # one workspace at a time is the normal case; keep memory flat
        _by_workspace[key] = Detector(rules_for_workspace(folder).with_severities(valid))
    return _by_workspace[key]


def scan(text: str, detector: Detector | None = None) -> ScanResult:
    """Risk indicators in `text` (a check-in summary, a note): the shipped rules unless a
    detector built from a workspace's rules is given."""
    return (detector or default_detector()).scan(text)
