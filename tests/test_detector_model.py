"""The learned layer: the shipped model is the one the training script makes from the corpus
and the rules in the repo, it loads without numpy, and what it raises shows its words."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator.detector import Detector, scan
from facilitator.detector import train as training
from facilitator.detector.model import MODEL_FILE, Model, shipped_model

PACKAGE = Path(training.__file__).resolve().parent


def shipped() -> dict:
    return json.loads((PACKAGE / MODEL_FILE).read_text(encoding="utf-8"))


def test_the_model_file_loads_and_names_every_category():
    model = shipped_model()
    assert model is not None
    data = shipped()
    assert model.categories == data["categories"] == list(training.CATEGORY_IDS)
    assert len(model.bias) == len(model.thresholds) == len(model.categories)


def test_the_model_was_trained_on_the_corpus_in_the_repo():
    # Edit a corpus file (or add one) without `python -m facilitator.detector train` and this fails.
    assert shipped()["corpus_sha256"] == training.corpus_hash(), (
        "the corpus changed since model.json was trained: run python -m facilitator.detector train"
    )


def test_the_model_was_trained_with_the_rules_in_the_repo():
    # The thresholds are chosen for what the rules miss: a rules change needs a retrain too.
    assert shipped()["rules_sha256"] == training.rules_hash(), (
        "rules.toml changed since model.json was trained: run python -m facilitator.detector train"
    )


def test_the_model_was_trained_with_the_settings_in_the_training_script():
    assert shipped()["training"] == json.loads(json.dumps(training.config()))


def test_a_changed_corpus_gives_another_hash(tmp_path):
    for path in training.corpus_files():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    assert training.corpus_hash(tmp_path) == training.corpus_hash()
    first = sorted(tmp_path.glob("*.jsonl"))[0]
    first.write_text(
        first.read_text(encoding="utf-8") + '{"text": "x", "categories": []}\n', encoding="utf-8"
    )
    assert training.corpus_hash(tmp_path) != training.corpus_hash()


def test_retraining_gives_the_shipped_weights():
    """The final fit on the whole corpus (one fit, some seconds) gives exactly the shipped
    weights and biases; the thresholds come from cross-validation folds, checked through the
    hashes and settings above (and in full by `train --check`)."""
    features, bias = training.final_weights(training.read_corpus())
    data = shipped()
    assert bias == data["bias"]
    assert features == data["features"]


def test_training_is_deterministic_on_a_small_subset():
    rows = training.read_corpus()[::17]
    exs = training.examples(rows)
    vocab = training.vocabulary(exs)
    first = training.as_table(*training.fit(exs, vocab), vocab)
    second = training.as_table(*training.fit(exs, vocab), vocab)
    assert first == second


def test_scoring_in_pure_python_agrees_with_the_training_scores():
    """The packed-integer scoring at scan time gives the same unit scores as the plain sums
    the training script uses for cross-validation."""
    data = shipped()
    model = Model(data)
    weights = {f: [0.0] * len(data["categories"]) for f in data["features"]}
    for f, sparse in data["features"].items():
        for i in range(0, len(sparse), 2):
            weights[f][sparse[i]] = sparse[i + 1] / training.SCALE
    bias = [b / training.SCALE for b in data["bias"]]
    text = (
        "He put the pillow over her face. She says she is scared to go home. "
        "We did the homework on time-outs and the group was engaged."
    )
    from facilitator.detector.features import normalise, unit_words

    plain = training.unit_logits(text, weights, bias)
    for (_, _, words), logits in zip(unit_words(normalise(text)), plain):
        packed = model.unit_scores(words)
        for c, (p, z) in enumerate(zip(packed, logits)):
            over = round(z * training.SCALE) - data["thresholds"][c]
            assert abs(p - over) <= 2, (c, p, over)


def test_scanning_never_imports_numpy_and_importing_reads_no_model():
    code = (
        "import sys; from facilitator.detector import scan; "
        "before = 'facilitator.detector.model' in sys.modules; "
        "scan('He held a pillow over her face.'); "
        "print(before, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_model_raised_indicator_shows_its_words_and_their_span():
    text = "Partner says he took a loan out in her name and spent it all."
    found = [i for i in scan(text).indicators if i.source == "model"]
    assert found, scan(text)
    for ind in found:
        assert text[ind.start : ind.end] == ind.match
        assert ind.words and all(w in text.lower() for w in ind.words)
        assert set(ind.to_dict()) == {"category", "severity", "match", "start", "end"}
        assert ind.details()["source"] == "model" and ind.details()["words"] == ind.words


def test_a_rule_indicator_says_it_came_from_the_rules():
    [ind] = scan("Said he put his hands round her throat on Friday.").indicators
    assert ind.source == "rule" and ind.words == ["hands round her throat"]


def test_the_rules_alone_when_asked():
    text = "Partner says he took a loan out in her name and spent it all."
    assert all(i.source == "rule" for i in Detector(learned=False).scan(text).indicators)


def test_checking_her_phone_is_control_and_implies_stalking():
    result = scan("He keeps checking her phone.")
    assert result.categories == ["controlling_behaviour"] and result.severity == "medium"
    assert [i.category for i in result.implied] == ["stalking"]
    assert result.implied[0].match == "checking her phone"


def test_strangulation_implies_physical_violence_without_changing_the_indicators():
    result = scan("He put his hands round her throat.")
    assert [i.category for i in result.indicators] == ["strangulation"]
    assert [i.category for i in result.implied] == ["physical_violence"]
    assert result.categories == ["strangulation"]
    assert set(result.all_categories) == {"strangulation", "physical_violence"}
    assert result.to_dict()["severity"] == "critical"
    assert set(result.to_dict()) == {"indicators", "severity"}


@pytest.mark.parametrize(
    "text",
    [
        "I choked on a fish bone at Sunday dinner.",
        "Work is killing me.",
        "We spent the morning separating the recycling.",
        "My tie was choking me at the wedding.",
        "We discussed threats and intimidation on the power and control wheel.",
        "The group did the exercise on the power and control wheel and named the intimidation spoke.",
        "We killed them 4-0 on Saturday.",
        "His sister is pregnant with twins.",
        "He works as a chef and sharpened his knives before service.",
        "His son got a Nerf gun for his birthday.",
        "I hit my thumb with a hammer putting up shelves.",
        "I didn't check her phone even though I wanted to.",
    ],
)
def test_everyday_talk_raises_nothing(text):
    assert scan(text).indicators == [], scan(text)


def test_a_threat_without_the_word_kill_is_a_threat_to_kill():
    for text in (
        "He told her no one else is having her.",
        "He said if he can't have her nobody can.",
        "He said they would both go together, off the bridge in the car.",
    ):
        assert "threats_to_kill" in scan(text).categories, text


def test_the_model_file_is_small():
    # About 3 MB for a corpus of 3,700 statements. Dropping more small weights to stay under a
    # rounder figure lost a critical statement of the development set: size gives way first.
    assert (PACKAGE / MODEL_FILE).stat().st_size < 3_500_000


def test_the_development_set_is_frozen_as_copied():
    path = Path(__file__).parent / "fixtures" / "detector_sets" / "dev.jsonl"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == "cc356838da4edbdf2c8a35bcd15ada041584539daf7d76488ced22ef179985ad"
