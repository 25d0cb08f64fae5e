"""The learned layer at scan time: the weights trained by train.py (model.json), scored in
pure Python, one unit (sentence) of the text at a time.

A unit's score for a category is the category's bias plus, for each distinct word, the
weights of the word and of its letter groups, plus the weight of each distinct word pair. A
category whose score reaches its threshold is suggested, with the words that weighed most for
it, so the facilitator sees why.

Speed: each word's weights for all categories are added up once per word shape and kept as
one packed integer (the category's weight, in thousandths, times 2**(32 * category)), so a
unit's scores for every category are one integer addition per word, not one per word and
category; the sums are taken apart once per unit. numpy is never imported here.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from importlib.resources import files
from typing import Any, Callable

from facilitator.detector.features import (
    MAX_TOKENS,
    TOKEN,
    Token,
    unit_words,
    word_features,
)

MODEL_FILE = "model.json"
_LANE = 32
_MASK = (1 << _LANE) - 1
_OFF = 1 << 23  # added to every lane of every vector, so no lane of a sum goes negative
_LIMIT = _OFF - 1  # a word's summed weight is clipped here (far above any real one)
_TOP = 1 << (_LANE - 1)
_CACHE = 50_000  # word shapes remembered
_MAX_VECTORS = 2 * MAX_TOKENS  # words and word pairs of one unit, at most


class Suggestion:
    """What the learned layer found in one unit: the category, its score over the threshold
    (in thousandths of a logit), the span of the words that weighed most and those words."""

    __slots__ = ("category", "margin", "start", "end", "words")

    def __init__(self, category: str, margin: int, start: int, end: int, words: list[str]):
        self.category = category
        self.margin = margin
        self.start = start
        self.end = end
        self.words = words

    def __repr__(self) -> str:
        return (
            f"Suggestion({self.category!r}, {self.margin}, {self.start}, {self.end}, "
            f"{self.words!r})"
        )


class Model:
    """Weights by feature, as loaded from model.json.

    Packed vectors: lane c (32 bits) of a word's vector holds its weight for category c plus
    _OFF, so a sum of n vectors holds, in lane c, the sum of the weights plus n * _OFF, with
    no borrow between lanes. Adding the constant _check[n] then sets the top bit of lane c
    exactly when the sum reaches category c's threshold: one addition and one AND tell
    whether a unit raises anything, and only a unit that does is taken apart.
    """

    def __init__(self, data: dict[str, Any]):
        self.categories: list[str] = list(data["categories"])
        self.corpus_sha256: str = data.get("corpus_sha256", "")
        self.bias: list[int] = list(data["bias"])
        self.thresholds: list[int] = list(data["thresholds"])
        # Per category, the unit score (thousandths) below which a one-word rule match is
        # not backed by the words around it; None: every such match stands.
        self.veto: list[int | None] = list(data.get("veto") or [None] * len(self.categories))
        self._n = n = len(self.categories)
        self._features: dict[str, list[int]] = data["features"]
        self._words = _Cache(self._word)
        self._pairs = _Cache(self._pair)
        self._zero = self._packed([0] * n)  # a word pair the model has no weight for
        # What the words must add up to, per category, over the bias.
        self._need = [t - b for t, b in zip(self.thresholds, self.bias)]
        self._top = sum(_TOP << (_LANE * c) for c in range(n))
        self._check = [
            sum((_TOP - k * _OFF - need) << (_LANE * c) for c, need in enumerate(self._need))
            for k in range(_MAX_VECTORS + 1)
        ]

    # -- packed vectors --------------------------------------------------------------------
    def _sum(self, feats: list[str]) -> list[int]:
        acc = [0] * self._n
        table = self._features
        for f in feats:
            sparse = table.get(f)
            if sparse:
                for i in range(0, len(sparse), 2):
                    acc[sparse[i]] += sparse[i + 1]
        return acc

    def _packed(self, vec: list[int]) -> int:
        return sum((max(-_LIMIT, min(_LIMIT, v)) + _OFF) << (_LANE * c) for c, v in enumerate(vec))

    def weights(self, packed: int) -> list[int]:
        """A packed vector's weights (thousandths), one per category."""
        return [((packed >> (_LANE * c)) & _MASK) - _OFF for c in range(self._n)]

    def _word(self, word: str) -> int:
        return self._packed(self._sum(word_features(word)))

    def _pair(self, key: str) -> int:
        return self._packed(self._sum(["b " + key])) if "b " + key in self._features else self._zero

    def word(self, word: str) -> int:
        """The word's own weights and its letter groups', packed."""
        return self._words[word]

    def pair(self, key: str) -> int:
        """A word pair's weights, packed (the key is the two words and a space)."""
        return self._pairs[key]

    # -- scoring ---------------------------------------------------------------------------
    def _check_sum(self, words: list[str]) -> int:
        """The unit's packed sum plus the check constant: lane c's top bit is set exactly
        when the unit reaches category c's threshold. Every word and every word pair adds
        one vector (a pair without weights adds zeros), all summed in C."""
        distinct = set(words)
        pairs = set(map(" ".join, zip(words, words[1:])))
        total = sum(map(self._words.__getitem__, distinct))
        total += sum(map(self._pairs.__getitem__, pairs))
        return total + self._check[min(len(distinct) + len(pairs), _MAX_VECTORS)]

    def raised(self, words: list[str]) -> bool:
        """Does the unit reach any category's threshold?"""
        return bool(self._check_sum(words) & self._top)

    def unit_scores(self, words: list[str]) -> list[int]:
        """The unit's score per category over its threshold (thousandths; >= 0 is raised)."""
        check = self._check_sum(words)
        return [((check >> (_LANE * c)) & _MASK) - _TOP for c in range(self._n)]

    def knows(self, word: str) -> bool:
        """Has the model weights for this word itself? A word it never learned (a programme's
        own pattern, "zorblade") is not the model's to judge."""
        return "w " + word.lower().strip(" .,;:!?'\"") in self._features

    def backs(
        self,
        norm: str,
        units: list[tuple[int, int, list[str]]],
        starts: list[int],
        category: str,
        pos: int,
    ) -> bool:
        """Do the words of the unit at `pos` back a one-word rule match of the category?"""
        if category not in self.categories:
            return True
        c = self.categories.index(category)
        bar = self.veto[c]
        if bar is None:
            return True
        k = bisect_right(starts, pos) - 1
        if k < 0:
            return True
        words = units[k][2]
        score = self.unit_scores(words)[c] + self.thresholds[c]
        return score >= bar

    def suggest(self, norm: str) -> list[Suggestion]:
        """Every category whose score reaches its threshold in a unit of the text (the
        normalised text of features.normalise), once per unit and category, explained."""
        return [self.explained(norm, s) for s in self.raised_units(norm)]

    def raised_units(
        self, norm: str, units: list[tuple[int, int, list[str]]] | None = None
    ) -> list[Suggestion]:
        """As suggest(), but each with its unit's span and no words yet: explaining costs
        more than scoring, and a caller may already know a category from elsewhere. units:
        unit_words(norm), when the caller has them already."""
        out = []
        top, check_sum, n = self._top, self._check_sum, self._n
        for start, end, words in unit_words(norm) if units is None else units:
            check = check_sum(words)
            if not check & top:
                continue
            # Only the lanes whose top bit is set reached their threshold: the sum is taken
            # apart from the same check, not summed again.
            for c in range(n):
                margin = ((check >> (_LANE * c)) & _MASK) - _TOP
                if margin >= 0:
                    out.append(Suggestion(self.categories[c], margin, start, end, []))
        return out

    def explained(self, norm: str, sug: Suggestion) -> Suggestion:
        """The suggestion narrowed to the span of its strongest words, with those words."""
        unit = [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(norm, sug.start, sug.end)]
        s, e, words = self.explain(unit, self.categories.index(sug.category))
        return Suggestion(sug.category, sug.margin, s, e, words)

    def explain(self, unit: list[Token], c: int) -> tuple[int, int, list[str]]:
        """The span of the words that weighed most for category c in the unit, and those
        words (up to three, strongest first). A word's weight is its own and its letter
        groups', plus half of each word pair it is in."""
        words = [t[0] for t in unit]
        shift = _LANE * c
        weight = [float(((self.word(w) >> shift) & _MASK) - _OFF) for w in words]
        for i in range(len(words) - 1):
            packed = self.pair(words[i] + " " + words[i + 1])
            if packed != self._zero:
                half = (((packed >> shift) & _MASK) - _OFF) / 2
                weight[i] += half
                weight[i + 1] += half
        best = max(range(len(words)), key=lambda i: weight[i])
        lo = hi = best
        # Grow the span over neighbours that also weigh for it, up to four words.
        while hi - lo < 3:
            left = weight[lo - 1] if lo > 0 else -1.0
            right = weight[hi + 1] if hi + 1 < len(words) else -1.0
            side = max(left, right)
            if side <= 0 or side < 0.4 * weight[best]:
                break
            if left >= right:
                lo -= 1
            else:
                hi += 1
        ranked: list[str] = []
        for i in sorted(range(len(words)), key=lambda i: -weight[i]):
            if weight[i] <= 0 or len(ranked) == 3:
                break
            if words[i] not in ranked:
                ranked.append(words[i])
        return unit[lo][1], unit[hi][2], ranked


class _Cache(dict):
    """Packed vectors by word (or word pair), worked out on first sight; bounded."""

    def __init__(self, make: Callable[[str], int]):
        super().__init__()
        self._make = make

    def __missing__(self, key: str) -> int:
        if len(self) > _CACHE:
            self.clear()
        value = self[key] = self._make(key)
        return value


_shipped: Model | None = None


def shipped_model() -> Model | None:
    """The model shipped in the package, loaded on first use; None if the file is missing."""
    global _shipped
    if _shipped is None:
        try:
            text = files("facilitator.detector").joinpath(MODEL_FILE).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        _shipped = Model(json.loads(text))
    return _shipped
