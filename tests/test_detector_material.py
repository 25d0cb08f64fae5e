"""The programme's own words raise nothing: the bundled curriculum, the debrief template, the
header of every debrief (title, date, group, facilitators, attendance, the men's headings) and
the demo workspace's debriefs. A critical false alarm on them would stop every note being
signed without a dismissal, and teach facilitators to dismiss without reading.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from facilitator.detector import scan
from facilitator.detector.detector import material_keys
from facilitator.domain.debrief_text import blank_header_and_names, fill_template, markdown_table

ROOT = Path(__file__).resolve().parents[1]
CURRICULUM_FILES = sorted((ROOT / "curricula").rglob("*.md"))
TEMPLATE = ROOT / "session_notes" / "debrief-template.md"

# Invented people, some with names that are also words the scanner knows.
NAMES = [
    "Alex Morgan",
    "Bea Okafor",
    "Sam Hunter",
    "Jo Gunn",
    "Kim Blade",
    "Lee Archer",
    "Pat Knight",
    "Chris Cutter",
    "Dana Kill",
    "Ravi Shah",
    "Ana Lopez",
    "Tom Strang",
    "Mia Fisher",
    "Ed Nash",
    "Zoe Beaton",
    "Rob Banks",
    "Will Shoot",
    "Ian Stabler",
]
ATTENDED = [
    "✓ present",
    "◐ late (10 min)",
    "◑ left early (missed 20 min)",
    "○ excused (ill)",
    "✗ absent, not excused",
    "? not marked",
]


def _critical(text: str) -> list[str]:
    return [
        f"{i.category} {i.source} {i.words}: {text[max(0, i.start - 40) : i.end + 40]!r}"
        for i in scan(text).indicators
        if i.severity == "critical"
    ]


def _titles() -> list[str]:
    out = []
    for path in CURRICULUM_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("title:"):
                out.append(line.removeprefix("title:").strip())
                break
    return out


@pytest.mark.parametrize("path", CURRICULUM_FILES + [TEMPLATE], ids=lambda p: p.name)
def test_the_curriculum_and_the_template_raise_nothing_critical(path):
    assert not _critical(path.read_text(encoding="utf-8"))


def test_the_curriculum_and_the_template_raise_nothing_at_all():
    found = []
    for path in CURRICULUM_FILES + [TEMPLATE]:
        text = path.read_text(encoding="utf-8")
        body = text.split("---", 2)[-1] if text.startswith("---") else text
        found += [f"{path.name}: {i.category} {i.match!r}" for i in scan(body).indicators]
    assert not found, "\n".join(found)


def test_the_shipped_material_is_the_curriculum_in_the_repo():
    from facilitator.detector import train

    assert material_keys() == frozenset(train.material_keys()), (
        "the curriculum or the template changed: run python -m facilitator.detector train "
        "--curriculum"
    )


def _filled(k: int, title: str) -> tuple[str, list[str]]:
    day = date(2026, 1, 5) + timedelta(days=7 * k + k % 7)
    men = [
        {
            "id": f"P{k + i:04d}",
            "name": NAMES[(k + 2 * i) % len(NAMES)],
            "attended": ATTENDED[i % len(ATTENDED)],
            "stance": "takes responsibility",
        }
        for i in range(6)
    ]
    lead, co = NAMES[k % len(NAMES)], NAMES[(3 * k + 1) % len(NAMES)]
    values = {
        "group": f"G{k % 9 + 1}",
        "group_name": f"Tuesday evening group {k}",
        "date": f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}",
        "curriculum": "core-24",
        "curriculum_session": str(k + 1),
        "title": title,
        "facilitators": f"{lead} (alex) and {co} (bea)",
        "attendance": markdown_table(
            ["id", "name", "attended"], [(m["id"], m["name"], m["attended"]) for m in men]
        ),
        "flags": "_(none)_",
    }
    text = fill_template(TEMPLATE.read_text(encoding="utf-8"), values, men)
    people = [m["name"] for m in men] + [m["name"].split()[0] for m in men] + [lead, co]
    return text, people


def test_a_new_debrief_of_every_session_raises_nothing():
    """The note as created, before anyone writes in it: every curriculum session's title, a
    year of dates, groups, facilitators and attendance lists, read as the debrief reads it."""
    found = []
    for k, title in enumerate(_titles()):
        text, people = _filled(k, title)
        blanked = blank_header_and_names(text, people)
        found += [f"{title}: {i.category} {i.match!r}" for i in scan(blanked).indicators]
    assert not found, "\n".join(found)


def test_a_new_debrief_raises_nothing_critical_even_unblanked():
    """Without the debrief's own blanking (the same note given to `risk scan`), its header
    still raises nothing critical from the learned layer or from a session's title."""
    found = []
    for k, title in enumerate(_titles()):
        text, _ = _filled(k, title)
        found += [
            f for f in _critical(text) if "Kill" not in f and "Blade" not in f
        ]  # the two surnames that are words: only the debrief knows they are names
    assert not found, "\n".join(found)


def test_a_disclosure_in_a_mans_section_is_still_found():
    text, people = _filled(3, "Intimidation and threats")
    text = text.replace(
        "- Concerns: \n", "- Concerns: Dana said he had his hands round her neck on Friday.\n", 1
    )
    text = text.replace(
        "## Collusion check", "Kim Blade said he would kill her if she left.\n\n## Collusion check"
    )
    found = {i.category for i in scan(blank_header_and_names(text, people)).indicators}
    assert {"strangulation", "threats_to_kill"} <= found


def test_the_demo_debriefs_raise_nothing_critical(tmp_path):
    from facilitator.demo.workspace import build_demo
    from facilitator.services.core.office import Office
    from facilitator.services.debrief import indicators
    from facilitator.services.debrief import notes as debrief

    build_demo(tmp_path / "demo")
    office = Office.open(tmp_path / "demo", "morgan")
    rows = debrief.list_notes(office)
    assert rows
    found = []
    for row in rows:
        note = debrief.get_note(office, row["id"])
        found += [
            f"{note.id}: {i.category} {i.excerpts}"
            for i in indicators.scan_note(office, note)
            if i.severity == "critical"
        ]
        found += _critical(note.body)
    for path in sorted((tmp_path / "demo" / "session_notes").rglob("*.md")):
        found += _critical(path.read_text(encoding="utf-8"))
    assert not found, "\n".join(found)
