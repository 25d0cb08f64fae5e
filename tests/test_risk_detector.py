"""The risk detector: the targets on the labelled sets, and the cases a facilitator
would notice: idioms not flagged, negation handled, spans that point at the right words, the
highest severity on top, rules a programme can change.

Print the figures: uv run python -m facilitator.detector evaluate [--misses]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from facilitator.detector import (
    CATEGORIES,
    DEFAULT_SEVERITIES,
    Detector,
    RulesError,
    detector_for_workspace,
    load_rules,
    rules_for_workspace,
    scan,
)
from facilitator.detector.evaluation import evaluate, format_report, read_statements

FIXTURES = Path(__file__).parent / "fixtures"
SETS = ["risk_statements.jsonl", "risk_statements_holdout.jsonl", "risk_statements_holdout2.jsonl"]


def cats(text: str, detector: Detector | None = None) -> set[str]:
    return set(scan(text, detector).categories)


# -- the labelled sets ------------------------------------------------------------------------
@pytest.fixture(scope="module", params=SETS)
def figures(request):
    rows = read_statements(FIXTURES / request.param)
    m = evaluate(rows)
    print(f"\n{request.param}\n{format_report(m)}")  # shown with -s, and on failure
    return m


def test_the_main_set_is_big_enough_and_covers_every_category():
    rows = read_statements(FIXTURES / "risk_statements.jsonl")
    assert len(rows) >= 150
    counts = {c.id: 0 for c in CATEGORIES}
    for row in rows:
        for c in row["categories"]:
            counts[c] += 1  # an unknown category id fails here
    assert min(counts.values()) >= 5, counts
    benign = sum(1 for r in rows if not r["categories"])
    assert 0.3 <= benign / len(rows) <= 0.5
    assert sum(1 for r in rows if len(r["categories"]) >= 2) >= 20  # mixed statements


def test_every_critical_category_in_the_labels_is_flagged(figures):
    assert figures["critical_misses"] == []


def test_at_least_95_percent_of_statements_needing_a_flag_are_flagged(figures):
    assert figures["statement_recall"] >= 0.95


def test_at_least_90_percent_of_labelled_categories_are_found(figures):
    assert figures["category_recall"] >= 0.90


def test_at_most_5_percent_of_benign_statements_are_flagged(figures):
    assert figures["benign_flagged"] <= 0.05, figures["false_alarms"]


# -- the phrases a facilitator would try ---------------------------------------------------
@pytest.mark.parametrize(
    "text, category",
    [
        ("He put his hands round her throat.", "strangulation"),
        ("I'll end her.", "threats_to_kill"),
        ("I'm gonna do her in.", "threats_to_kill"),
        ("He grabbed her by the neck.", "strangulation"),
        ("He picked up a knife.", "weapons"),
        ("She's leaving me.", "separation"),
        ("I checked her phone.", "controlling_behaviour"),
        ("I followed her home from work.", "stalking"),
        ("He choked her till she went limp.", "strangulation"),
        ("I throttled the missus.", "strangulation"),
        ("He threatened to kill his ex-partner.", "threats_to_kill"),
        ("I put my fist through the door.", "property_damage"),
        ("He kicked the dog.", "animal_harm"),
        ("He's drinking every day now.", "substance_misuse"),
        ("He broke his bail conditions.", "breach_of_order"),
        ("She's six months pregnant.", "pregnancy"),
        ("The kids saw everything.", "child_safeguarding"),
        ("She is terrified of him.", "victim_fear"),
        ("Her brothers are threatening her over the family's honour.", "honour_based"),
        ("He takes her wages every month.", "economic_abuse"),
        ("He's been thinking about ending it all.", "suicidal"),
        ("It's getting worse every week.", "escalation"),
        ("He made her have sex when she said no.", "sexual_violence"),
        ("I slapped her.", "physical_violence"),
    ],
)
def test_a_disclosure_is_flagged_with_its_category(text, category):
    assert category in cats(text)


@pytest.mark.parametrize(
    "text",
    [
        "I choked on a fish bone at Sunday dinner.",
        "Work is killing me at the moment.",
        "We spent the morning separating the recycling.",
        "I was killing time before the group.",
        "She was dressed to kill at the wedding.",
        "He let out a strangled cry when City scored.",
        "I could murder a curry.",
        "My feet are killing me.",
        "I got all choked up at the funeral.",
        "I cut my finger with a Stanley knife.",
        "The ivy has strangled the roses.",
        "My boss will kill me if I'm late.",
        "Split the bill with my brother.",
        "I killed it at the pub quiz.",
        "The heat on the bus was suffocating.",
        "I hit the gym after work.",
    ],
)
def test_everyday_idioms_are_not_flagged(text):
    assert scan(text).indicators == []


# -- negation, intent, promises ---------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "I didn't hit her.",
        "He never threatened her.",
        "There are no weapons in the house.",
        "He denies any physical violence since last week.",
        "I haven't checked her phone since the session on trust.",
        "She's not pregnant.",
        "I didn’t follow her, I was at work.",  # a curly apostrophe, as phones type it
        "Not once did I put my hands on her.",
        "He has no thoughts of harming himself.",
    ],
)
def test_negated_statements_are_not_flagged(text):
    assert scan(text).indicators == []


def test_denying_the_intent_is_not_denying_the_act():
    assert "strangulation" in cats("I didn't mean to choke her.")
    assert "physical_violence" in cats("I didn't want to hurt her, I just pushed her away.")


def test_negation_stops_at_the_end_of_its_clause():
    result = scan("I didn't hit her but I did push her.")
    assert [(i.category, i.match) for i in result.indicators] == [("physical_violence", "push her")]
    assert "threats_to_kill" in cats("No weapons, but he said he'd kill her.")
    assert "weapons" not in cats("No weapons, but he said he'd kill her.")


def test_a_promise_never_to_do_it_again_still_flags_what_was_done():
    assert "physical_violence" in cats("I'll never hit her again.")


def test_a_conditional_threat_is_a_threat_but_a_safety_plan_is_not():
    assert "threats_to_kill" in cats("If she ever cheats on me I'll kill her.")
    assert (
        scan("We planned what I'll do if I feel like hitting her: leave the room.").indicators == []
    )


def test_someone_else_on_the_telly_is_not_him_but_he_is():
    assert scan("A bloke on the telly threatened to kill someone.").indicators == []
    assert scan("My mate got done for drink driving.").indicators == []
    assert "physical_violence" in cats("He found a message from a man and slapped her.")
    assert "physical_violence" in cats("Me and my mate got into a fight at the pub.")


# -- what a scan returns ----------------------------------------------------------------------
def test_spans_point_at_the_matched_words_of_the_original_text():
    text = "Said he put his hands round her throat on Friday."
    [ind] = scan(text).indicators
    assert (ind.category, ind.severity, ind.match) == (
        "strangulation",
        "critical",
        "hands round her throat",
    )
    assert text[ind.start : ind.end] == ind.match
    assert ind.to_dict() == {
        "category": "strangulation",
        "severity": "critical",
        "match": "hands round her throat",
        "start": 16,
        "end": 38,
    }


def test_spans_stay_true_with_curly_quotes_and_swapped_phrases():
    text = "She’s told him she’s leaving. He says his missus’s phone was checked by him — he checked his missus’s phone."
    result = scan(text)
    assert result.indicators
    for ind in result.indicators:
        assert text[ind.start : ind.end] == ind.match
    assert any(i.match == "checked his missus’s phone" for i in result.indicators)


def test_every_span_in_the_labelled_sets_is_the_matched_text():
    for name in SETS:
        for row in read_statements(FIXTURES / name):
            for ind in scan(row["text"]).indicators:
                assert row["text"][ind.start : ind.end] == ind.match


def test_severity_is_the_highest_found_and_indicators_come_in_text_order():
    result = scan("He's been drinking heavily, he smashed her phone and grabbed her by the throat.")
    assert result.severity == "critical"
    assert [i.start for i in result.indicators] == sorted(i.start for i in result.indicators)
    assert {"substance_misuse", "property_damage", "strangulation"} <= set(result.categories)
    assert result.categories[0] == "strangulation"  # most severe first
    assert scan("We had a lovely weekend.").severity is None
    assert scan("").to_dict() == {"indicators": [], "severity": None}
    assert scan("Me and the missus broke up.").severity == "high"
    assert scan("He keeps checking her phone.").severity == "medium"


# -- the categories and the rules file --------------------------------------------------------
def test_the_19_categories_of_the_design_with_their_default_severities():
    assert DEFAULT_SEVERITIES == {
        "strangulation": "critical",
        "threats_to_kill": "critical",
        "weapons": "critical",
        "separation": "high",
        "stalking": "high",
        "sexual_violence": "high",
        "pregnancy": "high",
        "child_safeguarding": "high",
        "breach_of_order": "high",
        "escalation": "high",
        "physical_violence": "high",
        "suicidal": "high",
        "honour_based": "high",
        "victim_fear": "high",
        "substance_misuse": "medium",
        "property_damage": "medium",
        "controlling_behaviour": "medium",
        "economic_abuse": "medium",
        "animal_harm": "medium",
    }
    rules = load_rules()
    assert list(rules.categories) == [c.id for c in CATEGORIES]
    assert all(c.patterns for c in rules.categories.values())


def _workspace_rules(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "risk_rules.toml").write_text(text, encoding="utf-8")
    return folder


def test_a_workspace_can_add_phrases_and_change_a_severity(tmp_path):
    folder = _workspace_rules(
        tmp_path,
        """
[categories.weapons]
patterns = ['''nail\\s+gun\\s+at\\s+her''']
[categories.substance_misuse]
severity = "high"
""",
    )
    detector = Detector(rules_for_workspace(folder))
    assert "weapons" in cats("He pointed the nail gun at her.", detector)
    assert "weapons" in cats("He's got a shotgun.", detector)  # the shipped phrases are still there
    assert scan("He was off his face.", detector).severity == "high"
    assert scan("He was off his face.").severity == "medium"  # the shipped detector is untouched


def test_a_workspace_file_can_replace_the_shipped_rules(tmp_path):
    folder = _workspace_rules(
        tmp_path,
        """
extends_default = false
[categories.threats_to_kill]
patterns = ['''i'll\\s+have\\s+you''']
""",
    )
    detector = Detector(rules_for_workspace(folder))
    assert cats("I told her I'll have you.", detector) == {"threats_to_kill"}
    assert cats("He strangled her.", detector) == set()


@pytest.mark.parametrize(
    "text, words",
    [
        ("[categories.weapons]\npatterns = ['''knife(''']", ["weapons", "knife("]),
        ("[categories.weapons]\npatern = ['''x''']", ["unknown key", "patern"]),
        ("[categories.weapons]\nseverity = 'urgent'", ["severity", "urgent"]),
        ("[categories.doxxing]\npatterns = ['''x''']", ["doxxing", "severity"]),
        ("[categories.weapons]\npatterns = ['''{nosuch}''']", ["{nosuch}"]),
        ("[categories.weapons\n", ["not valid TOML"]),
    ],
)
def test_a_broken_rules_file_is_refused_with_the_place_named(tmp_path, text, words):
    folder = _workspace_rules(tmp_path, text)
    with pytest.raises(RulesError) as err:
        Detector(rules_for_workspace(folder))
    for w in words:
        assert w in str(err.value)


def test_a_programme_category_needs_a_severity_and_then_works(tmp_path):
    folder = _workspace_rules(
        tmp_path,
        """
[categories.immigration_threats]
severity = "high"
patterns = ['''(?:get|have)\\s+(?:her|you)\\s+deported''']
""",
    )
    # The rules file alone: the learned layer knows only the built-in categories.
    result = scan(
        "He said he'd get her deported.", Detector(rules_for_workspace(folder), learned=False)
    )
    assert [(i.category, i.severity) for i in result.indicators] == [
        ("immigration_threats", "high")
    ]


def test_without_a_rules_file_a_workspace_uses_the_shipped_rules(tmp_path):
    assert set(rules_for_workspace(tmp_path).categories) == set(DEFAULT_SEVERITIES)
    assert detector_for_workspace(tmp_path) is detector_for_workspace(None)


def test_the_workspace_detector_follows_its_rules_file_and_severity_settings(tmp_path):
    folder = _workspace_rules(tmp_path, "[categories.weapons]\npatterns = ['''zorblade''']\n")
    first = detector_for_workspace(folder)
    assert first is detector_for_workspace(folder)  # kept, not recompiled per check-in
    assert "weapons" in cats("He's got a zorblade.", first)
    import os

    path = folder / "risk_rules.toml"
    path.write_text("[categories.weapons]\npatterns = ['''glorblade''']\n", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    second = detector_for_workspace(folder)
    assert "weapons" in cats("He's got a glorblade.", second)
    assert (
        scan(
            "I pushed her.", detector_for_workspace(folder, {"physical_violence": "critical"})
        ).severity
        == "critical"
    )
    # settings that name no category or no severity are ignored, as they are for flags
    assert (
        scan(
            "I pushed her.",
            detector_for_workspace(None, {"nonsense": "high", "physical_violence": "urgent"}),
        ).severity
        == "high"
    )


def test_importing_the_detector_reads_and_compiles_nothing():
    code = (
        "import sys, facilitator.detector as r, facilitator.detector.detector as d; "
        "print('tomllib' in sys.modules, d._default is None)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "True"]


# -- everyday phrases never hide the disclosure beside them -------------------------------------
@pytest.mark.parametrize(
    "text, category",
    [
        ("He was suffocating her with a pillow.", "strangulation"),
        ("He beat her in the face.", "physical_violence"),
        ("I'd kill a bloke who touched her.", "threats_to_kill"),
        ("I'll kill them at work tomorrow.", "threats_to_kill"),
        ("He kept her home from work.", "controlling_behaviour"),
        ("He threw a bottle of wine at her.", "physical_violence"),
    ],
)
def test_an_everyday_phrase_does_not_hide_a_disclosure_next_to_it(text, category):
    assert category in cats(text)


# -- the fast path finds exactly what a plain scan would ----------------------------------------
def _reference_hits(detector: Detector, text: str) -> set[tuple[int, int, int]]:
    """One compiled regex per category over the whole text: the slow, obvious way."""
    import re

    from facilitator.detector.detector import _QUOTES, _lower
    from facilitator.detector.stems import lower_regex

    norm = detector._tokens.swap(_lower(text.translate(_QUOTES)))
    hits = set()
    for ci, cat in enumerate(detector.rules.categories.values()):
        regex = re.compile(
            r"(?<!\w)(?:" + "|".join(f"(?:{lower_regex(p)})" for p in cat.patterns) + r")(?!\w)"
        )
        hits |= {(ci, m.start(), m.end()) for m in regex.finditer(norm)}
    return hits


def test_looking_up_word_stems_finds_every_match_a_full_scan_finds():
    import random

    detector = Detector()
    texts = [row["text"] for name in SETS for row in read_statements(FIXTURES / name)]
    rng = random.Random(5)
    texts += [" ".join(rng.sample(texts, 12)) for _ in range(20)]  # long, mixed texts
    # Words split by tabs, new lines, several spaces, dashes and quotes; a text ending mid-phrase.
    texts += [
        t.replace(" ", sep) for t in texts[:40] for sep in ("\t", "\n", "   ", " \u2014 ", "'")
    ]
    texts += ["I'll kill", "kill", "he", "", "  choked  ", "the\tbaby", "my\u00a0wife"]
    for text in texts:
        from facilitator.detector.detector import _QUOTES, _lower

        hits, _ = detector._matches(detector._tokens.swap(_lower(text.translate(_QUOTES))))
        assert set(hits) == _reference_hits(detector, text), text


def test_the_shipped_stems_table_is_up_to_date():
    from facilitator.detector.stems import shipped_stems, table_for

    assert shipped_stems() == table_for(load_rules()), (
        "run: uv run python -m facilitator.detector stems"
    )


def test_every_shipped_pattern_compiles():
    detector = Detector()
    for pats in detector._by_stem.values():
        for pat in pats:
            assert pat.regex.pattern
    assert detector._everywhere == []  # every shipped pattern has stems


def test_a_programme_pattern_without_stems_is_tried_everywhere(tmp_path):
    folder = _workspace_rules(tmp_path, "[categories.weapons]\npatterns = ['''\\w+blade''']\n")
    detector = Detector(rules_for_workspace(folder))
    assert detector._everywhere
    assert "weapons" in cats("He's got a zorblade.", detector)


def test_the_token_swap_guard_changes_nothing():
    """[tokens] phrases are swapped behind a guard of their first letters (for speed): the
    working copy must be exactly what the phrases alone would give."""
    import random

    from facilitator.detector.detector import _QUOTES, _lower, _TokenSwap

    detector = Detector()
    rules = detector.rules
    plain = _TokenSwap(rules.tokens)  # no guard
    texts = [row["text"] for name in SETS for row in read_statements(FIXTURES / name)]
    rng = random.Random(7)
    texts += [" ".join(rng.sample(texts, 12)) for _ in range(20)]
    texts += [
        "my  wife",
        "His Missus",
        "the\tkids",
        "all the kids",
        "our little 'uns",
        "a\nchild",
        "both",
        "my other half's",
        "kids protection plan",
        "my wife-to-be",
        "the ex",
        "theex",
        "my exam",
    ]
    swapped = 0
    for text in texts:
        low = _lower(text.translate(_QUOTES))
        assert detector._tokens.swap(low) == plain.swap(low), text
        swapped += detector._tokens.swap(low) != low
    assert swapped > 50  # the guard lets the phrases through
    assert detector._tokens._regex.pattern != plain._regex.pattern  # and it is there
