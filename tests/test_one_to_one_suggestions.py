"""What a man says in a one-to-one is scanned and queued as a group check-in is: a suggestion
waits in `risk suggestions` for a decision, confirmed into a flag or dismissed with a reason."""

from __future__ import annotations

import json

from facilitator.services.risk import flag_store

DISCLOSURE = "He has been waiting outside her work and following her home."


def _record(invoke, *extra: str):
    return invoke(
        "--user", "alex", "individual", "record", "P0001", "crisis", "--date", "2026-11-24",
        "--disclosed", "yes", "--summary", DISCLOSURE, *extra,
    )  # fmt: skip


def _suggestions(invoke, session_id: str) -> list[dict]:
    shown = invoke("--user", "alex", "risk", "suggestions", session_id, "--json")
    assert shown.exit_code == 0, shown.output
    return json.loads(shown.output)


def test_a_disclosure_in_a_one_to_one_is_queued_for_a_decision(office, invoke):
    result = _record(invoke)
    assert result.exit_code == 0, result.output
    assert "not flagged" not in result.output
    assert "risk suggestion S" in result.output and "queued" in result.output
    (s,) = _suggestions(invoke, "P0001-O1")
    assert s["status"] == "pending" and "stalking" in s["categories"]
    assert s["participant_id"] == "P0001" and s["session_id"] == "P0001-O1"

    confirmed = invoke("--user", "alex", "risk", "confirm", s["id"], "--summary", "Following her")
    assert confirmed.exit_code == 0, confirmed.output
    (flag,) = [f for f in flag_store.open_flags(office) if f.suggestion_id == s["id"]]
    assert flag.participant_id == "P0001" and flag.session_id == "P0001-O1"
    assert _suggestions(invoke, "P0001-O1")[0]["status"] == "confirmed"


def test_a_one_to_one_suggestion_is_dismissed_with_a_reason(office, invoke):
    _record(invoke)
    (s,) = _suggestions(invoke, "P0001-O1")
    refused = invoke("--user", "alex", "risk", "dismiss", s["id"], "--reason", "")
    assert refused.exit_code != 0
    done = invoke("--user", "alex", "risk", "dismiss", s["id"], "--reason", "He meant a film")
    assert done.exit_code == 0, done.output
    (after,) = _suggestions(invoke, "P0001-O1")
    assert (after["status"], after["reason"]) == ("dismissed", "He meant a film")


def test_what_the_worker_flagged_in_the_record_is_not_suggested_again(office, invoke):
    result = _record(invoke, "--flag", "stalking", "--flag-summary", "Following her home")
    assert result.exit_code == 0, result.output
    assert all("stalking" not in s["categories"] for s in _suggestions(invoke, "P0001-O1"))


def test_his_one_to_one_suggestions_are_in_his_subject_access_export(office, invoke, tmp_path):
    _record(invoke)
    out = tmp_path / "sar"
    done = invoke("--user", "admin", "participant", "export-data", "P0001", "-o", str(out))
    assert done.exit_code == 0, done.output
    data = json.loads((tmp_path / "sar.json").read_text())
    assert [s["session_id"] for s in data["checkin_suggestions"]] == ["P0001-O1"]
