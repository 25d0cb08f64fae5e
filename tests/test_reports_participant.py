"""`facilitator report participant`: what a referrer may read, and nothing else."""

from __future__ import annotations

import os
import re
import stat

import pytest
from conftest import enrol_all

from facilitator.domain.checkin import CheckIn
from facilitator.services.core import group_store as group_store
from facilitator.services.core.office import Office
from facilitator.services.groupwork import groups, sessions

# Words planted in every record a report must never show; each appears nowhere else.
CANARIES = {
    "checkin_summary": "CANARY-CHECKIN-SUMMARY-kestrel",
    "checkin_alternatives": "CANARY-CHECKIN-ALTERNATIVES-heron",
    "checkin_circumstances": "CANARY-CHECKIN-CIRCUMSTANCES-plover",
    "checkin_substances": "CANARY-CHECKIN-SUBSTANCES-curlew",
    "excused_reason": "CANARY-EXCUSED-REASON-dunlin",
    "correction_reason": "CANARY-CORRECTION-REASON-avocet",
    "status_reason": "CANARY-STATUS-REASON-godwit",
    "flag_summary": "CANARY-FLAG-SUMMARY-osprey",
    "flag_review": "CANARY-FLAG-REVIEW-merlin",
    "debrief": "CANARY-DEBRIEF-BODY-bittern",
    "partner_name": "CANARY-PARTNER-NAME-linnet",
    "partner_account": "CANARY-PARTNER-ACCOUNT-siskin",
    "partner_safety": "CANARY-PARTNER-SAFETY-twite",
}
PASSPHRASE = "correct horse battery staple for tests"


@pytest.fixture
def planted(office):
    """Adam's record, with a canary in every kind of content a report must leave out."""
    admin = Office.open(office.path, "admin")
    enrol_all(office)
    for day, status in (
        ("2026-11-03", "present"),
        ("2026-11-10", "excused"),
        ("2026-11-17", "present"),
    ):
        s = sessions.start_session(office, "G1", day)
        for pid in ("P0001", "P0002", "P0003"):
            mine = status if pid == "P0001" else "present"
            sessions.mark_attendance(
                office,
                s.id,
                pid,
                mine,
                reason=CANARIES["excused_reason"] if mine == "excused" else "",
            )
        if status == "present":
            sessions.record_checkin(
                office,
                s.id,
                CheckIn(
                    participant_id="P0001",
                    disclosed="yes",
                    forms=["psychological"],
                    towards=["partner"],
                    summary=CANARIES["checkin_summary"],
                    alternatives_used=CANARIES["checkin_alternatives"],
                    circumstance_changes=["separation"],
                    circumstances_note=CANARIES["checkin_circumstances"],
                    substance_use=CANARIES["checkin_substances"],
                    stance="minimising",
                ),
            )
        sessions.close_session(office, s.id, force=True)
    sessions.mark_attendance(
        office,
        "G1-2026-11-17",
        "P0001",
        "late",
        minutes_late=5,
        correction_reason=CANARIES["correction_reason"],
    )
    sessions.record_checkin(
        office,
        "G1-2026-11-17",
        CheckIn(participant_id="P0001", summary=CANARIES["checkin_summary"]),
        correction_reason=CANARIES["correction_reason"],
    )

    from facilitator.services.risk import flags as risk

    flag = risk.raise_flag(
        admin, "P0001", ["stalking"], CANARIES["flag_summary"], session_id="G1-2026-11-17"
    )
    risk.review_flag(admin, flag.id, ["partner_support_informed"], CANARIES["flag_review"])

    from facilitator.services.debrief import notes as debrief

    note = debrief.create_note(office, "G1-2026-11-17")
    debrief.save_body(office, note.id, f"# Debrief\n\nAdam: {CANARIES['debrief']}\n")

    from facilitator.services.partner import store as partner

    worker = Office.open(office.path, "pat")
    partner.init_store(worker, partner.key_source(PASSPHRASE))
    store = partner.open_store(worker, partner.key_source(PASSPHRASE))
    her = store.add_partner(
        "P0001", CANARIES["partner_name"], safe_contact=CANARIES["partner_safety"]
    )
    store.record_contact(
        her.id,
        "phone",
        her_account=CANARIES["partner_account"],
        safety_planning=CANARIES["partner_safety"],
    )
    groups.end_programme(admin, "P0002", "suspended", CANARIES["status_reason"])
    return office


def workspace_text(office) -> str:
    out = []
    for folder in ("data", "session_notes"):
        for path in (office.path / folder).rglob("*"):
            if path.is_file():
                out.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(out)


def test_canaries_were_really_stored(planted):
    text = workspace_text(planted)
    for name, canary in CANARIES.items():
        if name.startswith("partner_"):
            continue  # encrypted at rest: checked through the store below
        assert canary in text, f"{name} was not stored, so the report test below proves nothing"
    from facilitator.services.partner import store as partner

    store = partner.open_store(Office.open(planted.path, "pat"), partner.key_source(PASSPHRASE))
    assert store.partners("P0001")[0].name == CANARIES["partner_name"]
    assert store.contacts()[0].her_account == CANARIES["partner_account"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_contains_no_canary(planted, invoke, fmt):
    for pid in ("P0001", "P0002"):
        result = invoke("--user", "admin", "report", "participant", pid, "--format", fmt)
        assert result.exit_code == 0, result.output
        for name, canary in CANARIES.items():
            assert canary not in result.output, f"{name} leaked into the {fmt} report of {pid}"
            assert canary.split("-")[-1] not in result.output


def test_report_says_what_it_leaves_out(planted, invoke):
    md = invoke("--user", "admin", "report", "participant", "P0001").output
    assert (
        "It contains no check-in content, no debrief notes, no risk flag details and nothing from "
        "partner contact."
    ) in md
    html = invoke("--user", "admin", "report", "participant", "P0001", "--format", "html").output
    assert html.startswith("<!DOCTYPE html>") and "nothing from partner contact" in html


def test_report_holds_attendance_compliance_and_sessions(planted, invoke):
    md = invoke("--user", "admin", "report", "participant", "P0001").output
    assert md.startswith("# Progress report: Adam Example")
    assert "| Participant | Adam Example (P0001) |" in md
    assert "| Referrer's reference | REF-ADA |" in md
    assert "**●** On track" in md
    assert "breach: breach" not in md.lower() and "| | |" not in md  # said once; headed table
    assert "| 2026-11-03 | G1 | 1 | Why we are here | present |" in md
    assert "| 2026-11-10 | G1 | 2 | Time-out and a first safety plan | excused absence |" in md
    assert re.search(r"\| 2026-11-17 \| G1 \| 3 \| [^|]+ \| late \(5 min\) \|", md)
    covered = md.split("## Sessions covered")[1].split("## Sessions still to do")[0]
    assert "- Session 1: Why we are here" in covered and "Session 2:" not in covered
    to_do = md.split("## Sessions still to do")[1].split("## Engagement")[0]
    assert "- Session 2: Time-out and a first safety plan" in to_do and "- Session 24:" in to_do
    assert "- Excused absences: 1" in md and "- Attended: 2 of 2 expected (100%)" in md
    assert "No engagement summary has been written for this report." in md


def test_engagement_summary_stored_or_given(planted, invoke, tmp_path):
    stored = invoke(
        "--user",
        "admin",
        "report",
        "engagement",
        "P0001",
        "Arrives on time and *takes part*; names his controlling behaviour more readily.",
    )
    assert stored.exit_code == 0, stored.output
    md = invoke("--user", "admin", "report", "participant", "P0001").output
    # Typed text is kept inert: no Markdown emphasis, no HTML.
    assert (
        "Arrives on time and \\*takes part\\*; names his controlling behaviour more readily." in md
    )
    assert "— Test Admin, 2026-11-24" in md
    once = invoke(
        "--user",
        "admin",
        "report",
        "participant",
        "P0001",
        "--engagement",
        "<b>Engaged</b> this month",
    )
    assert "\\<b\\>Engaged\\</b\\> this month" in once.output
    html = invoke(
        "--user",
        "admin",
        "report",
        "participant",
        "P0001",
        "--engagement",
        "<b>Engaged</b>",
        "-o",
        str(tmp_path / "r.html"),
    )
    assert html.exit_code == 0
    page = (tmp_path / "r.html").read_text()
    assert "&lt;b&gt;Engaged&lt;/b&gt;" in page and "<b>" not in page
    assert stat.S_IMODE(os.stat(tmp_path / "r.html").st_mode) == 0o600
    # The one-off text was not stored.
    assert "Arrives on time" in invoke("--user", "admin", "report", "participant", "P0001").output


def test_report_needs_a_coordinator_and_is_audited(planted, invoke):
    refused = invoke("--user", "alex", "report", "participant", "P0001")
    assert refused.exit_code == 1 and "needs the role coordinator" in refused.output
    invoke("--user", "admin", "report", "participant", "P0001", "--format", "html")
    last = (planted.path / "data" / "audit.jsonl").read_text().strip().splitlines()[-1]
    assert '"action": "report"' in last and '"format": "html"' in last and "Adam" not in last


def test_report_for_a_man_never_enrolled(office, invoke):
    group_store.get_group(office, "G1")
    md = invoke("--user", "admin", "report", "participant", "P0003").output
    assert "No sessions have been held since he joined." in md
    assert "On track: no sessions held yet" in md
