"""The debriefs due (home screen, `notes list --due`) come from a kept list of unsigned sessions
(services/debrief/due.py): they must be exactly what a full read of every session index and
note index gives, old overdue debriefs included, after every kind of write."""

from __future__ import annotations

import json
import os
from datetime import datetime

import pytest

from tests.conftest import enrol_all

OLD = ["2025-01-07", "2025-01-14", "2025-03-04"]  # G2, a group of last year
NEW = ["2026-11-03", "2026-11-10", "2026-11-17"]  # G1, running now; today is 2026-11-24


def _as(office, user):
    from facilitator.services.core.office import Office

    return Office.open(office.path, user)


def _at(monkeypatch, when: str) -> None:
    monkeypatch.setenv("FACILITATOR_NOW", when)


def _run(office, monkeypatch, group_id, day, close=True):
    """A session on `day`, closed that evening at 21:00 (the clock put back to today after)."""
    from facilitator.services.core import session_store as session_store
    from facilitator.services.groupwork import sessions

    sessions.start_session(office, group_id, day)
    if close:
        _at(monkeypatch, f"{day}T21:00:00")
        sessions.close_session(office, f"{group_id}-{day}", force=True)
        _at(monkeypatch, "2026-11-24T18:00:00")


def _write(office, sid):
    from facilitator.services.debrief import notes as debrief

    note = debrief.get_note(office, sid)
    debrief.save_body(
        _as(office, "alex"), sid, note.body + "\nA settled group; the exercise went well.\n"
    )


def _note(office, sid, signers=()):
    from facilitator.services.debrief import notes as debrief

    debrief.create_note(_as(office, "alex"), sid)
    _write(office, sid)
    for who in signers:
        _sign(office, sid, who)


def _sign(office, sid, who):
    """Sign as `who`; what the risk scan picks up in the curriculum's own words is dismissed."""
    from facilitator.services.debrief import notes as debrief
    from facilitator.services.debrief.indicators import Decision

    debrief.sign_note(_as(office, who), sid, [Decision.dismiss("all", "the curriculum's words")])


@pytest.fixture
def history(office, monkeypatch):
    """G2 ran last year (its men moved to G1 in June); G1 runs now. Notes: signed, a draft
    signed by one facilitator, a draft nobody signed, and none at all, in both groups."""
    from facilitator.services.core import people
    from facilitator.services.groupwork import groups
    from tests.conftest import ready_for_group

    groups.create_group(
        office,
        "Old Tuesday group",
        "core-24",
        "tuesday",
        "18:30",
        ["alex", "bea"],
        start_date="2025-01-07",
        group_id="G2",
    )
    for p in people.list_participants(office):
        ready_for_group(office, p.id, "2024-12-10")
        groups.enrol(office, "G2", p.id, "2025-01-07")
    for day in OLD:
        _run(office, monkeypatch, "G2", day)
    for p in people.list_participants(office):
        groups.leave_group(office, p.id, "transferred", "2025-06-01")
    enrol_all(office)
    for day in NEW:
        _run(office, monkeypatch, "G1", day)
    _run(office, monkeypatch, "G1", "2026-11-24", close=False)  # today's, still open

    _note(office, "G2-2025-01-07", ["alex", "bea"])
    _note(office, "G2-2025-01-14", ["alex"])
    _note(office, "G1-2026-11-03", ["alex", "bea"])
    _note(office, "G1-2026-11-10")
    return office


def reference(office, now: datetime | None = None) -> list[tuple]:
    """The due list worked out the plain way: every session of every group, every note."""
    from facilitator import clock
    from facilitator.domain.debrief import due_at
    from facilitator.services.core import session_store as session_store
    from facilitator.services.debrief import notes as debrief

    now = now or clock.now()
    hours = float(office.setting("debrief.due_hours", 48))
    since = str(office.setting("debrief.due_from", "") or "")
    notes = {r["id"]: r for r in debrief.list_notes(office)}
    out = []
    for s in session_store.list_sessions(office):
        note = notes.get(s.id)
        if s.state != "closed" or s.kind != "group" or (since and s.date < since):
            continue
        if note and note["status"] == "signed":
            continue
        due = due_at(s.date, s.closed_at, hours)
        if due > now:
            continue
        awaiting = (
            [a for a in note["authors"] if a not in note["signed_by"]]
            if note
            else list(s.facilitators_present)
        )
        out.append(
            (
                s.id,
                s.group_id,
                s.date,
                s.curriculum_session,
                s.closed_at,
                due.isoformat(),
                "draft" if note else "no note",
                awaiting,
            )
        )
    return sorted(out, key=lambda r: (r[5], r[0]))


def due(office, now=None) -> list[tuple]:
    from facilitator.services.debrief import notes as debrief

    return [
        (
            d.session_id,
            d.group_id,
            d.date,
            d.curriculum_session,
            d.closed_at,
            d.due_at,
            d.note_status,
            d.awaiting,
        )
        for d in debrief.due_notes(office, now)
    ]


def short(rows) -> list[tuple[str, str, list[str]]]:
    return [(r[0], r[6], r[7]) for r in rows]


def kept_file(office):
    return office.stores.path("debrief", "pending.json")


def test_old_and_new_debriefs_due_as_a_full_read_finds_them(history):
    expected = [
        ("G2-2025-01-14", "draft", ["bea"]),
        ("G2-2025-03-04", "no note", ["alex", "bea"]),
        ("G1-2026-11-10", "draft", ["alex", "bea"]),
        ("G1-2026-11-17", "no note", ["alex", "bea"]),
    ]
    assert short(reference(history)) == expected  # the reference itself sees the old overdue ones
    assert due(history) == reference(history)  # the list kept from nothing
    assert kept_file(history).exists()
    assert due(history) == reference(history)  # and read back from what was kept
    # A minute before the 17th's debrief fell due (closed at 21:00, due 48 hours later).
    then = datetime(2026, 11, 19, 20, 59)
    assert due(history, then) == reference(history, then)
    assert [r[0] for r in due(history, then)] == ["G2-2025-01-14", "G2-2025-03-04", "G1-2026-11-10"]


def test_settings_are_applied_at_each_look(history):
    due(history)  # the list is kept
    with history.stores.writing():
        settings = history.ws.read_settings()
        settings["debrief"]["due_from"] = "2026-01-01"
        settings["debrief"]["due_hours"] = 24 * 9
        history.ws.write_settings(settings)
    from facilitator.services.core.office import Office

    office = Office.open(history.path, "admin")
    assert short(due(office)) == [("G1-2026-11-10", "draft", ["alex", "bea"])]
    assert due(office) == reference(office)


def test_every_write_that_changes_what_is_due_shows_at_the_next_look(history, monkeypatch):
    from facilitator.services.core import session_store as session_store
    from facilitator.services.debrief import notes as debrief
    from facilitator.services.groupwork import sessions

    assert due(history) == reference(history)
    _sign(history, "G2-2025-01-14", "bea")  # an old draft signed at last
    assert "G2-2025-01-14" not in [r[0] for r in due(history)]
    assert due(history) == reference(history)

    _note(history, "G1-2026-11-17", ["bea"])  # a note written for a session that had none
    assert ("G1-2026-11-17", "draft", ["alex"]) in short(due(history))
    assert due(history) == reference(history)

    _write(history, "G1-2026-11-17")  # an edit withdraws bea's signature
    assert ("G1-2026-11-17", "draft", ["alex", "bea"]) in short(due(history))
    assert due(history) == reference(history)

    _at(monkeypatch, "2026-11-24T21:00:00")
    sessions.close_session(history, "G1-2026-11-24", force=True)
    assert "G1-2026-11-24" not in [r[0] for r in due(history)]  # closed, not due for 48 hours
    _at(monkeypatch, "2026-11-27T09:00:00")
    assert ("G1-2026-11-24", "no note", ["alex", "bea"]) in short(due(history))
    assert due(history) == reference(history)

    for sid in ("G2-2025-03-04", "G1-2026-11-10", "G1-2026-11-24"):
        if debrief.note_for_session(history, sid) is None:
            _note(history, sid)
        note = debrief.get_note(history, sid)
        for who in note.awaiting:
            _sign(history, sid, who)
    _sign(history, "G1-2026-11-17", "alex")
    _sign(history, "G1-2026-11-17", "bea")
    assert due(history) == reference(history) == []


def test_a_look_with_nothing_changed_writes_nothing(history):
    due(history)
    before = os.stat(kept_file(history))
    assert due(history) == reference(history)
    after = os.stat(kept_file(history))
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_stores_changed_outside_the_tool_are_read_again(history):
    from facilitator.storage.files import atomic_write_text

    due(history)
    # A session index edited by hand (or restored from a backup): one more closed session.
    index = history.stores.path("sessions", "G2", "index.json")
    data = json.loads(index.read_text(encoding="utf-8"))
    row = dict(
        next(iter(data["sessions"].values())),
        id="G2-2025-04-01",
        date="2025-04-01",
        curriculum_session=9,
        closed_at="2025-04-01T21:00:00",
    )
    data["sessions"]["99"] = row
    atomic_write_text(index, json.dumps(data))
    assert ("G2-2025-04-01", "no note", ["alex", "bea"]) in short(due(history))
    assert due(history) == reference(history)

    # A group's sessions gone (moved aside by hand): its debriefs are no longer listed.
    index.rename(index.with_name("index.json.aside"))
    assert [r[0] for r in due(history)] == ["G1-2026-11-10", "G1-2026-11-17"]
    assert due(history) == reference(history)


def test_a_missing_or_damaged_kept_list_is_made_again(history):
    expected = reference(history)
    due(history)
    kept_file(history).unlink()
    assert due(history) == expected and kept_file(history).exists()
    kept_file(history).write_text("{not json", encoding="utf-8")
    assert due(history) == expected
    json.loads(kept_file(history).read_text(encoding="utf-8"))  # written afresh
    assert due(history) == expected


def test_the_kept_list_names_no_man_and_holds_no_words_of_a_note(history):
    due(history)
    text = kept_file(history).read_text(encoding="utf-8")
    for p in ("P0001", "P0002", "P0003", "Adam", "settled group"):
        assert p not in text
