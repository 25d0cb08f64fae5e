"""Content a perpetrator programme must never propose: work that brings the partner in.

Couple counselling, mediation and joint sessions put a victim in the room with the man who
abuses her, and make the abuse a shared problem. Standards (WWP EN, Respect) rule them out and
the Istanbul Convention (Art. 48) bans mandatory mediation. Partners are contacted only by the
separate partner support service.

A mention is an error unless its sentence is plainly negated ("this is not couples
counselling") or it sits inside quotation marks (what a man might say); those are warnings, so
an author can look again without being blocked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARTNER = r"(?:partners?|ex-partners?|ex|wife|wives|girlfriends?|spouses?|victims?)"
_WHO = r"(?:your|his|their|the|her|a|a\s+man's|each\s+man's)"
_BRING = (
    r"(?:bring|brings|bringing|brought|invite|invites|inviting|invited"
    r"|include|includes|including|involve|involves|involving)"
)
_INTO = (
    r"(?:to|into|in|along\s+to)\s+(?:the\s+|a\s+|this\s+|next\s+|our\s+)?"
    r"(?:group|session|sessions|meeting|programme|room)"
)

# (what it is, pattern, anchors). Patterns match across line breaks, case-insensitively. A
# pattern is only tried near its anchors (lower-case words every match contains, at most
# _BEFORE characters from its start), which keeps a scan of a whole curriculum to milliseconds.
_RULES: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE), anchors)
    for name, pattern, anchors in (
        (
            "couple counselling",
            r"\bcouples?['’]?[\s-]*(?:counsell?ing|counsell?ors?|therapy|therapists?)\b",
            ("couple",),
        ),
        ("couple counselling", r"\bcouples['’]?\s+(?:work|sessions?)\b", ("couples",)),
        (
            "couple counselling",
            r"\b(?:marriage|marital|relationship)\s+(?:counsell?ing|therapy|guidance)\b",
            ("marri", "marital", "relationship"),
        ),
        ("couple counselling", r"\bconjoint\s+(?:therapy|sessions?|work)\b", ("conjoint",)),
        ("mediation", r"\bmediat(?:ion|ions|ors?|e|ed|ing)\b", ("mediat",)),
        ("mediation", r"\bconciliation\b", ("conciliation",)),
        (
            "a joint session with the partner",
            r"\bjoint\s+(?:sessions?|meetings?|appointments?|work|counsell?ing)\b",
            ("joint",),
        ),
        (
            "a joint session with the partner",
            rf"\b{_BRING}\s+(?:{_WHO}\s+)?{_PARTNER}\b(?!['’])[^.!?]{{0,40}}?\b(?:{_INTO}|along)\b",
            ("bring", "brought", "invit", "includ", "involv"),
        ),
        (
            "a joint session with the partner",
            rf"\b{_WHO}\s+{_PARTNER}\s+(?:attends?|attending|joins?|joining|comes?\s+(?:in)?to|sits?\s+in\s+on)\s+(?:the\s+|a\s+)?(?:group|session|sessions|meeting)\b",
            ("attend", "join", "come", "sit"),
        ),
        (
            "a joint session with the partner",
            rf"\bwith\s+{_WHO}\s+{_PARTNER}\s+(?:present|in\s+the\s+room)\b",
            ("present", "room"),
        ),
    )
)
# How far before and after an anchor a match may start and end.
_BEFORE, _AFTER = 40, 160

_NEGATION = re.compile(
    r"\b(?:not|no|never|nor|without|cannot|can't|won't|don't|doesn't|isn't|aren't|mustn't|"
    r"shouldn't|avoid\w*|refus\w*|declin\w*|instead\s+of|rather\s+than|unsafe|dangerous|"
    r"inappropriate|contraindicated|forbid\w*|prohibit\w*|ban|bans|banned|rules?\s+out|ruled\s+out|"
    r"excludes?|excluded)\b|n['’]t\b",
    re.IGNORECASE,
)
# Ends of a sentence or list item: the scope a negation applies to.
_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)|\n\s*\n|\n(?=\s*(?:[-*+]\s|\d+[.)]\s|#))")
_QUOTES = (("“", "”"), ("‘", "’"))


@dataclass(frozen=True)
class Mention:
    offset: int  # in the text scanned
    line: int  # 1-based line in that text
    what: str  # e.g. "mediation"
    words: str  # the words as written
    proposed: bool  # False when negated or quoted: a warning, not an error


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    begin = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        begin = m.end()
    stop = _SENTENCE_END.search(text, end)
    return begin, stop.start() if stop else len(text)


def _quoted(sentence: str, at: int) -> bool:
    before = sentence[:at]
    if before.count('"') % 2 == 1:
        return True
    return any(before.count(o) > before.count(c) for o, c in _QUOTES)


def _near(pattern: re.Pattern[str], text: str, lower: str, anchors: tuple[str, ...]):
    """Matches of pattern that lie around an occurrence of one of the anchors."""
    seen: set[int] = set()
    for anchor in anchors:
        at = lower.find(anchor)
        while at != -1:
            window_start = max(0, at - _BEFORE)
            for match in pattern.finditer(text, window_start, min(len(text), at + _AFTER)):
                # Matches cut short by the window's end are found whole from a later anchor.
                if match.start() not in seen and match.start() <= at:
                    seen.add(match.start())
                    yield match
            at = lower.find(anchor, at + 1)


def find_mentions(text: str) -> list[Mention]:
    """Every place the text speaks of couple counselling, mediation or joint sessions."""
    found: dict[int, Mention] = {}
    lower = text.lower()
    for what, pattern, anchors in _RULES:
        # A few characters change length in lower case (İ); then offsets differ: scan it all.
        matches = (
            _near(pattern, text, lower, anchors)
            if len(lower) == len(text)
            else pattern.finditer(text)
        )
        for match in matches:
            if match.start() in found:
                continue
            begin, stop = _sentence(text, match.start(), match.end())
            sentence = text[begin:stop]
            negated = bool(_NEGATION.search(sentence))
            quoted = _quoted(sentence, match.start() - begin)
            found[match.start()] = Mention(
                offset=match.start(),
                line=text.count("\n", 0, match.start()) + 1,
                what=what,
                words=" ".join(match.group(0).split()),
                proposed=not (negated or quoted),
            )
    return sorted(found.values(), key=lambda m: m.offset)
