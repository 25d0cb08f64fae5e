"""Curricula: the format's model, its parser and checker, and where curricula are found.

Reads files, so it sits with storage: it may import domain and errors, never services or UI.
Importing it loads markdown-it and PyYAML (about 0.1 s): command modules import it inside
the command, not at module level.
"""

from facilitator.curriculum.checker import CheckReport, check_curriculum, format_report
from facilitator.curriculum.locate import (
    InvalidCurriculum,
    bundled_curricula_dir,
    curricula_roots,
    find_curriculum_folder,
    list_curricula,
    load_curriculum,
)
from facilitator.curriculum.model import (
    CORE_TOPICS,
    SEGMENT_KINDS,
    Curriculum,
    CurriculumSession,
    Problem,
    Segment,
)
from facilitator.curriculum.parser import parse_curriculum

__all__ = [
    "CORE_TOPICS",
    "SEGMENT_KINDS",
    "CheckReport",
    "Curriculum",
    "CurriculumSession",
    "InvalidCurriculum",
    "Problem",
    "Segment",
    "bundled_curricula_dir",
    "check_curriculum",
    "curricula_roots",
    "find_curriculum_folder",
    "format_report",
    "list_curricula",
    "load_curriculum",
    "parse_curriculum",
]
