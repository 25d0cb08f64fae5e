"""A curriculum as the session runner uses it: Curriculum -> CurriculumSession -> Segment.

Plain data, no I/O. Every object remembers the file and line it came from so that a problem,
or a facilitator's "where is this written?", can point at the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CHECK_IN = "check_in"
EXERCISE = "exercise"
BREAK = "break"
CLOSING = "closing"
SEGMENT_KINDS = (CHECK_IN, EXERCISE, BREAK, CLOSING)

# The topics every complete programme must cover (the checker's coverage table).
CORE_TOPICS: dict[str, str] = {
    "coercive_control": "Coercive control",
    "impact_on_children": "The impact of abuse on children",
    "accountability": "Accountability and taking responsibility",
    "victim_safety": "Victim safety and safety planning",
    "sexual_respect": "Sexual respect and consent",
    "economic_abuse": "Economic abuse",
    "non_violent_alternatives": "Non-violent alternatives",
}

INDEX_FILE = "curriculum.yaml"
ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a curriculum, printed as `file:line: error|warning: message`."""

    path: Path
    line: int
    severity: str  # ERROR or WARNING
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Segment:
    """A timed part of a session: one level-two heading and the guidance under it."""

    title: str  # the heading without its minutes and kind marker
    kind: str  # one of SEGMENT_KINDS
    minutes: int | None  # None when the heading gives none (an error the checker reports)
    markdown: str  # the guidance under the heading, ready for a Markdown widget
    source: Path
    line: int  # line of the heading, 1-based

    def to_dict(self, *, markdown: bool = False) -> dict:
        data = {"title": self.title, "kind": self.kind, "minutes": self.minutes, "line": self.line}
        if markdown:
            data["markdown"] = self.markdown
        return data


@dataclass
class CurriculumSession:
    number: int  # 0 when the front matter gives no usable number (an error already reported)
    title: str
    theme: str
    minutes: int
    objectives: list[str]
    topics: list[str]
    segments: list[Segment]
    source: Path
    line: int = 1  # line of the session number in the front matter
    intro_markdown: str = ""  # anything between the front matter and the first segment
    body_line: int = 1  # first line after the front matter
    field_lines: dict[str, int] = field(default_factory=dict)  # front matter field -> line

    @property
    def segment_minutes(self) -> int:
        return sum(s.minutes or 0 for s in self.segments)

    def segments_of(self, kind: str) -> list[Segment]:
        return [s for s in self.segments if s.kind == kind]

    def to_dict(self, *, markdown: bool = False) -> dict:
        data = {
            "number": self.number,
            "title": self.title,
            "theme": self.theme,
            "minutes": self.minutes,
            "objectives": list(self.objectives),
            "topics": list(self.topics),
            "file": str(self.source),
            "segments": [s.to_dict(markdown=markdown) for s in self.segments],
        }
        if markdown:
            data["intro_markdown"] = self.intro_markdown
        return data


@dataclass
class Curriculum:
    id: str
    title: str
    version: str
    description: str
    default_session_minutes: int
    topics: dict[str, str]  # topic id -> label: the vocabulary session files may use
    sessions: list[CurriculumSession] = field(default_factory=list)  # numbered ones, in order
    folder: Path = Path(".")

    @property
    def index_path(self) -> Path:
        return self.folder / INDEX_FILE

    @property
    def total_minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)

    def session(self, number: int) -> CurriculumSession | None:
        return next((s for s in self.sessions if s.number == number), None)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "description": self.description,
            "default_session_minutes": self.default_session_minutes,
            "topics": dict(self.topics),
            "folder": str(self.folder),
            "sessions": [s.to_dict() for s in self.sessions],
        }

    def topic_label(self, topic: str) -> str:
        return self.topics.get(topic) or CORE_TOPICS.get(topic) or topic


@dataclass
class CheckReport:
    """What the checker found in one curriculum folder."""

    curriculum: Curriculum
    problems: list[Problem]
    coverage: dict[str, list[int]] = field(default_factory=dict)  # core topic -> sessions

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors
