"""The programme report: programme figures as Markdown, HTML with charts, or JSON.

    figure_tables(figures) -> [FigureTable]     the figures as titled tables (report, dashboard)
    render(figures, fmt) -> str                 fmt: md, html or json
    programme_report(office, start, end, fmt, partner_store=None) -> str

The HTML is one self-contained file: inline CSS, charts as inline SVG drawn offline by
matplotlib (services/evaluation/charts.py); no script, nothing fetched from anywhere. Every
number in it has already passed the suppression in services/evaluation/figures.py.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

from facilitator.domain import figures as fig
from facilitator.services.core.office import Office
from facilitator.services.evaluation.charts import draw_charts
from facilitator.services.evaluation.figures import programme_figures

FORMATS = ("md", "html", "json")
LABELS = {
    "not_suitable": "not suitable",
    "checkin": "check-in",
    "hand": "raised by hand",
    "partner_contact": "partner contact",
    "children_services": "children's services",
}


@dataclass
class FigureTable:
    title: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""
    key: str = ""  # which chart goes with it, if any
    section: str = ""
    extra: dict = field(default_factory=dict)


def words(key: str) -> str:
    return LABELS.get(key, key.replace("_", " "))


def show(value, unit: str = "") -> str:
    """A figure as text: suppressed and withheld values as they are, nothing as a dash."""
    if value is None:
        return "–"
    if fig.is_suppressed(value):
        return str(value)
    text = f"{value:g}" if isinstance(value, float) else str(value)  # already rounded at the source
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}" if unit else text


def stat(value, unit: str = "") -> str:
    """A rate, mean or median: when withheld, say so in the words the charts use."""
    return f"not shown ({value})" if fig.is_suppressed(value) else show(value, unit)


def _pairs(title: str, pairs, note: str = "", key: str = "") -> FigureTable:
    return FigureTable(title, ["figure", "value"], [[a, b] for a, b in pairs], note, key)


def _breakdown(title: str, what: str, counts: dict, key: str = "", note: str = "") -> FigureTable:
    rows = [[words(k), show(v)] for k, v in counts.items()] or [["(none)", "0"]]
    return FigureTable(title, [what, "count"], rows, note, key)


SECTIONS = ("People", "Attendance", "Risk", "Timeliness", "Outcomes", "Staff")


def figure_tables(f: dict) -> list[FigureTable]:
    """The figures as tables, each in a section (the report's headings, the dashboard's tabs)."""
    a, fl, ra, db, st = f["attendance"], f["flags"], f["reassessments"], f["debriefs"], f["staff"]
    w = f.get("waiting") or {}
    people = [
        _pairs(
            "Coming and going",
            [
                ("referrals", show(f["referrals"]["total"])),
                ("intakes started", show(f["intakes"]["started"])),
                ("starts in a group", show(f["starts"])),
                ("completions", show(f["completions"])),
                ("drop-outs", show(f["drop_outs"]["total"])),
            ],
            key="movement",
        ),
        _pairs(
            "Waiting for a place",
            [
                ("men who joined a group after waiting", show(w.get("joined_after_waiting"))),
                (
                    "median wait, found suitable to joining",
                    stat(w.get("median_days_waited"), "days"),
                ),
                ("longest wait", stat(w.get("longest_days_waited"), "days")),
                ("men waiting now", show(w.get("waiting_now"))),
                ("longest wait now", stat(w.get("longest_days_waiting_now"), "days")),
                (
                    "median days, referral to first contact",
                    stat(w.get("median_days_referral_to_first_contact"), "days"),
                ),
                (
                    "median days, referral to first group session",
                    stat(w.get("median_days_referral_to_first_session"), "days"),
                ),
            ],
            "first contact: his first assessment session; a median or a longest over fewer men "
            "than the minimum count is not shown",
            key="waiting",
        ),
        _breakdown("Referrals by source", "source", f["referrals"]["by_source"]),
        _breakdown(
            "Completions: how",
            "how",
            f.get("completions_by", {}),
            note="completed by coordinator's decision: before he covered the sessions required",
        ),
        _breakdown("Intake decisions", "decision", f["intakes"]["decisions"]),
        _breakdown(
            "Not suitable or excluded: reasons",
            "reason",
            f["intakes"]["reasons_not_suitable_or_excluded"],
        ),
        _breakdown("Drop-outs by kind", "kind", f["drop_outs"]["by_kind"]),
        _breakdown("Drop-outs by reason", "reason", f["drop_outs"]["by_reason"]),
    ]
    attendance = [
        _pairs(
            "Attendance at group sessions",
            [
                ("sessions held", show(a["sessions_held"])),
                ("sessions cancelled (never absences)", show(a.get("sessions_cancelled", 0))),
                ("attended", show(a["attended"])),
                ("excused absences", show(a["excused"])),
                ("unexcused absences (incl. late past the limit)", show(a["unexcused"])),
                ("not marked", show(a["not_marked"])),
                ("attendance rate", stat(a["rate_percent"], "%")),
            ],
            "rate: attended / (attended + unexcused), as compliance counts it",
            key="attendance",
        )
    ]
    risk = [
        _pairs(
            "Risk flags",
            [
                ("raised", show(fl["raised"])),
                ("median time to first review", stat(fl["median_hours_to_first_review"], "h")),
                ("first review within the deadline", show(fl["first_review_on_time"])),
                ("first review after the deadline", show(fl["first_review_late"])),
                ("unreviewed and past the deadline now", show(fl["overdue_unreviewed_now"])),
                ("awaiting review, not yet due", show(fl["awaiting_review_not_yet_due"])),
            ],
            key="reviews",
        ),
        _breakdown("Flags by severity", "severity", fl["by_severity"], key="severity"),
        _breakdown(
            "Flags by category",
            "category",
            fl["by_category"],
            key="categories",
            note="a flag with several categories counts in each",
        ),
        _breakdown("Flags by source", "source", fl["by_source"]),
    ]
    timeliness = [
        _pairs(
            "Risk reviews",
            [
                (
                    "share of first reviews within the deadline",
                    stat(fl["reviewed_on_time_percent"], "%"),
                )
            ],
            "of the flags raised in the period that were reviewed or are overdue",
            key="timeliness",
        ),
        _pairs(
            "Risk re-assessments",
            [
                ("fell due", show(ra["fell_due"])),
                ("done on time", show(ra["on_time"])),
                ("done late", show(ra["late"])),
                ("not done", show(ra["not_done"])),
                ("share done on time", stat(ra["on_time_percent"], "%")),
            ],
            f"due {ra['interval_weeks']} weeks after the last assessment, while he is in a group",
        ),
        _pairs(
            "Debriefs",
            [
                ("fell due", show(db["due"])),
                ("signed on time", show(db["signed_on_time"])),
                ("signed late", show(db["signed_late"])),
                ("not signed", show(db["not_signed"])),
                ("share signed on time", stat(db["on_time_percent"], "%")),
            ],
            f"due {db['due_hours']:g} hours after the session; signed = signed by both "
            "facilitators",
        ),
    ]
    outcomes = []
    for side, label in (("man", "his answers"), ("partner", "her answers")):
        summary = f["outcomes"].get(side)
        if summary is None:
            outcomes.append(
                FigureTable(
                    f"Outcomes: {label}",
                    ["Figures", "Why"],
                    [
                        [
                            "not included",
                            "partner support runs the report with --partner to add her "
                            "answers' aggregates",
                        ]
                    ],
                )
            )
            continue
        for scale in summary["scales"]:
            rows = [[p["label"], show(p["n"]), stat(p["mean"])] for p in scale["points"]]
            rows += [
                [
                    c["label"] + " (change)",
                    show(c["n"]),
                    stat(c["mean_change"])
                    + (
                        f"; improved {stat(c['improved_percent'], '%')}"
                        if c["improved_percent"] is not None
                        else ""
                    ),
                ]
                for c in scale["change"]
            ]
            outcomes.append(
                FigureTable(
                    scale["title"],
                    ["time point", "n", "mean score"],
                    rows,
                    f"score {scale['range'][0]}-{scale['range'][1]}, {scale['better']} is "
                    f"better; groups under {summary['min_count']} are not shown",
                    key=f"outcome-{side}",
                    extra={"scale": scale["id"]},
                )
            )
    staff = [
        _pairs(
            "Training and supervision",
            [
                ("staff who need supervision", str(st["supervised_staff"])),
                (
                    f"supervised in the last {st['supervision_interval_weeks']} weeks",
                    str(st["supervision_within_interval"]),
                ),
                (
                    f"core training complete ({st['core_training_hours']:g} h)",
                    str(st["core_training_complete"]),
                ),
                ("refresher training due", str(st["refresher_due"])),
                ("supervision sessions in the period", str(st["supervision_sessions"])),
                ("training hours in the period", show(st["training_hours"])),
            ],
            "staff standing is as of today",
        )
    ]
    out = []
    for section, tables in zip(SECTIONS, (people, attendance, risk, timeliness, outcomes, staff)):
        for t in tables:
            t.section = section
            out.append(t)
    return out


def by_section(tables: list[FigureTable]) -> list[tuple[str, list[FigureTable]]]:
    return [(name, [t for t in tables if t.section == name]) for name in SECTIONS]


def title_of(f: dict) -> str:
    name = f.get("programme") or "Programme"
    return f"{name}: programme figures {f['period']['from']} to {f['period']['to']}"


def suppression_note(f: dict) -> str:
    n = f["min_count"]
    if n <= 1:
        return (
            "Nothing is suppressed: the setting figures.min_count is 1. Share this "
            "report with care."
        )
    return (
        f"No figure identifies a man or a partner: counts from 1 to {n - 1} are shown as "
        f"<{n}; small rows "
        "are folded into 'other'; 'withheld' hides a larger count that would give a small "
        "one away; "
        f"a rate, mean or median that would do the same is not shown."
    )


# -- Markdown -----------------------------------------------------------------------------------
def render_markdown(f: dict) -> str:
    lines = [
        f"# {title_of(f)}",
        "",
        f"*{suppression_note(f)}*",
        "",
        f"Generated {f['generated_at'][:16].replace('T', ' ')}.",
        "",
    ]
    for section, tables in by_section(figure_tables(f)):
        lines += [f"## {section}", ""]
        for t in tables:
            lines += [
                f"### {t.title}",
                "",
                "| " + " | ".join(t.headers) + " |",
                "| " + " | ".join("---" for _ in t.headers) + " |",
            ]
            lines += [
                "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in t.rows
            ]
            if t.note:
                lines += ["", f"*{t.note}*"]
            lines.append("")
    return "\n".join(lines)


# -- HTML -----------------------------------------------------------------------------------------
CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 62em; \
color: #1b1b1b; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.8em; \
border-bottom: 2px solid #0072B2; }
h3 { font-size: 1em; margin: 0 0 0.3em 0; }
.card { flex: 0 1 26em; }
.note { color: #444; font-size: 0.9em; }
.grid { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
table { border-collapse: collapse; margin: 0.3em 0; width: 100%; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; }
td:not(:first-child) { text-align: right; }
figure { margin: 0.5em 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.9em; color: #333; }
@media print { h2 { page-break-after: avoid; } figure { page-break-inside: avoid; } }
"""


def render_html(f: dict, charts: dict[str, tuple[str, str]] | None = None) -> str:

    charts = draw_charts(f) if charts is None else charts
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title_of(f))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{e(title_of(f))}</h1>",
        f'<p class="note">{e(suppression_note(f))}</p>',
        f'<p class="note">Generated {e(f["generated_at"][:16].replace("T", " "))}.</p>',
    ]
    for section, tables in by_section(figure_tables(f)):
        parts.append(f'<section><h2>{e(section)}</h2><div class="grid">')
        for t in tables:
            parts.append(
                f'<div class="card"><h3>{e(t.title)}</h3><table><thead><tr>'
                + "".join(f"<th>{e(h)}</th>" for h in t.headers)
                + "</tr></thead><tbody>"
            )
            parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in t.rows]
            parts.append("</tbody></table>")
            if t.note:
                parts.append(f'<p class="note">{e(t.note)}</p>')
            parts.append("</div>")
        parts.append("</div>")
        parts.append('<div class="grid">')
        for key in dict.fromkeys(t.key for t in tables if t.key in charts):
            svg, caption = charts[key]
            parts.append(
                '<figure class="chart" '
                f'id="chart-{e(key)}">{svg}<figcaption>{e(caption)}</figcaption></figure>'
            )
        parts.append("</div></section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render(f: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(f, indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return render_html(f)
    return render_markdown(f)


def programme_report(
    office: Office, start=None, end=None, fmt: str = "md", partner_store=None
) -> str:
    """The report, audited by its period only (what it holds is anonymous by construction)."""

    roles = ("coordinator", "partner_support") if partner_store is not None else ("coordinator",)
    office.require_role(*roles, doing="produce programme figures")
    figures = programme_figures(office, start, end, partner_store)
    text = render(figures, fmt)
    with office.stores.writing():
        office.audit(
            "report",
            "programme_figures",
            f"{figures['period']['from']}..{figures['period']['to']}",
            format=fmt,
            partner="yes" if partner_store is not None else "no",
        )
    return text
