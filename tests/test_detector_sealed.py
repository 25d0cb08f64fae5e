"""The sealed statement sets stay sealed: frozen as written, and never in the training corpus."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEALED = ROOT / "tests" / "fixtures" / "detector_sets" / "sealed"
CORPUS = ROOT / "facilitator" / "detector" / "corpus"

# SHA-256 of each set as its writer left it: a changed set is no longer the one that was scored.
FROZEN = {
    "sealed_s1.jsonl": "31d6fae476d843ce60df75498baeff8963bf5ebbe66a3499be4cd56b99d1f545",
    "sealed_s2.jsonl": "4aa246ea1d8bed1e1ee00c69f612dc977ed4b4bd032a2cdb6d772ef816c7ba9d",
    "sealed_s3.jsonl": "73e56c47791f7ee8c2bd8c83c54f2e6c783f3c3ef75aa51d68fc835996e0d4d2",
    "sealed_s4.jsonl": "8cdc0f0a1e93a2f0fc69e792d5477d43691ebd1fc6f2309bcc4b05af1262e51e",
    "sealed_s5.jsonl": "65ea02ff539846da3aec2ed814a36478e17d8b054070306bc9b2d00e99ae0ab5",
    "sealed_s6.jsonl": "c05933dcac1e17c7204d839121cd5e9571798370580447d4bfc7e7ba24c96ba0",
    "sealed_s7.jsonl": "768431170236e1ed4e88f0d5fe3ef919acba1ab1abcb90b30da83e67f2bf9da4",
    "sealed_s8.jsonl": "8d8fb5255d70cab096c43717f5e928a3ea67a50a21ae82ba415ae4dfc71b794c",
    "sealed_s9.jsonl": "385777a63f4ff078f4de8a593f2fc380e07de74bd4020b2ff25e11d4e9db660f",
    "sealed_s10.jsonl": "8fd79a3d1f335935ed948185abb41e6675d67ca55c21505d1aa9f3ac2c3036ee",
    "sealed_s11.jsonl": "abbebd2615733e2c3aaace5110bad864fc86e1d79a725bf6bd6cb1abef4272a9",
    "sealed_s12.jsonl": "069d62b91cd2926ae4c602f89fcd740aa83392e06519bef0f23e32aec2c156f6",
}


def _texts(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {" ".join(json.loads(line)["text"].lower().split()) for line in lines if line.strip()}


def test_the_sealed_sets_are_as_their_writers_left_them():
    for name, digest in FROZEN.items():
        assert hashlib.sha256((SEALED / name).read_bytes()).hexdigest() == digest, name


def test_no_sealed_statement_is_in_the_training_corpus():
    corpus: set[str] = set()
    for path in CORPUS.glob("*.jsonl"):
        corpus |= _texts(path)
    for name in FROZEN:
        shared = _texts(SEALED / name) & corpus
        assert not shared, f"{name}: {sorted(shared)[:2]}"
