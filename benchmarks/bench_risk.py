"""Risk detector benchmark.

    uv run python benchmarks/bench_risk.py [--runs N] [--train]

1. Scanning a synthetic 2,000-word debrief in-process (warm detector): p50/p95, target p95 <= 5 ms;
   baseline: one pass of a plain word regex over the same text.
2. Importing the detector in a fresh interpreter, against `python -c pass`: target <= 50 ms;
   and the first scan in a fresh interpreter (import + read rules + compile + scan).
3. `facilitator risk scan` as a whole command, against `facilitator --help`.
4. Long texts: 100 KB of debrief (target <= 50 ms), 100 KB and 1 MB of nothing but risk
   statements (every sentence a disclosure): the scan grows in proportion to the text.
5. With --train: `python -m facilitator.detector train` in a subprocess, writing to a copy so
   the shipped model is untouched (target under 2 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Debrief-like sentences: most are everyday, some carry disclosures, idioms and negations.
SENTENCES = [
    "The group started on time and everyone checked in.",
    "Adam said the week had been calm and he used his time-out twice when he felt it rising.",
    "Ben was quiet at first but engaged well in the exercise on respect.",
    "Carl talked about his new job and the long shifts, he said work is killing him.",
    "We went through the control log homework together and looked at the warning signs.",
    "Dan minimised at first and said it was only an argument, but then said he pushed her into the door.",
    "Ed said he had not been drinking and there were no weapons in the house.",
    "Frank disclosed that he put his hands round her throat on Saturday; we raised a flag straight away.",
    "Gary said she is leaving him and he has been checking her phone every night.",
    "Harry took responsibility and described what he did instead of shouting.",
    "The co-facilitator noted some collusion when Ian joked about the missus.",
    "Jack said he choked on a fish bone at Sunday dinner and everyone laughed.",
    "Kev described the kids being in the room when it kicked off, and said the baby was crying.",
    "Lee has a contact hearing next week and is angry about the Cafcass report.",
    "Mo said he hasn't been following her and has stuck to his bail conditions.",
    "We ran the role-play on what to do if I feel like I'm going to lose my temper.",
    "Nick said he'd been on the lash all weekend and couldn't remember Saturday.",
    "Ollie was separating the recycling when the argument started and he walked away.",
    "The session ended with the safety planning segment and a reminder about homework.",
    "Pete said a bloke on the telly threatened to kill someone and it made him think.",
]


# Everyday debrief sentences with nothing to flag.
EVERYDAY = [
    "The room was booked until nine and we finished on time.",
    "Everyone completed the homework sheet apart from one man who forgot it at work.",
    "We spent twenty minutes on the exercise about noticing physical warning signs in the body.",
    "The co-facilitator led the segment on self-talk and the men gave good examples from work.",
    "One man talked about his new job on the building site and the early starts.",
    "There was a good discussion about what respect looks like in a relationship.",
    "We reviewed the group agreement and reminded the men about confidentiality and its limits.",
    "He said his week had been calm and he had spent Sunday with his brother.",
    "The men were engaged and asked questions about the next session on parenting.",
    "We noticed some humour used to avoid the topic and named it gently.",
    "He described using a time-out on Thursday and going for a walk round the park.",
    "Attendance was good and the two new men settled in well after the introductions.",
    "We finished with the check-out round and everyone said one thing they would practise.",
    "He talked about money worries and the car needing new tyres before winter.",
    "The discussion on accountability went well and the men challenged each other respectfully.",
]


def debrief(words: int = 2000, seed: int = 5, disclosures: float = 1.0) -> str:
    """Synthetic debrief text: `disclosures` of the sentences come from SENTENCES (most carry
    an indicator, an idiom or a negation), the rest are everyday."""
    rng = random.Random(seed)
    out: list[str] = []
    count = 0
    while count < words:
        s = rng.choice(SENTENCES if rng.random() < disclosures else EVERYDAY)
        out.append(s)
        count += len(s.split())
    return " ".join(out)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(fn, runs: int, clock=time.perf_counter) -> list[float]:
    out = []
    for _ in range(runs):
        t = clock()
        fn()
        out.append((clock() - t) * 1000)
    return out


def in_process(runs: int) -> list[tuple]:
    from facilitator.detector import default_detector

    detector = default_detector()
    word = re.compile(r"\w+")
    rows = []
    for label, share in (
        ("typical: 1 sentence in 10 a disclosure", 0.1),
        ("dense: every other sentence", 1.0),
    ):
        text = debrief(disclosures=share)
        detector.scan(text)  # warm: compiled
        scan = timed(lambda: detector.scan(text), runs)
        cpu = timed(lambda: detector.scan(text), runs, time.process_time)
        found = detector.scan(text)
        note = f"{len(text.split())} words, {len(found.indicators)} indicators"
        rows += [
            (
                f"scan 2,000 words, {label}",
                statistics.median(scan),
                pct(scan, 95),
                "p95 <= 5 ms",
                note,
            ),
            (
                "  the same, CPU time only",
                statistics.median(cpu),
                pct(cpu, 95),
                "",
                "a busy machine adds waiting",
            ),
        ]
    base = timed(lambda: word.findall(text), runs)
    rows.append(("  baseline: one \\w+ regex pass", statistics.median(base), pct(base, 95), "", ""))
    from facilitator.detector import Detector

    rules = Detector(learned=False)
    for label, share in (("typical", 0.1), ("dense", 1.0)):
        text = debrief(disclosures=share)
        rules.scan(text)
        alone = timed(lambda: rules.scan(text), runs)
        rows.append(
            (
                f"  the rules alone, {label}",
                statistics.median(alone),
                pct(alone, 95),
                "",
                "the learned layer costs the difference",
            )
        )
    return rows


def risk_text(size: int) -> str:
    """`size` characters of nothing but the project's labelled risk statements, one after another."""
    import json

    texts = []
    for name in (
        "risk_statements.jsonl",
        "risk_statements_holdout.jsonl",
        "risk_statements_holdout2.jsonl",
    ):
        for line in (ROOT / "tests" / "fixtures" / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["categories"]:
                texts.append(row["text"])
    one = " ".join(texts)
    return (one + " ") * (size // len(one) + 1)


def long_texts(runs: int) -> list[tuple]:
    from facilitator.detector import default_detector

    detector = default_detector()
    rows = []
    debriefs = debrief(words=20_000, disclosures=0.1)
    cases = [
        ("scan 100 KB of debrief (1 in 10 risk)", (debriefs * 2)[:100_000], "<= 50 ms"),
        ("scan 100 KB of risk statements only", risk_text(100_000)[:100_000], ""),
        ("scan 1 MB of risk statements only", risk_text(1_000_000)[:1_000_000], ""),
    ]
    for name, text, target in cases:
        detector.scan(text)
        n = max(3, runs // (50 if len(text) > 200_000 else 10))
        ms = timed(lambda: detector.scan(text), n)
        found = detector.scan(text)
        rows.append(
            (
                name,
                statistics.median(ms),
                pct(ms, 95),
                target,
                f"{len(text) // 1000} KB, {len(found.indicators)} indicators",
            )
        )
    return rows


def training() -> list[tuple]:
    """One run of the training command into a temporary copy of the package's model file."""
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        code = (
            "import sys; from pathlib import Path; import facilitator.detector.train as t; "
            f"t.MODEL_FILE = Path({str(Path(tmp) / 'model.json')!r}); t.main([])"
        )
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
        took = (time.perf_counter() - t) * 1000
        same = (Path(tmp) / "model.json").read_bytes() == (
            ROOT / "facilitator" / "detector" / "model.json"
        ).read_bytes()
        shutil.rmtree(tmp, ignore_errors=True)
    return [
        (
            "train the learned layer (one run)",
            took,
            took,
            "< 120,000 ms",
            "same file as shipped" if same else "DIFFERS from the shipped model.json",
        )
    ]


def subprocess_times(cmd: list[str], runs: int, env: dict | None = None, stdin: str | None = None):
    """Milliseconds for each of `runs` runs of a command, after one run to warm the caches."""
    env = dict(os.environ, **(env or {}))
    for i in range(runs + 1):
        t = time.perf_counter()
        subprocess.run(cmd, input=stdin, text=True, capture_output=True, env=env, check=True)
        if i:
            yield (time.perf_counter() - t) * 1000


def fresh(code: str, runs: int) -> list[float]:
    return list(subprocess_times([sys.executable, "-c", code], runs))


def imports(runs: int) -> list[tuple]:
    base = fresh("pass", runs)
    imp = fresh("from facilitator.detector import scan", runs)
    first = fresh(
        "from facilitator.detector import scan; scan('He grabbed her by the neck.')", runs
    )
    b = statistics.median(base)
    return [
        ("python -c pass", b, pct(base, 95), "", ""),
        (
            "from facilitator.detector import scan",
            statistics.median(imp),
            pct(imp, 95),
            "<= 50 ms over pass",
            f"+{statistics.median(imp) - b:.1f} ms over pass",
        ),
        (
            "import + first scan (rules, compile)",
            statistics.median(first),
            pct(first, 95),
            "",
            f"+{statistics.median(first) - b:.1f} ms over pass",
        ),
    ]


def command(runs: int) -> list[tuple]:
    with tempfile.TemporaryDirectory() as tmp:
        text = debrief()

        def run(args: list[str], stdin: str | None = None) -> list[float]:
            cmd = [sys.executable, "-m", "facilitator", *args]
            return list(
                subprocess_times(
                    cmd, runs, {"FACILITATOR_WORKSPACE": str(Path(tmp) / "none")}, stdin
                )
            )

        helps = run(["--help"])
        short = run(["risk", "scan", "--json", "I put my hands round her throat."])
        long = run(["risk", "scan", "--json", "-"], stdin=text)
    h = statistics.median(helps)
    return [
        ("facilitator --help", h, pct(helps, 95), "", ""),
        (
            "facilitator risk scan TEXT --json",
            statistics.median(short),
            pct(short, 95),
            "",
            f"+{statistics.median(short) - h:.0f} ms over --help",
        ),
        (
            "facilitator risk scan - (2,000 words)",
            statistics.median(long),
            pct(long, 95),
            "",
            f"+{statistics.median(long) - h:.0f} ms over --help",
        ),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--runs", type=int, default=200, help="in-process scans (subprocess runs are a tenth)"
    )
    ap.add_argument(
        "--train", action="store_true", help="also time a training run (about a minute)"
    )
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    rows = in_process(args.runs)
    rows += long_texts(args.runs)
    if args.train:
        rows += training()
    sub = max(5, args.runs // 10)
    rows += imports(sub)
    rows += command(sub)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'measure':40s} {'p50 ms':>8s} {'p95 ms':>8s}  {'target':20s} note")
    print("-" * 100)
    for name, p50, p95, target, note in rows:
        print(f"{name:40s} {p50:8.2f} {p95:8.2f}  {target:20s} {note}")


if __name__ == "__main__":
    main()
