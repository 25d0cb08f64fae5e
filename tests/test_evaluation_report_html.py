"""The programme report as HTML: real charts, inline SVG drawn offline, no script and
nothing fetched; opened in headless Chromium, its charts are drawn."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.test_evaluation_figures import PERIOD, at, set_settings, worked  # noqa: F401 - fixtures

CHART_KEYS = (
    "movement",
    "attendance",
    "severity",
    "categories",
    "reviews",
    "timeliness",
    "outcome-man",
)


@pytest.fixture(autouse=True)
def matplotlib_cache(tmp_path_factory, monkeypatch):
    # HOME is a fresh folder in every test: keep matplotlib's font cache across them.
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path_factory.getbasetemp() / "mplconfig"))


@pytest.fixture
def report_html(worked, invoke, tmp_path):  # noqa: F811 - the fixture imported above
    set_settings(worked, figures__min_count=1)  # every bar drawn
    out = tmp_path / "programme.html"
    result = invoke(
        "--user",
        "admin",
        "report",
        "programme",
        "--from",
        PERIOD[0],
        "--to",
        PERIOD[1],
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    return out


def test_html_has_inline_svg_charts_and_nothing_to_fetch(report_html):
    text = report_html.read_text(encoding="utf-8")
    for key in CHART_KEYS:
        chart = re.search(rf'<figure class="chart" id="chart-{key}">(.*?)</figure>', text, re.S)
        assert chart, f"chart {key} missing"
        svg = chart.group(1)
        assert svg.lstrip().startswith("<svg") and 'role="img"' in svg and "<figcaption>" in svg
        assert svg.count("<path") + svg.count("<rect") >= 3, f"chart {key} draws nothing"
    assert "<script" not in text.lower() and "<link" not in text.lower() and "@import" not in text
    # The only addresses are the SVG namespaces; nothing is fetched.
    addresses = set(re.findall(r"https?://[^\s\"')>]+", text))
    assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, addresses
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:|//)", text)
    # The attendance chart shows the rate (62.5 %) against the programme minimum.
    assert "programme minimum 80%" in text and "62.5%" in text
    assert "Adam" not in text and "P0001" not in text


def test_the_same_figures_give_the_same_charts(report_html):
    from facilitator.services.core.office import Office
    from facilitator.services.evaluation.charts import draw_charts
    from facilitator.services.evaluation.figures import programme_figures

    office = Office.open(os.environ["FACILITATOR_WORKSPACE"], "admin")
    figures = programme_figures(office, *PERIOD)
    assert draw_charts(figures) == draw_charts(figures)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_chromium_draws_the_charts(report_html, tmp_path):
    from PIL import Image

    shot = tmp_path / "programme.png"
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--screenshot={shot}",
            "--window-size=1200,3200",
            "--hide-scrollbars",
            f"file://{report_html}",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 3200)
    pixels = list(image.tobytes())
    pixels = list(zip(pixels[0::3], pixels[1::3], pixels[2::3]))
    # The charts' blue (#0072B2, Okabe-Ito) and orange (#E69F00) are drawn: bars and lines, not
    # blank boxes.
    blue = sum(
        1 for r, g, b in pixels if abs(r - 0) < 12 and abs(g - 114) < 12 and abs(b - 178) < 12
    )
    orange = sum(
        1 for r, g, b in pixels if abs(r - 230) < 12 and abs(g - 159) < 12 and abs(b - 0) < 12
    )
    assert blue > 2000 and orange > 200, (blue, orange)
    keep = os.environ.get("FACILITATOR_KEEP_SCREENSHOT")
    if keep:  # for a person to look at: FACILITATOR_KEEP_SCREENSHOT=/tmp/programme.png
        shutil.copyfile(shot, keep)
