"""Stored text on the terminal is shown, never obeyed; names and free text have limits."""

from __future__ import annotations

import json

import pytest

from facilitator.domain.checkin import CheckIn
from facilitator.domain.text import printable
from facilitator.domain.values import NAME_MAX, TEXT_MAX
from facilitator.errors import InvalidInput
from facilitator.services.core import people
from facilitator.services.groupwork import groups, sessions
from facilitator.services.risk import flags as risk
from tests.conftest import enrol_all

NASTY = "Adam\x1b[2J\x1b]0;owned\x07\rEvil\nLine\u202eesrever\x9b31m\x7f\x08End"


def test_printable_shows_every_control_escape_and_override():
    shown = printable(NASTY)
    for raw in ("\x1b", "\x07", "\r", "\n", "\u202e", "\x9b", "\x7f", "\x08"):
        assert raw not in shown
    assert shown.startswith("Adam␛[2J␛]0;owned␇␍Evil␊Line<U+202E>esrever<U+009B>31m␡␈End")
    assert printable("Ünïcode names stay as they are: Zoë, Łukasz, محمد") == (
        "Ünïcode names stay as they are: Zoë, Łukasz, محمد"
    )
    assert printable("two\nlines\r\n", keep_newlines=True) == "two\nlines␍\n"


def test_participant_list_with_an_escape_laden_name_prints_no_raw_controls(office, invoke):
    # A name stored before input was checked (or edited into the file by hand).
    path = office.path / "data" / "people.json"
    data = json.loads(path.read_text())
    doc = next(iter(data["participants"].values()))
    doc["name"] = NASTY
    path.write_text(json.dumps(data))
    for args in (("participant", "list"), ("participant", "show", doc["id"])):
        out = invoke(*args)
        assert out.exit_code == 0, out.output
        body = out.output.rstrip("\n")
        for raw in ("\x1b", "\x07", "\r", "\u202e", "\x9b"):
            assert raw not in body
        line = next(x for x in body.splitlines() if "Adam" in x)
        assert "Evil" in line and "End" in line  # the name stayed on its one line


@pytest.mark.parametrize(
    "name", ["Adam\x1b[31mRed", "Ben\rCarl", "Two\nLines", "Dan\u202eevil", "Bell\x07"]
)
def test_names_with_control_characters_are_refused_at_input(office, invoke, name):
    with pytest.raises(InvalidInput, match="control or direction characters"):
        people.add_participant(office, name, "court")
    with pytest.raises(InvalidInput, match="control or direction characters"):
        people.add_staff(office, name, ["facilitator"], "zed")
    with pytest.raises(InvalidInput, match="control or direction characters"):
        groups.create_group(office, name, "core-24", "tuesday")
    out = invoke("participant", "add", name, "--referral-source", "court")
    assert out.exit_code != 0 and "Traceback" not in out.output
    assert len(out.output.strip().splitlines()) == 1


def test_a_name_past_the_limit_is_refused_with_one_line(office, invoke):
    people.add_participant(office, "A" * NAME_MAX, "court")  # at the limit: fine
    with pytest.raises(InvalidInput, match=f"at most {NAME_MAX}"):
        people.add_participant(office, "A" * (NAME_MAX + 1), "court")
    out = invoke("participant", "add", "B" * 5000, "--referral-source", "court")
    assert out.exit_code != 0
    assert len(out.output.strip().splitlines()) == 1 and "at most 200" in out.output


def test_free_text_past_the_limit_is_refused_and_nothing_is_saved(office):
    enrol_all(office)
    sid = sessions.start_session(office, "G1", "2026-11-24").id
    sessions.mark_attendance(office, sid, "P0001", "present")
    before = {p: p.read_bytes() for p in (office.path / "data").rglob("*") if p.is_file()}
    huge = "He talked about the week. " * (TEXT_MAX // 10)
    with pytest.raises(
        InvalidInput, match="check-in summary is .* characters long: at most 20,000"
    ):
        sessions.record_checkin(office, sid, CheckIn(participant_id="P0001", summary=huge))
    with pytest.raises(InvalidInput, match="flag summary is .*at most 20,000"):
        risk.raise_flag(office, "P0001", ["stalking"], huge)
    after = {p: p.read_bytes() for p in (office.path / "data").rglob("*") if p.is_file()}
    assert after == before
    sessions.record_checkin(
        office, sid, CheckIn(participant_id="P0001", summary="x" * TEXT_MAX)
    )  # at the limit: saved


def test_every_command_shows_stored_free_text_and_its_own_errors_without_raw_controls(
    office, invoke
):
    # A flag's summary is free text: it may hold anything pasted into it.
    flag = risk.raise_flag(office, "P0001", ["stalking"], "Seen outside her work" + NASTY)
    out = invoke("risk", "show", flag.id)
    assert out.exit_code == 0, out.output
    assert "Seen outside her work" in out.output and "owned" in out.output
    for raw in ("\x1b", "\x07", "\r", "\u202e", "\x9b", "\x7f", "\x08"):
        assert raw not in out.output
    assert "␛]0;owned␇" in out.output  # shown, so a reviewer sees something is odd
    # click's own error line quotes what was typed: filtered too.
    out = invoke("participant", "show", "P9\x1b]0;owned\x07")
    assert out.exit_code != 0
    assert "\x1b" not in out.output and "\x07" not in out.output and "P9␛" in out.output


def test_csv_on_standard_output_keeps_its_line_ends(office, invoke):
    enrol_all(office)
    sid = sessions.start_session(office, "G1", "2026-11-24").id
    sessions.mark_attendance(office, sid, "P0001", "present")
    out = invoke("export", "attendance", "--format", "csv")
    assert out.exit_code == 0, out.output
    # Line ends and field separators pass through untouched: only control
    # characters that would steer the terminal are made visible.
    assert "␍" not in out.output and "␊" not in out.output
    rows = [r for r in out.output.splitlines() if r.strip()]
    assert len(rows) >= 2 and "," in rows[0]
    assert any("P0001" in r for r in rows[1:])


async def test_the_ui_shows_an_escape_laden_group_name_without_obeying_it(office):
    from facilitator.tui.app import FacilitatorApp
    from tests.helpers.tui import screen_text, wait_for

    path = office.path / "data" / "groups.json"
    data = json.loads(path.read_text())
    doc = next(iter(data["groups"].values()))
    doc["name"] = "Tuesday\x1b]0;owned\x07\x1b[31m group\u202e"
    path.write_text(json.dumps(data))
    app = FacilitatorApp(office, privacy=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: "Tuesday" in screen_text(app), what="the group on home")
        shown = screen_text(app)
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in shown
        # Textual drops the bell itself; the escapes are shown, not obeyed.
        assert "Tuesday␛]0;owned␛[31m group" in shown
