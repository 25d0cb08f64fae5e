"""A suppressed figure is not shown anywhere: the report's text and its charts agree, and a
chart writes "not shown" where the bar would stand instead of drawing one of any height."""

from __future__ import annotations

import json
import re

import pytest

from tests.test_evaluation_figures import PERIOD, at, set_settings, worked  # noqa: F401 - fixtures

# The words drawn in a chart (its caption and label say it too, so those are not counted).
DRAWN_NOT_SHOWN = re.compile(r">\s*not shown\s*</text>")


@pytest.fixture(autouse=True)
def matplotlib_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path_factory.getbasetemp() / "mplconfig"))


def _report(invoke, tmp_path, fmt: str) -> str:
    out = tmp_path / f"programme.{fmt}"
    args = ["--user", "admin", "report", "programme", "--from", PERIOD[0], "--to", PERIOD[1]]
    result = invoke(*args, "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def _axes():
    from facilitator.services.evaluation.charts import _figure

    return _figure().add_subplot()


def test_a_suppressed_count_is_written_not_drawn_at_any_height():
    from facilitator.services.evaluation.charts import _bars

    ax = _axes()
    _bars(ax, [0, 1, 2, 3], [6, "<5", "withheld", 0], 5, "#0072B2", label="flags")
    heights = sorted(p.get_height() for p in ax.patches)
    assert heights == [0, 6]  # only the shown values are bars; nothing stands at 5
    assert [t.get_text() for t in ax.texts] == ["not shown", "not shown"]
    assert [t.get_position()[0] for t in ax.texts] == [1, 2]


def test_a_suppressed_percentage_is_written_not_drawn_as_a_full_bar():
    import matplotlib

    from facilitator.services.evaluation.charts import RC, _timeliness

    figures = {
        "min_count": 5,
        "flags": {"reviewed_on_time_percent": "<5"},
        "reassessments": {"on_time_percent": 80.0},
        "debriefs": {"on_time_percent": None},
    }
    with matplotlib.rc_context(RC):  # as draw_charts draws: words kept as text
        svg, caption = _timeliness(figures)
    assert DRAWN_NOT_SHOWN.search(svg) and "80%" in svg and "none due" in svg
    assert "<pattern" not in svg  # no hatched bar anywhere
    assert "not shown" in caption


def test_report_text_and_charts_agree_on_what_is_not_shown(worked, invoke, tmp_path):  # noqa: F811
    f = json.loads(_report(invoke, tmp_path, "json"))
    assert f["flags"]["reviewed_on_time_percent"] == "<5"  # withheld: a small count behind it
    md = _report(invoke, tmp_path, "md")
    assert "| share of first reviews within the deadline | not shown (<5) |" in md
    assert "too few" not in md
    html = _report(invoke, tmp_path, "html")
    assert "<pattern" not in html and "hatch" not in html.lower()
    timeliness = re.search(r'id="chart-timeliness">(.*?)</figure>', html, re.S).group(1)
    assert DRAWN_NOT_SHOWN.search(timeliness)
    reviews = re.search(r'id="chart-reviews">(.*?)</figure>', html, re.S).group(1)
    hidden = [
        k
        for k in ("first_review_on_time", "first_review_late", "overdue_unreviewed_now")
        if isinstance(f["flags"][k], str)
    ]
    assert hidden and DRAWN_NOT_SHOWN.search(reviews)
