"""Stems: the first letters every match of a pattern must begin with.

The scanner looks up the first letters of each word in a table of stems and tries only the
patterns that can start there, instead of trying some 500 patterns at every word. A pattern is
parsed with Python's own regex parser; macros ({her}, {kids}...) are parsed once and stand in
as single placeholder characters, so their stems are worked out once, not at every use.

stems(pattern) is a set of stems (see stem_of) such that every match of the pattern starts
with one of them: "stra" (a word starting so), "a$" (the word "a", not "and"), "the bab" (the
word "the", then a word starting "bab"). None when no such set is known (the pattern starts
with something like \\w or a negated class): such a pattern is tried everywhere.
"""

from __future__ import annotations

import re

# The parser behind re.compile (Python 3.11+, which the project requires); private, so the
# stems table is checked against it in the tests.
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

WORD_K = 4  # letters of the first word in a stem: four sort words well ("stra", "kill", "thre")
NEXT_K = 3  # letters of the next word, after a short first word ("the bab", "her nec")
K = WORD_K + 1 + NEXT_K
_LIMIT = 400  # more stems than this for one pattern: cut them shorter
_PLACEHOLDER_BASE = 0xE000  # private-use characters stand for macros while parsing
_WORD = re.compile(r"\w")
_SPACE = " \t\n\r\f\v"
_DIGITS = "0123456789"

# A result is a set of (prefix, complete): complete means the item matched exactly `prefix`
# and what follows may extend it; incomplete means the match goes on in ways not tracked.
Stems = frozenset


_ESCAPE_OR_TEXT = re.compile(r"\\.|[^\\]+", re.DOTALL)


def lower_regex(pattern: str) -> str:
    """The pattern in lower case, escapes kept (\\W, \\S, \\D, \\B mean something else in lower case).
    The scanner matches lower-cased text, which lets Python's regex engine reject most
    alternatives on their first character."""
    if pattern.islower() or not any(c.isupper() for c in pattern):
        if (
            "\\W" not in pattern
            and "\\S" not in pattern
            and "\\D" not in pattern
            and "\\B" not in pattern
        ):
            return pattern  # nothing to do (the usual case)
    return "".join(t if t[0] == "\\" else t.lower() for t in _ESCAPE_OR_TEXT.findall(pattern))


def pattern_key(expanded: str) -> str:
    """A short fingerprint of a pattern with its macros expanded: what its stems depend on."""
    import hashlib

    return hashlib.sha1(expanded.encode("utf-8")).hexdigest()[:16]


CACHE_FILE = "stems.json"


def shipped_stems() -> dict[str, list[str] | None]:
    """The stems worked out for the shipped rules (see `python -m facilitator.detector.stems`)."""
    import json
    from importlib.resources import files

    try:
        return json.loads(
            files("facilitator.detector").joinpath(CACHE_FILE).read_text(encoding="utf-8")
        )["stems"]
    except (FileNotFoundError, ValueError, KeyError):
        return {}


class StemFinder:
    """Stems for the patterns of one rules set, with its macros parsed once each."""

    def __init__(self, macros: dict[str, str]):
        macros = {name: lower_regex(value) for name, value in macros.items()}
        self._index = {name: i for i, name in enumerate(macros)}
        self._macros = macros
        self._macro_first: dict[int, set | None] = {}
        self._busy: set[int] = set()

    def _placeholders(self, pattern: str) -> str:
        def sub(m: re.Match) -> str:
            name = m.group(1)
            if name in self._index:
                return chr(_PLACEHOLDER_BASE + self._index[name])
            return m.group(0)

        return re.sub(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", sub, pattern)

    def stems(self, pattern: str) -> frozenset[str] | None:
        """Stems of a pattern written with {macros} (not expanded)."""
        try:
            tree = P.parse(self._placeholders(lower_regex(pattern)), 0)
        except re.error:
            return None
        first = self._seq(list(tree), K)
        if first is None:
            return None
        out = set()
        for prefix, complete in first:
            stem = stem_of(prefix, complete)
            if stem is None:
                return None  # a match could start anywhere: no usable stem
            out.add(stem)
        return frozenset(out)

    # -- FIRST sets over the parse tree ----------------------------------------------------
    def _macro(self, index: int) -> set | None:
        if index not in self._macro_first:
            if index in self._busy:
                return None  # a macro that refers to itself: give up on stems
            self._busy.add(index)
            name = list(self._macros)[index]
            try:
                tree = P.parse(self._placeholders(self._macros[name]), 0)
                self._macro_first[index] = self._seq(list(tree), K)
            except re.error:
                self._macro_first[index] = None
            self._busy.discard(index)
        return self._macro_first[index]

    def _seq(self, items: list, k: int) -> set | None:
        result = {("", True)}
        for op, av in items:
            if all(not complete or len(prefix) >= k for prefix, complete in result):
                break
            first = self._item(op, av, k)
            if first is None:
                # Unknown from here on (\w*, a negated class): the stems end where we are.
                return {(prefix, False) for prefix, _ in result}
            nxt = set()
            for prefix, complete in result:
                if not complete or len(prefix) >= k:
                    nxt.add((prefix[:k], False))
                    continue
                for add, add_complete in first:
                    joined = prefix + add
                    nxt.add((joined[:k], add_complete and len(joined) < k))
            result = _cap(nxt, k)
        return result

    def _item(self, op, av, k: int) -> set | None:
        if op is C.LITERAL:
            if _PLACEHOLDER_BASE <= av < _PLACEHOLDER_BASE + len(self._index):
                return self._macro(av - _PLACEHOLDER_BASE)
            return {(" " if chr(av) in _SPACE else chr(av), True)}
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            return {("", True)}  # zero-width
        if op is C.IN:
            chars = _class_chars(av)
            return None if chars is None else {(c, True) for c in chars}
        if op is C.SUBPATTERN:
            return self._seq(list(av[-1]), k)
        if op is getattr(C, "ATOMIC_GROUP", None):
            return self._seq(list(av), k)
        if op is C.BRANCH:
            out = set()
            for alt in av[1]:
                first = self._seq(list(alt), k)
                if first is None:
                    return None
                out |= first
            return out
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            lo, hi, item = av
            first = self._seq(list(item), k)
            if first is None:
                return None
            if first == {(" ", True)}:  # \\s+ and the like: any run of spaces reads as one
                return {(" ", True)} if lo else {("", True), (" ", True)}
            once = first if hi == 1 else {(p, False) for p, _ in first}
            return once | {("", True)} if lo == 0 else once
        return None  # ANY, NOT_LITERAL, GROUPREF, CATEGORY...: could be anything


def _class_chars(av) -> str | None:
    chars = []
    for op, arg in av:
        if op is C.NEGATE:
            return None
        if op is C.LITERAL:
            chars.append(" " if chr(arg) in _SPACE else chr(arg))
        elif op is C.RANGE:
            lo, hi = arg
            if hi - lo > 40:
                return None
            chars.extend(chr(c) for c in range(lo, hi + 1))
        elif op is C.CATEGORY:
            if arg is C.CATEGORY_DIGIT:
                chars.extend(_DIGITS)
            elif arg is C.CATEGORY_SPACE:
                chars.append(" ")  # runs of spaces read as one space
            else:
                return None
        else:
            return None
    return "".join(chars)


def _cap(result: set, k: int) -> set:
    while len(result) > _LIMIT and k > 1:
        k -= 1
        result = {(p[:k], c and len(p) <= k) for p, c in result}
    return result


def _word_prefix(prefix: str) -> str:
    """The leading word characters of a prefix: what a lookup by a word's first letters sees."""
    n = 0
    while n < len(prefix) and _WORD.match(prefix[n]):
        n += 1
    return prefix[:n]


def stem_of(prefix: str, complete: bool) -> str | None:
    """The stem a prefix of a match gives, in one of three forms the scanner looks up:

    "stra"      the first word starts with these letters (up to WORD_K of them)
    "she$"      the first word is exactly this (it ended within WORD_K letters)
    "the bab"   the first word is exactly "the", and the next one starts with "bab"
    """
    word = _word_prefix(prefix)
    if not word:
        return None
    if len(word) >= WORD_K:
        return word[:WORD_K]
    rest = prefix[len(word) :]
    if not rest:
        return word + "$" if complete else word  # short and unknown after: a prefix
    if rest[0] != " ":
        return word + "$"  # "she's": the word ends at the apostrophe
    nxt = _word_prefix(rest[1:])[:NEXT_K]
    return f"{word} {nxt}" if nxt else word + "$"


def guard_regex(stems) -> str:
    """A regex for "one of these stems starts here", as a trie so the regex engine rejects a
    place on its first letters: "stra" a word starting so, "a$" the word "a", "the bab" the
    word "the" then a word starting "bab"."""
    trie: dict = {}
    for stem in stems:
        node = trie
        if stem.endswith("$"):
            parts = [re.escape(c) for c in stem[:-1]] + [r"(?!\w)"]
        else:
            first, _, rest = stem.partition(" ")
            parts = [re.escape(c) for c in first] + (
                [r"\s+"] + [re.escape(c) for c in rest] if rest else []
            )
        for part in parts:
            node = node.setdefault(part, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [part + emit(child) for part, child in sorted(node.items()) if part]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def table_for(rules) -> dict[str, list[str] | None]:
    """Stems of every pattern of a rules set, and of its [tokens] phrases, by pattern_key."""
    finder = StemFinder(rules.macros)
    out: dict[str, list[str] | None] = {}
    pairs = list(zip(rules.raw_exclude, rules.exclude))
    pairs += [(phrase, phrase) for _, phrases in rules.tokens for phrase in phrases]
    for cat in rules.categories.values():
        pairs += zip(cat.raw_patterns, cat.patterns)
        pairs += zip(cat.raw_exclude, cat.exclude)
    from facilitator.detector.context import WORD_LISTS

    for name in WORD_LISTS:
        pairs += [(p, p) for p in rules.context.get(name) or ()]
    for raw, expanded in pairs:
        st = finder.stems(raw)
        out[pattern_key(expanded)] = None if st is None else sorted(st)
    return out


def main(argv: list[str] | None = None) -> None:
    """Write the stems table of the shipped rules next to rules.toml (run after editing it)."""
    import json
    import sys
    from pathlib import Path

    argv = sys.argv[1:] if argv is None else argv

    from facilitator.detector.rules import load_rules

    table = table_for(load_rules(None))
    path = Path(__file__).with_name(CACHE_FILE)
    text = json.dumps(
        {
            "note": "generated by python -m facilitator.detector stems from rules.toml; do not edit",
            "stems": dict(sorted(table.items())),
        },
        indent=0,
        sort_keys=False,
    )
    if "--check" in argv:
        current = shipped_stems()
        sys.exit(
            0
            if current == table
            else "the stems table is out of date: run python -m facilitator.detector stems"
        )
    path.write_text(text + "\n", encoding="utf-8")
    unbounded = sum(1 for v in table.values() if v is None)
    print(f"wrote {path} ({len(table)} patterns, {unbounded} without stems)")
