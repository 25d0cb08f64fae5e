"""The CLI contract: one line and a non-zero exit for bad input, nothing saved changed."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import enrol_all, ready_for_group

ROOT = Path(__file__).resolve().parent.parent

TWO = ("--facilitator", "alex", "--facilitator", "bea")


def _snapshot(ws: Path) -> dict[str, str]:
    return {
        str(p.relative_to(ws)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(ws.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.fixture
def running(office):
    enrol_all(office)
    from facilitator.services.core import session_store as session_store
    from facilitator.services.groupwork import sessions

    sessions.start_session(office, "G1", "2026-11-24")
    return office


BAD_INPUT = [
    (["participant", "show", "P9999"], 2, "no participant with id 'P9999'"),
    (["group", "show", "G42"], 2, "no group with id 'G42'"),
    (["session", "start", "G1", "--date", "2026-13-45"], 2, "is not a date"),
    (["session", "show", "G1-2026-11-25"], 2, "no session 'G1-2026-11-25'"),
    (["session", "show", "yesterday"], 2, "is not a session id"),
    (
        ["attendance", "mark", "G1-2026-11-24", "P0001", "sleeping"],
        2,
        "unknown attendance status 'sleeping'",
    ),
    (["attendance", "mark", "G1-2026-11-24", "P0001", "late"], 2, "late needs the minutes"),
    (
        ["attendance", "mark", "G1-2026-11-24", "P0001", "excused"],
        2,
        "reason for an excused absence",
    ),
    (
        ["attendance", "mark", "G1-2026-11-24", "P0004", "present"],
        1,
        "P0004 (Dan Outsider) is not enrolled in group G1",
    ),
    (
        ["checkin", "record", "G1-2026-11-24", "P0002", "--stance", "sorry"],
        2,
        "unknown stance 'sorry'",
    ),
    (["checkin", "record", "G1-2026-11-24", "P0002"], 1, "mark him present"),
    (
        ["participant", "add", "Eve Person", "--referral-source", "neighbour"],
        2,
        "unknown referral source",
    ),
    (["participant", "list", "--status", "lost"], 2, "unknown status 'lost'"),
    (["participant", "add", "Eve Person", "--referred-on", "24/11/2026"], 2, "is not a date"),
    (["group", "create", "X", "--weekday", "funday", *TWO], 2, "unknown weekday 'funday'"),
    (
        ["group", "create", "X", "--weekday", "monday", "--curriculum", "nope", *TWO],
        2,
        "no curriculum 'nope'",
    ),
    (["group", "create", "X", "--weekday", "monday"], 2, "a group needs 2 facilitators"),
    (
        ["group", "create", "X", "--weekday", "monday", "--facilitator", "alex"],
        2,
        "a group needs 2 facilitators (--facilitator, once each; setting "
        "rules.min_facilitators): 1 given",
    ),
    (["group", "enrol", "G1", "P0001"], 1, "already enrolled in group G1"),
    (["session", "start", "G1", "--date", "2026-11-24"], 1, "already has a session on 2026-11-24"),
    (["session", "start", "G1", "--date", "2099-01-06"], 1, "2099-01-06 is in the future"),
    (["session", "start", "G1", "--date", "2026-10-27"], 1, "G1 starts on 2026-11-03"),
    (
        ["--user", "stranger", "participant", "add", "Eve Person"],
        2,
        "unknown staff member 'stranger'",
    ),
]


@pytest.mark.parametrize(
    "args,code,message",
    BAD_INPUT,
    ids=[" ".join(a[0][:3]) + f" {i}" for i, a in enumerate(BAD_INPUT)],
)
def test_bad_input_gives_one_line_and_changes_nothing(
    running, invoke, isolated_workspace, args, code, message
):
    from facilitator.services.core import people

    people.add_participant(running, "Dan Outsider", "self")  # P0004, not in any group
    before = _snapshot(isolated_workspace)
    result = invoke(*args)
    assert result.exit_code == code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ") and message in lines[0]
    assert _snapshot(isolated_workspace) == before


def test_no_workspace_is_one_line(invoke, tmp_path):
    result = invoke("--workspace", str(tmp_path / "missing"), "group", "list")
    assert result.exit_code == 1
    assert "no workspace at" in result.output and "facilitator init" in result.output


def test_whole_session_from_the_cli(office, invoke):
    ready_for_group(office, "P0001")
    ready_for_group(office, "P0002")
    assert invoke("group", "enrol", "G1", "P0001", "--on", "2026-11-03").exit_code == 0
    assert invoke("group", "enrol", "G1", "P0002", "--on", "2026-11-03").exit_code == 0
    assert invoke("session", "start", "G1", "--date", "2026-11-17").exit_code == 0
    out = invoke("session", "start", "G1", "--date", "2026-11-24").output
    assert "G1-2026-11-24: curriculum session 2" in out
    sid = "G1-2026-11-24"
    assert invoke("attendance", "mark", sid, "P0001", "present").exit_code == 0
    assert invoke("attendance", "mark", sid, "p0002", "late", "--minutes", "12").exit_code == 0
    r = invoke(
        "--user",
        "alex",
        "checkin",
        "record",
        sid,
        "P0001",
        "--disclosed",
        "yes",
        "--form",
        "psychological",
        "--towards",
        "partner",
        "--summary",
        "Shouted at her about money",
        "--stance",
        "minimising",
    )
    assert r.exit_code == 0, r.output
    # Closing with a check-in missing is refused and says what is missing.
    r = invoke("session", "close", sid)
    assert r.exit_code == 1 and "P0002 Ben Sample: check-in not recorded" in r.output
    assert (
        invoke(
            "checkin", "record", sid, "P0002", "--summary", "Quiet week", "--homework", "done"
        ).exit_code
        == 0
    )
    assert invoke("session", "close", sid).exit_code == 0

    shown = json.loads(invoke("session", "show", sid, "--json").output)
    assert shown["state"] == "closed" and shown["curriculum_session"] == 2
    marks = {a["participant_id"]: a for a in shown["attendance"]}
    assert marks["P0002"]["status"] == "late" and marks["P0002"]["minutes_late"] == 12
    checkins = {c["participant_id"]: c for c in shown["checkins"]}
    assert (
        checkins["P0001"]["stance"] == "minimising" and checkins["P0001"]["recorded_by"] == "alex"
    )

    # A closed session refuses a silent change, accepts a correction with a reason, and keeps it.
    r = invoke("attendance", "mark", sid, "P0002", "present")
    assert r.exit_code == 1 and "closed" in r.output
    r = invoke(
        "attendance", "mark", sid, "P0002", "present", "--correct", "Clock in the room was wrong"
    )
    assert r.exit_code == 0
    shown = json.loads(invoke("session", "show", sid, "--json").output)
    (corr,) = shown["corrections"]
    assert corr["reason"] == "Clock in the room was wrong"
    assert corr["before"]["status"] == "late" and corr["after"]["status"] == "present"
    audit = json.loads(invoke("audit", "--json", "--limit", "3").output)
    assert audit[-1]["action"] == "correct" and audit[-1]["id"] == f"{sid}/P0002"
    # The audit log holds no content: no names, no check-in words.
    log = (Path(office.path) / "data" / "audit.jsonl").read_text()
    assert "money" not in log and "Ben Sample" not in log and "Clock in the room" not in log


def test_list_commands_take_json(office, invoke):
    enrol_all(office)
    for args in (
        ["staff", "list"],
        ["participant", "list"],
        ["group", "list"],
        ["session", "list"],
        ["group", "show", "G1"],
        ["participant", "show", "P0001"],
        ["audit"],
    ):
        result = invoke(*args, "--json")
        assert result.exit_code == 0, (args, result.output)
        json.loads(result.output)


def test_audit_verify_names_the_edited_line(office, invoke, isolated_workspace):
    enrol_all(office)
    assert invoke("audit", "verify").exit_code == 0
    log = isolated_workspace / "data" / "audit.jsonl"
    lines = log.read_text().splitlines()
    assert len(lines) >= 8
    edited = json.loads(lines[5])
    edited["user"] = "someone-else"
    lines[5] = json.dumps(edited, sort_keys=True)
    log.write_text("\n".join(lines) + "\n")
    result = invoke("audit", "verify")
    assert result.exit_code == 1
    assert "line 6" in result.output and "edited" in result.output


def test_audit_verify_names_a_removed_line(office, invoke, isolated_workspace):
    enrol_all(office)
    log = isolated_workspace / "data" / "audit.jsonl"
    lines = log.read_text().splitlines()
    del lines[3]
    log.write_text("\n".join(lines) + "\n")
    result = invoke("audit", "verify")
    assert result.exit_code == 1 and "line 4" in result.output


def test_plain_commands_never_import_textual(office):
    enrol_all(office)
    commands = [
        ["--help"],
        ["group", "list"],
        ["participant", "list", "--json"],
        ["session", "list"],
        ["audit", "verify"],
        ["staff", "list"],
        ["session", "start", "G1"],
    ]
    extra = [
        "risk scan 'he choked her'",
        "curriculum list",
        "notes list",
        "compliance due",
        "export attendance",
    ]
    code = (
        "import sys, shlex\n"
        "from facilitator.cli import cli\n"
        f"cmds = {commands!r} + [shlex.split(c) for c in {extra!r}]\n"
        "for c in cmds:\n"
        "    try:\n"
        "        cli.main(c, standalone_mode=False)\n"
        "    except BaseException:\n"
        "        pass\n"
        "heavy = [m for m in ('textual', 'openpyxl', 'matplotlib') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "FACILITATOR_USER": "alex"},
    )
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


def test_python_dash_m_works(office):
    out = subprocess.run(
        [sys.executable, "-m", "facilitator", "group", "list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0 and "Tuesday group" in out.stdout


def test_demo_builds_a_synthetic_workspace(invoke, tmp_path):
    target = tmp_path / "demo"
    result = invoke("demo", "--no-ui", str(target))
    assert result.exit_code == 0, result.output
    from facilitator.services.core import group_store as group_store
    from facilitator.services.core import people
    from facilitator.services.core import session_store as session_store
    from facilitator.services.core.office import Office

    office = Office.open(target, "morgan")
    assert len(group_store.list_groups(office)) == 2
    for g in group_store.list_groups(office):
        men = group_store.roster(office, g.id)
        assert 8 <= len(men) <= 10
        past = session_store.list_sessions(office, g.id)
        assert len(past) >= 10 and all(s.state == "closed" for s in past)
    statuses, stances = set(), set()
    for s in session_store.list_sessions(office):
        rec = session_store.get_session(office, s.id)
        statuses |= {a.status for a in rec.attendance.values()}
        stances |= {c.stance for c in rec.checkins.values()}
    assert {"present", "late", "excused", "unexcused"} <= statuses
    assert {"responsible", "minimising", "blaming", "denying"} <= stances
    names = [p.name for p in people.list_participants(office)]
    synthetic = (
        "Example",
        "Sample",
        "Testcase",
        "Placeholder",
        "Demo",
        "Fictional",
        "Madeup",
        "Synthetic",
    )
    assert all(n.split()[-1] in synthetic for n in names)
    assert office.stores.audit.verify() is None


def test_recording_a_checkin_again_changes_only_what_is_given(office, invoke):
    enrol_all(office)
    sid = "G1-2026-11-24"
    assert invoke("session", "start", "G1", "--date", "2026-11-24").exit_code == 0
    assert invoke("attendance", "mark", sid, "P0001", "present").exit_code == 0
    r = invoke(
        "checkin",
        "record",
        sid,
        "P0001",
        "--disclosed",
        "yes",
        "--form",
        "physical",
        "--towards",
        "partner",
        "--summary",
        "Pushed her into the door frame",
        "--stance",
        "minimising",
        "--change",
        "separation",
    )
    assert r.exit_code == 0, r.output
    assert invoke("checkin", "record", sid, "P0001", "--homework", "done").exit_code == 0
    assert invoke("session", "close", sid, "--force").exit_code == 0
    r = invoke(
        "checkin",
        "record",
        sid,
        "P0001",
        "--stance",
        "blaming",
        "--correct",
        "Stance agreed at debrief",
    )
    assert r.exit_code == 0, r.output
    shown = json.loads(invoke("session", "show", sid, "--json").output)
    (ci,) = shown["checkins"]
    assert ci["summary"] == "Pushed her into the door frame" and ci["forms"] == ["physical"]
    assert ci["disclosed"] == "yes" and ci["circumstance_changes"] == ["separation"]
    assert ci["homework"] == "done" and ci["stance"] == "blaming"
    (corr,) = shown["corrections"]
    assert corr["before"]["stance"] == "minimising" and corr["after"]["stance"] == "blaming"


def test_audit_verify_notices_lines_cut_off_the_end(office, invoke, isolated_workspace):
    enrol_all(office)
    log = isolated_workspace / "data" / "audit.jsonl"
    lines = log.read_text().splitlines()
    log.write_text("\n".join(lines[:-3]) + "\n")
    result = invoke("audit", "verify")
    assert result.exit_code == 1
    assert (
        f"line {len(lines) - 2}" in result.output
        and "3 line(s) removed from the end" in result.output
    )


@pytest.mark.parametrize(
    "args",
    [
        ["attendance", "mark", "G1-2026-11-24", "P0001", "late", "--minutes", "abc"],
        ["session", "close"],
        ["no-such-command"],
        ["participant", "status", "P0001", "lost"],
    ],
)
def test_usage_errors_are_one_line(office, invoke, args):
    result = invoke(*args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "--help" in lines[0], (
        result.output
    )


def test_the_root_help_lines_are_the_commands_own():
    """`facilitator --help` lists commands without importing them; its lines must be theirs."""
    from facilitator.cli import COMMANDS, load_command

    for name, (_, line) in COMMANDS.items():
        command = load_command(name)
        assert command.name == name or name in ("init", "demo", "run")
        assert command.get_short_help_str(limit=60) == line, name


def test_each_command_and_all_its_subcommands_live_in_the_module_of_its_name():
    """One file per top-level command: reading cli/<name>.py shows every subcommand it has."""
    import click

    from facilitator.cli import COMMANDS, MODULE_OF, load_command

    def callbacks(command):
        yield command
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                yield from callbacks(sub)

    for name in COMMANDS:
        for command in callbacks(load_command(name)):
            assert command.callback is not None, (name, command.name)
            module = command.callback.__module__
            # `import` is a keyword: its module is named in MODULE_OF.
            expected = f"facilitator.cli.{MODULE_OF.get(name, name)}"
            assert module == expected, (name, command.name, module)
