"""What a debrief note says of a man is queued for review as his check-in's words are: saving
the draft puts each indicator into his risk suggestions for the session (`risk suggestions`),
where it is confirmed or dismissed, and what the facilitators decide as they sign answers it
there too. What a partner tells partner support never goes this way."""

from __future__ import annotations

import json

import pytest

from facilitator.services.core.office import Office
from facilitator.services.debrief import notes as debrief
from facilitator.services.risk import flags as risk
from tests.test_debrief_notes import SID, _write_in, closed  # noqa: F401 - fixture

THROAT = "said after the session that he put his hands round her throat on Sunday."


def _suggestions(invoke, session_id: str = SID) -> list[dict]:
    shown = invoke("--user", "alex", "risk", "suggestions", session_id, "--json")
    assert shown.exit_code == 0, shown.output
    return json.loads(shown.output)


def _bens(invoke) -> list[dict]:
    return [s for s in _suggestions(invoke) if s["participant_id"] == "P0002"]


@pytest.fixture
def written(closed):  # noqa: F811
    debrief.create_note(closed, SID)
    _write_in(closed, SID, "P0002", THROAT)
    return closed


def test_saving_a_draft_queues_its_disclosure_for_review(written, invoke):
    (s,) = _bens(invoke)
    assert s["status"] == "pending" and s["categories"] == ["strangulation"]
    assert s["severity"] == "critical" and s["session_id"] == SID
    assert all(m["source"] == "debrief" for m in s["matches"])
    scanned = invoke("notes", "scan", SID).output
    assert f"[waiting for review: risk suggestion {s['id']}]" in scanned
    # Saved again: the same suggestion, not a second one.
    _write_in(written, SID, "P0002", "also ")
    assert [x["id"] for x in _bens(invoke)] == [s["id"]]


def test_notes_edit_says_what_it_queued(closed, invoke, tmp_path):  # noqa: F811
    debrief.create_note(closed, SID)
    note = debrief.get_note(closed, SID)
    at = note.body.index("- Concerns: ", note.body.index("### P0002 "))
    draft = tmp_path / "draft.md"
    draft.write_text(note.body[:at] + "- Concerns: " + THROAT + note.body[at + 12 :])
    result = invoke("--user", "alex", "notes", "edit", SID, "--from", str(draft))
    assert result.exit_code == 0, result.output
    (s,) = _bens(invoke)
    assert (
        f"risk indicator 1, P0002 Ben Sample: Strangulation: queued for review as risk "
        f"suggestion {s['id']}" in result.output
    )
    assert "not flagged" not in result.output


def test_confirmed_in_the_queue_it_is_not_asked_again_at_signing(written, invoke):
    (s,) = _bens(invoke)
    confirmed = invoke("--user", "alex", "risk", "confirm", s["id"])
    assert confirmed.exit_code == 0, confirmed.output
    (flag,) = [f for f in risk.list_flags(written, "all") if f.suggestion_id == s["id"]]
    assert (flag.participant_id, flag.categories, flag.source) == (
        "P0002",
        ["strangulation"],
        "debrief",
    )
    assert flag.summary.startswith(f"From the debrief of {SID}: ")
    signed = invoke("--user", "alex", "notes", "sign", SID)
    assert signed.exit_code == 0, signed.output
    assert len([f for f in risk.list_flags(written, "all") if f.participant_id == "P0002"]) == 1


def test_dismissed_in_the_queue_it_is_not_asked_again_at_signing(written, invoke):
    (s,) = _bens(invoke)
    why = "He was describing a film scene, checked with him"
    assert invoke("--user", "alex", "risk", "dismiss", s["id"], "--reason", why).exit_code == 0
    found = json.loads(invoke("notes", "scan", SID, "--json").output)
    assert [i["handled"] for i in found] == [f"risk suggestion {s['id']} dismissed"]
    assert invoke("--user", "alex", "notes", "sign", SID).exit_code == 0


def test_flagged_at_signing_the_queued_suggestion_is_answered_with_the_flag(written, invoke):
    signed = invoke("--user", "alex", "notes", "sign", SID, "--flag", "1")
    assert signed.exit_code == 0, signed.output
    (s,) = _bens(invoke)
    (flag,) = [f for f in risk.list_flags(written, "all") if f.source == "debrief"]
    assert (s["status"], s["flag_id"], s["decided_by"]) == ("confirmed", flag.id, "alex")
    refused = invoke("--user", "alex", "risk", "confirm", s["id"])
    assert refused.exit_code == 1 and f"already confirmed as flag {flag.id}" in refused.output


def test_dismissed_at_signing_the_queued_suggestion_is_dismissed_with_the_reason(written, invoke):
    why = "Reported by police already; no new harm"
    signed = invoke("--user", "alex", "notes", "sign", SID, "--dismiss", "1", "--reason", why)
    assert signed.exit_code == 0, signed.output
    (s,) = _bens(invoke)
    assert (s["status"], s["reason"]) == ("dismissed", why)
    assert not [f for f in risk.list_flags(written, "all") if f.source == "debrief"]


def test_an_indicator_naming_no_man_waits_for_the_signing(closed, invoke):  # noqa: F811
    debrief.create_note(closed, SID)
    note = debrief.get_note(closed, SID)
    body = note.body.replace(
        "## Safety of partners and children\n",
        "## Safety of partners and children\n\nSomeone keeps a knife by the door.\n",
    )
    debrief.save_body(Office.open(closed.path, "alex"), SID, body)
    assert not [s for s in _suggestions(invoke) if s["status"] == "pending"]
    scanned = json.loads(invoke("notes", "scan", SID, "--json").output)
    assert scanned and all(i["participant_id"] == "" and not i["handled"] for i in scanned)
    assert invoke("--user", "alex", "notes", "sign", SID).exit_code == 1  # still asked


def test_what_a_partner_tells_partner_support_is_never_queued(
    closed, invoke, tmp_path, monkeypatch
):  # noqa: F811
    key = tmp_path / "usb" / "partner.key"
    monkeypatch.delenv("FACILITATOR_PARTNER_PASSPHRASE", raising=False)
    monkeypatch.setenv("FACILITATOR_PARTNER_KEY_FILE", str(key))
    pat = ["--user", "pat", "partner"]
    assert invoke(*pat, "init", "--key-file", str(key), "--new-key-file").exit_code == 0
    assert invoke(*pat, "add", "P0002", "Fay Sample").exit_code == 0
    her = "He put his hands round my throat and said he would kill me; he follows me home."
    told = invoke(*pat, "contact", "P0002-PT1", "--mode", "phone", "--account", her)
    assert told.exit_code == 0, told.output
    concern = invoke(*pat, "concern", "P0002-PT1", "--category", "strangulation")
    assert concern.exit_code == 0, concern.output
    assert _suggestions(invoke, "P0002") == []
    assert _bens(invoke) == []
    # A debrief written afterwards is not answered by her concern: his words are his own.
    debrief.create_note(closed, SID)
    _write_in(closed, SID, "P0002", THROAT)
    (s,) = _bens(invoke)
    assert s["categories"] == ["strangulation"]
    assert not any(w in json.dumps(s) for w in ("my throat", "kill me", "follows me home"))
