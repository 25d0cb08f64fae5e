"""Training the learned layer: one-vs-rest logistic regression over the features of
features.py, on the labelled corpus in corpus/, written to model.json.

    python -m facilitator.detector train [--check] [--folds N]
    python -m facilitator.detector train --curriculum [FOLDER]   refresh corpus/curriculum.jsonl

Deterministic: the same corpus gives the same model file, byte for byte, on the same numpy.
The model file records the SHA-256 of the corpus (and of rules.toml, since the thresholds are
chosen for what the rules miss), so a test can tell when either changed and nobody retrained.
Thresholds come from cross-validation on the corpus (never from the development or sealed
sets): each category's threshold is lowered where the held-out model catches what the rules
miss, for few benign statements.

numpy is needed here (a dev dependency) and never when scanning.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

from facilitator.detector.categories import CATEGORY_IDS, DEFAULT_SEVERITIES
from facilitator.detector.features import (
    MATERIAL_FILE,
    material_keys_of,
    pair_feature,
    text_units,
    word_features,
)

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
MODEL_FILE = HERE / "model.json"
MATERIAL_PATH = HERE / MATERIAL_FILE
SCALE = 1000  # weights are stored as whole thousandths

# How much each corpus file counts. The curriculum's sentences are the group's own risk
# vocabulary used in teaching, the hard negatives the model must learn; they weigh less than
# a labelled statement because a few of them describe abuse in a teaching vignette.
FILE_WEIGHTS = {"curriculum.jsonl": 0.3}
POSITIVE_WEIGHT = 2.0  # a missed disclosure costs more than a false alarm
L2 = 3.0  # on the sum of the weighted losses: a word seen in a few statements stays modest
ITERATIONS = 300
LEARNING_RATE = 0.05
MIN_COUNT = 2  # a feature seen in fewer examples than this is left out
KEEP_WEIGHT = 0.02  # smaller weights are dropped from the shipped file
# Thresholds: the share of the corpus's benign statements (by weight) the model may flag on
# top of those the rules flag, how much more a critical label counts than another, and the
# fewest labels per benign statement a step must catch to be taken.
BENIGN_BUDGET = 0.03
# A one-word rule match ("divorce", "pregnant") is dropped when the model scores its sentence
# below the category's veto: set so that at most this share of the labelled statements
# resting on such a match are lost, and only for a category with at least VETO_MIN such
# statements in the corpus. For a critical category none may be lost, and a match aimed at
# someone ("throttled her") or shorthand is never dropped (detector.vetoable): without that,
# "I throttled her" and "NFS - hands" were lost on the development set.
VETO_LOSS = {"critical": 0.0, "high": 0.04, "medium": 0.06}
VETO_MIN = 8
# A critical match aimed at no one is rare in a disclosure (a weapon named as kept, a
# "murder-suicide" said flat), so a few such statements are enough to set the bar below them.
VETO_MIN_CRITICAL = 3
PARAGRAPH_UNITS = 2  # a labelled statement of more units than this is weighed down
CRITICAL_GAIN = 8.0
MIN_VALUE = 0.5


# -- the corpus ----------------------------------------------------------------------------
def corpus_files(folder: Path = CORPUS) -> list[Path]:
    return sorted(folder.glob("*.jsonl"))


def corpus_hash(folder: Path = CORPUS) -> str:
    """SHA-256 over the corpus files' names and contents, in name order."""
    h = hashlib.sha256()
    for path in corpus_files(folder):
        h.update(path.name.encode("utf-8") + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def rules_hash() -> str:
    """SHA-256 of the shipped rules file: the thresholds are chosen for what the rules miss,
    so a change to the rules needs a retrain too."""
    return hashlib.sha256((HERE / "rules.toml").read_bytes()).hexdigest()


def read_corpus(folder: Path = CORPUS) -> list[dict[str, Any]]:
    rows = []
    for path in corpus_files(folder):
        weight = FILE_WEIGHTS.get(path.name, 1.0)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            cats = row.get("categories")
            if not isinstance(row.get("text"), str) or not isinstance(cats, list):
                raise ValueError(f"{path}:{n}: expected {{'text': str, 'categories': [str]}}")
            unknown = [c for c in cats if c not in CATEGORY_IDS]
            if unknown:
                raise ValueError(f"{path}:{n}: unknown categories {unknown}")
            rows.append(
                {"text": row["text"], "categories": cats, "weight": weight, "file": path.name}
            )
    return rows


def material_keys() -> list[str]:
    """The lines of the bundled curriculum and the debrief template, as the scanner keys them."""
    root = HERE.parents[1]
    paths = sorted((root / "curricula").rglob("*.md")) + sorted(
        (root / "session_notes").rglob("*.md")
    )
    return material_keys_of([p.read_text(encoding="utf-8") for p in paths])


def curriculum_rows(folder: Path) -> list[dict[str, Any]]:
    """Benign statements from a curriculum's Markdown (or a note template's): each line of the
    sessions' text, front matter and Markdown marks taken out. Quoted words are dropped too:
    they are examples of what a man might say, which in a check-in would be a disclosure."""
    import re

    rows: list[dict[str, Any]] = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            text = text.split("---", 2)[-1]
        text = re.sub(r"\"[^\"\n]{0,300}\"|\u201c[^\u201d\n]{0,300}\u201d", " ", text)
        text = re.sub(r"\{\{[^}]*\}\}", " ", text)  # a template's placeholders
        text = re.sub(r"[#*_>|`]+", " ", text)
        for line in text.splitlines():
            line = re.sub(r"\s+", " ", line).strip(" -\t")
            line = re.sub(r"^\d+\.\s*(\(\d+ min\)\s*)?", "", line)
            if len(line.split()) >= 5:
                rows.append({"text": line, "categories": []})
    seen: set[str] = set()
    unique: list[dict[str, Any]] = []
    for r in rows:
        if r["text"] not in seen:
            seen.add(r["text"])
            unique.append(r)
    return unique


# -- examples and features -------------------------------------------------------------------
# A unit's score is its bias plus, for each distinct word, the weights of the word and of its
# letter groups, plus the weight of each distinct word pair. Training sees the same sums.
class Example:
    __slots__ = ("words", "pairs", "labels", "weight")

    def __init__(self, words: list[str], labels: list[str], weight: float):
        self.words = sorted(set(words))
        self.pairs = sorted({pair_feature(a, b) for a, b in zip(words, words[1:])})
        self.labels = labels
        self.weight = weight


def examples(rows: list[dict[str, Any]]) -> list[Example]:
    """One example per statement (all its words); a benign statement of several units gives
    each unit as a benign example too, since the scanner weighs a text one unit at a time."""
    out = []
    for row in rows:
        units = text_units(row["text"])
        words = [w for u in units for w in u]
        if not words:
            continue
        weight = row["weight"]
        if row["categories"] and len(units) > PARAGRAPH_UNITS:
            # A debrief paragraph's label belongs to one or two of its sentences, not to every
            # word around them ("facilitators", "group", "session"): it counts for less.
            weight *= PARAGRAPH_UNITS / len(units)
        out.append(Example(words, row["categories"], weight))
        if not row["categories"] and len(units) > 1:
            for u in units:
                out.append(Example(u, [], row["weight"] * 0.5))
    return out


def fold_of(text: str, folds: int) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % folds


def vocabulary(exs: list[Example]) -> dict[str, int]:
    """Features seen in at least MIN_COUNT examples, in sorted order."""
    counts: dict[str, int] = {}
    for ex in exs:
        feats: set[str] = set(ex.pairs)
        for w in ex.words:
            feats.update(word_features(w))
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    kept = sorted(f for f, k in counts.items() if k >= MIN_COUNT)
    return {f: i for i, f in enumerate(kept)}


# -- the model -------------------------------------------------------------------------------
def fit(exs: list[Example], vocab: dict[str, int]) -> tuple[Any, Any]:
    """Weights (features x categories) and biases, by full-batch Adam on the weighted
    logistic loss with an L2 penalty. Fixed order and iterations: deterministic.

    The examples' features are (examples x words) @ (words x features) + (examples x pairs):
    each word's letter groups are summed once per word, not once per example."""
    import numpy as np

    n_feat, n_cat = len(vocab), len(CATEGORY_IDS)
    cat_index = {c: i for i, c in enumerate(CATEGORY_IDS)}
    word_ids: dict[str, int] = {}
    a_rows: list[int] = []
    a_cols: list[int] = []
    p_rows: list[int] = []
    p_cols: list[int] = []
    y = np.zeros((len(exs), n_cat))
    sw = np.zeros(len(exs))
    for r, ex in enumerate(exs):
        for word in ex.words:
            a_rows.append(r)
            a_cols.append(word_ids.setdefault(word, len(word_ids)))
        for pair in ex.pairs:
            if pair in vocab:
                p_rows.append(r)
                p_cols.append(vocab[pair])
        for c in ex.labels:
            y[r, cat_index[c]] = 1.0
        sw[r] = ex.weight
    m_rows: list[int] = []
    m_cols: list[int] = []
    for word, i in word_ids.items():
        for f in word_features(word):
            if f in vocab:
                m_rows.append(i)
                m_cols.append(vocab[f])
    ar, ac = np.array(a_rows), np.array(a_cols)
    pr, pc = np.array(p_rows, dtype=np.int64), np.array(p_cols, dtype=np.int64)
    mr, mc = np.array(m_rows), np.array(m_cols)
    n, n_words = len(exs), len(word_ids)

    lanes = np.arange(n_cat)

    def product(index: Any, rows: Any, size: int) -> Any:
        """A sparse product as a function: values -> sum of values[index] into `size` rows
        by `rows`, for all categories in one bincount (the flat indices worked out once)."""
        flat = (rows[:, None] * n_cat + lanes).ravel()

        def apply(values: Any) -> Any:
            return np.bincount(flat, values[index].ravel(), size * n_cat).reshape(size, n_cat)

        return apply

    word_sums, unit_sums = product(mc, mr, n_words), product(ac, ar, n)
    pair_sums = product(pc, pr, n)
    word_grads, feat_grads = product(ar, ac, n_words), product(mr, mc, n_feat)
    pair_grads = product(pr, pc, n_feat)

    def forward(w: Any) -> Any:
        z = unit_sums(word_sums(w))
        return z + pair_sums(w) if len(pr) else z

    def backward(g: Any) -> Any:
        gw = feat_grads(word_grads(g))
        return gw + pair_grads(g) if len(pr) else gw

    # Per-example, per-category weight: positives count more.
    cw = sw[:, None] * np.where(y > 0, POSITIVE_WEIGHT, 1.0)
    w = np.zeros((n_feat, n_cat))
    b = np.full(n_cat, -3.0)
    m_w, v_w = np.zeros_like(w), np.zeros_like(w)
    m_b, v_b = np.zeros_like(b), np.zeros_like(b)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for it in range(1, ITERATIONS + 1):
        z = forward(w) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        g = (p - y) * cw  # d loss / d z
        g_w = backward(g) + L2 * w
        g_b = g.sum(axis=0)
        for param, grad, m, v in ((w, g_w, m_w, v_w), (b, g_b, m_b, v_b)):
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            step = (m / (1 - beta1**it)) / (np.sqrt(v / (1 - beta2**it)) + eps)
            param -= LEARNING_RATE * step
    return w, b


def unit_logits(text: str, weights: dict[str, list[float]], bias: list[float]) -> list[list[float]]:
    """Each unit's logits (pure Python, as the scanner scores), for cross-validation."""
    out = []
    for words in text_units(text):
        z = list(bias)
        feats = [f for w in set(words) for f in word_features(w)]
        feats += {pair_feature(a, b) for a, b in zip(words, words[1:])}
        for f in feats:
            vec = weights.get(f)
            if vec is not None:
                for c, v in enumerate(vec):
                    z[c] += v
        out.append(z)
    return out


def as_table(w: Any, b: Any, vocab: dict[str, int]) -> tuple[dict[str, list[float]], list[float]]:
    """The weights as {feature: [weight per category]}, small ones dropped, rounded as shipped."""
    import numpy as np

    keep = np.abs(w).max(axis=1) >= KEEP_WEIGHT
    table = {}
    for f, i in vocab.items():
        if keep[i]:
            table[f] = [round(float(x) * SCALE) / SCALE for x in w[i]]
    return table, [round(float(x) * SCALE) / SCALE for x in b]


def held_out_scores(rows: list[dict[str, Any]], folds: int) -> list[list[float]]:
    """Each statement's best unit logit per category, from a model that never saw it."""
    n_cat = len(CATEGORY_IDS)
    scores: list[list[float]] = [[-math.inf] * n_cat for _ in rows]
    for k in range(folds):
        train_rows = [r for r in rows if fold_of(r["text"], folds) != k]
        exs = examples(train_rows)
        vocab = vocabulary(exs)
        w, b = fit(exs, vocab)
        table, bias = as_table(w, b, vocab)
        for i, r in enumerate(rows):
            if fold_of(r["text"], folds) == k:
                for u in unit_logits(r["text"], table, bias):
                    scores[i] = [max(a, v) for a, v in zip(scores[i], u)]
    return scores


def vetoes(rows: list[dict[str, Any]], found: list[Any], scores: list[list[float]]) -> list[float]:
    """Per category, the held-out model score below which a one-word rule match is dropped:
    the highest that drops no more than VETO_LOSS of the labelled statements whose only
    evidence for the category is such a match. No such statement: no veto."""
    out = []
    for c, cat in enumerate(CATEGORY_IDS):
        true = sorted(
            scores[i][c]
            for i, (r, f) in enumerate(zip(rows, found))
            if cat in r["categories"] and _only_bare(f, cat, r["text"])
        )
        least = VETO_MIN_CRITICAL if DEFAULT_SEVERITIES[cat] == "critical" else VETO_MIN
        if len(true) < least or DEFAULT_SEVERITIES[cat] not in VETO_LOSS:
            out.append(-math.inf)
            continue
        k = int(math.floor(VETO_LOSS[DEFAULT_SEVERITIES[cat]] * len(true)))
        out.append(true[k] - 1e-3)
    return out


def _only_bare(result: Any, cat: str, text: str) -> bool:
    """Does the statement's evidence for the category rest only on matches the model may drop?"""
    from facilitator.detector.detector import vetoable

    matches = [i for i in result.indicators if i.category == cat]
    return bool(matches) and all(vetoable(i, text) for i in matches)


def after_veto(result: Any, score: list[float], veto: list[float], text: str) -> set[str]:
    """The categories the rules find in a statement once one-word matches the model does not
    back are dropped (and what they imply, unless something else implies it too)."""
    from facilitator.detector.detector import _implies, vetoable

    index = {c: i for i, c in enumerate(CATEGORY_IDS)}
    kept = set()
    for ind in result.indicators:
        c = index.get(ind.category)
        if not (vetoable(ind, text) and c is not None and score[c] < veto[c]):
            kept.add(ind.category)
            kept.update(_implies(ind))
    return kept


def thresholds(
    rows: list[dict[str, Any]], folds: int, scores: list[list[float]] | None = None
) -> tuple[list[float], dict[str, Any]]:
    """Each category's threshold on the logit, chosen on held-out folds of the corpus for
    what the rules and the model find together.

    Greedy: every threshold starts out of reach; at each step the category whose threshold,
    lowered to its next held-out statement, catches the most labels the rules missed for
    the fewest benign statements newly flagged (weighted as in training) is lowered, until
    the benign statements it adds to the rules' reach BENIGN_BUDGET. Critical labels count
    CRITICAL_GAIN times."""
    from facilitator.detector.detector import Detector

    scores = scores if scores is not None else held_out_scores(rows, folds)
    rules = Detector(learned=False, material=False)
    found = [rules.scan(r["text"]) for r in rows]
    veto = vetoes(rows, found, scores)
    by_rules = [after_veto(f, s, veto, r["text"]) for f, s, r in zip(found, scores, rows)]
    n_cat = len(CATEGORY_IDS)
    benign = [i for i, r in enumerate(rows) if not r["categories"]]
    benign_weight = sum(rows[i]["weight"] for i in benign)
    flagged_by = {i: (1 if by_rules[i] else 0) for i in benign}  # reasons each benign is flagged
    by_rules_share = sum(rows[i]["weight"] for i in benign if flagged_by[i]) / benign_weight
    spent = 0.0  # what the model adds
    budget = BENIGN_BUDGET * benign_weight
    thr = [math.inf] * n_cat
    # Candidate thresholds per category: its positives' scores the rules missed, high to low.
    todo = []
    for c, cat in enumerate(CATEGORY_IDS):
        todo.append(
            sorted(
                {
                    scores[i][c]
                    for i, r in enumerate(rows)
                    if cat in r["categories"]
                    and cat not in by_rules[i]
                    and scores[i][c] > -math.inf
                },
                reverse=True,
            )
        )
    while True:
        best = None
        for c, cat in enumerate(CATEGORY_IDS):
            if not todo[c]:
                continue
            t = todo[c][0]
            gain = float(
                sum(
                    1
                    for i, r in enumerate(rows)
                    if cat in r["categories"]
                    and cat not in by_rules[i]
                    and t <= scores[i][c] < thr[c]
                )
            )
            gain *= CRITICAL_GAIN if DEFAULT_SEVERITIES[cat] == "critical" else 1.0
            cost = sum(
                rows[i]["weight"]
                for i in benign
                if not flagged_by[i] and t <= scores[i][c] < thr[c]
            )
            value = gain / (cost + 0.05)
            if cost + spent <= budget and (best is None or value > best[0]):
                best = (value, c, t)
        if best is None or best[0] < MIN_VALUE:
            break
        _, c, t = best
        for i in benign:
            if t <= scores[i][c] < thr[c]:
                if not flagged_by[i]:
                    spent += rows[i]["weight"]
                flagged_by[i] += 1
        thr[c] = t
        todo[c].pop(0)
    out = [round(t - 1e-3, 3) if t < math.inf else 99.0 for t in thr]
    report: dict[str, Any] = {
        "benign_share": spent / benign_weight + by_rules_share,
        "by_rules": by_rules_share,
        "veto": veto,
    }
    for c, cat in enumerate(CATEGORY_IDS):
        pos = [i for i, r in enumerate(rows) if cat in r["categories"]]
        report[cat] = {
            "positives": len(pos),
            "rules": sum(1 for i in pos if cat in by_rules[i]),
            "together": sum(1 for i in pos if cat in by_rules[i] or scores[i][c] >= out[c]),
        }
    return out, report


def config() -> dict[str, Any]:
    """The settings a model was trained with, recorded in its file (a test compares them)."""
    from facilitator.detector.features import CHAR_N, MAX_TOKENS, MIN_TOKENS, OVERLAP

    return {
        "file_weights": FILE_WEIGHTS,
        "positive_weight": POSITIVE_WEIGHT,
        "l2": L2,
        "iterations": ITERATIONS,
        "learning_rate": LEARNING_RATE,
        "min_count": MIN_COUNT,
        "keep_weight": KEEP_WEIGHT,
        "benign_budget": BENIGN_BUDGET,
        "critical_gain": CRITICAL_GAIN,
        "min_value": MIN_VALUE,
        "char_n": list(CHAR_N),
        "veto_loss": VETO_LOSS,
        "veto_min": VETO_MIN,
        "veto_min_critical": VETO_MIN_CRITICAL,
        "paragraph_units": PARAGRAPH_UNITS,
        "max_tokens": MAX_TOKENS,
        "min_tokens": MIN_TOKENS,
        "overlap": OVERLAP,
    }


def final_weights(rows: list[dict[str, Any]]) -> tuple[dict[str, list[int]], list[int]]:
    """The shipped weights (thousandths, small ones dropped) of a model fitted on all rows."""
    exs = examples(rows)
    vocab = vocabulary(exs)
    w, b = fit(exs, vocab)
    table, bias = as_table(w, b, vocab)
    return {f: _sparse(v) for f, v in sorted(table.items())}, [round(x * SCALE) for x in bias]


def train(folds: int = 4, quiet: bool = False) -> dict[str, Any]:
    started = time.perf_counter()
    rows = read_corpus()
    thr, report = thresholds(rows, folds) if folds > 1 else ([0.0] * len(CATEGORY_IDS), {})
    veto = report.get("veto", [-math.inf] * len(CATEGORY_IDS))
    features, bias = final_weights(rows)
    model = {
        "note": "generated by python -m facilitator.detector train from corpus/; do not edit",
        "version": 1,
        "corpus_sha256": corpus_hash(),
        "corpus_rows": len(rows),
        "rules_sha256": rules_hash(),
        "training": config(),
        "categories": list(CATEGORY_IDS),
        "scale": SCALE,
        "bias": bias,
        "thresholds": [round(x * SCALE) for x in thr],
        "veto": [round(x * SCALE) if x > -math.inf else None for x in veto],
        "features": features,
    }
    if not quiet:
        took = time.perf_counter() - started
        print(
            f"{len(rows)} statements, {len(features)} features kept; {took:.1f} s", file=sys.stderr
        )
        for cat, r in report.items():
            if isinstance(r, dict) and "positives" in r:
                print(
                    f"  {cat:24s} {r['positives']:4d} labelled: rules {r['rules']:4d}, with the "
                    f"model (held out) {r['together']:4d}",
                    file=sys.stderr,
                )
        if report:
            print(
                f"  benign flagged (held out, weighted) {100 * report['benign_share']:.1f}%"
                f" (the rules alone {100 * report['by_rules']:.1f}%)",
                file=sys.stderr,
            )
    return model


def _sparse(vec: list[float]) -> list[int]:
    """[category, weight, category, weight, ...] for the non-zero weights, in thousandths."""
    out = []
    for c, v in enumerate(vec):
        q = round(v * SCALE)
        if q:
            out += [c, q]
    return out


def dumps(model: dict[str, Any]) -> str:
    return json.dumps(model, separators=(",", ":"), sort_keys=False) + "\n"


def main(argv: list[str]) -> None:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m facilitator.detector train")
    ap.add_argument(
        "--check", action="store_true", help="fail if model.json is not what training gives"
    )
    ap.add_argument(
        "--folds", type=int, default=4, help="cross-validation folds for the thresholds"
    )
    ap.add_argument(
        "--curriculum",
        nargs="?",
        const="",
        default=None,
        help="rewrite corpus/curriculum.jsonl from a curriculum folder (default: the bundled one)",
    )
    args = ap.parse_args(argv)
    if args.curriculum is not None:
        folder = Path(args.curriculum) if args.curriculum else HERE.parents[1] / "curricula"
        rows = curriculum_rows(folder)
        if not args.curriculum:
            # The debrief template's own words are in every debrief the scanner reads.
            rows += curriculum_rows(HERE.parents[1] / "session_notes")
        path = CORPUS / "curriculum.jsonl"
        path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
        print(f"wrote {path} ({len(rows)} benign statements from {folder})")
        if not args.curriculum:
            keys = material_keys()
            MATERIAL_PATH.write_text("".join(k + "\n" for k in keys), encoding="utf-8")
            print(f"wrote {MATERIAL_PATH} ({len(keys)} lines of the programme's material)")
        return
    text = dumps(train(args.folds))
    if args.check:
        same = MODEL_FILE.exists() and MODEL_FILE.read_text(encoding="utf-8") == text
        sys.exit(
            0
            if same
            else "model.json is not what training gives: run python -m facilitator.detector train"
        )
    MODEL_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL_FILE} ({len(text) // 1024} KB)")
