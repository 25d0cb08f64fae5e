"""Every indicator the detector finds on the development and training texts, written to a
file or compared with one: a speed change must leave what the scanner finds exactly as it was.

    uv run python benchmarks/scan_snapshot.py write OUT.json     # before the change
    uv run python benchmarks/scan_snapshot.py compare OUT.json   # after: lists every difference

The texts: each statement of the development set, of the two training sets and of the
project's labelled fixtures, one by one; the same statements joined into long texts (so the
paths for texts with many matches are taken too); the bundled curriculum; and the benchmark's
synthetic debriefs. Sealed sets are never read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = [
    ROOT / "tests" / "fixtures" / "detector_sets" / "dev.jsonl",
    ROOT / "facilitator" / "detector" / "corpus" / "independent_t1.jsonl",
    ROOT / "facilitator" / "detector" / "corpus" / "independent_t2.jsonl",
    ROOT / "tests" / "fixtures" / "risk_statements.jsonl",
    ROOT / "tests" / "fixtures" / "risk_statements_holdout.jsonl",
    ROOT / "tests" / "fixtures" / "risk_statements_holdout2.jsonl",
]


def texts() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_risk import debrief

    out: dict[str, str] = {}
    for path in SETS:
        rows = [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line]
        for i, text in enumerate(rows):
            out[f"{path.name}:{i}"] = text
        out[f"{path.name}:joined-space"] = " ".join(rows)
        out[f"{path.name}:joined-lines"] = "\n".join(rows)
        out[f"{path.name}:joined-nostop"] = " and ".join(r.rstrip(".!? ") for r in rows[:80])
    for f in sorted((ROOT / "curricula").rglob("*.md")) + sorted(
        (ROOT / "session_notes").rglob("*.md")
    ):
        out[f"curriculum:{f.relative_to(ROOT)}"] = f.read_text("utf-8")
    for share in (0.1, 0.5, 1.0):
        out[f"debrief:{share}"] = debrief(disclosures=share)
    out["debrief:100k"] = (debrief(words=20_000, disclosures=0.1) * 2)[:100_000]
    return out


def snapshot() -> dict[str, dict]:
    from facilitator.detector import Detector, default_detector

    detectors = {"full": default_detector(), "rules": Detector(learned=False)}
    return {
        f"{name}|{key}": det.scan(text).details()
        for name, det in detectors.items()
        for key, text in texts().items()
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("write", "compare"):
        sys.exit(__doc__)
    sys.path.insert(0, str(ROOT))
    now = snapshot()
    path = Path(argv[1])
    if argv[0] == "write":
        path.write_text(json.dumps(now, indent=0, sort_keys=True), "utf-8")
        print(f"{len(now)} scans written to {path}")
        return 0
    before = json.loads(path.read_text("utf-8"))
    differ = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    for key in differ:
        print(f"DIFFERS {key}\n  before: {before.get(key)}\n  after:  {now.get(key)}")
    found = sum(len(v["indicators"]) + len(v["implied"]) for v in now.values())
    print(f"{len(now)} scans, {found} indicators: {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
