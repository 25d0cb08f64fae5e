"""Where curricula live: a workspace's `curricula/` folder, then the bundled ones.

A curriculum is a folder holding `curriculum.yaml`; its id is the folder's name. A workspace's
own curriculum shadows a bundled one with the same id, so a programme can adapt the bundled
programme without touching the installed copy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from facilitator.curriculum.cache import checked
from facilitator.curriculum.model import INDEX_FILE, Curriculum
from facilitator.errors import FacilitatorError, NotFound, StoreError

WORKSPACE = "workspace"
BUNDLED = "bundled"
# Inside an installed wheel the repository's `curricula/` is copied here (pyproject.toml).
_PACKAGE_COPY = "_bundled_curricula"


class InvalidCurriculum(StoreError):
    """A curriculum that does not pass the checker, so it must not be run."""


@dataclass(frozen=True)
class CurriculumEntry:
    id: str
    folder: Path
    source: str  # WORKSPACE or BUNDLED


def bundled_curricula_dir() -> Path:
    """The folder of curricula shipped with facilitator (wheel copy, else the source tree's)."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / _PACKAGE_COPY, package.parent / "curricula"):
        if candidate.is_dir():
            return candidate
    return package / _PACKAGE_COPY


def curricula_roots(workspace_curricula: Path | None = None) -> list[tuple[str, Path]]:
    """Folders to look in, first match wins: the workspace's, then the bundled one."""
    roots: list[tuple[str, Path]] = []
    if workspace_curricula is not None and Path(workspace_curricula).is_dir():
        roots.append((WORKSPACE, Path(workspace_curricula)))
    roots.append((BUNDLED, bundled_curricula_dir()))
    return roots


def list_curricula(roots: list[tuple[str, Path]]) -> list[CurriculumEntry]:
    seen: dict[str, CurriculumEntry] = {}
    for source, root in roots:
        try:
            folders = sorted(p for p in root.iterdir() if (p / INDEX_FILE).is_file())
        except OSError:
            continue
        for folder in folders:
            seen.setdefault(folder.name, CurriculumEntry(folder.name, folder, source))
    return sorted(seen.values(), key=lambda e: e.id)


def find_curriculum_folder(ref: str | Path, roots: list[tuple[str, Path]]) -> Path:
    """A curriculum id (folder name in one of the roots) or a path to a curriculum folder."""
    looks_like_path = isinstance(ref, Path) or os.sep in ref or "/" in ref or ref in (".", "..")
    if not looks_like_path:
        for _, root in roots:
            folder = root / ref
            if (folder / INDEX_FILE).is_file():
                return folder
    path = Path(ref)
    if path.name == INDEX_FILE and path.is_file():
        return path.parent
    if (path / INDEX_FILE).is_file():
        return path
    available = ", ".join(e.id for e in list_curricula(roots)) or "none"
    raise NotFound(f"no curriculum {ref!r} (available: {available})")


def load_curriculum(
    ref: str | Path, workspace_curricula: Path | None = None, *, strict: bool = True
) -> Curriculum:
    """Load a curriculum by id or path. strict: refuse one the checker finds errors in."""
    folder = find_curriculum_folder(ref, curricula_roots(workspace_curricula))
    report = checked(folder)
    if strict and report.errors:
        count = len(report.errors)
        raise InvalidCurriculum(
            f"curriculum {report.curriculum.id} has {count} error{'s' if count != 1 else ''} "
            f"(first: {report.errors[0]})",
            command=f"facilitator curriculum check {folder}",
        )
    return report.curriculum


_readable: dict[tuple[str, float], Curriculum] = {}


def curriculum_if_readable(
    ref: str | Path, workspace_curricula: Path | None = None
) -> Curriculum | None:
    """A curriculum for what only shows its titles or plans (home, the session screen's plan,
    exports, a debrief's heading): loaded as load_curriculum does, kept even when the checker
    finds errors in it, and None when it cannot be found or read. Starting a group on a
    curriculum uses load_curriculum, which refuses one with errors and says why. Kept in memory
    per folder until one of its files changes."""
    try:
        folder = find_curriculum_folder(ref, curricula_roots(workspace_curricula))
        key = (str(folder), max((p.stat().st_mtime for p in folder.iterdir()), default=0.0))
        if key not in _readable:
            _readable[key] = load_curriculum(folder, strict=False)
        return _readable[key]
    except (FacilitatorError, OSError):
        return None


def session_title(ref: str | Path, workspace_curricula: Path | None, number: int) -> str:
    """One session's title ("" when there is none or the curriculum cannot be read).

    Read from the session's own file (NN-….md) when it is named by number, so the home screen
    does not parse 24 sessions' guidance for one title per group."""
    # The parser brings markdown-it and PyYAML; commands that never show a title skip them.
    from facilitator.curriculum.parser import SESSION_FILE, parse_session_text

    try:
        folder = find_curriculum_folder(ref, curricula_roots(workspace_curricula))
        for path in sorted(folder.glob("*.md")):
            m = SESSION_FILE.match(path.name)
            if not m or int(m.group(1)) != number:
                continue
            key = (str(path), path.stat().st_mtime)
            if key not in _titles:
                session = parse_session_text(path, path.read_text(encoding="utf-8"), [])
                _titles[key] = session.title if session.number == number else ""
            if _titles[key]:
                return _titles[key]
    except (FacilitatorError, OSError, UnicodeDecodeError):
        pass  # the whole curriculum, below, is read the one lenient way
    found = curriculum_if_readable(ref, workspace_curricula)
    plan = found.session(number) if found is not None else None
    return plan.title if plan is not None else ""


_titles: dict[tuple[str, float], str] = {}
