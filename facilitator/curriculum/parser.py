"""Read a curriculum folder into the model, noting every problem with its file and line.

The parser never raises on bad content: whatever it cannot use becomes a Problem and a safe
fallback value, so the checker can go on and report everything at once. The format is
documented in `curricula/README.md`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from facilitator.curriculum.model import (
    BREAK,
    CHECK_IN,
    CLOSING,
    ERROR,
    EXERCISE,
    INDEX_FILE,
    SEGMENT_KINDS,
    WARNING,
    Curriculum,
    CurriculumSession,
    Problem,
    Segment,
)

SESSION_FIELDS = ("session", "title", "theme", "minutes", "objectives", "topics")
INDEX_FIELDS = ("id", "title", "version", "description", "default_session_minutes", "topics")

# `07-what-coercive-control-is.md`: the leading number is what makes a file a session file.
SESSION_FILE = re.compile(r"^(\d+)-.*\.md$", re.IGNORECASE)
_MARKER = re.compile(r"\s*\{\s*([A-Za-z_-]*)\s*\}\s*$")
_MINUTES = re.compile(r"\s*\(\s*(\d+)\s*(?:min|mins|minutes)\.?\s*\)\s*$", re.IGNORECASE)
_KIND_FROM_HEADING = (
    (re.compile(r"^check[\s-]?in\b", re.IGNORECASE), CHECK_IN),
    (re.compile(r"^exercise\b", re.IGNORECASE), EXERCISE),
    (re.compile(r"^break\b", re.IGNORECASE), BREAK),
    (re.compile(r"^closing\b", re.IGNORECASE), CLOSING),
)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_md: MarkdownIt | None = None


@dataclass
class ParseResult:
    curriculum: Curriculum
    problems: list[Problem]
    # Every session file read, numbered or not (unnumbered ones are not in curriculum.sessions).
    session_files: list[CurriculumSession] = field(default_factory=list)
    # Raw text of each file read, for content checks that look at the words themselves.
    texts: dict[Path, str] = field(default_factory=dict)
    index_lines: dict[str, int] = field(default_factory=dict)
    topic_lines: dict[str, int] = field(default_factory=dict)


class _Report:
    """Collects problems for one file."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.problems = problems

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, max(line, 1), ERROR, message))

    def warning(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, max(line, 1), WARNING, message))


def _markdown() -> MarkdownIt:
    global _md
    if _md is None:
        # Only block structure matters here (headings, fences); inline parsing is left to the
        # widget that renders the Markdown, which keeps loading 24 sessions fast.
        _md = MarkdownIt("commonmark").use(front_matter_plugin).disable("inline")
    return _md


def read_text(path: Path, report: _Report) -> str | None:
    """The file's text with newlines normalised, or None (with an error) when unreadable."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        report.error(1, f"cannot read the file: {err.strerror or err}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        report.error(line, f"not UTF-8 text (byte {err.start}): save the file as UTF-8")
        return None
    text = text.removeprefix("\ufeff")
    # markdown-it splits lines on \n only; normalise so our line numbers agree with its.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


# ---------------------------------------------------------------------------- YAML with lines


@dataclass
class _Yaml:
    data: Any
    key_lines: dict[str, int]  # top-level key -> 1-based file line
    item_lines: dict[str, list[int]]  # top-level key -> line of each item (list or mapping)
    item_keys: dict[str, list[str]]  # top-level key -> keys of a mapping value, in order


def _load_yaml(text: str, first_line: int, report: _Report, what: str) -> _Yaml | None:
    """Parse YAML safely; first_line is the file line of the text's first line."""
    loader = _YAML_LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = ": ".join(str(p) for p in (err.context, err.problem) if p) or "invalid YAML"
        report.error(line, f"{what} is not valid YAML: {problem}")
        return None
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError, TypeError) as err:
        # PyYAML raises ValueError for dates such as 2024-13-45 and RecursionError for deep
        # nesting; report them like any other YAML mistake.
        report.error(first_line, f"{what} is not valid YAML: {err.__class__.__name__}: {err}")
        return None
    finally:
        loader.dispose()
    result = _Yaml(data, {}, {}, {})
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = str(key_node.value)
            if key in result.key_lines:
                report.warning(
                    first_line + key_node.start_mark.line,
                    f"{key!r} is given twice in the {what}; the last one counts",
                )
            result.key_lines[key] = first_line + key_node.start_mark.line
            if isinstance(value_node, yaml.SequenceNode):
                result.item_lines[key] = [first_line + n.start_mark.line for n in value_node.value]
            elif isinstance(value_node, yaml.MappingNode):
                result.item_lines[key] = [
                    first_line + k.start_mark.line for k, _ in value_node.value
                ]
                result.item_keys[key] = [
                    str(k.value) if isinstance(k, yaml.ScalarNode) else ""
                    for k, _ in value_node.value
                ]
    return result


def _text_field(data: dict, name: str, lines: dict[str, int], report: _Report, line: int) -> str:
    value = data.get(name)
    if name not in data or value is None:
        report.error(line, f"missing field {name!r}")
        return ""
    if not isinstance(value, str) or not value.strip():
        report.error(lines.get(name, line), f"{name!r} must be text, not {_describe(value)}")
        return "" if not isinstance(value, (int, float)) else str(value)
    return value.strip()


def _int_field(
    data: dict,
    name: str,
    lines: dict[str, int],
    report: _Report,
    line: int,
    *,
    required: bool = True,
) -> int | None:
    if name not in data or data[name] is None:
        if required:
            report.error(line, f"missing field {name!r}")
        return None
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        report.error(
            lines.get(name, line), f"{name!r} must be a whole number from 1, not {_describe(value)}"
        )
        return None
    return value


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return "empty text" if not value.strip() else repr(value)[:60]
    if value is None:
        return "nothing"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    return f"{value!r}"[:60]


# ---------------------------------------------------------------------------- index


def parse_index(folder: Path, problems: list[Problem], texts: dict[Path, str] | None = None):
    """Read `curriculum.yaml`; returns (Curriculum, vocabulary or None, key lines, topic lines)."""
    path = folder / INDEX_FILE
    report = _Report(path, problems)
    curriculum = Curriculum(
        id=folder.name,
        title=folder.name,
        version="",
        description="",
        default_session_minutes=0,
        topics={},
        folder=folder,
    )
    if not path.is_file():
        report.error(1, f"missing: a curriculum folder needs an index file {INDEX_FILE}")
        return curriculum, None, {}, {}
    text = read_text(path, report)
    if text is None:
        return curriculum, None, {}, {}
    if texts is not None:
        texts[path] = text
    parsed = _load_yaml(text, 1, report, "index")
    if parsed is None:
        return curriculum, None, {}, {}
    data = parsed.data
    if not isinstance(data, dict):
        report.error(
            1,
            f"the index must be a mapping of fields ({', '.join(INDEX_FIELDS)}), not "
            f"{_describe(data)}",
        )
        return curriculum, None, {}, {}
    lines = parsed.key_lines
    for name in data:
        if str(name) not in INDEX_FIELDS:
            report.warning(
                lines.get(str(name), 1),
                f"unknown field {name!r} in the index (known: {', '.join(INDEX_FIELDS)})",
            )
    curriculum.id = _text_field(data, "id", lines, report, 1) or folder.name
    if curriculum.id != folder.name:
        report.warning(
            lines.get("id", 1),
            f"id {curriculum.id!r} differs from the folder name {folder.name!r}; it is "
            "found by the folder name",
        )
    curriculum.title = _text_field(data, "title", lines, report, 1) or curriculum.id
    version = data.get("version")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        report.warning(
            lines.get("version", 1),
            f'version {version!r} is a number; quote it ("{version}") so that 1.10 stays 1.10',
        )
        curriculum.version = str(version)
    else:
        curriculum.version = _text_field(data, "version", lines, report, 1)
    curriculum.description = _text_field(data, "description", lines, report, 1)
    curriculum.default_session_minutes = (
        _int_field(data, "default_session_minutes", lines, report, 1) or 0
    )

    topic_lines: dict[str, int] = {}
    vocabulary: dict[str, str] | None = None
    topics = data.get("topics")
    if "topics" not in data or topics is None:
        report.error(
            1, "missing field 'topics' (the topic ids sessions may use, each with a label)"
        )
    elif not isinstance(topics, dict):
        report.error(
            lines.get("topics", 1),
            f"'topics' must map each topic id to a label, not {_describe(topics)}",
        )
    else:
        vocabulary = {}
        item_lines = dict(
            zip(
                parsed.item_keys.get("topics", []), parsed.item_lines.get("topics", []), strict=True
            )
        )
        for topic, label in topics.items():
            line = item_lines.get(str(topic), lines.get("topics", 1))
            if not isinstance(topic, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", topic):
                report.error(
                    line,
                    f"topic id {topic!r} must be lower-case letters, digits and _ (e.g. "
                    "coercive_control)",
                )
                continue
            if not isinstance(label, str) or not label.strip():
                report.warning(line, f"topic {topic!r} has no label")
                label = topic
            vocabulary[topic] = label.strip()
            topic_lines[topic] = line
        curriculum.topics = vocabulary
    return curriculum, vocabulary, lines, topic_lines


# ---------------------------------------------------------------------------- sessions


def _segment_heading(text: str, line: int, report: _Report) -> tuple[str, str, int | None]:
    """Split `Title (30 min) {kind}` into (title, kind, minutes), reporting what is wrong."""
    heading = text.strip()
    kind = None
    marker = _MARKER.search(heading)
    if marker:
        heading = heading[: marker.start()]
        name = marker.group(1).lower().replace("-", "_")
        if name in SEGMENT_KINDS:
            kind = name
        else:
            report.error(
                line,
                f"unknown segment kind {{{marker.group(1)}}}: use one of "
                + ", ".join("{" + k + "}" for k in SEGMENT_KINDS),
            )
    minutes = None
    found = _MINUTES.search(heading)
    if found:
        heading = heading[: found.start()]
        minutes = int(found.group(1))
    title = heading.strip()
    if kind is None:
        kind = next((k for pattern, k in _KIND_FROM_HEADING if pattern.match(title)), EXERCISE)
    if not title:
        report.error(line, "segment heading has no title")
    if found is None:
        report.error(
            line,
            f"segment {title!r} has no minutes: end the heading with its length, e.g. '## "
            f"{title or 'Check-in'} (30 min)'",
        )
    elif minutes == 0:
        report.error(line, f"segment {title!r} lasts 0 minutes")
    return title, kind, minutes


def _trim(lines: list[str]) -> str:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


def parse_session_text(
    path: Path,
    text: str,
    problems: list[Problem],
    vocabulary: dict[str, str] | None = None,
    default_minutes: int = 0,
) -> CurriculumSession:
    """Parse one session file's text. Always returns a session; problems say what is wrong."""
    report = _Report(path, problems)
    lines = text.split("\n")
    try:
        tokens = _markdown().parse(text)
    except Exception as err:  # markdown-it should not fail, but one bad file must not stop a check
        report.error(1, f"cannot read the Markdown: {err.__class__.__name__}: {err}")
        tokens = []

    data: dict | None = None
    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    body_start = 0
    fm_line = 1
    front = next((t for t in tokens if t.type == "front_matter"), None)
    if front is not None and front.map:
        body_start = front.map[1]
        content = "\n".join(lines[front.map[0] + 1 : front.map[1] - 1])
        parsed = _load_yaml(content, front.map[0] + 2, report, "front matter")
        if parsed is not None and isinstance(parsed.data, dict):
            data, key_lines, item_lines = parsed.data, parsed.key_lines, parsed.item_lines
        elif parsed is not None:
            report.error(
                fm_line,
                "the front matter must be a mapping of fields "
                f"({', '.join(SESSION_FIELDS)}), not {_describe(parsed.data)}",
            )
    elif lines and lines[0].strip().startswith("---"):
        report.error(
            1, "the front matter is not closed: add a line '---' after the session's fields"
        )
    else:
        report.error(
            1,
            "no front matter: a session file starts with '---', the session's fields ("
            + ", ".join(SESSION_FIELDS)
            + ") and '---'",
        )

    session = CurriculumSession(
        number=0,
        title=path.stem,
        theme="",
        minutes=default_minutes,
        objectives=[],
        topics=[],
        segments=[],
        source=path,
        line=1,
    )
    if data is not None:
        _session_fields(session, data, key_lines, item_lines, report, vocabulary)

    headings = [
        (i, t.map)
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2" and t.level == 0 and t.map
    ]
    first_segment = headings[0][1][0] if headings else len(lines)
    session.body_line = min(body_start + 1, len(lines))
    session.intro_markdown = _trim(lines[body_start:first_segment])
    for n, (i, span) in enumerate(headings):
        start, after = span
        end = headings[n + 1][1][0] if n + 1 < len(headings) else len(lines)
        inline = tokens[i + 1].content if i + 1 < len(tokens) else ""
        title, kind, minutes = _segment_heading(inline, start + 1, report)
        body = _trim(lines[after:end])
        if not body.strip():
            report.error(
                start + 1,
                f"segment {title!r} has no content: write the facilitators' guidance under "
                "the heading",
            )
        session.segments.append(Segment(title, kind, minutes, body, path, start + 1))
    return session


def _session_fields(
    session: CurriculumSession,
    data: dict,
    key_lines: dict[str, int],
    item_lines: dict[str, list[int]],
    report: _Report,
    vocabulary: dict[str, str] | None,
) -> None:
    fm_line = 1
    for name in data:
        if str(name) not in SESSION_FIELDS:
            report.warning(
                key_lines.get(str(name), fm_line),
                f"unknown field {name!r} (known: {', '.join(SESSION_FIELDS)})",
            )
    session.number = _int_field(data, "session", key_lines, report, fm_line) or 0
    session.line = key_lines.get("session", 1)
    session.field_lines = dict(key_lines)
    session.title = _text_field(data, "title", key_lines, report, fm_line) or session.source.stem
    session.theme = _text_field(data, "theme", key_lines, report, fm_line)
    minutes = _int_field(data, "minutes", key_lines, report, fm_line, required=False)
    if minutes is not None:
        session.minutes = minutes
    # Without minutes the index's default applies; a missing default is reported at the index.
    session.objectives = _text_list(data, "objectives", key_lines, item_lines, report)
    topics = _text_list(data, "topics", key_lines, item_lines, report, empty_ok=True)
    lines = item_lines.get("topics", [])
    seen: set[str] = set()
    for i, topic in enumerate(topics):
        line = lines[i] if i < len(lines) else key_lines.get("topics", fm_line)
        if topic in seen:
            report.warning(line, f"topic {topic!r} is listed twice")
            continue
        seen.add(topic)
        if vocabulary is not None and topic not in vocabulary:
            report.error(
                line, f"unknown topic {topic!r}: add it to the index's topics or use one of theirs"
            )
        session.topics.append(topic)
    if "topics" in data and not topics:
        report.warning(
            key_lines.get("topics", fm_line),
            "the session lists no topics, so it counts towards none in the coverage table",
        )
    name_number = SESSION_FILE.match(session.source.name)
    if name_number and session.number and int(name_number.group(1)) != session.number:
        report.warning(
            session.line,
            f"the file name says session {int(name_number.group(1))} but the front matter "
            f"says {session.number}",
        )


def _text_list(
    data: dict,
    name: str,
    key_lines: dict[str, int],
    item_lines: dict[str, list[int]],
    report: _Report,
    *,
    empty_ok: bool = False,
) -> list[str]:
    """A front matter list of texts; items that are not text are reported and dropped."""
    line = key_lines.get(name, 1)
    if name not in data or data[name] is None:
        report.error(1, f"missing field {name!r}")
        return []
    value = data[name]
    if not isinstance(value, list):
        example = (
            "[coercive_control, accountability]" if name == "topics" else "a '- ' line for each"
        )
        report.error(line, f"{name!r} must be a list ({example}), not {_describe(value)}")
        return []
    if not value and not empty_ok:
        report.error(line, f"{name!r} is empty")
    lines = item_lines.get(name, [])
    items = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            items.append(item.strip())
        else:
            hint = ""
            if isinstance(item, dict):
                hint = " (YAML reads 'words: more words' as a mapping: put the item in quotes)"
            report.error(
                lines[i] if i < len(lines) else line,
                f"each item of {name!r} must be text, not {_describe(item)}{hint}",
            )
    return items


def parse_curriculum(folder: Path | str) -> ParseResult:
    """Read a curriculum folder: its index and every session file in it."""
    folder = Path(folder)
    problems: list[Problem] = []
    texts: dict[Path, str] = {}
    curriculum, vocabulary, index_lines, topic_lines = parse_index(folder, problems, texts)
    result = ParseResult(
        curriculum, problems, texts=texts, index_lines=index_lines, topic_lines=topic_lines
    )
    try:
        entries = sorted(p for p in folder.iterdir())
    except OSError as err:
        problems.append(Problem(folder, 1, ERROR, f"cannot list the folder: {err.strerror or err}"))
        entries = []
    for path in entries:
        if path.name.startswith(".") or path.suffix.lower() != ".md":
            continue
        if not SESSION_FILE.match(path.name):
            if path.name.lower() != "readme.md":
                problems.append(
                    Problem(
                        path,
                        1,
                        WARNING,
                        "not read as a session: a session file's name starts with its "
                        "number, e.g. 07-coercive-control.md",
                    )
                )
            continue
        report = _Report(path, problems)
        if not path.is_file():
            report.error(1, "not a file")
            continue
        text = read_text(path, report)
        if text is None:
            continue
        texts[path] = text
        session = parse_session_text(
            path, text, problems, vocabulary, curriculum.default_session_minutes
        )
        result.session_files.append(session)
    curriculum.sessions = sorted(
        (s for s in result.session_files if s.number > 0), key=lambda s: (s.number, s.source.name)
    )
    return result
