"""Printing for the CLI: JSON for scripts, aligned plain tables for people."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import click

from facilitator.domain.text import printable


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def table(rows: Iterable[Sequence[Any]], headers: Sequence[str], empty: str = "(none)") -> None:
    # Stored text is shown, never obeyed: escapes and line breaks become visible stand-ins.
    rows = [[printable(v) for v in r] for r in rows]
    if not rows:
        click.echo(empty)
        return
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for r in rows:
        click.echo("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())


def fields(pairs: Iterable[tuple[str, Any]]) -> None:
    pairs = list(pairs)
    width = max((len(k) for k, _ in pairs), default=0)
    for k, v in pairs:
        click.echo(f"{k.ljust(width)}  {printable(v)}")


class _Day(click.ParamType):
    """A date option: an empty value is refused rather than taken as today (a script with an
    unset variable must not record something on the wrong day)."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if not str(value).strip():
            self.fail("is empty: give a date as YYYY-MM-DD, or leave the option out", param, ctx)
        return value


DAY = _Day()

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


# A change to a closed session is allowed only with the reason it is being made, kept with it.
correct_option = click.option(
    "--correct", "correction", metavar="REASON", help="Change a closed session; the reason is kept."
)
