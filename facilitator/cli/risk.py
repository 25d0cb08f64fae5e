"""`facilitator risk scan|raise|list|show|review|close|due|assess|factors|assessments|suggestions|
confirm|dismiss`.

Thin: every rule is in services/risk and domain/risk_flag.py; the detector is imported and
compiled only when `scan` runs.
"""

from __future__ import annotations

import sys

import click

from facilitator import clock
from facilitator.cli.output import DAY, emit_json, fields, json_option, table
from facilitator.detector import Detector, detector_for_workspace, load_rules
from facilitator.domain.risk_factors import FactorScore, parse_factor
from facilitator.domain.risk_flag import ACTIONS, ASSESSMENT_LEVELS, LIST_FILTERS, SEVERITIES
from facilitator.domain.values import parse_date
from facilitator.errors import FacilitatorError, InvalidInput
from facilitator.services.risk.assessments import (
    assessments_of,
    reassessment_due,
    record_assessment,
    risk_factors,
)
from facilitator.services.risk.flag_store import get_flag
from facilitator.services.risk.flags import (
    close_flag,
    flag_view,
    list_flags,
    raise_flag,
    review_flag,
)
from facilitator.services.risk.suggestions import (
    confirm_suggestion,
    dismiss_suggestion,
    get_suggestion,
    list_suggestions,
)
from facilitator.storage.workspace import Workspace, resolve_workspace_path


@click.group()
def risk() -> None:
    """Risk indicators in what men say, flags, the review queue and re-assessments."""


@risk.command("scan")
@click.argument("text", nargs=-1)
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(dir_okay=False),
    help="A rules file to merge over the shipped ones (default: the workspace's "
    "risk_rules.toml, if it has one).",
)
@json_option
@click.pass_obj
def scan_cmd(app, text: tuple[str, ...], rules_file: str | None, as_json: bool) -> None:
    """Scan TEXT (or standard input, with - or no TEXT) for risk indicators.

    Lists each indicator with its category, severity and the words that raised it (their
    start and end offsets in the text). Negated statements ("I didn't hit her"), everyday
    idioms ("work is killing me") and other people's business ("a bloke on the telly") are
    not flagged. It only reads: nothing is stored.
    """
    words = _read_text(text)
    result = _detector(app, rules_file).scan(words)
    if as_json:
        # The stored and printed shape, with where each came from and its words added.
        return emit_json(
            {"indicators": [i.details() for i in result.indicators], "severity": result.severity}
        )
    if not result.indicators:
        click.echo("no risk indicators found")
        return
    table(
        [
            (i.severity, i.category, f"{i.start}-{i.end}", i.match, _raised_by(i))
            for i in result.indicators
        ],
        ["severity", "category", "at", "words", "raised by"],
    )
    click.echo(f"\nhighest severity: {result.severity}")


def _raised_by(indicator) -> str:
    """A rule's pattern, or the learned layer with the words that weighed most."""
    if indicator.source == "rule":
        return "rule"
    return f"{indicator.source}: {', '.join(indicator.words)}"


def _read_text(text: tuple[str, ...]) -> str:
    if text and text != ("-",):
        return " ".join(text)
    if not text and sys.stdin.isatty():
        raise InvalidInput(
            "give the text to scan, or pipe it in: facilitator risk scan - < notes.txt"
        )
    return sys.stdin.read()


def _detector(app, rules_file: str | None):
    """The shipped rules, or the workspace's (its risk_rules.toml and its severity settings),
    or an explicit --rules file. Scanning needs no workspace: without one, the shipped rules."""

    if rules_file:
        return Detector(load_rules(rules_file))

    ws = Workspace(resolve_workspace_path(getattr(app, "workspace_path", None)))
    if not ws.exists():
        return detector_for_workspace(None)
    return detector_for_workspace(ws.path, ws.setting("risk.severity", {}) or {})


# Words beside the severity, so the queue never relies on colour or position alone.
SEVERITY_MARK = {"critical": "!!! critical", "high": "!! high", "medium": "! medium"}


def _when(iso: str) -> str:
    return iso.replace("T", " ")[:16] if iso else ""


@risk.command("raise")
@click.argument("participant_id")
@click.option(
    "--category",
    "categories",
    multiple=True,
    required=True,
    help="Risk category id (e.g. strangulation), repeatable; a wrong one lists them all.",
)
@click.option("--severity", help=f"{', '.join(SEVERITIES)} (default: the categories' highest).")
@click.option("--summary", required=True, help="What was said or seen, in your own words.")
@click.option("--session", "session_id", help="The session it came up in, e.g. G1-2026-11-24.")
@click.pass_obj
def risk_raise(app, participant_id, categories, severity, summary, session_id):
    """Raise a risk flag by hand."""

    flag = raise_flag(app.office, participant_id, list(categories), summary, severity, session_id)
    _print_raised(flag)


def _print_raised(flag) -> None:
    click.echo(
        f"raised {flag.id} for {flag.participant_id}: {', '.join(flag.categories)} "
        f"({SEVERITY_MARK[flag.severity]}), review by {_when(flag.deadline)}"
    )
    if flag.escalated_from:
        click.echo(f"  escalated from {flag.escalated_from}")
    for marker in flag.markers:
        click.echo(f"  {marker}")


@risk.command("list")
@click.option(
    "--status",
    default="open",
    show_default=True,
    help=" | ".join(LIST_FILTERS) + " (open includes in review).",
)
@json_option
@click.pass_obj
def risk_list(app, status, as_json):
    """The risk queue, soonest deadline first."""

    office = app.office
    views = [flag_view(office, f) for f in list_flags(office, status)]
    if as_json:
        return emit_json(views)
    table(
        [
            (
                v["id"],
                ("OVERDUE " if v["overdue"] else "") + _when(v["deadline"]),
                SEVERITY_MARK[v["severity"]],
                v["status"],
                v["participant_id"],
                ", ".join(v["categories"]),
                v["source_label"],
                "; ".join(v["markers"]),
            )
            for v in views
        ],
        ["id", "deadline", "severity", "status", "man", "categories", "source", "markers"],
        empty=f"(no {status} flags)",
    )


@risk.command("show")
@click.argument("flag_id")
@json_option
@click.pass_obj
def risk_show(app, flag_id, as_json):
    """Show one flag with its reviews."""

    v = flag_view(app.office, get_flag(app.office, flag_id))
    if as_json:
        return emit_json(v)
    fields(
        [
            ("flag", v["id"]),
            ("man", f"{v['participant_id']} {v['participant_name']}".strip()),
            (
                "severity",
                SEVERITY_MARK[v["severity"]]
                + (f" (escalated from {v['escalated_from']})" if v["escalated_from"] else ""),
            ),
            ("categories", ", ".join(v["categories"])),
            ("status", v["status"]),
            ("deadline", _when(v["deadline"]) + ("  OVERDUE" if v["overdue"] else "")),
            ("source", v["source_label"]),
            ("session", v["session_id"] or "-"),
            ("raised", f"{_when(v['raised_at'])} by {v['raised_by']}"),
            ("markers", "; ".join(v["markers"]) or "-"),
            ("summary", v["summary"]),
        ]
    )
    for r in v["reviews"]:
        click.echo(f"\nreview {_when(r['at'])} by {r['by']}: {', '.join(r['actions'])}")
        if r["note"]:
            click.echo(f"  {r['note']}")
    if v["status"] == "closed":
        click.echo(f"\nclosed {_when(v['closed_at'])} by {v['closed_by']}: {v['outcome']}")


@risk.command("review")
@click.argument("flag_id")
@click.option(
    "--action", "actions", multiple=True, required=True, help=f"Repeatable: {', '.join(ACTIONS)}."
)
@click.option("--note", default="", help="What was done; no_further_action needs the reason here.")
@click.pass_obj
def risk_review(app, flag_id, actions, note):
    """Record the actions taken on a flag."""

    flag = review_flag(app.office, flag_id, list(actions), note)
    click.echo(f"reviewed {flag.id}: {', '.join(flag.review_list[-1].actions)} ({flag.status})")


@risk.command("close")
@click.argument("flag_id")
@click.option("--outcome", required=True, help="The outcome, in words.")
@click.pass_obj
def risk_close(app, flag_id, outcome):
    """Close a reviewed flag."""

    flag = close_flag(app.office, flag_id, outcome)
    click.echo(f"closed {flag.id}")


@risk.command("due")
@json_option
@click.pass_obj
def risk_due(app, as_json):
    """Men due a risk re-assessment: interval passed, flagged since, or never assessed."""

    rows = reassessment_due(app.office)
    if as_json:
        return emit_json([r.to_dict() for r in rows])
    table(
        [
            (
                r.participant_id,
                r.name,
                r.last_assessed or "never",
                r.level or "-",
                r.due_on or "now",
                "; ".join(r.reasons),
            )
            for r in rows
        ],
        ["id", "name", "last assessed", "level", "due", "why"],
        empty="(no re-assessments due)",
    )


@risk.command("assess")
@click.argument("participant_id")
@click.option("--level", required=True, help=", ".join(ASSESSMENT_LEVELS))
@click.option(
    "--factor",
    "factors",
    multiple=True,
    help="FACTOR=present|absent|unknown[:EVIDENCE] (repeat; see `risk factors`).",
)
@click.option("--rationale", default="", help="Why this level (needed with --factor).")
@click.option("--date", "day", type=DAY, help="YYYY-MM-DD (default today).")
@click.pass_obj
def risk_assess(app, participant_id, level, factors, rationale, day):
    """Record a risk assessment of a man: his level and, where assessed, each factor."""

    if day and parse_date(day, "assessment date") > clock.today():
        raise InvalidInput(f"assessment date {day} is in the future")
    scored = []
    for given in factors:
        try:
            scored.append(FactorScore(*parse_factor(given)))
        except ValueError as err:
            raise InvalidInput(str(err)) from None
    a = record_assessment(app.office, participant_id, day, level, scored, rationale)
    present = f", {len(a.present())} factor(s) present" if a.factors else ""
    click.echo(f"recorded risk assessment of {a.participant_id} on {a.date}: {a.level}{present}")
    if a.level == "high":
        click.echo(
            "high risk: a MARAC referral prompt is on the due list (facilitator marac prompts)"
        )


@risk.command("factors")
@click.pass_obj
def risk_factors_cmd(app):
    """The risk factors this programme assesses (setting risk.factors)."""
    table(list(risk_factors(app.office).items()), ["factor", "meaning"])


@risk.command("assessments")
@click.argument("participant_id")
@json_option
@click.pass_obj
def risk_assessments_cmd(app, participant_id, as_json):
    """A man's risk assessments, oldest first, with the factors found present."""
    found = assessments_of(app.office, participant_id)
    if as_json:
        return emit_json([a.to_dict() for a in found])
    rows = []
    for a in found:
        present = "; ".join(
            f"{k}" + (f" ({v['evidence']})" if v.get("evidence") else "")
            for k, v in a.factors.items()
            if v.get("score") == "present"
        )
        rows.append((a.date, a.level, a.recorded_by, present or "-", a.rationale or "-"))
    table(rows, ["date", "level", "by", "present", "rationale"], empty="(no risk assessment)")


@risk.command("suggestions")
@click.argument("session_id")
@click.option(
    "--pending", "pending_only", is_flag=True, help="Only those not yet confirmed or dismissed."
)
@json_option
@click.pass_obj
def risk_suggestions(app, session_id, pending_only, as_json):
    """The scanner's suggestions for a session's check-ins, and what was decided."""

    rows = list_suggestions(app.office, session_id, pending_only)
    if as_json:
        return emit_json([s.to_dict() for s in rows])
    table(
        [
            (
                s.id,
                s.participant_id,
                ", ".join(s.categories),
                s.severity,
                s.status,
                (
                    s.flag_id
                    + (f" (not flagged: {', '.join(s.not_flagged)})" if s.not_flagged else "")
                )
                or s.reason,
            )
            for s in rows
        ],
        ["id", "man", "categories", "severity", "status", "flag / reason"],
        empty="(no suggestions)",
    )
    for s in rows:
        spans = [f'{m["category"]}: "{m["match"]}"' for m in s.matches]
        if spans and s.pending:
            click.echo(f"{s.id} found " + "; ".join(spans))


@risk.command("confirm")
@click.argument("suggestion_id")
@click.option("--summary", help="Your own words (default: the check-in summary).")
@click.option(
    "--category", "categories", multiple=True, help="Replace the suggested categories, repeatable."
)
@click.option("--severity", help=", ".join(SEVERITIES))
@click.option(
    "--reason",
    help="Why a suggested category left out of --category is not a risk (then required).",
)
@click.pass_obj
def risk_confirm(app, suggestion_id, summary, categories, severity, reason):
    """Confirm a suggestion: it becomes a flag in the queue."""

    flag = confirm_suggestion(
        app.office, suggestion_id, summary, list(categories) or None, severity, reason
    )
    _print_raised(flag)
    s = _suggestion_after(app.office, suggestion_id)
    if s is not None and s.not_flagged:
        click.echo(f"not flagged: {', '.join(s.not_flagged)} (reason kept with {s.id})")


def _suggestion_after(office, suggestion_id):

    try:
        return get_suggestion(office, suggestion_id)
    except FacilitatorError:  # the flag is made and said; this line is only a courtesy
        return None


@risk.command("dismiss")
@click.argument("suggestion_id")
@click.option("--reason", required=True, help="Why it is not a risk; kept with the suggestion.")
@click.pass_obj
def risk_dismiss(app, suggestion_id, reason):
    """Dismiss a suggestion with a reason (the dismissal is recorded)."""

    s = dismiss_suggestion(app.office, suggestion_id, reason)
    click.echo(f"dismissed {s.id}")
