"""Whatever is in the files, the parser and checker report problems; they never crash."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.curriculum import check_curriculum, format_report
from facilitator.curriculum.model import ERROR, WARNING
from facilitator.curriculum.parser import parse_session_text

VALID = Path(__file__).parent / "fixtures" / "curricula_valid" / "steady-3"
INDEX = (VALID / "curriculum.yaml").read_text(encoding="utf-8")
# CURRICULUM_FUZZ_EXAMPLES=5000 for a longer hunt.
SETTINGS = settings(
    max_examples=int(os.environ.get("CURRICULUM_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Lines that sit near the format's edges, mixed with arbitrary text.
FRAGMENTS = [
    "---",
    "...",
    "",
    "session: 1",
    "session: -3",
    "session: true",
    "title: A: b",
    "theme:",
    "minutes: 0",
    "minutes: 150",
    "objectives:",
    "  - Name it",
    " - bad indent",
    "topics: [a",
    "topics: [accountability, nonsense]",
    "topics: {a: 1}",
    "## Check-in (30 min)",
    "## Break",
    "## (10 min)",
    "## Tea (5 min) {break}",
    "## X (5 min) {}",
    "## X (5 min) {nope}",
    "##",
    "# Title",
    "### Sub",
    "```",
    "~~~",
    "> ## quoted",
    "- ## listed",
    "Title",
    "===",
    "---",
    "\t- tab",
    "&a [*a]",
    "!!python/object:os.system",
    "2024-13-45",
    "? [a]\n: b",
    "We offer couples counselling.",
    "not mediation",
    '"joint session"',
    "\ufeff",
    "\r",
    "\x00",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "a: &x [*x]",
]
lines = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=40)
documents = st.one_of(st.text(max_size=400), lines.map("\n".join))

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
front_matter = st.dictionaries(
    st.sampled_from(["session", "title", "theme", "minutes", "objectives", "topics", "extra"])
    | st.text(max_size=8),
    yaml_values,
    max_size=7,
)


def _assert_well_formed(problems, text: str | None = None) -> None:
    for p in problems:
        assert p.severity in (ERROR, WARNING)
        assert p.line >= 1
        assert p.message
        if text is not None:
            assert p.line <= text.count("\n") + text.count("\r") + 2
        str(p)


@SETTINGS
@given(documents)
def test_any_text_parses_as_a_session_without_crashing(text):
    problems = []
    session = parse_session_text(Path("01-x.md"), text, problems, {"accountability": "A"}, 60)
    _assert_well_formed(problems, text)
    assert all(s.kind in ("check_in", "exercise", "break", "closing") for s in session.segments)


@SETTINGS
@given(front_matter, documents)
def test_any_front_matter_and_body_check_without_crashing(fields, body):
    text = "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + body
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "steady-3"
        folder.mkdir()
        (folder / "curriculum.yaml").write_text(INDEX, encoding="utf-8")
        (folder / "01-x.md").write_text(text, encoding="utf-8", errors="surrogatepass")
        report = check_curriculum(folder)
        _assert_well_formed(report.problems)
        format_report(report)


@SETTINGS
@given(st.binary(max_size=300), st.binary(max_size=300))
def test_any_bytes_in_index_and_session_files_check_without_crashing(index, session):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "c"
        folder.mkdir()
        (folder / "curriculum.yaml").write_bytes(index)
        (folder / "01-x.md").write_bytes(session)
        report = check_curriculum(folder)
        _assert_well_formed(report.problems)
        assert "Core topic coverage" in format_report(report)


@SETTINGS
@given(documents)
def test_any_index_text_checks_without_crashing(index):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "steady-3"
        folder.mkdir()
        (folder / "curriculum.yaml").write_text(index, encoding="utf-8", errors="surrogatepass")
        for path in VALID.glob("*.md"):
            (folder / path.name).write_bytes(path.read_bytes())
        report = check_curriculum(folder)
        _assert_well_formed(report.problems)
        format_report(report)


TRIGGERS = [
    "couples counselling",
    "couple's therapy",
    "Couples work",
    "marriage counselling",
    "mediation",
    "mediate",
    "conciliation",
    "reconciliation",
    "joint session",
    "joint money",
    "invite your partner",
    "bring his ex",
    "to the group",
    "into the session",
    "along",
    "his partner attends the group",
    "with the partner present",
    "partner's",
    "not",
    "never",
    '"',
    "“",
    "”",
    ".",
    ";",
    "\n",
    "\n\n",
    "- ",
    "İ",
    " ",
    "the",
    "a man's",
    "victim",
    "wife",
]


@SETTINGS
@given(
    st.lists(st.one_of(st.sampled_from(TRIGGERS), st.text(max_size=6)), max_size=30).map(" ".join)
)
def test_the_fast_scan_finds_everything_a_full_scan_finds(text):
    from facilitator.curriculum.forbidden import _RULES, find_mentions

    found = {m.offset for m in find_mentions(text)}
    full = {m.start() for _, pattern, _ in _RULES for m in pattern.finditer(text)}
    assert full <= found
    assert all(any(pattern.match(text, offset) for _, pattern, _ in _RULES) for offset in found)
