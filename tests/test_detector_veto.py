"""The learned layer may drop a one-word rule match only where it is everyday talk: a critical
word aimed at someone, or professional shorthand, always stands."""

from __future__ import annotations

import pytest

from facilitator.detector import scan
from facilitator.detector.detector import aimed_at_someone


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Yeah I throttled her, alright? It was once.", "strangulation"),
        ("NFS - hands - Sun eve. Partner account via WSW.", "strangulation"),
        (
            "His uncle phoned P's sister and said that if she doesn't come home and marry the "
            "man they picked, she will be killed.",
            "threats_to_kill",
        ),
        ("Said to her on the phone: I'll end you.", "threats_to_kill"),
    ],
)
def test_a_critical_word_aimed_at_someone_is_always_suggested(text, category):
    assert category in scan(text).categories


@pytest.mark.parametrize(
    ("text", "word", "aimed"),
    [
        ("Yeah I throttled her, alright?", "throttled", True),
        ("TTK noted by WSW.", "TTK", True),
        ("he said she'd be killed.", "killed", True),
        ("we murdered a curry then the karaoke", "murdered", False),
        ("this heat is suffocating. She was fine.", "suffocating", False),
        ("all day with a cleaver in my hand", "cleaver", False),
    ],
)
def test_who_a_word_is_aimed_at_is_read_within_its_clause(text, word, aimed):
    i = text.index(word)
    assert aimed_at_someone(text, i, i + len(word)) is aimed


@pytest.mark.parametrize(
    ("text", "himself"),
    [
        ("i hit my thumb with a hammer putting up shelves.", True),
        ("nearly strangled myself with the hoover cable.", True),
        ("he put his hands round his son's throat.", False),
        ("i had my hands on her neck.", False),
    ],
)
def test_his_own_body_and_no_one_else_is_about_himself(text, himself):
    from facilitator.detector.detector import about_himself

    assert about_himself(text, 0, len(text)) is himself


def test_the_model_does_not_suggest_a_weapon_for_his_own_accident():
    assert scan("I hit my thumb with a hammer putting up shelves.").categories == []
    assert "weapons" in scan("He hit her with the hammer from his toolbox.").categories
