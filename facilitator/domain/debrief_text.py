"""The text of a debrief note: filling the template, the file's front matter and amendments, and
which man a passage of the note is about.

Pure: strings in, strings out. The file a person opens is

    ---
    front matter (YAML): note, session, group, date, curriculum session, title, authors,
    status, signatures (who and when)
    ---
    the body the facilitators wrote
    ## Amendments            (only once signed and amended)
    ### Amendment 1: 2026-11-26 10:00, alex
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from facilitator.domain.debrief import DebriefNote
from facilitator.errors import InvalidInput

FENCE = "---"
AMENDMENTS_HEADING = "## Amendments"
FILE_COMMENT = (
    "# Written by facilitator. Change the text with `facilitator notes edit`; a change made "
    "to this file by other means is detected and reported."
)

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
_MEN_BLOCK = re.compile(r"\{\{#men\}\}\n?(?P<block>.*?)\{\{/men\}\}\n?", re.DOTALL)
# A man's section: a heading that starts with his id ("### P0001 Adam Example").
_MAN_HEADING = re.compile(r"^(?P<level>#{2,6})\s+(?P<pid>P\d{2,})\b.*$", re.MULTILINE)
_HEADING = re.compile(r"^(?P<level>#{1,6})\s", re.MULTILINE)


# -- the template ------------------------------------------------------------------------------
def fill_template(
    template: str,
    values: Mapping[str, str],
    men: Sequence[Mapping[str, str]],
    no_men: str = "_No man was in the room._\n\n",
    source: str = "the debrief template",
) -> str:
    """Replace {{name}} placeholders; repeat the {{#men}} … {{/men}} block once per man."""

    def fill(text: str, table: Mapping[str, str]) -> str:
        def one(m: re.Match) -> str:
            key = m.group(1)
            if key not in table:
                known = ", ".join(sorted(table))
                raise InvalidInput(
                    f"{source} uses an unknown placeholder {{{{{key}}}}} (known: {known})"
                )
            return str(table[key])

        return _PLACEHOLDER.sub(one, text)

    def block(m: re.Match) -> str:
        if not men:
            return no_men
        return "".join(fill(m.group("block"), {**values, **man}) for man in men)

    return fill(_MEN_BLOCK.sub(block, template), values)


def markdown_table(
    headers: list[str], rows: Iterable[Iterable[str]], empty: str = "_(none)_"
) -> str:
    rows = [[_cell(v) for v in r] for r in rows]
    if not rows:
        return empty
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


# -- the file ----------------------------------------------------------------------------------
def front_matter(note: DebriefNote) -> dict:
    return {
        "note": note.id,
        "session": note.session_id,
        "group": note.group_id,
        "date": note.date,
        "curriculum": note.curriculum,
        "curriculum_session": note.curriculum_session,
        "title": note.title,
        "authors": list(note.authors),
        "status": note.status,
        "signatures": [{"by": s.by, "at": s.at} for s in note.signature_list],
    }


def render_file(note: DebriefNote) -> str:
    import yaml  # PyYAML takes ~60 ms to import: only a note's file needs it

    head = yaml.safe_dump(
        front_matter(note), sort_keys=False, allow_unicode=True, default_flow_style=False
    )
    text = f"{FENCE}\n{FILE_COMMENT}\n{head}{FENCE}\n\n{note.body.rstrip()}\n"
    amendments = note.amendment_list
    if amendments:
        text += f"\n{AMENDMENTS_HEADING}\n"
        for a in amendments:
            text += f"\n{amendment_heading(a)}\n\n{a.text.rstrip()}\n"
    return text


def amendment_heading(a) -> str:
    return f"### Amendment {a.number}: {a.at[:16].replace('T', ' ')}, {a.by}"


def split_front_matter(text: str) -> tuple[dict, str]:
    """(front matter, body) of a note file; a file without front matter is all body."""
    text = text.replace("\r\n", "\n")
    if not text.startswith(FENCE + "\n"):
        return {}, text
    end = text.find(f"\n{FENCE}\n", len(FENCE))
    if end < 0:
        return {}, text
    import yaml

    try:
        head = yaml.safe_load(text[len(FENCE) + 1 : end]) or {}
    except yaml.YAMLError:
        head = {}
    return (head if isinstance(head, dict) else {}), text[end + len(FENCE) + 2 :].lstrip("\n")


def body_of_file(text: str) -> str:
    """What a person wrote in the file: without the front matter and the amendments."""
    _, body = split_front_matter(text)
    at = body.find(f"\n{AMENDMENTS_HEADING}\n")
    return body[:at].rstrip() + "\n" if at >= 0 else body


# -- who a passage is about ----------------------------------------------------------------------
def man_sections(body: str) -> list[tuple[int, int, str]]:
    """(start, end, participant id) of each man's section in the note."""
    heads = [(m.start(), len(m.group("level"))) for m in _HEADING.finditer(body)]
    out = []
    for m in _MAN_HEADING.finditer(body):
        level = len(m.group("level"))
        end = next((s for s, lv in heads if s > m.start() and lv <= level), len(body))
        out.append((m.start(), end, m.group("pid")))
    return out


def _paragraph(body: str, pos: int) -> str:
    start = body.rfind("\n\n", 0, pos)
    end = body.find("\n\n", pos)
    return body[start + 1 if start >= 0 else 0 : end if end >= 0 else len(body)]


def attribute(body: str, pos: int, men: Mapping[str, Iterable[str]]) -> str | None:
    """The man a passage is about: the section it sits in, else the only man its paragraph names.

    `men` maps a participant id to the names he may be called by (full name, first name).
    """
    for start, end, pid in man_sections(body):
        if start <= pos < end:
            return pid
    paragraph = _paragraph(body, pos)
    named = set()
    for pid, names in men.items():
        words = [pid, *[n for n in names if n]]
        if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", paragraph) for w in words):
            named.add(pid)
    return named.pop() if len(named) == 1 else None


# A line of the "flags raised this session" list the tool writes:
#   "- F0003 · P0002 · Strangulation · …".
_FLAG_LINE = re.compile(r"^- F\d+ · P\d+ · .*$", re.MULTILINE)


def flag_line(
    flag_id: str, participant_id: str, categories: str, severity: str, status: str
) -> str:
    return f"- {flag_id} · {participant_id} · {categories} · {severity} · {status}"


def blank_flag_lines(text: str) -> str:
    """The text with the tool's own flag lines blanked (same length, so offsets hold): the
    scanner must not offer a flag for the name of a flag that was raised already."""
    return _FLAG_LINE.sub(lambda m: " " * len(m.group(0)), text)


# What the tool writes at the head of a note and around each man's section: the note's title
# (the session's title, which names its theme: "Intimidation and threats") and the line of
# date, group and facilitators above the first section, the rows of the attendance table, and
# each man's heading. They say who and when, never what anyone did, so the scanner does not
# read them; whatever a facilitator writes around them is still read.
_TITLE_LINE = re.compile(r"^#[ \t].*$", re.MULTILINE)
_META_LINE = re.compile(r"^.*(?:· group |facilitators:).*$", re.MULTILINE)
_ATTENDANCE = re.compile(r"^## Attendance[ \t]*\n(?:(?!#).*\n?)*", re.MULTILINE)
_TABLE_ROW = re.compile(r"^\|.*$", re.MULTILINE)


def _blank(m: re.Match) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def blank_header_and_names(text: str, names: Iterable[str] = ()) -> str:
    """The text with the tool's header lines, the attendance table, the men's headings and the
    given people's names blanked (same length, so offsets hold). A name is no disclosure, even
    when it is a word the scanner knows ("Kim Blade"); names match with their capitals only,
    so "kill" in a sentence stays."""
    cut = text.find("\n## ")
    cut = len(text) if cut < 0 else cut
    head = _META_LINE.sub(_blank, _TITLE_LINE.sub(_blank, text[:cut]))
    text = _TITLE_LINE.sub(_blank, head + text[cut:])
    text = _ATTENDANCE.sub(lambda m: _TABLE_ROW.sub(_blank, m.group(0)), text)
    text = _MAN_HEADING.sub(_blank, text)
    words = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if words:
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")
        text = pattern.sub(_blank, text)
    return text


def excerpt(text: str, start: int, end: int, width: int = 30) -> str:
    """The match with a little of its own line around it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    a, b = max(line_start, start - width), min(line_end, end + width)
    piece = " ".join(text[a:b].split())
    return ("…" if a > line_start else "") + piece + ("…" if b < line_end else "")
