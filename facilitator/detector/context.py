"""Does a match count? The words around it decide: negated ("I didn't hit her"), his own
safety plan ("what I'll do if I feel like..."), or someone else's business ("a bloke on the
telly threatened to kill someone"). Every check stays inside the match's clause or sentence.

NegEx-style: a negation cue counts only before the match, in the same clause, within a few
words; phrases that look like negation but deny only the intent ("I didn't mean to choke her")
or express doubt ("can't remember if I hit her") are skipped, so those matches still count.
When unsure, a match counts: a dismissed false alarm is cheap, a missed disclosure is not.

Nothing is skipped for being in the past ("years ago I strangled my ex"): a history of
strangulation, threats or weapons is itself a risk factor the reviewer must see, so historical
disclosures count like current ones (the labelled set holds such statements).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable

from facilitator.detector.stems import guard_regex, lower_regex

_WORD = re.compile(r"[\w']+")
SUBJECT_WORDS = 3  # words allowed before a third-party cue in its clause ("and then my mate...")
_SENTENCE_END = re.compile(r"[.!?\n]+")


# The stems of a pattern (stems.py), or None where none are known.
StemsOf = Callable[[str], Iterable[str] | None]

# The word lists that become one regex each, and so get a guard of their first letters.
WORD_LISTS = ("negation", "pseudo_negation", "third_party", "media", "teaching", "hypothetical")


def compile_words(patterns, stems_of: StemsOf | None = None) -> re.Pattern | None:
    """One regex for a list of word patterns, each matched as whole words, on lower-case text.

    stems_of: where every pattern's first letters are known, they go first as a trie (a
    lookahead), so the regex engine gives up at most word starts after a letter or two
    instead of trying each pattern there: a third to a half of each pass over a long debrief.
    """
    if not patterns:
        return None
    guard = ""
    if stems_of is not None:
        stems: set[str] = set()
        for p in patterns:
            found = stems_of(p)
            if found is None:
                stems.clear()
                break
            stems.update(found)
        if stems:
            guard = f"(?={guard_regex(stems)})"
    return re.compile(
        r"(?<!\w)"
        + guard
        + "(?:"
        + "|".join(f"(?:{lower_regex(p)})" for p in patterns)
        + r")(?!\w)"
    )


def _compile_text(pattern: str | None) -> re.Pattern | None:
    return re.compile(lower_regex(pattern)) if pattern else None


class ContextRules:
    """The [context] section compiled once per Detector."""

    def __init__(self, context: dict, stems_of: StemsOf | None = None):
        self.negation = compile_words(context["negation"], stems_of)
        self.pseudo_negation = compile_words(context["pseudo_negation"], stems_of)
        self.window = context["negation_window"]
        self.undone_after = _compile_text(context.get("negation_undone_after"))
        # One regex per break, each starting with one character or class: Python's regex
        # engine then skips through the text in C to the places where a break can start.
        self.clause_breaks = [re.compile(lower_regex(p)) for p in context["clause_breaks"]]
        self.third_party = compile_words(context["third_party"], stems_of)
        self.media = compile_words(context["media"], stems_of)
        # The group's own material and his childhood memories: like a film, someone else's
        # story, but never for a critical category (a disclosure made during an exercise
        # must not be lost to the word "exercise").
        self.teaching = compile_words(context.get("teaching", ()), stems_of)
        self.hypothetical = compile_words(context["hypothetical"], stems_of)
        self.concerns_him = _compile_text(context.get("concerns_him"))
        self.media_concerns_him = _compile_text(context.get("media_concerns_him"))


class TextContext:
    """Clauses and sentences of one text, worked out only where matches need them.

    For the first few matches a break is looked for near the match (and further out only when
    none is near): a 2,000-word debrief with a handful of matches reads a few hundred
    characters for each, not the whole text. A text with many matches has its breaks found
    once, all through."""

    _NEAR = 240  # characters either side looked at first; most clauses are shorter
    # No cue further than this from a match is looked at: a clause or sentence longer than
    # this (a pasted page with no full stops) is cut here, so each match costs a bounded
    # amount of work and a scan stays linear in the length of the text.
    MAX_SCOPE = 400
    _LOCAL_SPANS = (
        12  # matches looked at one by one; past this, finding every break once is cheaper
    )

    def __init__(self, text: str, rules: ContextRules, matches: int = 0):
        """matches: how many matches will be checked, when known; many go straight to one pass."""
        self.text = text
        self.rules = rules
        self._near_seen: dict[tuple, tuple[int, int]] = {}
        self._near_ok = matches <= self._LOCAL_SPANS
        self._all: dict[str, tuple[list[int], list[int]]] = {}
        self._media_spans: list[tuple[int, int]] | None = None
        self._media_starts: list[int] = []

    def expect(self, matches: int) -> None:
        """How many matches will be checked, once known: many go straight to one pass."""
        self._near_ok = matches <= self._LOCAL_SPANS

    # -- scopes --------------------------------------------------------------------------
    def _scope(self, kind: str, regexes, start: int, end: int) -> tuple[int, int]:
        """From the end of the last break that ends at or before `start` to the start of the
        first break that starts at or after `end` (or the text's ends)."""
        bounds = self._all.get(kind)
        if bounds is None:
            key = (kind, start, end)
            found = self._near_seen.get(key)
            if found is not None:
                return found
            if self._near_ok and len(self._near_seen) < self._LOCAL_SPANS:
                found = self._near_seen[key] = self._near(regexes, start, end)
                return found
            spans = [m.span() for regex in regexes for m in regex.finditer(self.text)]
            bounds = self._all[kind] = (sorted(e for _, e in spans), sorted(s for s, _ in spans))
        ends, starts = bounds
        i = bisect_right(ends, start) - 1
        j = bisect_left(starts, end)
        return (ends[i] if i >= 0 else 0), (starts[j] if j < len(starts) else len(self.text))

    def _near(self, regexes, start: int, end: int) -> tuple[int, int]:
        text, n, width = self.text, len(self.text), self._NEAR
        while True:
            if width > self.MAX_SCOPE:  # the scope is cut there anyway
                return max(0, start - self.MAX_SCOPE), min(n, end + self.MAX_SCOPE)
            lo, hi = max(0, start - width), min(n, end + width)
            begin, stop = (0 if lo == 0 else None), (n if hi == n else None)
            for regex in regexes:
                for m in regex.finditer(text, lo, hi):
                    s, e = m.span()
                    if e <= start and (begin is None or e > begin):
                        begin = e
                    elif s >= end and (stop is None or s < stop):
                        stop = s
            if begin is not None and stop is not None:
                return begin, stop
            width *= 4

    def _bounded(self, scope: tuple[int, int], start: int, end: int) -> tuple[int, int]:
        lo, hi = scope
        return max(lo, start - self.MAX_SCOPE), min(hi, end + self.MAX_SCOPE)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        return self._bounded(
            self._scope("clause", self.rules.clause_breaks, start, end), start, end
        )

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        return self._bounded(self._scope("sentence", (_SENTENCE_END,), start, end), start, end)

    # -- the checks ----------------------------------------------------------------------
    def negated(self, start: int, end: int, extra_cues: re.Pattern | None = None) -> bool:
        """A negation cue shortly before the match in its clause, not part of a pseudo-negation."""
        r = self.rules
        begin, _ = self.clause(start, end)
        if begin >= start:
            return False
        before = self.text[begin:start]
        cues = [
            m.span()
            for regex in (r.negation, extra_cues)
            if regex is not None
            for m in regex.finditer(before)
        ]
        if not cues:  # the usual case: no cue at all, so no need to look for pseudo-negations
            return False
        pseudo = [m.span() for m in r.pseudo_negation.finditer(before)] if r.pseudo_negation else []
        cue = None
        for span in cues:
            if any(ps <= span[0] < pe for ps, pe in pseudo):
                continue
            if cue is None or span[1] > cue[1]:
                cue = span
        if cue is None:
            return False
        if len(_WORD.findall(before[cue[1] :])) > r.window:
            return False
        # "I'll never hit her again": a promise about something that happened.
        if r.undone_after is not None and r.undone_after.match(
            self.text, end, min(len(self.text), end + 40)
        ):
            return False
        return True

    def hypothetical(self, start: int, end: int) -> bool:
        """His own safety plan or a role-play: "what I'll do if I feel like..."."""
        if self.rules.hypothetical is None:
            return False
        begin, _ = self.clause(start, end)
        return self.rules.hypothetical.search(self.text, begin, start) is not None

    def someone_else(self, start: int, end: int, teaching: bool = True) -> bool:
        """About another person, a film or (teaching=True) the group's own material, and
        nothing between says it is about him or his family."""
        r = self.rules
        if r.third_party is not None:
            begin, _ = self.clause(start, end)
            # The other person must be who the clause is about: its subject, within its first
            # few words ("My mate got done for...", not "a message from a man and slapped her").
            # A clause cut short has no subject in view: the check needs its true start.
            cut = begin == start - self.MAX_SCOPE and begin > 0
            for m in [] if cut else r.third_party.finditer(self.text, begin, start):
                if len(_WORD.findall(self.text, begin, m.start())) <= SUBJECT_WORDS:
                    if not _mentions(r.concerns_him, self.text, begin, end):
                        return True
                break
        if r.media is not None:
            s_begin, s_end = self.sentence(start, end)
            for ms, me in self._media(s_begin, s_end):
                lo, hi = min(ms, start), max(me, end)
                if not _mentions(r.media_concerns_him, self.text, lo, hi):
                    return True
        if teaching and r.teaching is not None:
            s_begin, s_end = self.sentence(start, end)
            for m in r.teaching.finditer(self.text, s_begin, s_end):
                lo, hi = min(m.start(), start), max(m.end(), end)
                if not _mentions(r.media_concerns_him, self.text, lo, hi):
                    return True
        return False

    def _media(self, begin: int, end: int) -> list[tuple[int, int]]:
        """Media cues between begin and end. With many matches to check, every cue in the
        text is found once and looked up by position; with a few, only their sentences are
        read."""
        media = self.rules.media
        if media is None:
            return []
        if self._near_ok:
            return [m.span() for m in media.finditer(self.text, begin, end)]
        if self._media_spans is None:
            self._media_spans = [m.span() for m in media.finditer(self.text)]
            self._media_starts = [a for a, _ in self._media_spans]
        i = bisect_left(self._media_starts, begin)
        out = []
        while i < len(self._media_spans) and self._media_spans[i][1] <= end:
            out.append(self._media_spans[i])
            i += 1
        return out


def _mentions(regex: re.Pattern | None, text: str, start: int, end: int) -> bool:
    return regex is not None and regex.search(text, start, end) is not None
