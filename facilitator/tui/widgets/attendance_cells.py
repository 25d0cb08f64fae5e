"""How an attendance mark and a compliance status are drawn in a cell: a symbol and a style,
never colour alone."""

from __future__ import annotations

from rich.text import Text

from facilitator.domain.attendance import SYMBOLS
from facilitator.domain.compliance import SESSION_CANCELLED
from facilitator.services.reporting.attendance_views import LATE_ABSENCE_CODE, NOT_MARKED, WORDS

CELL = {
    "present": (SYMBOLS["present"], "green"),
    "late": (SYMBOLS["late"], "yellow"),
    "left_early": (SYMBOLS["left_early"], "yellow"),
    LATE_ABSENCE_CODE: ("⊘", "bold red"),
    "excused": (SYMBOLS["excused"], "cyan"),
    "unexcused": (SYMBOLS["unexcused"], "bold red"),
    NOT_MARKED: (SYMBOLS[None], "dim"),
}
STATUS_STYLE = {
    "on_track": "green",
    "warning": "bold yellow",
    "breach": "bold reverse red",
    "completed": "cyan",
    "suspended": "magenta",
    "exited": "dim",
}
LEGEND = (
    "  ".join(f"{sym} {WORDS[code]}" for code, (sym, _) in CELL.items())
    + "  (blank: not in the group)"
)


# A cancelled session is shown only where its words stand beside it (a man's timeline).
CANCELLED_CELL = ("–", "dim")


def cell(code: str | None) -> Text:
    if code is None:
        return Text(" ")
    symbol, style = CANCELLED_CELL if code == SESSION_CANCELLED else CELL[code]
    return Text(symbol, style=style, justify="center")


def status_text(compliance) -> Text:
    if compliance is None:
        return Text("")
    return Text(
        f"{compliance.symbol} {compliance.label}", style=STATUS_STYLE.get(compliance.status, "")
    )
