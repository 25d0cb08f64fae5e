"""How well a detector does on labelled sets of statements.

Each statement is {"text": ..., "categories": [...]}; an empty list means benign (nothing
should be flagged). Per set it prints:

- critical caught: statements with a critical label flagged with that critical category
  (a statement with two critical labels counts only when both are flagged);
- statements needing a flag that were flagged;
- labelled categories found;
- benign statements flagged;
- and the same per category.

    python -m facilitator.detector evaluate [--set PATH ...] [--rules FILE] [--rules-only]
                                            [--misses]

Default sets: the development set (tests/fixtures/detector_sets/dev.jsonl) and the project's
own sets (tests/fixtures/risk_statements*.jsonl). The project's main set is also part of the
training corpus, so its figures are not held-out figures; the development set and the two
project holdouts are never trained on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from facilitator.detector.categories import BY_ID
from facilitator.detector.detector import Detector, scan

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
DEFAULT_SETS = (
    FIXTURES / "detector_sets" / "dev.jsonl",
    FIXTURES / "risk_statements.jsonl",
    FIXTURES / "risk_statements_holdout.jsonl",
    FIXTURES / "risk_statements_holdout2.jsonl",
)
TARGETS = {
    "critical_caught": 1.0,
    "statement_recall": 0.95,
    "category_recall": 0.90,
    "benign_flagged": 0.05,
}


def read_statements(path: Path | str) -> list[dict]:
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            if not isinstance(row.get("text"), str) or not isinstance(row.get("categories"), list):
                raise ValueError(f"{path}:{n}: expected {{'text': str, 'categories': [str]}}")
            rows.append(row)
    return rows


def _critical(category: str) -> bool:
    return bool(BY_ID.get(category)) and BY_ID[category].severity == "critical"


def evaluate(rows: list[dict], detector: Detector | None = None) -> dict[str, Any]:
    """Statement-level and category-level figures, and the statements behind every miss."""
    needing = flagged_needing = benign = flagged_benign = 0
    labelled = found_labelled = predicted = predicted_right = 0
    critical_total = critical_found = 0  # critical labels
    critical_statements = critical_statements_caught = 0
    per_cat: dict[str, dict[str, int]] = {}
    misses: list[tuple[str, str]] = []
    extras: list[tuple[str, str]] = []
    false_alarms: list[tuple[str, list[str]]] = []
    critical_misses: list[tuple[str, str]] = []
    unflagged: list[tuple[str, str]] = []

    def cat(c: str) -> dict[str, int]:
        return per_cat.setdefault(c, {"labelled": 0, "found": 0, "predicted": 0, "right": 0})

    for row in rows:
        truth = set(row["categories"])
        # Implied categories count: they follow from an indicator by the labelling
        # conventions and are shown beside it (ScanResult.all_categories).
        got = set(scan(row["text"], detector).all_categories)
        if truth:
            needing += 1
            flagged_needing += bool(got)
            if not got:
                unflagged.append((",".join(sorted(truth)), row["text"]))
        else:
            benign += 1
            if got:
                flagged_benign += 1
                false_alarms.append((row["text"], sorted(got)))
        crit = {c for c in truth if _critical(c)}
        if crit:
            critical_statements += 1
            critical_statements_caught += crit <= got
        for c in truth:
            labelled += 1
            cat(c)["labelled"] += 1
            if c in got:
                found_labelled += 1
                cat(c)["found"] += 1
            else:
                misses.append((c, row["text"]))
            if _critical(c):
                critical_total += 1
                if c in got:
                    critical_found += 1
                else:
                    critical_misses.append((c, row["text"]))
        for c in got:
            predicted += 1
            cat(c)["predicted"] += 1
            if c in truth:
                predicted_right += 1
                cat(c)["right"] += 1
            elif truth:
                extras.append((c, row["text"]))

    def ratio(a: int, b: int) -> float | None:
        return a / b if b else None

    return {
        "statements": len(rows),
        "needing_flag": needing,
        "benign": benign,
        "critical_statements": critical_statements,
        "critical_caught": ratio(critical_statements_caught, critical_statements),
        "statement_recall": ratio(flagged_needing, needing),
        "category_recall": ratio(found_labelled, labelled),
        "category_precision": ratio(predicted_right, predicted),
        "benign_flagged": ratio(flagged_benign, benign),
        "specificity": ratio(benign - flagged_benign, benign),
        "critical_recall": ratio(critical_found, critical_total),
        "counts": {
            "critical_caught": critical_statements_caught,
            "flagged": flagged_needing,
            "found": found_labelled,
            "labelled": labelled,
            "benign_flagged": flagged_benign,
        },
        "per_category": per_cat,
        "critical_misses": critical_misses,
        "unflagged": unflagged,
        "misses": misses,
        "extras": extras,
        "false_alarms": false_alarms,
    }


def _pct(v: float | None) -> str:
    return "  n/a" if v is None else f"{100 * v:5.1f}%"


def format_report(m: dict[str, Any], details: bool = False) -> str:
    k = m["counts"]
    lines = [
        f"statements {m['statements']} ({m['needing_flag']} needing a flag, {m['benign']} benign)",
        f"critical caught (statements with a critical label flagged with it)"
        f"  {_pct(m['critical_caught'])}  {k['critical_caught']}/{m['critical_statements']}"
        f"   target 100%",
        f"statements needing a flag that were flagged                       "
        f"  {_pct(m['statement_recall'])}  {k['flagged']}/{m['needing_flag']}   target >= 95%",
        f"labelled categories found                                         "
        f"  {_pct(m['category_recall'])}  {k['found']}/{k['labelled']}   target >= 90%",
        f"benign statements flagged                                         "
        f"  {_pct(m['benign_flagged'])}  {k['benign_flagged']}/{m['benign']}   target <= 5%",
        f"predicted categories that were labelled (precision)               "
        f"  {_pct(m['category_precision'])}",
        "",
        f"{'category':24s} {'labelled':>8s} {'found':>6s} {'recall':>7s} {'flagged':>8s} "
        f"{'precision':>9s}",
    ]
    order = list(BY_ID)
    for c in sorted(m["per_category"], key=lambda c: (order.index(c) if c in BY_ID else 99, c)):
        s = m["per_category"][c]
        rec = s["found"] / s["labelled"] if s["labelled"] else None
        prec = s["right"] / s["predicted"] if s["predicted"] else None
        lines.append(
            f"{c:24s} {s['labelled']:8d} {s['found']:6d} {_pct(rec):>7s} "
            f"{s['predicted']:8d} {_pct(prec):>9s}"
        )
    if details:
        for title, items in (
            ("critical misses", m["critical_misses"]),
            ("statements needing a flag with none", m["unflagged"]),
            ("missed categories", m["misses"]),
            ("benign statements flagged", m["false_alarms"]),
            ("extra categories", m["extras"]),
        ):
            lines += ["", f"{title} ({len(items)}):"] + [f"  {a}: {b}" for a, b in items]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(
        prog="python -m facilitator.detector evaluate",
        description="Figures on labelled sets of statements.",
    )
    ap.add_argument("statements", nargs="*", help="labelled JSONL files (the same as --set)")
    ap.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        help="a labelled JSONL file; may be given more than once "
        "(default: the development set and the project's own sets)",
    )
    ap.add_argument("--rules", help="a rules file to merge over the shipped ones")
    ap.add_argument("--rules-only", action="store_true", help="leave the learned layer out")
    ap.add_argument("--misses", action="store_true", help="list every miss and false alarm")
    args = ap.parse_args(argv)
    given = [Path(p) for p in (args.statements + args.sets)]
    sets = given or [p for p in DEFAULT_SETS if p.exists()]
    detector = None
    if args.rules or args.rules_only:
        from facilitator.detector.rules import load_rules

        detector = Detector(load_rules(args.rules), learned=not args.rules_only)
    for i, path in enumerate(sets):
        if i:
            print("\n")
        print(f"== {path}")
        print(format_report(evaluate(read_statements(path), detector), details=args.misses))


if __name__ == "__main__":
    main()
