"""Charts for the programme report, drawn offline by matplotlib as SVG to put inline in the HTML.

    draw_charts(figures) -> {key: (svg, caption)}

No pyplot (no global state, safe in a worker thread), the Agg backend for anything raster, SVG
text kept as text and ids salted so the same figures give the same file. A suppressed figure
(a count or a percentage) is written "not shown" where its bar would stand, never drawn as a
bar: a bar of any height would be read as a value.
"""

from __future__ import annotations

import io
import math
import re
from typing import TYPE_CHECKING, Any

from facilitator.domain import figures as fig

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

# Okabe-Ito: told apart with colour-blindness, and each series also has a label.
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
SEVERITY_COLOURS = {"critical": "#D55E00", "high": "#E69F00", "medium": "#56B4E9"}
RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "facilitator-programme-report",
    "font.size": 9,
    "font.family": "DejaVu Sans",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _figure(width: float = 6.4, height: float = 3.0):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _svg(figure, label: str) -> str:
    buf = io.StringIO()
    figure.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    # The RDF metadata block names nothing useful here and only adds namespaces.
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)
    safe = label.replace("&", "and").replace('"', "'").replace("<", "fewer than ")
    return text.replace("<svg ", f'<svg role="img" aria-label="{safe}" ', 1)


def _value(v) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _bars(
    ax,
    xs,
    values,
    threshold: int,
    colour: str,
    width: float = 0.8,
    label: str | None = None,
    horizontal: bool = False,
) -> None:
    """Bars for the shown values; "not shown" written where a suppressed one would stand."""
    shown = [(x, _value(v)) for x, v in zip(xs, values) if _value(v) is not None]
    hidden = [x for x, v in zip(xs, values) if fig.is_suppressed(v)]
    draw = ax.barh if horizontal else ax.bar
    size = {"height": width} if horizontal else {"width": width}
    if shown:
        draw([x for x, _ in shown], [v for _, v in shown], color=colour, label=label, **size)
    elif hidden and label:
        draw([], [], color=colour, label=label, **size)  # still named in the legend
    for x in hidden:
        _not_shown(ax, x, colour, horizontal)


NOT_SHOWN = "not shown"


def _not_shown(ax, x, colour: str, horizontal: bool = False) -> None:
    """Where a suppressed figure's bar would stand: the words, on the axis, never a height."""
    if horizontal:
        ax.text(0, x, f" {NOT_SHOWN}", va="center", ha="left", fontsize=7, color=colour)
    else:
        ax.text(
            x,
            0,
            NOT_SHOWN,
            ha="center",
            va="bottom",
            rotation=90,
            fontsize=7,
            color=colour,
            transform=ax.get_xaxis_transform(),
        )


def _whole(ax, axis: str = "y") -> None:
    """Counts of people and flags: whole numbers on the axis."""
    from matplotlib.ticker import MaxNLocator

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_locator(MaxNLocator(integer=True))


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#555")
    ax.set_xticks([])
    ax.set_yticks([])


def _ticks(ax, labels: list[str]) -> None:
    step = max(1, math.ceil(len(labels) / 16))
    ax.set_xticks(range(0, len(labels), step))
    ax.set_xticklabels(
        labels[::step],
        rotation=45 if len(labels) > 8 else 0,
        ha="right" if len(labels) > 8 else "center",
    )


def _movement(f: dict) -> tuple[str, str]:
    s, n = f["series"], f["min_count"]
    labels = s["labels"]
    names = [
        ("referrals", "referrals"),
        ("starts", "starts"),
        ("completions", "completions"),
        ("drop_outs", "drop-outs"),
    ]
    figure = _figure(7.2, 3.2)
    ax = figure.add_subplot()
    width = 0.8 / len(names)
    for k, (key, label) in enumerate(names):
        xs = [i - 0.4 + width * (k + 0.5) for i in range(len(labels))]
        _bars(ax, xs, s[key], n, COLOURS[k], width, label)
    _ticks(ax, labels)
    _whole(ax)
    ax.set_ylabel("men")
    ax.legend(loc="upper left", ncols=4, frameon=False, fontsize=8)
    caption = (
        f"Referrals, starts, completions and drop-outs by {f['period']['by']}; not shown: "
        f"fewer than {n}, or withheld so that one could not be worked out"
    )
    return _svg(figure, caption), caption


def _attendance(f: dict) -> tuple[str, str]:
    s = f["series"]
    labels, rates = s["labels"], [_value(v) for v in s["attendance_rate"]]
    hidden = [i for i, v in enumerate(s["attendance_rate"]) if fig.is_suppressed(v)]
    figure = _figure(7.2, 2.8)
    ax = figure.add_subplot()
    if not any(r is not None for r in rates) and not hidden:
        _empty(ax, "no attendance rate to show in this period")
    else:
        ax.plot(
            range(len(labels)),
            [math.nan if r is None else r for r in rates],
            marker="o",
            color=COLOURS[0],
            label="attendance rate",
        )
        minimum = f["attendance"].get("minimum_percent")
        if minimum:
            ax.axhline(
                minimum,
                color=COLOURS[3],
                linestyle="--",
                linewidth=1,
                label=f"programme minimum {minimum}%",
            )
        for i in hidden:  # a gap in the line, said in words where the point would be
            _not_shown(ax, i, COLOURS[0])
        ax.set_ylim(0, 100)
        ax.set_ylabel("%")
        _ticks(ax, labels)
        ax.legend(loc="lower left", frameon=False, fontsize=8)
    caption = (
        f"Attendance rate by {f['period']['by']} (not shown: too few marks, or it would give a "
        "small count away)"
    )
    return _svg(figure, caption), caption


def _severity(f: dict) -> tuple[str, str]:
    n = f["min_count"]
    data = f["flags"]["by_severity"]
    figure = _figure(3.6, 2.6)
    ax = figure.add_subplot()
    for i, (sev, v) in enumerate(data.items()):
        _bars(ax, [i], [v], n, SEVERITY_COLOURS.get(sev, COLOURS[0]), 0.6)
    ax.set_xticks(range(len(data)))
    ax.set_xticklabels(list(data))
    _whole(ax)
    ax.set_ylabel("flags")
    caption = f"Flags raised by severity; not shown: fewer than {n}, or withheld"
    return _svg(figure, caption), caption


def _categories(f: dict) -> tuple[str, str]:
    n = f["min_count"]
    data = f["flags"]["by_category"]
    figure = _figure(6.0, max(1.6, 0.3 * len(data) + 0.9))
    ax = figure.add_subplot()
    if not data:
        _empty(ax, "no flags raised in this period")
    else:
        keys = list(data)[::-1]
        _bars(
            ax, list(range(len(keys))), [data[k] for k in keys], n, COLOURS[0], 0.7, horizontal=True
        )
        ax.set_yticks(range(len(keys)))
        ax.set_yticklabels([k.replace("_", " ") for k in keys])
        _whole(ax, "x")
        ax.set_xlabel("flags")
    caption = (
        f"Flags raised by category (small categories folded into 'other'; not shown: fewer "
        f"than {n})"
    )
    return _svg(figure, caption), caption


def _reviews(f: dict) -> tuple[str, str]:
    n, fl = f["min_count"], f["flags"]
    parts = [
        ("within deadline", fl["first_review_on_time"], COLOURS[2]),
        ("after deadline", fl["first_review_late"], COLOURS[1]),
        ("overdue now", fl["overdue_unreviewed_now"], COLOURS[3]),
        ("not yet due", fl["awaiting_review_not_yet_due"], COLOURS[5]),
    ]
    figure = _figure(4.4, 2.6)
    ax = figure.add_subplot()
    for i, (_, v, colour) in enumerate(parts):
        _bars(ax, [i], [v], n, colour, 0.6)
    ax.set_xticks(range(len(parts)))
    ax.set_xticklabels([p[0] for p in parts], rotation=20, ha="right")
    _whole(ax)
    ax.set_ylabel("flags")
    median = fl["median_hours_to_first_review"]
    shown = "–" if median is None else "not shown" if fig.is_suppressed(median) else f"{median:g} h"
    ax.set_title(f"median to first review: {shown}", fontsize=9)
    caption = (
        "First reviews of the flags raised in the period, against their deadlines (not shown: "
        f"fewer than {n}, or withheld)"
    )
    return _svg(figure, caption), caption


def _timeliness(f: dict) -> tuple[str, str]:
    n = f["min_count"]
    parts = [
        ("risk reviews", f["flags"]["reviewed_on_time_percent"]),
        ("re-assessments", f["reassessments"]["on_time_percent"]),
        ("debriefs signed", f["debriefs"]["on_time_percent"]),
    ]
    figure = _figure(4.4, 2.6)
    ax = figure.add_subplot()
    for i, (_, v) in enumerate(parts):
        if fig.is_suppressed(v):
            ax.text(i, 4, NOT_SHOWN, ha="center", fontsize=8, color="#555")
        elif _value(v) is not None:
            ax.bar([i], [v], color=COLOURS[0])
            ax.text(i, v + 2, f"{v:g}%", ha="center", fontsize=8)
        else:
            ax.text(i, 4, "none due", ha="center", fontsize=8, color="#555")
    ax.set_xticks(range(len(parts)))
    ax.set_xticklabels([p[0] for p in parts])
    ax.set_ylim(0, 110)
    ax.set_ylabel("% on time")
    caption = f"Done on time, as a percentage (not shown: it would give a count under {n} away)"
    return _svg(figure, caption), caption


def _outcomes(f: dict, side: str) -> tuple[str, str] | None:
    summary = f["outcomes"].get(side)
    if summary is None:
        return None
    figure = _figure(6.0, 2.8)
    ax = figure.add_subplot()
    drawn = False
    points = [p["label"] for p in summary["scales"][0]["points"]] if summary["scales"] else []
    top = 0
    hidden: set[int] = set()
    for k, scale in enumerate(summary["scales"]):
        top = max(top, scale["range"][1])
        means = [_value(p["mean"]) for p in scale["points"]]
        hidden |= {i for i, p in enumerate(scale["points"]) if fig.is_suppressed(p["mean"])}
        if any(m is not None for m in means):
            drawn = True
        ax.plot(
            range(len(means)),
            [math.nan if m is None else m for m in means],
            marker="o",
            color=COLOURS[k % len(COLOURS)],
            label=f"{scale['title']} ({scale['better']} is better)",
        )
    if not drawn:
        _empty(
            ax, f"not enough answers to show (groups under {summary['min_count']} are not shown)"
        )
    else:
        for i in sorted(hidden):  # a mean over too few answers: words, never a point
            _not_shown(ax, i, "#555")
        ax.set_xticks(range(len(points)))
        ax.set_xticklabels(points, rotation=15, ha="right")
        ax.set_ylim(0, top)
        ax.set_ylabel("mean score")
        ax.legend(loc="upper right", frameon=False, fontsize=7)
    who = "his" if side == "man" else "her (partner support)"
    caption = (
        f"Mean scores at each time point, {who} questionnaire; groups under "
        f"{summary['min_count']} not shown"
    )
    return _svg(figure, caption), caption


def draw_charts(f: dict) -> dict[str, tuple[str, str]]:
    import matplotlib

    with matplotlib.rc_context(RC):
        out = {
            "movement": _movement(f),
            "attendance": _attendance(f),
            "severity": _severity(f),
            "categories": _categories(f),
            "reviews": _reviews(f),
            "timeliness": _timeliness(f),
        }
        for side in ("man", "partner"):
            chart = _outcomes(f, side)
            if chart:
                out[f"outcome-{side}"] = chart
    return out
