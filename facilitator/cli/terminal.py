"""Everything a command prints passes through `VisibleText`: stored text is shown, never obeyed.

A name, summary, reason or file name holding an escape sequence could recolour the terminal,
retitle the window, or (with a bare carriage return) print over a warning; a direction
override makes a name read differently from what is stored. The commands print stored text in
many places, so rather than each remembering to clean it, the root command wraps standard
output and standard error once: control characters are shown as visible stand-ins, while tabs,
line feeds and CRLF line ends (CSV) pass. The commands themselves never colour their output,
so nothing legitimate is lost. A progress bar, which draws with carriage returns on purpose,
writes to `terminal_of(stream)`.
"""

from __future__ import annotations

import io
from typing import TextIO

from facilitator.domain.text import printable_output


class VisibleText(io.TextIOBase):
    """A text stream that shows control characters instead of writing them."""

    def __init__(self, stream: TextIO) -> None:
        self.terminal = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]  # read-only, as on a real stream
        return self.terminal.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.terminal.errors

    def write(self, text: str) -> int:
        # Bytes are refused, as by any text stream: click then knows this is not a binary one.
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.terminal.write(printable_output(text))
        return len(text)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        self.terminal.flush()

    def isatty(self) -> bool:
        return self.terminal.isatty()

    def fileno(self) -> int:
        return self.terminal.fileno()


def terminal_of(stream: TextIO) -> TextIO:
    """The stream under the filter, for output that draws on the terminal on purpose."""
    return stream.terminal if isinstance(stream, VisibleText) else stream
