"""`facilitator risk raise|list|show|review|close|due|assess` as a coordinator uses them."""

from __future__ import annotations

import json

import pytest


def snapshot(ws):
    return {
        p: p.read_bytes()
        for p in sorted((ws / "data").rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_raise_review_close_from_the_command_line(office, invoke):
    res = invoke(
        "risk", "raise", "P0001", "--category", "stalking", "--summary", "Waits outside her work."
    )
    assert res.exit_code == 0
    assert res.output.startswith(
        "raised F0001 for P0001: stalking (!! high), review by 2026-11-25 18:00"
    )

    listed = invoke("risk", "list").output
    assert "F0001" in listed and "!! high" in listed and "raised by hand" in listed

    res = invoke(
        "risk",
        "review",
        "F0001",
        "--action",
        "police_informed",
        "--action",
        "partner_support_informed",
        "--note",
        "Both told by phone.",
    )
    assert res.exit_code == 0 and "(in_review)" in res.output
    res = invoke("risk", "close", "F0001", "--outcome", "Police gave him a warning.")
    assert res.exit_code == 0 and "closed F0001" in res.output

    shown = invoke("risk", "show", "F0001").output
    assert "police_informed, partner_support_informed" in shown and "Both told by phone." in shown
    assert "Police gave him a warning." in shown
    assert invoke("risk", "list").output.strip() == "(no open flags)"
    closed = json.loads(invoke("risk", "list", "--status", "closed", "--json").output)
    assert [(f["id"], f["status"], f["closed_by"]) for f in closed] == [
        ("F0001", "closed", "admin")
    ]


def test_overdue_critical_stands_out_in_the_list(office, invoke, monkeypatch):
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-23T09:00:00")
    invoke(
        "risk",
        "raise",
        "P0002",
        "--category",
        "threats_to_kill",
        "--summary",
        "Said he would end her.",
    )
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T18:00:00")
    invoke(
        "risk",
        "raise",
        "P0001",
        "--category",
        "economic_abuse",
        "--summary",
        "Keeps her bank card.",
    )
    rows = invoke("risk", "list").output.splitlines()
    assert rows[2].startswith("F0001") and "OVERDUE" in rows[2] and "!!! critical" in rows[2]
    assert "OVERDUE" not in rows[3]
    overdue = json.loads(invoke("risk", "list", "--status", "overdue", "--json").output)
    assert [f["id"] for f in overdue] == ["F0001"] and overdue[0]["overdue"] is True
    assert "OVERDUE" in invoke("risk", "show", "F0001").output


def test_raise_with_severity_and_session(office, invoke):
    from tests.conftest import enrol_all

    enrol_all(office)
    invoke("session", "start", "G1")
    res = invoke(
        "risk",
        "raise",
        "P0003",
        "--category",
        "substance-misuse",
        "--severity",
        "high",
        "--summary",
        "Drunk at the session.",
        "--session",
        "G1-2026-11-24",
    )
    assert res.exit_code == 0, res.output
    flag = json.loads(invoke("risk", "show", "f0001", "--json").output)
    assert (flag["severity"], flag["session_id"], flag["categories"]) == (
        "high",
        "G1-2026-11-24",
        ["substance_misuse"],
    )


def test_nfa_rules_from_the_command_line(office, invoke):
    invoke(
        "risk", "raise", "P0001", "--category", "strangulation", "--summary", "Hand on her neck."
    )
    res = invoke("risk", "review", "F0001", "--action", "no_further_action")
    assert res.exit_code == 2 and "needs a reason" in res.output
    assert (
        invoke(
            "risk",
            "review",
            "F0001",
            "--action",
            "no_further_action",
            "--note",
            "He was describing a judo hold at his club.",
        ).exit_code
        == 0
    )
    res = invoke("risk", "close", "F0001", "--outcome", "nfa")
    assert res.exit_code == 1 and "written reason" in res.output
    assert json.loads(invoke("risk", "show", "F0001", "--json").output)["status"] == "in_review"


def test_due_and_assess(office, invoke):
    invoke("risk", "assess", "P0001", "--level", "medium", "--date", "2026-09-01")
    invoke("risk", "assess", "P0002", "--level", "standard")
    invoke("risk", "assess", "P0003", "--level", "high", "--date", "2026-11-10")
    invoke("risk", "raise", "P0003", "--category", "stalking", "--summary", "Follows her.")
    invoke("risk", "raise", "P0002", "--category", "stalking", "--summary", "Follows her.")
    due = json.loads(invoke("risk", "due", "--json").output)
    # P0002 was assessed today, the day of his flag: the assessment counts as taking it in.
    assert [(d["participant_id"], d["last_assessed"]) for d in due] == [
        ("P0001", "2026-09-01"),
        ("P0003", "2026-11-10"),
    ]
    text = invoke("risk", "due").output
    assert "interval of 8 weeks passed on 2026-10-27" in text and "new flag since: F0001" in text


BAD = [
    (
        ["risk", "raise", "P0001", "--category", "hitting", "--summary", "x"],
        2,
        "unknown risk category 'hitting'",
    ),
    (
        ["risk", "raise", "P0009", "--category", "stalking", "--summary", "x"],
        2,
        "no participant with id 'P0009'",
    ),
    (
        [
            "risk",
            "raise",
            "P0001",
            "--category",
            "stalking",
            "--summary",
            "x",
            "--severity",
            "urgent",
        ],
        2,
        "unknown severity",
    ),
    (
        [
            "risk",
            "raise",
            "P0001",
            "--category",
            "stalking",
            "--summary",
            "x",
            "--session",
            "G1-2026-01-01",
        ],
        2,
        "no session",
    ),
    (["risk", "show", "F0042"], 2, "no risk flag with id 'F0042'"),
    (
        ["risk", "review", "F0042", "--action", "police_informed", "--note", "x"],
        2,
        "no risk flag with id 'F0042'",
    ),
    (
        ["risk", "review", "F0001", "--action", "prayed", "--note", "x"],
        2,
        "unknown action 'prayed'",
    ),
    (["risk", "close", "F0042", "--outcome", "x"], 2, "no risk flag with id 'F0042'"),
    (["risk", "close", "F0001", "--outcome", "done"], 1, "no actions recorded"),
    (["risk", "list", "--status", "pending"], 2, "unknown flag list status 'pending'"),
    (["risk", "assess", "P0001", "--level", "extreme"], 2, "unknown risk assessment level"),
    (["risk", "assess", "P0001", "--level", "high", "--date", "2027-01-01"], 2, "in the future"),
    (["risk", "suggestions", "G9-2026-11-24"], 2, "no group with id 'G9'"),
]


@pytest.mark.parametrize(
    "args,code,message", BAD, ids=[f"{a[0][1]} {i}" for i, a in enumerate(BAD)]
)
def test_bad_input_is_one_line_and_changes_nothing(office, invoke, args, code, message):
    invoke("risk", "raise", "P0001", "--category", "stalking", "--summary", "Follows her.")
    before = snapshot(office.path)
    res = invoke(*args)
    assert res.exit_code == code, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], res.output
    assert snapshot(office.path) == before


def test_every_risk_command_has_help():
    from facilitator.cli import load_command

    group = load_command("risk")

    for name in (
        "raise",
        "list",
        "show",
        "review",
        "close",
        "due",
        "assess",
        "suggestions",
        "confirm",
        "dismiss",
    ):
        assert group.commands[name].help, name
