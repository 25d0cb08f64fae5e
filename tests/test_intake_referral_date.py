"""One referral date: the participant record's `referred_on` is the date his referral reached the
programme, the intake's "referral received" is the same date, and programme figures count it once.
A different date given at intake corrects the participant record, says so in one line, and is
audited without the dates."""

from __future__ import annotations

import json

import pytest

TODAY = "2026-11-24"  # conftest's clock; the fixture's men were referred on it


@pytest.fixture
def figures_unsuppressed(office):
    settings = office.ws.read_settings()
    settings.setdefault("figures", {})["min_count"] = 1
    with office.stores.writing():
        office.ws.write_settings(settings)
    return office


def _referred_on(invoke, pid: str) -> str:
    return json.loads(invoke("participant", "show", pid, "--json").output)["referred_on"]


def _referrals(invoke, start: str, end: str):
    result = invoke(
        "--user", "admin", "report", "programme", "--from", start, "--to", end, "--format", "json"
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["referrals"]["total"]


def _corrections(office) -> list[dict]:
    return [
        e
        for e in office.stores.audit.entries()
        if (e["action"], e["kind"]) == ("correct", "participant")
    ]


def test_a_different_date_at_intake_start_corrects_his_referral_date(figures_unsuppressed, invoke):
    office = figures_unsuppressed
    assert _referrals(invoke, "2026-10-01", "2026-10-31") == 0
    r = invoke(
        "intake", "start", "P0001", "--date", "2026-11-01", "--referral-received", "2026-10-28"
    )
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "started intake for P0001 on 2026-11-01 (referral received 2026-10-28)",
        f"P0001's referral date was {TODAY} on his participant record; it is now 2026-10-28, "
        f"the date programme figures count from",
    ]
    assert _referred_on(invoke, "P0001") == "2026-10-28"
    shown = json.loads(invoke("intake", "show", "P0001", "--json").output)
    assert shown["intake"]["referral_received_on"] == "2026-10-28"
    assert "[x] referral received: 2026-10-28" in invoke("intake", "show", "P0001").output
    # The figures count his referral once, on the one date.
    assert _referrals(invoke, "2026-10-01", "2026-10-31") == 1
    assert _referrals(invoke, "2026-11-01", "2026-11-30") == 2  # P0002 and P0003 only
    # Audited: which record and field, never the dates.
    [line] = _corrections(office)
    assert (line["id"], line["field"]) == ("P0001", "referred_on")
    assert set(line) <= {"seq", "time", "user", "action", "kind", "id", "field", "prev", "hash"}


def test_without_a_date_the_intake_takes_his_referral_date(office, invoke):
    r = invoke("intake", "start", "P0002", "--date", TODAY)
    assert r.exit_code == 0
    assert r.output.splitlines() == [
        f"started intake for P0002 on {TODAY} (referral received {TODAY})"
    ]
    r = invoke("intake", "start", "P0003", "--date", TODAY, "--referral-received", TODAY)
    assert r.output.splitlines() == [
        f"started intake for P0003 on {TODAY} (referral received {TODAY})"
    ]
    assert _corrections(office) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--referral-received", "2026-12-01"],
            "Error: referral date 2026-12-01 is in the future; nothing was changed",
        ),
        (
            ["--date", "2026-11-01", "--referral-received", "2026-11-05"],
            "Error: a referral received on 2026-11-05 comes after the intake it led to, "
            "started on 2026-11-01; "
            "nothing was changed",
        ),
        (["--referral-received", "28/10/2026"], None),
    ],
)
def test_an_impossible_referral_date_is_one_line_and_changes_nothing(office, invoke, args, message):
    r = invoke("intake", "start", "P0001", *args)
    assert r.exit_code in (1, 2) and len(r.output.strip().splitlines()) == 1, r.output
    if message:
        assert r.output.strip() == message
    assert _referred_on(invoke, "P0001") == TODAY
    assert json.loads(invoke("intake", "show", "P0001", "--json").output)["intake"] is None


def test_record_referral_corrects_both_before_and_after_the_intake_starts(
    figures_unsuppressed, invoke
):
    office = figures_unsuppressed
    # Before his intake: the participant record alone.
    r = invoke("intake", "record", "referral", "P0002", "2026-10-05")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == "P0002: referral received 2026-10-05"
    assert _referred_on(invoke, "P0002") == "2026-10-05"
    assert invoke("intake", "start", "P0002", "--date", "2026-10-12").output.splitlines() == [
        "started intake for P0002 on 2026-10-12 (referral received 2026-10-05)"
    ]
    # After it: both, and the figures follow.
    r = invoke("intake", "record", "referral", "P0002", "2026-09-30")
    assert r.exit_code == 0
    assert r.output.splitlines() == [
        "P0002: referral received 2026-09-30",
        "P0002's referral date was 2026-10-05 on his participant record; it is now 2026-09-30, "
        "the date programme figures count from",
    ]
    assert _referred_on(invoke, "P0002") == "2026-09-30"
    assert (
        json.loads(invoke("intake", "show", "P0002", "--json").output)["intake"][
            "referral_received_on"
        ]
        == "2026-09-30"
    )
    assert (
        _referrals(invoke, "2026-09-01", "2026-09-30") == 1
        and _referrals(invoke, "2026-10-01", "2026-10-31") == 0
    )
    late = invoke("intake", "record", "referral", "P0002", "2026-10-20")
    assert (
        late.exit_code == 1
        and "comes after the intake it led to, started on 2026-10-12" in late.output
    )
    assert _referred_on(invoke, "P0002") == "2026-09-30"
    assert [e["id"] for e in _corrections(office)] == ["P0002", "P0002"]


def test_an_intake_stored_with_another_date_shows_the_one_date_and_how_to_settle_it(office, invoke):
    assert invoke("intake", "start", "P0003", "--date", TODAY).exit_code == 0
    # An intake saved by an earlier version, whose date was never copied to his record.
    path = office.stores.path("intake", "P0003.json")
    data = json.loads(path.read_text())
    next(iter(data["intake"].values()))["referral_received_on"] = "2026-11-02"
    path.write_text(json.dumps(data))
    shown = invoke("intake", "show", "P0003").output
    assert (
        f"[x] referral received: {TODAY} (his intake said 2026-11-02: if that is right, "
        f"facilitator intake record referral P0003 2026-11-02)"
    ) in shown
    assert (
        json.loads(invoke("intake", "show", "P0003", "--json").output)["intake"][
            "referral_received_on"
        ]
        == TODAY
    )
    assert invoke("intake", "record", "referral", "P0003", "2026-11-02").exit_code == 0
    assert "[x] referral received: 2026-11-02\n" in invoke("intake", "show", "P0003").output
    assert _referred_on(invoke, "P0003") == "2026-11-02"


def test_a_referral_date_taken_as_today_is_said(office, invoke):
    given = invoke(
        "--user", "admin", "participant", "add", "Ray Synthetic", "--referred-on", "2026-11-02"
    )
    assert given.exit_code == 0 and "taken as today" not in given.output
    assumed = invoke("--user", "admin", "participant", "add", "Sam Synthetic")
    assert assumed.exit_code == 0, assumed.output
    assert (
        "referral date taken as today, 2026-11-24" in assumed.stderr
        and "--referral-received" in assumed.stderr
    )
