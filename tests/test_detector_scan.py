"""The scanner on long texts and the evaluate command: the time grows in proportion to the
text, and `evaluate` prints the figures per set."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from facilitator.detector import default_detector, scan

FIXTURES = Path(__file__).parent / "fixtures"


def _risk_text(size: int) -> str:
    texts = [
        json.loads(line)["text"]
        for line in (FIXTURES / "risk_statements.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    one = " ".join(texts)
    return ((one + " ") * (size // len(one) + 1))[:size]


def _seconds(text: str) -> float:
    detector = default_detector()
    best = float("inf")
    for _ in range(2):
        t = time.perf_counter()
        detector.scan(text)
        best = min(best, time.perf_counter() - t)
    return best


def test_a_long_text_costs_in_proportion_to_its_length():
    default_detector().scan(_risk_text(20_000))  # compiled and warm
    for text in (_risk_text(100_000), _risk_text(100_000).replace(". ", " and ")):
        small = _seconds(text[:50_000])
        large = _seconds((text * 4)[:400_000])
        # 8 times the text, about 8 times the time (a quadratic scan would take 64 times)
        assert large < 14 * small + 0.05, (small, large)
        assert small < 1.0


def test_a_text_of_one_sentence_without_stops_is_scanned_quickly():
    text = "and then he said she was leaving and he grabbed her by the neck " * 1500  # ~95 KB
    t = time.perf_counter()
    result = scan(text)
    assert time.perf_counter() - t < 2.0
    assert "strangulation" in result.categories


def test_spans_of_every_finding_point_at_the_text_in_a_long_debrief():
    text = _risk_text(30_000)
    result = scan(text)
    assert result.indicators
    for ind in result.all_indicators:
        assert text[ind.start : ind.end] == ind.match


def test_evaluate_prints_the_figures_for_each_set(tmp_path):
    path = tmp_path / "mini.jsonl"
    rows = [
        {
            "text": "He put his hands round her throat.",
            "categories": ["strangulation", "physical_violence"],
        },
        {"text": "We had a quiet weekend at home.", "categories": []},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cmd = [sys.executable, "-m", "facilitator.detector", "evaluate", "--set", str(path), "--misses"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    assert f"== {path}" in out
    assert "critical caught" in out and "1/1" in out
    assert "statements needing a flag that were flagged" in out
    assert "labelled categories found" in out and "2/2" in out
    assert "benign statements flagged" in out and "0/1" in out
    assert "strangulation" in out  # the per-category table
