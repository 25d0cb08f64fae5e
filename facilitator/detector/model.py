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
from importlib.resources import files
from typing import Any

from facilitator.detector.features import Token, pair_feature, units, word_features

MODEL_FILE = "model.json"
_LANE = 32
_MASK = (1 << _LANE) - 1
_LIMIT = (1 << 24) - 1  # a word's summed weight is clipped here, so a unit's sums fit a lane
_HALF = 1 << (_LANE - 1)
_CACHE = 50_000  # word shapes remembered


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
        return f"Suggestion({self.category!r}, {self.margin}, {self.start}, {self.end}, {self.words!r})"


class Model:
    """Weights by feature, as loaded from model.json."""

    def __init__(self, data: dict[str, Any]):
        self.categories: list[str] = list(data["categories"])
        self.corpus_sha256: str = data.get("corpus_sha256", "")
        self.bias: list[int] = list(data["bias"])
        self.thresholds: list[int] = list(data["thresholds"])
        self._n = len(self.categories)
        self._features: dict[str, list[int]] = data["features"]
        self._words: dict[str, int] = {}
        self._pairs: dict[str, int] = {}
        # A threshold over the bias, per category: what the words must add up to.
        self._need = [t - b for t, b in zip(self.thresholds, self.bias)]

    # -- packed vectors --------------------------------------------------------------------
    def _pack(self, sparse: list[int] | None, acc: list[int] | None = None) -> list[int]:
        acc = acc if acc is not None else [0] * self._n
        if sparse:
            for i in range(0, len(sparse), 2):
                acc[sparse[i]] += sparse[i + 1]
        return acc

    def _packed(self, vec: list[int]) -> int:
        return sum(max(-_LIMIT, min(_LIMIT, v)) << (_LANE * c) for c, v in enumerate(vec))

    def _unpack(self, total: int) -> list[int]:
        """The lanes of a sum of packed vectors; each lane is signed, so a negative one has
        borrowed from the lane above it, and is given back on the way up."""
        out = []
        for _ in range(self._n):
            low = total & _MASK
            if low >= _HALF:
                low -= 1 << _LANE
            out.append(low)
            total = (total - low) >> _LANE
        return out

    def word(self, word: str) -> int:
        """The word's own weights and its letter groups', packed."""
        packed = self._words.get(word)
        if packed is None:
            feats = self._features
            acc = [0] * self._n
            for f in word_features(word):
                self._pack(feats.get(f), acc)
            if len(self._words) > _CACHE:
                self._words.clear()
            packed = self._words[word] = self._packed(acc)
        return packed

    def pair(self, first: str, second: str) -> int | None:
        key = pair_feature(first, second)
        packed = self._pairs.get(key)
        if packed is None:
            sparse = self._features.get(key)
            if sparse is None:
                return None
            packed = self._pairs[key] = self._packed(self._pack(sparse))
        return packed

    def lane(self, packed: int, c: int) -> int:
        return self._unpack(packed)[c]

    # -- scoring ---------------------------------------------------------------------------
    def unit_scores(self, unit: list[Token]) -> list[int]:
        """The unit's score per category, in thousandths, bias left out."""
        words = [t[0] for t in unit]
        total = 0
        for w in set(words):
            total += self.word(w)
        seen: set[str] = set()
        for a, b in zip(words, words[1:]):
            key = a + " " + b
            if key in seen:
                continue
            seen.add(key)
            packed = self.pair(a, b)
            if packed is not None:
                total += packed
        return self._unpack(total)

    def suggest(self, norm: str) -> list[Suggestion]:
        """Every category whose score reaches its threshold in a unit of the text (the
        normalised text of features.normalise), once per unit and category."""
        out = []
        need = self._need
        for unit in units(norm):
            scores = self.unit_scores(unit)
            for c, s in enumerate(scores):
                if s >= need[c]:
                    start, end, words = self.explain(unit, c)
                    out.append(Suggestion(self.categories[c], s - need[c], start, end, words))
        return out

    def explain(self, unit: list[Token], c: int) -> tuple[int, int, list[str]]:
        """The span of the words that weighed most for category c in the unit, and those
        words (up to three, strongest first). A word's weight is its own and its letter
        groups', plus half of each word pair it is in."""
        words = [t[0] for t in unit]
        weight = [float(self.lane(self.word(w), c)) for w in words]
        for i in range(len(words) - 1):
            packed = self.pair(words[i], words[i + 1])
            if packed is not None:
                half = self.lane(packed, c) / 2
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
