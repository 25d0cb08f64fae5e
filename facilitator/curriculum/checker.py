"""Check a curriculum folder and report every problem, not just the first.

The parser reports what is wrong inside one file (front matter, headings); this module adds
the rules that need a whole session or the whole folder: numbering, minutes, the check-in,
content the programme must never propose, and coverage of the core topics.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from facilitator.curriculum.forbidden import find_mentions
from facilitator.curriculum.model import (
    BREAK,
    CHECK_IN,
    CLOSING,
    CORE_TOPICS,
    ERROR,
    EXERCISE,
    WARNING,
    CheckReport,
    CurriculumSession,
    Problem,
)
from facilitator.curriculum.parser import ParseResult, parse_curriculum

# A session this long without a break is too long for a group to concentrate.
BREAK_EXPECTED_FROM_MINUTES = 120


def check_curriculum(folder: Path | str) -> CheckReport:
    result = parse_curriculum(folder)
    problems = result.problems
    _check_numbering(result, problems)
    for session in result.session_files:
        _check_segments(session, problems)
    _check_content(result, problems)
    coverage = _check_coverage(result, problems)
    index = result.curriculum.index_path
    problems.sort(key=lambda p: (p.path != index, str(p.path), p.line))
    return CheckReport(result.curriculum, problems, coverage)


def _check_numbering(result: ParseResult, problems: list[Problem]) -> None:
    index = result.curriculum.index_path
    if not result.session_files:
        problems.append(
            Problem(
                index,
                1,
                ERROR,
                "no session files: add one Markdown file per session, e.g. 01-welcome.md",
            )
        )
        return
    by_number: dict[int, list[CurriculumSession]] = defaultdict(list)
    for session in result.session_files:
        if session.number > 0:
            by_number[session.number].append(session)
    for number, sessions in sorted(by_number.items()):
        first = sessions[0]
        for other in sessions[1:]:
            problems.append(
                Problem(
                    other.source,
                    other.line,
                    ERROR,
                    f"duplicate session number {number}: {first.source.name} is session "
                    f"{number} too",
                )
            )
    numbers = sorted(by_number)
    expected = 1
    for number in numbers:
        if number > expected:
            gap = (
                f"session {expected} is"
                if number == expected + 1
                else f"sessions {expected}-{number - 1} are"
            )
            where = by_number[number][0]
            problems.append(
                Problem(
                    where.source,
                    where.line,
                    ERROR,
                    f"{gap} missing: session numbers go 1, 2, 3... without gaps (this file "
                    f"is {number})",
                )
            )
        expected = number + 1


def _check_segments(session: CurriculumSession, problems: list[Problem]) -> None:
    path = session.source
    segments = session.segments
    if not segments:
        problems.append(
            Problem(
                path,
                session.body_line,
                ERROR,
                "no segments: each timed part of the session is a level-two heading such "
                "as '## Check-in (30 min)'",
            )
        )
        return
    check_ins = session.segments_of(CHECK_IN)
    if not check_ins:
        problems.append(
            Problem(
                path,
                segments[0].line,
                ERROR,
                "no check-in segment: start the session with '## Check-in (N min)' (or "
                "mark a segment {check_in})",
            )
        )
    else:
        if segments[0].kind != CHECK_IN:
            problems.append(
                Problem(path, check_ins[0].line, WARNING, "the check-in is not the first segment")
            )
        for extra in check_ins[1:]:
            problems.append(Problem(path, extra.line, WARNING, "a second check-in segment"))
    closings = session.segments_of(CLOSING)
    if not closings:
        problems.append(
            Problem(
                path,
                segments[-1].line,
                WARNING,
                "no closing segment: end with '## Closing and homework (N min)'",
            )
        )
    elif segments[-1].kind != CLOSING:
        problems.append(
            Problem(path, closings[-1].line, WARNING, "the closing is not the last segment")
        )
    if not session.segments_of(EXERCISE):
        problems.append(Problem(path, segments[0].line, WARNING, "no exercise segment"))
    if not session.segments_of(BREAK) and session.minutes >= BREAK_EXPECTED_FROM_MINUTES:
        problems.append(
            Problem(
                path, segments[0].line, WARNING, f"no break in a {session.minutes}-minute session"
            )
        )
    if session.minutes and all(s.minutes for s in segments):
        total = session.segment_minutes
        if total != session.minutes:
            line = session.field_lines.get("minutes", session.line)
            detail = " + ".join(str(s.minutes) for s in segments)
            problems.append(
                Problem(
                    path,
                    line,
                    ERROR,
                    f"segments add up to {total} min ({detail}) but the session is "
                    f"{session.minutes} min",
                )
            )


def _check_content(result: ParseResult, problems: list[Problem]) -> None:
    for path, text in result.texts.items():
        for mention in find_mentions(text):
            if mention.proposed:
                problems.append(
                    Problem(
                        path,
                        mention.line,
                        ERROR,
                        (
                            f"proposes {mention.what} ({mention.words!r}): the programme "
                            "never brings the "
                            "partner in (Istanbul Convention Art. 48; WWP EN and Respect "
                            "standards); remove it"
                        ),
                    )
                )
            else:
                problems.append(
                    Problem(
                        path,
                        mention.line,
                        WARNING,
                        (
                            f"mentions {mention.what} ({mention.words!r}); make sure it "
                            "only says the "
                            "programme does not offer it"
                        ),
                    )
                )


def _check_coverage(result: ParseResult, problems: list[Problem]) -> dict[str, list[int]]:
    curriculum = result.curriculum
    coverage: dict[str, list[int]] = {}
    for topic in CORE_TOPICS:
        coverage[topic] = sorted({s.number for s in curriculum.sessions if topic in s.topics})
        if coverage[topic]:
            continue
        line = result.topic_lines.get(topic) or result.index_lines.get("topics", 1)
        add = "" if topic in curriculum.topics else "add it to the index's topics and "
        problems.append(
            Problem(
                curriculum.index_path,
                line,
                WARNING,
                f"no session covers the core topic {topic} ({curriculum.topic_label(topic)}): "
                f"{add}list it in the topics of the sessions that cover it",
            )
        )
    return coverage


def number_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7, 9, 10] -> '1-3, 7, 9-10'."""
    parts: list[str] = []
    run: list[int] = []
    for n in sorted(set(numbers)):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            parts.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [n]
    if run:
        parts.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
    return ", ".join(parts)


def format_report(report: CheckReport) -> str:
    """Problem lines, a summary, and the coverage table (what `curriculum check` prints)."""
    curriculum = report.curriculum
    out = [str(p) for p in report.problems]
    if out:
        out.append("")
    errors, warnings = len(report.errors), len(report.warnings)
    out.append(
        f"{curriculum.id}: {len(curriculum.sessions)} sessions, {curriculum.total_minutes} "
        "minutes; "
        f"{errors} error{'s' if errors != 1 else ''}, {warnings} "
        f"warning{'s' if warnings != 1 else ''}"
    )
    out.append("")
    out.append("Core topic coverage")
    width = max(len(t) for t in CORE_TOPICS)
    label_width = max(len(curriculum.topic_label(t)) for t in CORE_TOPICS)
    out.append(f"  {'topic':<{width}}  {'label':<{label_width}}  sessions")
    for topic, numbers in report.coverage.items():
        covered = number_ranges(numbers) if numbers else "NONE"
        out.append(f"  {topic:<{width}}  {curriculum.topic_label(topic):<{label_width}}  {covered}")
    return "\n".join(out)
