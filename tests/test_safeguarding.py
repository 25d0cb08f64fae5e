"""Safeguarding referrals of his children: tied to the child records, with an outcome, on his
timeline, in the information-sharing log, and withheld from his own copy of his records."""

from __future__ import annotations

import json


def _child(invoke, name="Leo"):
    r = invoke("--user", "alex", "participant", "child", "add", "P0001", name, "--age", "4")
    assert r.exit_code == 0, r.output


def test_a_referral_is_tied_to_his_children_and_logged(office, invoke):
    _child(invoke)
    result = invoke(
        "--user",
        "admin",
        *("safeguarding", "refer", "P0001", "--child", "K1"),
        *("--to", "Sampleshire Children's Services", "--reason", "exposure_to_abuse"),
    )
    assert result.exit_code == 0, result.output
    assert "P0001 S1: referred to Sampleshire Children's Services on 2026-11-24 about K1" in (
        result.output
    )
    done = invoke("--user", "admin", "safeguarding", "outcome", "P0001", "S1", "child_in_need")
    assert done.exit_code == 0 and "child in need" in done.output
    listed = json.loads(invoke("--user", "admin", "safeguarding", "list", "P0001", "--json").output)
    assert listed[0]["children"] == ["K1"] and listed[0]["outcome"] == "child_in_need"
    shared = json.loads(invoke("--user", "admin", "sharing", "list", "P0001", "--json").output)
    assert [(s["information"], s["basis"]) for s in shared] == [
        ("safeguarding_referral", "safeguarding")
    ]
    line = invoke("--user", "admin", "participant", "timeline", "P0001").output
    assert "safeguarding referral to Sampleshire Children's Services (K1)" in line
    assert "outcome: child in need" in line
    # A facilitator's view of his timeline leaves out the coordinator's referrals and sharing,
    # and asking for them by name is refused in one line.
    seen = invoke("--user", "alex", "participant", "timeline", "P0001")
    assert seen.exit_code == 0 and "child recorded: Leo" in seen.output
    assert "safeguarding" not in seen.output and "Children's Services" not in seen.output
    asked = invoke("--user", "alex", "participant", "timeline", "P0001", "--kind", "safeguarding")
    assert asked.exit_code != 0 and "needs the role coordinator" in asked.output


def _refer(invoke, user="admin", child="K1", *more):
    return invoke(
        *("--user", user, "safeguarding", "refer", "P0001", "--child", child),
        *("--to", "CS", "--reason", "neglect", *more),
    )


def test_bad_input_is_one_line_and_nothing_is_kept(office, invoke):
    _child(invoke)
    unknown = _refer(invoke, "admin", "K9")
    assert unknown.exit_code != 0 and "no child 'K9'" in unknown.output
    facilitator = _refer(invoke, "alex")
    assert facilitator.exit_code != 0 and "may not record a safeguarding referral" in (
        facilitator.output
    )
    future = _refer(invoke, "admin", "K1", "--date", "2026-12-30")
    assert future.exit_code != 0 and "in the future" in future.output
    assert (
        "no safeguarding referrals"
        in invoke("--user", "admin", "safeguarding", "list", "P0001").output
    )


def test_marac_and_safeguarding_are_on_the_timeline_but_not_in_his_own_copy(
    office, invoke, tmp_path
):
    _child(invoke)
    invoke(
        "--user",
        "admin",
        "safeguarding",
        "refer",
        "P0001",
        "--child",
        "K1",
        "--to",
        "Sampleshire Children's Services",
        "--reason",
        "threat_to_child",
    )
    invoke(
        "--user",
        "admin",
        "marac",
        "refer",
        "P0001",
        "--agency",
        "Riverside MARAC",
        "--reason",
        "weapons",
    )
    invoke(
        "--user",
        "admin",
        "sharing",
        "add",
        "P0001",
        "--to",
        "Riverside Probation",
        "--what",
        "attendance",
        "--basis",
        "agreement",
    )
    line = invoke("--user", "admin", "participant", "timeline", "P0001").output
    assert "referred to Riverside MARAC" in line
    assert "attendance and compliance shared with Riverside Probation" in line
    out = tmp_path / "sar.json"
    r = invoke("--user", "admin", "participant", "export-data", "P0001", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = out.read_text()
    assert "Riverside MARAC" not in text and "Children's Services" not in text
    assert "Riverside Probation" in text
