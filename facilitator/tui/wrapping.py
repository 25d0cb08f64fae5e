"""Text shown whole at any width: wrapped with a hanging indent, never cut with an ellipsis.

At 80 columns a long session title, a man's full name or a due item does not fit on its line.
Cutting it leaves the room guessing what was there; wrapping it under its own first word keeps
a list readable, bullet or number in its own column.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

# Wrapping needs a console only for its measurements; this one never prints anything.
_MEASURE = Console(file=io.StringIO(), width=200, color_system=None, legacy_windows=False)


def hanging(line: Text, width: int, indent: int) -> Text:
    """One line of text wrapped to `width` cells, the lines after the first indented by
    `indent` spaces (under where the words start). A width too small to wrap into is left as
    it is, for the widget's own wrapping to deal with."""
    if width <= indent + 8 or line.cell_len <= width:
        return line
    head = line[:indent]
    rest = line[indent:]
    rest.rstrip()
    lines = rest.wrap(_MEASURE, width - indent, overflow="fold")
    out = Text()
    for i, part in enumerate(lines):
        out.append_text(head if i == 0 else Text(" " * indent))
        part.rstrip()
        out.append_text(part)
        if i < len(lines) - 1:
            out.append("\n")
    return out


def fits(text: str, width: int) -> bool:
    """Whether the words fit on one line of `width` cells, so they can be shown whole there."""
    return Text(text).cell_len <= width
