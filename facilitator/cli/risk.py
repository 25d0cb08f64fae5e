"""`facilitator risk scan [TEXT|-] [--json]`, and the `risk` group the whole risk family hangs on.

Other modules add their commands to this same group (risk_flags.py: raise, list, show,
review, close, due...): `from facilitator.cli.risk import risk`, then `@risk.command(...)`, and
list the module in COMMAND_MODULES as (module, "risk"). Keep this module light: the detector
is imported and compiled only when `scan` runs.
"""

from __future__ import annotations

import sys

import click

from facilitator.cli.output import emit_json, json_option, table
from facilitator.detector import Detector, detector_for_workspace, load_rules
from facilitator.errors import InvalidInput
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
        return emit_json(result.to_dict())
    if not result.indicators:
        click.echo("no risk indicators found")
        return
    table(
        [(i.severity, i.category, f"{i.start}-{i.end}", i.match) for i in result.indicators],
        ["severity", "category", "at", "words"],
    )
    click.echo(f"\nhighest severity: {result.severity}")


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
