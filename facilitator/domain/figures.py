"""Showing figures without identifying anyone: small counts are suppressed.

Pure: no I/O. Every programme figure passes through here before it leaves the service that
computed it, so no caller ever holds the raw small numbers.

    shown(count, threshold)          0, or a count of at least `threshold`; else "<threshold"
    breakdown(counts, threshold)     small rows folded into "other" so that none can be
                                     worked out from the total
    series(values, threshold)        counts over time (or in a fixed order); a lone small cell
                                     takes its smallest neighbour with it ("withheld")
    rate(part, whole, threshold)     a percentage, withheld whenever it would give away a
                                     suppressed count
    summary_of(values, threshold)    a median or mean over at least `threshold` values
    periods(start, end)              the months, quarters or years a period is charted in
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

OTHER = "other"
WITHHELD = "withheld"


def suppressed(threshold: int) -> str:
    return f"<{int(threshold)}"


def is_suppressed(value) -> bool:
    return isinstance(value, str) and (value.startswith("<") or value == WITHHELD)


def is_small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def shown(count: int, threshold: int) -> int | str:
    """A count as it may be shown: zero, or at least the threshold."""
    return suppressed(threshold) if is_small(int(count), int(threshold)) else int(count)


def breakdown(
    counts: Mapping[str, int], threshold: int, total_shown: bool = True
) -> dict[str, int | str]:
    """Rows below the threshold fold into "other". When "other" is itself small and the total is
    shown elsewhere, the smallest shown rows join it until it is not, so that no row can be had
    by subtracting the others from the total."""
    rows = {k: int(v) for k, v in counts.items() if int(v) > 0}
    folded = {k for k, v in rows.items() if v < threshold}
    while (
        total_shown
        and folded
        and sum(rows[k] for k in folded) < threshold
        and len(folded) < len(rows)
    ):
        folded.add(min((k for k in rows if k not in folded), key=lambda k: (rows[k], k)))
    out: dict[str, int | str] = {
        k: v for k, v in sorted(rows.items(), key=lambda kv: (-kv[1], kv[0])) if k not in folded
    }
    if folded:
        out[OTHER] = shown(sum(rows[k] for k in folded), threshold)
    return out


def series(values: Iterable[int], threshold: int) -> list[int | str]:
    """Counts in a fixed order (months, severities) whose total is shown elsewhere. A single
    small cell could be had from the total, so the smallest other non-zero cell is withheld
    with it ("withheld": it is not small, it is hidden so the small one stays hidden)."""
    values = [int(v) for v in values]
    out: list[int | str] = [shown(v, threshold) for v in values]
    small = [i for i, v in enumerate(values) if is_small(v, threshold)]
    if len(small) == 1:
        others = [i for i, v in enumerate(values) if v >= threshold]
        if others:
            out[min(others, key=lambda i: (values[i], i))] = WITHHELD
    return out


def rate(part: int, whole: int, threshold: int, places: int = 1) -> float | str | None:
    """part / whole as a percentage. Withheld when the whole, the part or the rest is a
    suppressed count (any of them could be worked out from the others); None when whole is 0."""
    if whole <= 0:
        return None
    if any(is_small(n, threshold) for n in (part, whole, whole - part)):
        return suppressed(threshold)
    return round(100.0 * part / whole, places)


def median(values: Iterable[float]) -> float | None:
    values = sorted(values)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def summary_of(
    values: Iterable[float], threshold: int, how: str = "median", places: int = 2
) -> float | str | None:
    """The median (or mean) of at least `threshold` values; None when there are none."""
    values = list(values)
    if not values:
        return None
    if len(values) < threshold:
        return suppressed(threshold)
    value = median(values) if how == "median" else mean(values)
    assert value is not None  # values is not empty
    return round(value, places)


def granularity(start: date, end: date) -> str:
    """Months for up to two years, quarters up to six, years beyond."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return "month" if months <= 24 else "quarter" if months <= 72 else "year"


def bucket(day: str, grain: str) -> str:
    y, m = int(day[:4]), int(day[5:7])
    if grain == "month":
        return f"{y:04d}-{m:02d}"
    if grain == "quarter":
        return f"{y:04d}-Q{(m - 1) // 3 + 1}"
    return f"{y:04d}"


def periods(start: date, end: date, grain: str | None = None) -> list[str]:
    grain = grain or granularity(start, end)
    out: list[str] = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        label = bucket(f"{y:04d}-{m:02d}-01", grain)
        if not out or out[-1] != label:
            out.append(label)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
