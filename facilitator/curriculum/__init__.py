"""Curricula: the format's model, its parser and checker, and where curricula are found.

Reads files, so it sits with storage: it may import domain and errors, never services or UI.
Names are loaded on first use: the parser brings in markdown-it and PyYAML (about 0.1 s),
which a curriculum already checked and cached (`cache.checked`) does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "CORE_TOPICS": "model",
    "SEGMENT_KINDS": "model",
    "CheckReport": "model",
    "Curriculum": "model",
    "CurriculumSession": "model",
    "Problem": "model",
    "Segment": "model",
    "check_curriculum": "checker",
    "format_report": "checker",
    "parse_curriculum": "parser",
    "checked": "cache",
    "InvalidCurriculum": "locate",
    "bundled_curricula_dir": "locate",
    "curricula_roots": "locate",
    "find_curriculum_folder": "locate",
    "list_curricula": "locate",
    "load_curriculum": "locate",
}
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
    "checked",
    "curricula_roots",
    "find_curriculum_folder",
    "format_report",
    "list_curricula",
    "load_curriculum",
    "parse_curriculum",
]
assert sorted(__all__) == sorted(_WHERE)

if TYPE_CHECKING:
    from facilitator.curriculum.cache import checked
    from facilitator.curriculum.checker import check_curriculum, format_report
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
        CheckReport,
        Curriculum,
        CurriculumSession,
        Problem,
        Segment,
    )
    from facilitator.curriculum.parser import parse_curriculum


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'facilitator.curriculum' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"facilitator.curriculum.{module}"), name)
    globals()[name] = value
    return value
