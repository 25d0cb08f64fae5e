"""Every line the UI draws, with control characters shown rather than sent to the terminal.

Textual strips a bell or a carriage return from what a widget shows, but passes an escape
character straight through: a stored name or summary holding `ESC ] 0 ;` would retitle the
window or swallow what follows, `ESC [ 31 m` recolour the screen, and a direction override
make a name read differently. Applied as a line filter to everything the app renders, this
catches every screen and dialog, including ones written after it, so no widget has to remember
to clean its own text. The styling Textual adds lives in each segment's style, never in its
text, so nothing legitimate is touched.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from facilitator.domain.text import is_printable, printable


class VisibleControls(LineFilter):
    """Shows control characters, escapes and direction overrides as visible stand-ins, keeping
    the line the width Textual laid it out at."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if all(is_printable(seg.text) for seg in segments):
            return segments
        width = Segment.get_line_length(segments)
        shown = [Segment(printable(seg.text), seg.style, seg.control) for seg in segments]
        return Segment.adjust_line_length(shown, width)
