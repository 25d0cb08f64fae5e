"""Checked curricula kept on disk, so opening a session does not re-parse every file.

Parsing and checking a 24-session curriculum, with markdown-it and PyYAML to import, costs
more than a command should take to start. The result is stored per folder under the user's
cache directory (or FACILITATOR_CACHE_DIR) and used while the folder's files, this package's
code and the parsing libraries are unchanged (names, sizes and modification times). The cache
holds curriculum text only, never anyone's records; if it cannot be read or written the
curriculum is simply checked again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from facilitator.curriculum.model import (
    CheckReport,
    Curriculum,
    CurriculumSession,
    Problem,
    Segment,
)

FORMAT = 1
_CODE = ("model.py", "parser.py", "checker.py", "forbidden.py", "cache.py")
_LIBRARIES = ("markdown_it", "mdit_py_plugins", "yaml")


def cache_dir() -> Path:
    given = os.environ.get("FACILITATOR_CACHE_DIR")
    if given:
        return Path(given)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("facilitator", appauthor=False)) / "curricula"


def checked(folder: Path | str, *, fresh: bool = False) -> CheckReport:
    """The checker's report on a folder, from the cache when nothing has changed.

    fresh: check again whatever the cache holds (and store the new result).
    """
    folder = Path(folder)
    key = _fingerprint(folder)
    file = (
        cache_dir() / (hashlib.sha256(key["folder"].encode()).hexdigest()[:24] + ".json")
        if key
        else None
    )
    if file is not None and key and not fresh:
        report = _read(file, key)
        if report is not None:
            return report
    from facilitator.curriculum.checker import check_curriculum

    report = check_curriculum(folder)
    if file is not None and key:
        _write(file, key, report)
    return report


def _stat(path: Path | str) -> list:
    st = os.stat(path)
    return [str(path), st.st_size, st.st_mtime_ns]


def _fingerprint(folder: Path) -> dict | None:
    try:
        with os.scandir(folder) as entries:
            files = sorted(_stat(e.path) for e in entries if e.is_file())
        here = Path(__file__).resolve().parent
        code = [_stat(here / name) for name in _CODE]
        libraries = []
        for name in _LIBRARIES:
            spec = importlib.util.find_spec(name)
            libraries.append(_stat(spec.origin) if spec and spec.origin else [name])
        # Paths in the report are written as given: a relative folder is only the same from the same
        # place.
        given = str(folder) if folder.is_absolute() else [os.getcwd(), str(folder)]
        return {
            "format": FORMAT,
            "folder": str(folder.resolve()),
            "given": given,
            "files": files,
            "code": code,
            "libraries": libraries,
        }
    except (OSError, ValueError, ImportError):
        return None


def _read(file: Path, key: dict) -> CheckReport | None:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        return _report_from(data["report"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write(file: Path, key: dict, report: CheckReport) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"key": key, "report": _report_to(report)}, out, ensure_ascii=False)
            os.replace(tmp, file)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only or full disk only costs the next command a fresh check


def _report_to(report: CheckReport) -> dict[str, Any]:
    c = report.curriculum
    return {
        "curriculum": {
            "id": c.id,
            "title": c.title,
            "version": c.version,
            "description": c.description,
            "default_session_minutes": c.default_session_minutes,
            "topics": c.topics,
            "folder": str(c.folder),
            "sessions": [_session_to(s) for s in c.sessions],
        },
        "problems": [[str(p.path), p.line, p.severity, p.message] for p in report.problems],
        "coverage": report.coverage,
    }


def _session_to(s: CurriculumSession) -> dict[str, Any]:
    return {
        "number": s.number,
        "title": s.title,
        "theme": s.theme,
        "minutes": s.minutes,
        "objectives": s.objectives,
        "topics": s.topics,
        "source": str(s.source),
        "line": s.line,
        "intro_markdown": s.intro_markdown,
        "body_line": s.body_line,
        "field_lines": s.field_lines,
        "segments": [[g.title, g.kind, g.minutes, g.markdown, g.line] for g in s.segments],
    }


def _report_from(data: dict[str, Any]) -> CheckReport:
    c = data["curriculum"]
    sessions = []
    for s in c["sessions"]:
        source = Path(s["source"])
        segments = [Segment(t, k, m, md, source, line) for t, k, m, md, line in s["segments"]]
        sessions.append(
            CurriculumSession(
                number=s["number"],
                title=s["title"],
                theme=s["theme"],
                minutes=s["minutes"],
                objectives=s["objectives"],
                topics=s["topics"],
                segments=segments,
                source=source,
                line=s["line"],
                intro_markdown=s["intro_markdown"],
                body_line=s["body_line"],
                field_lines=s["field_lines"],
            )
        )
    curriculum = Curriculum(
        id=c["id"],
        title=c["title"],
        version=c["version"],
        description=c["description"],
        default_session_minutes=c["default_session_minutes"],
        topics=c["topics"],
        sessions=sessions,
        folder=Path(c["folder"]),
    )
    problems = [
        Problem(Path(path), line, severity, message)
        for path, line, severity, message in data["problems"]
    ]
    return CheckReport(curriculum, problems, data["coverage"])
