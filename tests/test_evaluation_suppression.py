"""Small-count suppression as properties: whatever the counts, no figure from 1 to
N - 1 is shown, and a suppressed count cannot be had by subtracting the shown ones from a total."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from facilitator.domain import figures

counts = st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12)
thresholds = st.integers(min_value=2, max_value=10)


def shown_ints(values) -> list[int]:
    return [v for v in values if isinstance(v, int)]


@given(counts, thresholds)
def test_series_never_shows_a_small_count_nor_leaves_one_to_subtraction(values, n):
    out = figures.series(values, n)
    assert all(not (0 < v < n) for v in shown_ints(out))
    hidden = [i for i, v in enumerate(out) if figures.is_suppressed(v)]
    # With the total known, the hidden cells' sum is known: never a single small one alone.
    if len(hidden) == 1:
        assert values[hidden[0]] >= n or all(
            values[i] == 0 for i in range(len(values)) if i != hidden[0]
        )
    for i, v in enumerate(out):
        if isinstance(v, int):
            assert v == values[i]


@given(counts, thresholds)
def test_breakdown_folds_small_rows_so_other_is_never_small_beside_a_total(values, n):
    rows = {f"r{i}": v for i, v in enumerate(values)}
    out = figures.breakdown(rows, n)
    assert all(not (0 < v < n) for v in shown_ints(out.values()))
    folded = sum(v for k, v in rows.items() if k not in out)
    for key, value in out.items():
        if key != figures.OTHER:
            assert value == rows[key]
    if figures.OTHER in out:
        if isinstance(out[figures.OTHER], int):
            assert out[figures.OTHER] == folded >= n
        else:  # everything folded and the total itself small: nothing else shown
            assert list(out) == [figures.OTHER] and 0 < folded < n


@given(st.integers(0, 50), st.integers(0, 50), thresholds)
def test_a_rate_never_gives_a_small_count_away(part, rest, n):
    value = figures.rate(part, part + rest, n)
    if value is None:
        assert part + rest == 0
    elif not figures.is_suppressed(value):
        assert all(x == 0 or x >= n for x in (part, rest, part + rest))
