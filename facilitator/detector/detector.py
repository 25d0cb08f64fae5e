"""The scanner: finds risk indicators in check-in text and notes and says where each one is.

    scan(text, detector=None) -> ScanResult        with the shipped rules unless a Detector is given
    Detector(rules=None).scan(text) -> ScanResult  rules from load_rules() / rules_for_workspace()
    detector_for_workspace(folder, severities=None) -> Detector   cached; the workspace's rules file
                                                   and severity settings
    ScanResult.indicators: list[Indicator]         in text order
    ScanResult.severity: "critical" | "high" | "medium" | None   the highest found
    Indicator(category, severity, match, start, end), .to_dict()

Each word's first letters pick the patterns that could start there; every match is then
checked against the everyday phrases it may sit in ("choked on a fish bone") and its context
(negation, his own safety plan, someone else). What is left is reported with its span, so a
facilitator can see exactly which words raised it. Nothing is read or compiled on import;
each pattern compiles the first time a word could start it.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from collections.abc import Callable
from itertools import accumulate

from facilitator.detector.aim import idiom, named_as_topic
from facilitator.detector.categories import (
    DEFAULT_SEVERITIES,
    SEVERITIES,
    highest_severity,
    severity_rank,
)
from facilitator.detector.context import ContextRules, TextContext
from facilitator.detector.rules import CategoryRules, Rules, RulesError
from facilitator.detector.stems import NEXT_K, WORD_K, lower_regex

# Curly quotes and primes become a straight apostrophe: the same length, so spans stay true.
_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u00b4": "'", "`": "'"}
)


class Indicator:
    """One finding: its category, that category's severity, the words and their span.

    source is "rule" (a pattern of the rules file matched `match`) or "model" (the learned
    layer scored the sentence over its threshold; `match` is then the span of the words that
    weighed most). words: the strongest words, for showing why (the matched phrase itself
    for a rule). to_dict() keeps the shape callers store and print; details() adds the rest.
    """

    __slots__ = ("category", "severity", "match", "start", "end", "source", "words")

    def __init__(
        self,
        category: str,
        severity: str,
        match: str,
        start: int,
        end: int,
        source: str = "rule",
        words: list[str] | None = None,
    ):
        self.category = category
        self.severity = severity
        self.match = match
        self.start = start
        self.end = end
        self.source = source
        self.words = words if words is not None else [match]

    def to_dict(self) -> dict:
        return {
            "category": self.category,
            "severity": self.severity,
            "match": self.match,
            "start": self.start,
            "end": self.end,
        }

    def details(self) -> dict:
        """to_dict() with where it came from and the words that raised it."""
        return {**self.to_dict(), "source": self.source, "words": list(self.words)}

    def __eq__(self, other) -> bool:
        return isinstance(other, Indicator) and self.details() == other.details()

    def __hash__(self) -> int:
        return hash((self.category, self.start, self.end))

    def __repr__(self) -> str:
        extra = f", source={self.source!r}, words={self.words!r}" if self.source != "rule" else ""
        return (
            f"Indicator({self.category!r}, {self.severity!r}, {self.match!r}, {self.start}, "
            f"{self.end}{extra})"
        )


class ScanResult:
    """What a scan found: the indicators in text order and the highest severity among them.

    implied: categories that follow from an indicator by the labelling conventions (strangling
    her is physical violence too; checking her phone is stalking as well as controlling
    behaviour), each with the words of the indicator it follows from. They are kept apart
    from `indicators` and `categories`, whose shape callers store, print and turn into flags;
    `all_indicators` and `all_categories` include them, for showing and for the figures.
    """

    __slots__ = ("indicators", "severity", "implied")

    def __init__(
        self,
        indicators: list[Indicator],
        severity: str | None,
        implied: list[Indicator] | None = None,
    ):
        self.indicators = indicators
        self.severity = severity
        self.implied = implied or []

    @property
    def all_indicators(self) -> list[Indicator]:
        """The indicators and the implied categories, in text order."""
        return sorted(
            self.indicators + self.implied,
            key=lambda i: (i.start, -severity_rank(i.severity), i.end),
        )

    @property
    def categories(self) -> list[str]:
        """Each category found once, the most severe first, then in text order."""
        return self._categories(self.indicators)

    @property
    def all_categories(self) -> list[str]:
        """The same with the implied categories."""
        return self._categories(self.indicators + self.implied)

    @staticmethod
    def _categories(found: list[Indicator]) -> list[str]:
        seen: dict[str, Indicator] = {}
        for ind in found:
            if ind.category not in seen or ind.start < seen[ind.category].start:
                seen[ind.category] = ind
        return sorted(seen, key=lambda c: (-severity_rank(seen[c].severity), seen[c].start))

    def __bool__(self) -> bool:
        return bool(self.indicators)

    def to_dict(self) -> dict:
        return {"indicators": [i.to_dict() for i in self.indicators], "severity": self.severity}

    def details(self) -> dict:
        """Every indicator with its source and words, and the implied categories."""
        return {
            "indicators": [i.details() for i in self.indicators],
            "severity": self.severity,
            "implied": [i.details() for i in self.implied],
        }

    def __repr__(self) -> str:
        return f"ScanResult({self.indicators!r}, severity={self.severity!r})"


_WORDS = re.compile(r"(\w+)")  # split keeps the words, at odd places
_CANDIDATE_CACHE = 50_000  # word shapes remembered per detector


# The categories whose words of harm are everyday idioms when aimed at a thing, a situation or
# himself ("the exam nearly killed him", "the traffic was suffocating"); read by aim.idiom.
_IDIOM_CATEGORIES = frozenset(("threats_to_kill", "strangulation", "physical_violence", "weapons"))


def _rule_order(pat: "_Pattern") -> tuple[int, int]:
    return (pat.cat, pat.order)


def _always(text: str, pos: int) -> bool:
    return True


# A one-word critical match aimed at someone ("throttled her", "she will be killed", "kill
# you") is never dropped on the learned layer's word, nor is professional shorthand (NFS,
# TTK): the veto is for the words of everyday talk, which have no one at the end of them
# ("murdered a curry", "this heat is suffocating", "a cleaver in my hand"). Only people who
# could be harmed count; the man speaking ("I", "he") is the subject of nearly every note.
_TARGETS = frozenset(
    "her she she'd she'll she's you you'll you'd ya u him them us wife partner ex missus mrs "
    "girlfriend gf kids kid child children son daughter baby mum mother sister".split()
)
_CLAUSE_END = re.compile(r"[.!?;\n]")
_WORD = re.compile(r"[a-z']+")
_REACH = 4  # words either side


def aimed_at_someone(text: str, start: int, end: int) -> bool:
    """Is the match at text[start:end] shorthand, or has it a person who could be harmed
    within a few words either side, in the same clause?"""
    if text[start:end].isupper() and end - start <= 5:
        return True
    # A few words either side lie well within 120 characters: only that much is read, so a
    # long text with many matches costs in proportion to its length.
    base = max(0, start - 120)
    near = text[base : end + 120].lower()
    s, e = start - base, end - base
    left = 0
    for m in _CLAUSE_END.finditer(near, 0, s):
        left = m.end()
    stop = _CLAUSE_END.search(near, e)
    before = _WORD.findall(near, left, s)[-_REACH:]
    after = _WORD.findall(near, e, stop.start() if stop else len(near))[:_REACH]
    return any(w in _TARGETS or w.removesuffix("'s") in _TARGETS for w in before + after)


_HIS_BODY = frozenset(
    "thumb thumbs finger fingers hand hands toe toes foot feet knee knees back arm arms leg "
    "legs head neck throat wrist ankle shoulder eye eyes nose lip mouth".split()
)


def about_himself(low: str, start: int, end: int) -> bool:
    """Is the sentence low[start:end] about his own body and no one else's: "I hit my thumb
    with a hammer", "nearly strangled myself with the hoover cable"? Anyone who could be
    harmed named in it ("her", "the kids") and it is not."""
    words = [w.removesuffix("'s") for w in _WORD.findall(low, start, end)]
    if any(w in _TARGETS for w in words):
        return False
    if "myself" in words or "himself" in words:
        return True
    return any(a in ("my", "his") and b in _HIS_BODY for a, b in zip(words, words[1:]))


# Weapons named as objects: the weapons rules read them; alone they are no threat to kill.
_WEAPON_NOUNS = frozenset(
    "knife knives blade blades gun guns pistol rifle shotgun machete bat hammer axe sword "
    "crossbow".split()
)


def weapon_alone(low: str, unit, words: list[str]) -> bool:
    """Did the model raise a threat to kill chiefly on a weapon's name, in a sentence naming no
    one it could be aimed at ("someone keeps a knife by the door")? A threat with a person in
    it ("the knife is for your mother") is never dropped here."""
    if not words or words[0].lower().strip(".,;:!?'\"") not in _WEAPON_NOUNS:
        return False  # the word that weighed most is not a weapon's name
    named = [w.removesuffix("'s") for w in _WORD.findall(low, unit.start, unit.end)]
    return not any(w in _TARGETS for w in named)


def vetoable(ind: Indicator, text: str) -> bool:
    """May the learned layer drop this rule match? Only a one-word one, and of a critical
    category only one aimed at no one."""
    if len(ind.match.split()) != 1:
        return False
    return ind.severity != "critical" or not aimed_at_someone(text, ind.start, ind.end)


def _lower(text: str) -> str:
    """Lower case, one character for one, so spans in the lowered text are spans in the original."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)  # e.g. "İ" lowers to two


def _compile(source: str, where: str) -> re.Pattern:
    try:
        return re.compile(r"(?<!\w)(?:" + lower_regex(source) + r")(?!\w)")
    except re.error as err:
        raise RulesError(
            f"risk rules {where}: {source[:120]!r} is not a valid regular expression ({err})"
        ) from None


def _compile_all(sources: tuple[str, ...], where: str) -> re.Pattern | None:
    if not sources:
        return None
    try:
        return re.compile(
            r"(?<!\w)(?:" + "|".join(f"(?:{lower_regex(p)})" for p in sources) + r")(?!\w)"
        )
    except re.error:
        for p in sources:  # say which one
            _compile(p, where)
        raise


class _Pattern:
    """One pattern (or everyday phrase) of a category, compiled the first time a word could
    start it. cat is the category's index; -1 for the everyday phrases of all categories."""

    __slots__ = ("cat", "order", "source", "where", "exclusion", "_regex")

    def __init__(self, cat: int, order: int, source: str, where: str, exclusion: bool = False):
        self.cat = cat
        self.order = order
        self.source = source
        self.where = where
        self.exclusion = exclusion
        self._regex: re.Pattern | None = None

    @property
    def regex(self) -> re.Pattern:
        if self._regex is None:
            self._regex = _compile(self.source, self.where)
        return self._regex


class _Category:
    __slots__ = ("rules", "_negation", "_compiled")

    def __init__(self, rules: CategoryRules):
        self.rules = rules
        self._compiled = False

    @property
    def negation(self) -> re.Pattern | None:
        if not self._compiled:
            self._negation = _compile_all(
                self.rules.negation, f"[categories.{self.rules.id}] negation"
            )
            self._compiled = True
        return self._negation


class Detector:
    """Risk indicators by the given rules (the shipped ones by default).

    Each word's first letters pick the few patterns and everyday phrases that could start
    there (see stems.py); only those are tried, and each is compiled the first time it is
    needed. Rules from a workspace file are checked in full when the Detector is built, so a
    mistake in them is reported at once, with its category.
    """

    def __init__(self, rules: Rules | None = None, learned: bool = True, material: bool = True):
        """learned=False: the rules alone (the learned layer is not consulted). material=False:
        lines of the programme's own material are read like any other (training does, so
        the curriculum's lines stay the hard negatives its thresholds are chosen against)."""
        from facilitator.detector.stems import StemFinder, pattern_key, shipped_stems

        if rules is None:
            from facilitator.detector.rules import load_rules

            rules = load_rules(None)
        self.rules = rules
        self.learned = learned
        self.material = material
        self._categories = [_Category(c) for c in rules.categories.values()]
        self._context_rules: ContextRules | None = None
        self._candidates: dict = {}
        self._long_words: dict[str, tuple] = {}
        self._short_words: dict[str, bool] = {}
        self._pair_heads: set[str] | None = None
        self._by_stem: dict[str, list[_Pattern]] = {}
        self._everywhere: list[_Pattern] = []
        self._any: dict[tuple, object] = {}

        shipped = shipped_stems()
        found: frozenset[str] | list[str] | None
        finder: StemFinder | None = None
        token_stems: set[str] | None = set()
        for _, phrases in rules.tokens:
            for phrase in phrases:
                key = pattern_key(phrase)
                if key in shipped:
                    found = shipped[key]
                else:
                    finder = finder or StemFinder(rules.macros)
                    found = finder.stems(phrase)
                if found is None or token_stems is None:
                    token_stems = None  # a phrase that could start anywhere: no guard
                else:
                    token_stems.update(found)
        self._tokens = _TokenSwap(rules.tokens, token_stems)
        own = rules.sources != ("built-in",)
        work = [(-1, True, "exclude", rules.raw_exclude, rules.exclude)]
        for ci, cat in enumerate(rules.categories.values()):
            work.append(
                (ci, False, f"[categories.{cat.id}] patterns", cat.raw_patterns, cat.patterns)
            )
            work.append((ci, True, f"[categories.{cat.id}] exclude", cat.raw_exclude, cat.exclude))
        for ci, exclusion, where, raws, expanded in work:
            for j, (raw, source) in enumerate(zip(raws, expanded)):
                pat = _Pattern(ci, j, source, where, exclusion)
                key = pattern_key(source)
                if own:
                    pat.regex  # a programme's rules: every pattern is checked now
                if key in shipped:
                    stems = shipped[key]
                else:
                    pat.regex
                    finder = finder or StemFinder(rules.macros)
                    found = finder.stems(raw)
                    stems = sorted(found) if found else None
                if stems is None:
                    self._everywhere.append(pat)
                else:
                    for stem in stems:
                        self._by_stem.setdefault(stem, []).append(pat)
        self._stem_lengths = sorted(
            {len(s) for s in self._by_stem if " " not in s and not s.endswith("$")}
        )
        if own:
            self._context()
            for compiled in self._categories:
                compiled.negation  # noqa: B018 - compiles and checks

    def _context(self) -> ContextRules:
        if self._context_rules is None:
            try:
                self._context_rules = ContextRules(self.rules.context, self._stems_finder())
            except re.error as err:
                raise RulesError(
                    f"risk rules [context]: a pattern is not a valid regular expression ({err})"
                ) from None
        return self._context_rules

    def _stems_finder(self) -> Callable[[str], list[str] | frozenset[str] | None]:
        """Stems of a [context] pattern: from the shipped table, else worked out then."""
        from facilitator.detector.stems import StemFinder, pattern_key, shipped_stems

        shipped = shipped_stems()
        finder: list[StemFinder] = []

        def stems_of(pattern: str) -> list[str] | frozenset[str] | None:
            key = pattern_key(pattern)
            if key in shipped:
                return shipped[key]
            if not finder:
                finder.append(StemFinder(self.rules.macros))
            return finder[0].stems(pattern)

        return stems_of

    def _candidates_for(self, word: str, nxt: str | None) -> tuple:
        """What could start at this word, in rule order, as (category, is_exclusion, match)
        with each pattern compiled now; worked out once per word shape and remembered."""
        keys = [word[:n] for n in self._stem_lengths if n <= len(word)]
        if len(word) < WORD_K:  # a short word: exactly it, or it and the next word's letters
            keys.append(word + "$")
            if nxt:
                keys += [f"{word} {nxt[:n]}" for n in range(1, len(nxt) + 1)]
        found = sorted({pat for key in keys for pat in self._by_stem.get(key, ())}, key=_rule_order)
        if not found:
            return None, ()
        cands = tuple((pat.cat, pat.exclusion, pat.regex.match) for pat in found)
        return self._any_of(found), cands

    def _short_live(self, word: str) -> bool:
        """Could a short word start a pattern, whatever word follows it?"""
        known = self._short_words.get(word)
        if known is None:
            stems = self._by_stem
            if self._pair_heads is None:
                self._pair_heads = {k.split(" ", 1)[0] for k in stems if " " in k}
            known = (
                word + "$" in stems
                or word in self._pair_heads
                or any(word[:n] in stems for n in self._stem_lengths if n <= len(word))
            )
            self._short_words[word] = known
        return known

    def _live_words(self, words: set[str]) -> dict[str, tuple | None]:
        """The words that could start a pattern: a short word some stem begins with (None: its
        candidates depend on the next word too), and a long word whose first letters have
        candidates (with them; worked out once and remembered)."""
        known = self._long_words
        if len(known) > _CANDIDATE_CACHE:
            known.clear()
        live: dict[str, tuple | None] = {}
        for word in words:
            if len(word) < WORD_K:
                if self._short_live(word):
                    live[word] = None
                continue
            entry = known.get(word)
            if entry is None:
                key = word[:WORD_K]
                entry = self._candidates.get(key)
                if entry is None:
                    entry = self._candidates[key] = self._candidates_for(word, None)
                known[word] = entry
            if entry[0] is not None:
                live[word] = entry
        return live

    def _any_of(self, found: list[_Pattern]):
        """One regex for "does any of these match here?": at most word starts none does, and one
        failed match is much cheaper than one per pattern. Kept per set of patterns, which many
        words share ("been", "beer" and "bees" all start "bee"). It is only tried at the start
        of a word, so it leaves out the "no word character before" of each pattern; a plain
        alternation lets the regex engine skip an alternative on its first letter."""
        if len(found) == 1:
            return found[0].regex.match
        key = tuple(id(p) for p in found)
        any_match = self._any.get(key)
        if any_match is None:
            try:
                any_match = re.compile(
                    "(?:" + "|".join(lower_regex(p.source) for p in found) + r")(?!\w)"
                ).match
            except re.error:  # a programme's pattern with its own inline flags: try each
                any_match = _always
            self._any[key] = any_match
        return any_match

    def _matches(
        self, norm: str
    ) -> tuple[list[tuple[int, int, int]], dict[int, list[tuple[int, int]]]]:
        """Pattern matches as (category index, start, end), found as one regex per category
        would find them (leftmost first, the first pattern in rule order at a place, no
        overlap), and the spans of everyday phrases by category (-1: for all)."""
        cache = self._candidates
        last_end = [0] * len(self._categories)
        hits: list[tuple[int, int, int]] = []
        everyday: dict[int, list[tuple[int, int]]] = {}
        # Words and what lies between them, split in C: pieces[k] starts at offsets[k], words at
        # odd k. Cheaper than a match object per word, and most words have nothing to try.
        pieces = _WORDS.split(norm)
        offsets = list(accumulate(map(len, pieces), initial=0))
        last = len(pieces) - 2
        # A long word's candidates depend on its first letters only, a short word's on the
        # next word too: each distinct word is looked up once, and only the places of words
        # that could start some pattern are visited one by one.
        live = self._live_words(set(pieces[1::2]))
        for k in [k for k in range(1, len(pieces), 2) if pieces[k] in live]:
            word = pieces[k]
            entry = live[word]
            if entry is None:  # a short word: it and the next word's first letters
                nxt = pieces[k + 2][:NEXT_K] if k < last and pieces[k + 1].isspace() else None
                key = (word, nxt)
                entry = cache.get(key)
                if entry is None:
                    if len(cache) > _CANDIDATE_CACHE:
                        cache.clear()
                    entry = cache[key] = self._candidates_for(word, nxt)
            any_match, cands = entry
            if any_match is None:
                continue
            p = offsets[k]
            if any_match(norm, p) is None:
                continue
            done = -2
            for ci, exclusion, match in cands:
                if exclusion:
                    mm = match(norm, p)
                    if mm is not None:
                        everyday.setdefault(ci, []).append((p, mm.end()))
                elif ci != done and p >= last_end[ci]:
                    mm = match(norm, p)
                    if mm is not None:
                        end = mm.end()
                        hits.append((ci, p, end))
                        last_end[ci] = end
                        done = ci
        for pat in self._everywhere:  # patterns without stems (a programme's, rarely)
            for mm in pat.regex.finditer(norm):
                if pat.exclusion:
                    everyday.setdefault(pat.cat, []).append(mm.span())
                elif not any(
                    ci == pat.cat and s < mm.end() and mm.start() < e for ci, s, e in hits
                ):
                    hits.append((pat.cat, mm.start(), mm.end()))
        return hits, everyday

    def scan(self, text: str) -> ScanResult:
        if not text:
            return ScanResult([], None)
        low = _lower(text.translate(_QUOTES))
        norm = self._tokens.swap(low)
        ctx = TextContext(norm, self._context(), 0)
        hits, everyday = self._matches(norm)
        found = self._rule_indicators(text, hits, everyday, ctx)
        if self.learned:
            from facilitator.detector.features import unit_words

            units = unit_words(low)  # read once: both the veto and the suggestions weigh them
            found = self._backed(text, low, found, units)
            found += self._model_indicators(text, low, found, everyday, ctx, units)
        if self.material:
            found = _outside_material(low, found)
        found.sort(key=lambda i: (i.start, -severity_rank(i.severity), i.end))
        implied = _implied(found, self._severities())
        return ScanResult(found, highest_severity(i.severity for i in found), implied)

    def _rule_indicators(
        self,
        text: str,
        hits: list[tuple[int, int, int]],
        everyday: dict[int, list[tuple[int, int]]],
        ctx: TextContext,
    ) -> list[Indicator]:
        if not hits:
            return []
        ctx.expect(len(hits))
        for_all = everyday.get(-1, [])
        spans = {ci: _Spans(for_all + everyday.get(ci, [])) for ci in {h[0] for h in hits}}
        found: list[Indicator] = []
        for ci, start, end in hits:
            if spans[ci].silence(start, end):
                continue
            cat = self._categories[ci]
            if self._silenced(cat, ctx, start, end):
                continue
            r = cat.rules
            if r.id in _IDIOM_CATEGORIES and idiom(ctx.text, text, start, end):
                continue  # "the gaffer is killing us", "this heat is suffocating"
            if r.severity == "critical" and named_as_topic(ctx.text, text, start, end):
                continue  # "Group discussed what non-fatal strangulation is"
            found.append(Indicator(r.id, r.severity, text[start:end], start, end))
        return found

    def _silenced(self, cat: "_Category", ctx: TextContext, start: int, end: int) -> bool:
        """Negated, his own safety plan, or someone else's business (by the category's flags)."""
        r = cat.rules
        if r.negatable and ctx.negated(start, end, cat.negation):
            return True
        if r.hypothetical and ctx.hypothetical(start, end):
            return True
        return r.third_party and ctx.someone_else(start, end, r.severity != "critical")

    def _backed(
        self,
        text: str,
        low: str,
        found: list[Indicator],
        units: list[tuple[int, int, list[str]]],
    ) -> list[Indicator]:
        """Rule matches of one word ("killed", "sword", "divorce") stand only where the
        learned layer, weighing the whole sentence, does not score it far below the
        category: "we murdered them 5-1" and "a sword dance at the wedding" are dropped,
        "he said she'd be killed" stays. The bar is set in training so that almost no
        labelled statement resting on such a word is lost (fewest for critical ones)."""
        from facilitator.detector.model import shipped_model

        model = shipped_model()
        if model is None or not any(" " not in i.match.strip() for i in found):
            return found
        starts = [u[0] for u in units]
        return [
            i
            for i in found
            if not vetoable(i, text)
            or not model.knows(i.match)
            or model.backs(low, units, starts, i.category, i.start)
        ]

    def _model_indicators(
        self,
        text: str,
        low: str,
        rule_found: list[Indicator],
        everyday: dict[int, list[tuple[int, int]]],
        ctx: TextContext,
        units: list[tuple[int, int, list[str]]],
    ) -> list[Indicator]:
        """What the learned layer adds: a category the rules did not find near there. The
        words that weighed most go through the same context checks as a rule's match: "I
        didn't check her phone" is no more a suggestion from the model than from the rules."""
        from facilitator.detector.model import shipped_model

        model = shipped_model()
        if model is None:
            return []
        severities = self._severities()
        by_id = {c.rules.id: (ci, c) for ci, c in enumerate(self._categories)}
        spans: dict[int, _Spans] = {}
        out: list[Indicator] = []
        by_rules: dict[str, list[int]] = {}
        for i in rule_found:
            by_rules.setdefault(i.category, []).append(i.start)
        for starts in by_rules.values():
            starts.sort()
        for raised in model.raised_units(low, units):
            severity = severities.get(raised.category)
            if severity is None:
                continue
            if severity == "critical" and about_himself(low, raised.start, raised.end):
                continue  # "I hit my thumb with a hammer": his own body, and no one else
            near = by_rules.get(raised.category)
            if near:
                k = bisect_left(near, raised.start - 399)
                if k < len(near) and near[k] < raised.end + 400:
                    continue  # the rules found it near here, with their own span
            sug = model.explained(low, raised)
            ci, cat = by_id.get(sug.category, (-1, None))
            if ci not in spans:
                spans[ci] = _Spans(everyday.get(-1, []) + everyday.get(ci, []) if ci >= 0 else [])
            if spans[ci].touches(sug.start, sug.end):
                continue  # its strongest words are an everyday phrase ("a Stanley knife")
            if sug.category == "threats_to_kill" and weapon_alone(low, raised, sug.words):
                continue  # "he keeps a knife in his tackle box": a weapon named, no threat
            if cat is not None and self._silenced(cat, ctx, sug.start, sug.end):
                continue
            out.append(
                Indicator(
                    sug.category,
                    severity,
                    text[sug.start : sug.end],
                    sug.start,
                    sug.end,
                    "model",
                    sug.words,
                )
            )
        return out

    def _severities(self) -> dict[str, str]:
        """Each category's severity: the rules' (and so the programme's settings), or the
        default for a built-in category a programme's own rules file left out."""
        sev = dict(DEFAULT_SEVERITIES)
        sev.update({c.rules.id: c.rules.severity for c in self._categories})
        return sev


_material: frozenset[str] | None = None


def material_keys() -> frozenset[str]:
    """The shipped lines of the programme's own material (see features.MATERIAL_FILE)."""
    global _material
    if _material is None:
        from importlib.resources import files

        from facilitator.detector.features import MATERIAL_FILE

        try:
            text = files("facilitator.detector").joinpath(MATERIAL_FILE).read_text(encoding="utf-8")
        except FileNotFoundError:
            text = ""
        _material = frozenset(text.splitlines())
    return _material


_reach: int | None = None


def _material_reach() -> int:
    """Four times the longest line of the material, in characters."""
    global _reach
    if _reach is None:
        _reach = 4 * max(map(len, material_keys()), default=0)
    return _reach


def _outside_material(low: str, found: list[Indicator]) -> list[Indicator]:
    """The findings whose line is not a line of the curriculum or the debrief template."""
    if not found:
        return found
    from facilitator.detector.features import material_key

    keys = material_keys()
    if not keys:
        return found
    # A line far longer than any of the material's is none of them: looking no further for
    # its ends keeps a long text with no line breaks linear.
    reach = _material_reach()
    own: dict[int, bool] = {}
    out: list[Indicator] = []
    for ind in found:
        lo = max(0, ind.start - reach)
        begin = low.rfind("\n", lo, ind.start) + 1
        if begin == 0 and lo > 0:
            out.append(ind)
            continue
        if begin not in own:
            stop = low.find("\n", ind.start, ind.start + reach)
            if stop < 0 and ind.start + reach < len(low):
                own[begin] = False
            else:
                line = low[begin : stop if stop >= 0 else len(low)]
                own[begin] = len(line) <= reach and material_key(line) in keys
        if not own[begin]:
            out.append(ind)
    return out


# What one finding says about another: strangling her is physical violence too; tracking her
# is also coercive control; an object used as a weapon is usually used on someone; checking
# her phone, messages or location is stalking as well as control. The implied category
# carries the same words, so the reviewer sees why.
IMPLIES: dict[str, tuple[str, ...]] = {
    "strangulation": ("physical_violence",),
    "weapons": ("physical_violence",),
    "stalking": ("controlling_behaviour",),
}
_DEVICE = re.compile(
    r"\b(?:phones?|mobile|texts?|messages?|whatsapps?|emails?|location|call\s+log|"
    r"dms|search\s+history|browser|photos|camera|app|apps|tracker|gps|"
    r"instagram|facebook|snapchat|socials)\b",
    re.IGNORECASE,
)


def _implies(ind: Indicator) -> tuple[str, ...]:
    if ind.category == "controlling_behaviour" and _DEVICE.search(ind.match):
        return ("stalking",)
    return IMPLIES.get(ind.category, ())


def _implied(found: list[Indicator], severities: dict[str, str]) -> list[Indicator]:
    have = {i.category for i in found}
    out: list[Indicator] = []
    for ind in found:
        for cat in _implies(ind):
            if cat not in have and cat in severities:
                have.add(cat)
                out.append(
                    Indicator(
                        cat, severities[cat], ind.match, ind.start, ind.end, ind.source, ind.words
                    )
                )
    return out


class _TokenSwap:
    """[tokens]: each phrase becomes a same-length token ("his missus" -> "_ta_______"), in
    one pass over the text for all token kinds."""

    def __init__(
        self, tokens: tuple[tuple[str, tuple[str, ...]], ...], stems: set[str] | None = None
    ):
        from facilitator.detector.stems import guard_regex

        self._prefixes = [prefix for prefix, _ in tokens]
        self._regex = None
        if tokens:
            alts = "|".join(
                f"(?P<{prefix}>{'|'.join(f'(?:{lower_regex(p)})' for p in phrases)})"
                for prefix, phrases in tokens
            )
            # The phrases' first letters, as a trie, first: the engine then gives up at most
            # words after a letter or two instead of trying every phrase (half the swap's time).
            guard = f"(?={guard_regex(stems)})" if stems else ""
            try:
                self._regex = re.compile(r"(?<!\w)" + guard + "(?:" + alts + r")(?!\w)")
            except re.error as err:
                raise RulesError(
                    f"risk rules [tokens]: a phrase is not a valid regular expression ({err})"
                ) from None

    def _token(self, m: re.Match) -> str:
        prefix = m.lastgroup or ""
        size = m.end() - m.start()
        return prefix + "_" * (size - len(prefix)) if size >= len(prefix) else m.group()

    def swap(self, text: str) -> str:
        return self._regex.sub(self._token, text) if self._regex is not None else text


class _Spans:
    """Everyday phrases' spans, sorted, so a match looks only at the phrases near it: a long
    text with many matches and many everyday phrases costs time in proportion to its length."""

    _LONGEST = 300  # no everyday phrase is longer; those starting further back cannot touch

    __slots__ = ("starts", "spans")

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def touches(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end) - 1
        while i >= 0 and self.spans[i][0] > start - self._LONGEST:
            if self.spans[i][1] > start:
                return True
            i -= 1
        return False

    def silence(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end) - 1
        spans = self.spans
        while i >= 0 and spans[i][0] > start - self._LONGEST:
            es, ee = spans[i]
            if _silences(es, ee, start, end):
                return True
            i -= 1
        return False


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


def detector_for_workspace(
    folder: "os.PathLike | str | None", severities: dict[str, str] | None = None
) -> Detector:
    """The detector a workspace uses: its risk_rules.toml if it has one, and its severity
    settings (category -> severity; unknown categories and words are ignored, as in settings).
    Kept per folder and rebuilt when the rules file or the severities change."""
    from facilitator.detector.rules import WORKSPACE_RULES_FILE, rules_for_workspace

    stamp = None
    if folder is not None:
        try:
            stamp = os.stat(os.path.join(folder, WORKSPACE_RULES_FILE)).st_mtime_ns
        except OSError:
            stamp = None
    valid = {
        c: s for c, s in (severities or {}).items() if c in DEFAULT_SEVERITIES and s in SEVERITIES
    }
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
