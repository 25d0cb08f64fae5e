"""The debrief's text rules: the template, the file's front matter, who a passage is about, when
a debrief falls due. Pure functions, no workspace."""

from __future__ import annotations

from datetime import datetime

import pytest

from facilitator.domain import debrief as rules
from facilitator.domain.debrief import DebriefNote
from facilitator.domain.debrief_text import (
    attribute,
    blank_flag_lines,
    body_of_file,
    excerpt,
    fill_template,
    render_file,
    split_front_matter,
)
from facilitator.errors import InvalidInput, Refused

MEN = {"P0001": ["Adam Example", "Adam"], "P0002": ["Ben Sample", "Ben"]}


def _note(**kw) -> DebriefNote:
    base = dict(
        id="G1-2026-11-24",
        session_id="G1-2026-11-24",
        group_id="G1",
        date="2026-11-24",
        curriculum_session=3,
        path="session_notes/G1/2026-11-24-session-03.md",
        authors=["alex", "bea"],
        body="# Debrief\n\nWords.\n",
    )
    return DebriefNote(**{**base, **kw})


def test_the_template_repeats_the_men_block_and_refuses_unknown_placeholders():
    template = "# {{group}}\n{{#men}}- {{name}} ({{stance}}) in {{group}}\n{{/men}}end\n"
    men = [{"name": "Adam", "stance": "denies"}, {"name": "Ben", "stance": "takes responsibility"}]
    assert (
        fill_template(template, {"group": "G1"}, men)
        == "# G1\n- Adam (denies) in G1\n- Ben (takes responsibility) in G1\nend\n"
    )
    assert "No man was in the room" in fill_template(template, {"group": "G1"}, [])
    with pytest.raises(InvalidInput, match=r"unknown placeholder \{\{title\}\}"):
        fill_template("{{title}}", {"group": "G1"}, [])


def test_a_passage_belongs_to_the_mans_section_or_the_only_man_its_paragraph_names():
    body = (
        "## Group process\n\nAdam and Ben argued.\n\nBen mentioned a knife.\n\n"
        "## Each man\n\n### P0001 Adam Example\n\n- Concerns: a knife\n\n### P0002 Ben "
        "Sample\n\n- fine\n\n"
        "## Safety\n\nSomeone has a knife.\n"
    )
    assert attribute(body, body.index("argued"), MEN) is None  # two men named
    assert attribute(body, body.index("a knife."), MEN) == "P0002"
    assert (
        attribute(body, body.index("a knife\n"), MEN) == "P0001"
    )  # his section, whoever else is named
    assert attribute(body, body.index("Someone"), MEN) is None
    # A name inside a longer word is not a mention.
    assert attribute("Benjamin has a knife.", 0, MEN) is None


def test_the_file_round_trips_and_a_person_reads_it_without_the_tool():
    note = _note(signatures=[{"by": "alex", "at": "2026-11-24T21:00:00", "body_sha256": "x"}])
    text = render_file(note)
    head, body = split_front_matter(text)
    assert head["status"] == "draft" and head["signatures"] == [
        {"by": "alex", "at": "2026-11-24T21:00:00"}
    ]
    assert body == note.body and body_of_file(text) == note.body
    assert "body_sha256" not in text  # the hash is the tool's business, not the reader's
    assert split_front_matter("no front matter\n") == ({}, "no front matter\n")


def test_amendments_follow_the_signed_text():
    note = _note(
        status="signed",
        amendments=[{"number": 1, "at": "2026-11-26T10:05:00", "by": "bea", "text": "Later."}],
    )
    text = render_file(note)
    assert text.endswith(
        "Words.\n\n## Amendments\n\n### Amendment 1: 2026-11-26 10:05, bea\n\nLater.\n"
    )
    assert body_of_file(text) == "# Debrief\n\nWords.\n"


def test_signing_rules():
    note = _note(prefilled_sha256=rules.sha256_text("# Debrief\n\nWords.\n"))
    with pytest.raises(Refused, match="still the template"):
        rules.sign(note, "alex", datetime(2026, 11, 24, 21))
    note.body = "# Debrief\n\nMore words.\n"
    with pytest.raises(Refused, match="carol is not a facilitator"):
        rules.sign(note, "carol", datetime(2026, 11, 24, 21))
    rules.sign(note, "alex", datetime(2026, 11, 24, 21))
    assert note.status == "draft" and note.awaiting == ["bea"]
    rules.sign(note, "bea", datetime(2026, 11, 24, 22))
    assert note.status == "signed" and note.awaiting == []
    with pytest.raises(Refused, match="read-only"):
        rules.replace_body(note, "changed")


@pytest.mark.parametrize(
    "closed_at,expected",
    [
        (
            "2026-11-24T21:10:00",
            "2026-11-26T21:10:00",
        ),  # closed the same evening: 48 h from closing
        (
            "2026-11-30T09:00:00",
            "2026-11-27T00:00:00",
        ),  # closed days late: from the end of the session's day
        ("", "2026-11-27T00:00:00"),
    ],
)
def test_a_debrief_is_due_48_hours_after_the_session(closed_at, expected):
    assert rules.due_at("2026-11-24", closed_at, 48).isoformat() == expected


def test_the_tools_flag_lines_are_not_scanned_and_excerpts_stay_on_their_line():
    text = "- F0003 · P0002 · Strangulation · critical · open\nHe has a knife.\nNext line."
    blanked = blank_flag_lines(text)
    assert (
        len(blanked) == len(text)
        and "Strangulation" not in blanked
        and "He has a knife." in blanked
    )
    start = text.index("knife")
    assert excerpt(text, start, start + 5, width=4) == "…s a knife."
