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


def test_a_suppressed_rate_on_the_attendance_line_is_written_not_drawn():
    import matplotlib

    from facilitator.services.evaluation.charts import RC, _attendance

    figures = {
        "period": {"by": "month"},
        "series": {
            "labels": ["2026-09", "2026-10", "2026-11"],
            "attendance_rate": [62.5, "<5", None],
        },
        "attendance": {"minimum_percent": 80},
    }
    with matplotlib.rc_context(RC):
        svg, caption = _attendance(figures)
    assert len(DRAWN_NOT_SHOWN.findall(svg)) == 1  # the suppressed month; the empty one is a gap
    assert "not shown" in caption


async def test_the_dashboard_writes_not_shown_where_the_report_does(worked):  # noqa: F811
    from helpers.tui import wait_for
    from textual.widgets import Static, TabbedContent

    from facilitator.services.evaluation.figures import programme_figures
    from facilitator.tui.screens.dashboard import ProgrammeDashboardScreen
    from tests.test_evaluation_dashboard import Host, _as

    admin = _as(worked, "admin")
    f = programme_figures(admin, *PERIOD)
    app = Host(admin, lambda: ProgrammeDashboardScreen(start=PERIOD[0], end=PERIOD[1]))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen.loaded, what="the figures")
        screen.query_one(TabbedContent).active = "tab-timeliness"
        await pilot.pause()
        bars = str(screen.query_one("#dash-bars-timeliness", Static).render()).splitlines()
        shown = {
            "risk reviews": f["flags"]["reviewed_on_time_percent"],
            "re-assessments": f["reassessments"]["on_time_percent"],
            "debriefs signed": f["debriefs"]["on_time_percent"],
        }
        assert any(isinstance(v, str) for v in shown.values())  # the fixture hides one at least
        for line in bars:
            name = next(k for k in shown if line.startswith(k))
            value = shown[name]
            if isinstance(value, str):  # suppressed in the report: words here, no bar
                assert line.endswith(f"not shown ({value})") and "█" not in line, line
            elif value is None:
                assert line.endswith("–"), line
            else:
                assert "█" in line and line.endswith(f"{value:g}"), line
