"""The checker finds every problem, at the right file and line, and never lets forbidden work in."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.curriculum import (
    CORE_TOPICS,
    bundled_curricula_dir,
    check_curriculum,
    format_report,
)
from facilitator.curriculum.forbidden import find_mentions

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "curricula_broken"

# fixture -> every error it must produce: (file, line, words in the message)
EXPECTED_ERRORS = {
    "missing_index": [("curriculum.yaml", 1, "needs an index file")],
    "index_yaml_error": [("curriculum.yaml", 13, "index is not valid YAML")],
    "index_missing_field": [("curriculum.yaml", 1, "missing field 'default_session_minutes'")],
    "no_sessions": [("curriculum.yaml", 1, "no session files")],
    "missing_session_number": [("02-second.md", 1, "missing field 'session'")],
    "duplicate_session_number": [("03-third.md", 2, "duplicate session number 2: 02-second.md")],
    "gapped_session_numbers": [("04-fourth.md", 2, "sessions 2-3 are missing")],
    "missing_front_matter_field": [
        ("02-second.md", 1, "missing field 'title'"),
        ("02-second.md", 1, "missing field 'objectives'"),
    ],
    "broken_front_matter": [("02-second.md", 8, "front matter is not valid YAML")],
    "unclosed_front_matter": [("02-second.md", 1, "front matter is not closed")],
    "no_front_matter": [("02-second.md", 1, "no front matter")],
    "objective_read_as_mapping": [("02-second.md", 7, "put the item in quotes")],
    "minutes_do_not_add_up": [
        ("02-second.md", 5, "segments add up to 55 min (20 + 25 + 10) but the session is 60 min")
    ],
    "no_check_in": [("02-second.md", 11, "no check-in segment")],
    "segment_without_minutes": [("02-second.md", 15, "'Exercise: Warning signs' has no minutes")],
    "segment_without_content": [("02-second.md", 15, "'Exercise: Warning signs' has no content")],
    "no_segments": [("02-second.md", 10, "no segments")],
    "unknown_segment_kind": [("02-second.md", 15, "unknown segment kind {roleplay}")],
    "unknown_topic": [("02-second.md", 11, "unknown topic 'anger_management'")],
    "proposes_couple_counselling": [("02-second.md", 17, "proposes couple counselling")],
    "proposes_mediation": [
        ("02-second.md", 15, "proposes mediation ('Mediation')"),
        ("02-second.md", 17, "proposes mediation ('mediate')"),
    ],
    "proposes_joint_session": [("02-second.md", 19, "proposes a joint session with the partner")],
    "negated_mention_is_a_warning": [],
    "not_utf8": [("02-second.md", 17, "not UTF-8 text")],
}


def test_every_broken_fixture_is_listed():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED_ERRORS)


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_broken_curriculum_reports_each_problem_at_its_file_and_line(name):
    report = check_curriculum(BROKEN / name)
    got = [(p.path.name, p.line, p.message) for p in report.errors]
    for file, line, words in EXPECTED_ERRORS[name]:
        assert any(f == file and n == line and words in m for f, n, m in got), (
            f"{name}: expected {file}:{line}: error: ...{words}...; got:\n"
            + "\n".join(map(str, report.errors))
        )
    assert len(got) == len(EXPECTED_ERRORS[name]), "\n".join(map(str, report.errors))
    assert report.ok == (not EXPECTED_ERRORS[name])


def test_problems_print_as_file_line_severity_message():
    report = check_curriculum(BROKEN / "segment_without_minutes")
    printed = format_report(report).splitlines()
    path = BROKEN / "segment_without_minutes" / "02-second.md"
    assert any(
        line.startswith(f"{path}:15: error: segment 'Exercise: Warning signs' has no minutes")
        for line in printed
    )


def test_a_negated_mention_is_only_a_warning():
    report = check_curriculum(BROKEN / "negated_mention_is_a_warning")
    assert report.ok
    [warning] = report.warnings
    assert (warning.path.name, warning.line) == ("02-second.md", 19)
    assert "couples counselling" in warning.message


def test_the_checker_reports_problems_in_several_files_at_once(tmp_path):
    import shutil

    folder = tmp_path / "many"
    shutil.copytree(BROKEN / "minutes_do_not_add_up", folder)
    text = (
        (folder / "01-first.md")
        .read_text()
        .replace("topics: [accountability, coercive", "topics: [nonsense, coercive")
    )
    (folder / "01-first.md").write_text(text.replace("## Check-in (20 min)", "## Check-in"))
    report = check_curriculum(folder)
    assert sorted((p.path.name, p.line) for p in report.errors) == [
        ("01-first.md", 8),
        ("01-first.md", 11),
        ("02-second.md", 5),
    ]


def test_coverage_table_lists_sessions_for_each_core_topic_and_warns_on_gaps(tmp_path):
    import shutil

    folder = tmp_path / "steady-3"
    shutil.copytree(FIXTURES / "curricula_valid" / "steady-3", folder)
    path = folder / "02-control.md"
    path.write_text(
        path.read_text().replace(
            "[coercive_control, economic_abuse, impact_on_children]",
            "[coercive_control, impact_on_children]",
        )
    )
    report = check_curriculum(folder)
    assert report.coverage["economic_abuse"] == []
    assert report.coverage["accountability"] == [1, 3]
    [warning] = report.warnings
    assert "economic_abuse" in warning.message and warning.path.name == "curriculum.yaml"
    table = format_report(report).splitlines()
    assert table[-len(CORE_TOPICS) - 2] == "Core topic coverage"
    assert any(line.split()[:1] == ["economic_abuse"] and line.endswith("NONE") for line in table)
    assert any(line.split()[:1] == ["accountability"] and line.endswith("1, 3") for line in table)


@pytest.mark.parametrize(
    "text",
    [
        "Each man invites his partner to a joint session next week.",
        "Role-play a couples therapy session.",
        "Book marriage counselling for you both.",
        "Refer the couple to family mediation.",
        "Bring your wife along to the next group.",
        "His partner attends the session to hear his plan.",
        "Hold the conversation with his partner present.",
    ],
)
def test_proposals_that_bring_the_partner_in_are_errors(text):
    [mention] = find_mentions(text)
    assert mention.proposed


@pytest.mark.parametrize(
    "text",
    [
        "This group is not couples counselling.",
        "We never offer mediation.",
        'Listen for "we just need couples counselling" and ask what he wants it for.',
        "Explain that joint sessions are unsafe for her.",
    ],
)
def test_negated_or_quoted_mentions_are_warnings(text):
    [mention] = find_mentions(text)
    assert not mention.proposed


@pytest.mark.parametrize(
    "text",
    [
        "Bring the victim's perspective into the group.",
        "Invite the men to think about their partner's fear in the session.",
        "Reconciliation is her choice, not his goal.",
        "Each man brings a couple of examples to the group.",
        "Work on the immediate effects of violence.",
    ],
)
def test_ordinary_guidance_is_not_flagged(text):
    assert find_mentions(text) == []


def test_the_bundled_curriculum_passes_and_covers_every_core_topic():
    report = check_curriculum(bundled_curricula_dir() / "core-24")
    assert report.errors == [], "\n".join(map(str, report.errors))
    assert len(report.curriculum.sessions) >= 24
    assert [s.number for s in report.curriculum.sessions] == list(
        range(1, len(report.curriculum.sessions) + 1)
    )
    assert all(report.coverage[topic] for topic in CORE_TOPICS), report.coverage
    for session in report.curriculum.sessions:
        assert session.minutes == 150
        assert session.segments[0].kind == "check_in"
        assert session.segments[-1].kind == "closing"
