"""Phrases no letter may carry, whatever a programme writes into its template.

A completion letter says what he attended and covered; it never says he is safe or no longer
a risk (Respect Standard). No letter puts his violence on the partner or on "the couple".
"""

from __future__ import annotations

import re

FORBIDDEN = (
    (r"\bno longer (a|any) risk\b", "says he is no longer a risk"),
    # "not evidence that he is safe" is what a completion letter must say: only the claim is refused
    (r"(?<!that )\bhe is (now )?(safe|risk[- ]free)\b", "says he is safe"),
    (r"\bcured\b", "says he is cured"),
    (r"\bposes no (further )?risk\b", "says he poses no risk"),
    (
        r"\bcouple'?s? (conflict|problems|difficulties|issues)\b",
        "calls his abuse a couple's conflict",
    ),
    (r"\b(she|the victim|his partner) provoked\b", "blames his partner"),
    (r"\bvolatile relationship\b", "calls his abuse a volatile relationship"),
)
_COMPILED = [(re.compile(p, re.IGNORECASE), why) for p, why in FORBIDDEN]


def problem_in(text: str) -> str:
    """What is wrong with a letter's words ("" when nothing is)."""
    flat = " ".join(text.split())
    for pattern, why in _COMPILED:
        found = pattern.search(flat)
        if found:
            return f"{why} ('{found.group(0)}')"
    return ""
