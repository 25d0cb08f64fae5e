"""How well a detector does on a labelled set of statements (caught, flagged, categories right, benign flagged).

Each statement is {"text": ..., "categories": [...]}; an empty list means benign (nothing
should be flagged). Run as a script to print the figures for the project's own set, or for a
programme's set and rules:

    python -m facilitator.detector evaluate [STATEMENTS.jsonl] [--rules RULES.toml] [--misses]
"""

from __future__ import annotations

import json
from pathlib import Path

from facilitator.detector.categories import BY_ID
from facilitator.detector.detector import Detector, scan


def read_statements(path: Path | str) -> list[dict]:
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            if not isinstance(row.get("text"), str) or not isinstance(row.get("categories"), list):
                raise ValueError(f"{path}:{n}: expected {{'text': str, 'categories': [str]}}")
            rows.append(row)
    return rows


def evaluate(rows: list[dict], detector: Detector | None = None) -> dict:
    """Statement-level and category-level figures, and the statements behind every miss."""
    needing = flagged_needing = benign = flagged_benign = 0
    labelled = found_labelled = predicted = predicted_right = 0
    critical_total = critical_found = 0
    per_cat: dict[str, dict[str, int]] = {}
    misses, extras, false_alarms, critical_misses = [], [], [], []

    def cat(c: str) -> dict[str, int]:
        return per_cat.setdefault(c, {"labelled": 0, "found": 0, "predicted": 0, "right": 0})

    for row in rows:
        truth = set(row["categories"])
        got = set(scan(row["text"], detector).categories)
        if truth:
            needing += 1
            flagged_needing += bool(got)
        else:
            benign += 1
            if got:
                flagged_benign += 1
                false_alarms.append((row["text"], sorted(got)))
        for c in truth:
            labelled += 1
            cat(c)["labelled"] += 1
            if c in got:
                found_labelled += 1
                cat(c)["found"] += 1
            else:
                misses.append((c, row["text"]))
            if BY_ID.get(c) and BY_ID[c].severity == "critical":
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
        "statement_recall": ratio(
            flagged_needing, needing
        ),  # share of statements needing a flag that got one
        "category_recall": ratio(found_labelled, labelled),  # share of labelled categories found
        "category_precision": ratio(
            predicted_right, predicted
        ),  # share of predicted categories that are labelled
        "benign_flagged": ratio(flagged_benign, benign),
        "specificity": ratio(benign - flagged_benign, benign),
        "critical_recall": ratio(critical_found, critical_total),
        "per_category": per_cat,
        "critical_misses": critical_misses,
        "misses": misses,
        "extras": extras,
        "false_alarms": false_alarms,
    }


def format_report(m: dict, details: bool = False) -> str:
    def pct(v: float | None) -> str:
        return "  n/a" if v is None else f"{100 * v:5.1f}%"

    lines = [
        f"statements {m['statements']} ({m['needing_flag']} needing a flag, {m['benign']} benign)",
        f"statements needing a flag that were flagged (recall)  {pct(m['statement_recall'])}   target >= 95%",
        f"labelled categories found (category recall)          {pct(m['category_recall'])}   target >= 90%",
        f"predicted categories that were labelled (precision)  {pct(m['category_precision'])}",
        f"benign statements not flagged (specificity)          {pct(m['specificity'])}   target >= 95%",
        f"critical categories found                            {pct(m['critical_recall'])}   target 100%",
        "",
        f"{'category':24s} {'labelled':>8s} {'found':>6s} {'recall':>7s} {'flagged':>8s} {'precision':>9s}",
    ]
    for c in sorted(
        m["per_category"], key=lambda c: (list(BY_ID).index(c) if c in BY_ID else 99, c)
    ):
        s = m["per_category"][c]
        rec = s["found"] / s["labelled"] if s["labelled"] else None
        prec = s["right"] / s["predicted"] if s["predicted"] else None
        lines.append(
            f"{c:24s} {s['labelled']:8d} {s['found']:6d} {pct(rec):>7s} {s['predicted']:8d} {pct(prec):>9s}"
        )
    if details:
        for title, items in (
            ("critical misses", m["critical_misses"]),
            ("missed categories", m["misses"]),
            ("benign statements flagged", m["false_alarms"]),
            ("extra categories", m["extras"]),
        ):
            lines += ["", f"{title} ({len(items)}):"] + [f"  {a}: {b}" for a, b in items]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    import argparse

    default = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "risk_statements.jsonl"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "statements",
        nargs="?",
        default=str(default),
        help="labelled JSONL (default: the project's set)",
    )
    ap.add_argument("--rules", help="a rules file to merge over the shipped ones")
    ap.add_argument("--misses", action="store_true", help="list every miss and false alarm")
    args = ap.parse_args(argv)
    detector = None
    if args.rules:
        from facilitator.detector.rules import load_rules

        detector = Detector(load_rules(args.rules))
    print(format_report(evaluate(read_statements(args.statements), detector), details=args.misses))


if __name__ == "__main__":
    main()
