"""Stored text on a terminal: never as instructions to it.

A name or summary holding an escape sequence could recolour the screen, retitle the window,
hide the lines before it or (with a carriage return) print over a warning; bidirectional
overrides make a name read differently from what is stored. `printable` shows each such
character as a visible stand-in, so the text can still be read and nothing is executed:
C0 controls as their Unicode control pictures (ESC as ␛, BEL as ␇, CR as ␍, LF as ␊), DEL as
␡, C1 controls and invisible direction marks as <U+XXXX>.
"""

from __future__ import annotations

import re

# Bidirectional embeddings, overrides, isolates and marks, the Arabic letter mark, and the
# line and paragraph separators (which some terminals treat as new lines).
_INVISIBLE = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]")
_UNSAFE_KEEP_LINES = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
# What a command may print as a whole: tabs, line feeds and the CR of a CRLF line end (CSV)
# are layout; every other control, escape and override is shown.
_UNSAFE_IN_OUTPUT = re.compile(f"\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_INVISIBLE}]")


def _visible(match: re.Match[str]) -> str:
    c = match.group(0)
    code = ord(c)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def printable(text: object, keep_newlines: bool = False) -> str:
    """`text` safe to print: every control character, escape and direction override shown as
    a visible stand-in. `keep_newlines` leaves plain line feeds for multi-line text (a note,
    a report); a table cell or a name keeps to one line."""
    s = "" if text is None else str(text)
    pattern = _UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE
    return pattern.sub(_visible, s)


def printable_output(text: str) -> str:
    """A command's output safe for a terminal: like `printable`, keeping the tabs, line feeds
    and CRLF line ends that lay it out."""
    return _UNSAFE_IN_OUTPUT.sub(_visible, text)


def is_printable(text: str) -> bool:
    """True when `printable` would leave `text` as it is (on one line)."""
    return _UNSAFE.search(text) is None


def unsafe_characters(text: str, allow_newlines: bool = False) -> list[str]:
    """The characters `printable` would replace, as <U+XXXX> codes, first seen first."""
    pattern = _UNSAFE_KEEP_LINES if allow_newlines else _UNSAFE
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in pattern.findall(text or "")))
