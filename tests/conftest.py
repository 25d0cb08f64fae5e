"""Every test gets its own workspace folder and a fixed clock; nobody's real data is touched."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

FIXED_NOW = "2026-11-24T18:00:00"


@pytest.fixture(autouse=True)
def isolated_workspace(tmp_path, monkeypatch) -> Path:
    ws = tmp_path / "ws"
    monkeypatch.setenv("FACILITATOR_WORKSPACE", str(ws))
    monkeypatch.setenv("FACILITATOR_NOW", FIXED_NOW)
    monkeypatch.delenv("FACILITATOR_USER", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # platformdirs default lands here
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    return ws


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run `facilitator ARGS...` in-process; returns click's Result."""
    from facilitator.cli import cli

    def _invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return _invoke


@pytest.fixture
def office(isolated_workspace):
    """A workspace with staff, three men and one group on the bundled curriculum."""
    from facilitator.curriculum.locate import bundled_curricula_dir
    from facilitator.services.core import people
    from facilitator.services.core.office import Office
    from facilitator.services.groupwork import groups
    from facilitator.storage.workspace import Workspace

    Workspace.init(isolated_workspace, "Test Programme", bundled_curricula_dir())
    office = Office.open(isolated_workspace, "admin")
    people.add_staff(office, "Test Admin", ["admin", "coordinator"], "admin")
    people.add_staff(office, "Alex Facilitator", ["facilitator"], "alex")
    people.add_staff(office, "Bea Facilitator", ["facilitator"], "bea")
    people.add_staff(office, "Pat Partnerworker", ["partner_support"], "pat")
    office = Office.open(isolated_workspace, "alex")
    for name in ("Adam Example", "Ben Sample", "Carl Testcase"):
        people.add_participant(office, name, "court", "Demo Court", "REF-" + name[:3].upper())
    groups.create_group(
        office,
        "Tuesday group",
        "core-24",
        "tuesday",
        "18:30",
        ["alex", "bea"],
        start_date="2026-11-03",
        group_id="G1",
    )
    return office


def ready_for_group(office, participant_id, day="2026-10-20"):
    """Give a man the complete, suitable intake enrolment needs, unless he has one."""
    from facilitator.services.core import people
    from facilitator.services.intake import assessment as intake

    if intake.missing(office, people.get_participant(office, participant_id)):
        intake.complete_intake(office, participant_id, day)


def as_coordinator(office):
    """The same workspace acted on by its admin, who is also the coordinator."""
    from facilitator.services.core.office import Office

    return Office.open(office.path, "admin")


def enrol_all(office, group_id="G1", day="2026-11-03"):
    from facilitator.services.core import people
    from facilitator.services.groupwork import groups

    for p in people.list_participants(office):
        ready_for_group(office, p.id)
        groups.enrol(office, group_id, p.id, day)


@pytest.fixture
def demo_sign_in(monkeypatch):
    """Commands run on a demo workspace sign in as whoever --user names, with that member's
    demo passphrase, without typing (the passphrase prompt is answered for them)."""
    from facilitator.cli import context
    from facilitator.demo.sign_in import passphrase_of

    monkeypatch.delenv("FACILITATOR_PASSPHRASE", raising=False)
    monkeypatch.setattr(context, "read_passphrase", passphrase_of)
