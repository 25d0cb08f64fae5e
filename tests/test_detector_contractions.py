"""Contractions are function words: "I'll", "we'll", "you'll" or "it'll" raise nothing by
themselves, while the threats said with them are still found."""

from __future__ import annotations

import pytest

from facilitator.detector import scan
from facilitator.detector.features import is_function_word, word_features

EVERYDAY = [
    "I'll see you next week.",
    "We'll talk about it.",
    "She'll be there.",
    "It'll be fine.",
    "He'll pick up the kids after school.",
    "You'll see.",
    "You'll be fine.",
    "I'll sort it.",
    "I'll see what happens with the job.",
    "You'll never know how hard the shifts are.",
    "We'll go to the park with the kids on Sunday.",
    "We'd go to the coast every summer when I was a lad.",
    "She'd sort it, she always does.",
    "They'll come round for tea.",
    "That'll be the day.",
    "I’ll ring you, we’ll see.",  # curly apostrophes
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_a_contraction_raises_nothing_by_itself(text):
    found = scan(text)
    assert found.all_indicators == [], [i.details() for i in found.all_indicators]


@pytest.mark.parametrize(
    "text, category",
    [
        ("He said: I'll kill you if you leave.", "threats_to_kill"),
        ("He told her we'll both go together, off the bridge.", "threats_to_kill"),
        ("He texted her 'we'll both go.'", "threats_to_kill"),
        ("He said no one's having her, I'll make sure of that.", "threats_to_kill"),
        ("She'll be dead by Christmas, he told his brother.", "threats_to_kill"),
        ("I'll strangle her if she does that again.", "threats_to_kill"),
    ],
)
def test_threats_said_with_a_contraction_are_still_found(text, category):
    assert category in scan(text).all_categories


def test_a_pronoun_with_its_clitic_gives_no_features_but_other_words_do():
    for word in ("i'll", "you'll", "we'll", "she'll", "it'll", "they'd", "she's", "i'm"):
        assert is_function_word(word) and word_features(word) == [], word
    # A negation and a name's possessive still carry meaning of their own.
    for word in ("won't", "can't", "partner's", "ill", "well"):
        assert word_features(word), word
