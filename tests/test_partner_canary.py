"""Nothing a partner says leaves the partner store.

A full demo is built, a canary string planted in every partner-contact field, and then every
export, report, list and status command the group side has is run into the workspace. No file
outside the partner store holds a canary (xlsx and other zips are opened), no group-side
command prints one, no group-side screen draws one, and the store's own files hold none in
clear text.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import click
import pytest
from helpers.tui import screen_text, wait_for

from facilitator.demo.sign_in import PARTNER_PASSPHRASE as DEMO_PASSPHRASE
from facilitator.demo.sign_in import open_as

CANARIES = {
    "name": "CANARY-NAME-kestrel",
    "phone": "CANARY-PHONE-merlin",
    "safe_contact": "CANARY-SAFE-hobby",
    "notes": "CANARY-NOTES-osprey",
    "safety_planning": "CANARY-SAFETY-harrier",
    "her_account": "CANARY-ACCOUNT-buzzard",
    "wishes": "CANARY-WISHES-goshawk",
    "dash_note": "CANARY-DASHNOTE-kite",
    "dash_rationale": "CANARY-RATIONALE-falcon",
}
# Commands run with arguments; then every `list`, `due` and `status` of every group-side family.
EXPLICIT = [
    ["export", "attendance", "-o", "{ws}/exports/attendance.csv"],
    ["export", "attendance", "-o", "{ws}/exports/attendance.json"],
    ["export", "attendance", "-o", "{ws}/exports/attendance.xlsx"],
    ["export", "attendance", "--summary", "-o", "{ws}/exports/summary.csv"],
    ["export", "attendance", "--pseudonymise", "-o", "{ws}/exports/pseudo.csv"],
    ["report", "participant", "P0001", "-o", "{ws}/reports/P0001.md"],
    ["report", "participant", "P0001", "-o", "{ws}/reports/P0001.html"],
    ["report", "engagement", "P0001", "--json"],
    ["participant", "show", "P0001", "--json"],
    ["participant", "show", "P0001"],
    ["participant", "timeline", "P0001"],
    ["participant", "timeline", "P0001", "--json"],
    ["participant", "contact", "list", "P0001", "--json"],
    ["participant", "child", "list", "P0001", "--json"],
    ["participant", "note", "list", "P0001"],
    ["participant", "note", "list", "P0001", "--json"],
    ["participant", "export-data", "P0001", "-o", "{ws}/exports/sar-P0001"],
    ["intake", "show", "P0001", "--json"],
    ["individual", "list", "--json"],
    ["compliance", "status", "--all", "--json"],
    ["risk", "list", "--status", "all", "--json"],
    ["audit", "--limit", "1000000", "--json"],
    ["marac", "prompts", "--all"],
    ["marac", "actions", "--all", "--json"],
    ["participant", "export-data", "P0001", "-o", "{ws}/exports/P0001-sar.json"],
    ["group", "plan", "G1", "--json"],
    ["group", "calendar", "G1", "-o", "{ws}/exports/g1.ics"],
    ["staff", "calendar", "alex", "-o", "{ws}/exports/alex.ics"],
    ["backup", "-o", "{ws}/../all.archive"],  # outside: backup refuses to write into the workspace
]
# Every kind of letter in every form, about the man whose partner holds the canaries where the
# kind has something to say about him (a breach and an ending need other men on the demo).
LETTER_MEN = {
    "referral_acknowledgement": "P0001",
    "invitation": "P0001",
    "assessment_outcome": "P0001",
    "absence_warning": "P0001",
    "breach_notice": "P0014",
    "progress_report": "P0001",
    "end_of_programme": "P0021",
}
LETTERS = [
    ["letter", "write", kind, pid, "-o", f"{{ws}}/reports/letter-{kind}.{form}"]
    for kind, pid in LETTER_MEN.items()
    for form in ("docx", "md", "html")
] + [["compliance", "notify", "RN0002", "--how", "secure_email", "--letter"]]
EXPLICIT += LETTERS
SKIP_FAMILIES = {"partner", "demo", "init", "run", "restore"}


def _family_commands() -> list[list[str]]:
    from facilitator.cli import cli

    out = []
    for name, cmd in sorted(cli.commands.items()):
        if name in SKIP_FAMILIES or not isinstance(cmd, click.Group):
            continue
        for sub in ("list", "due", "status"):
            if sub in cmd.commands:
                takes_json = any(
                    "--json" in p.opts
                    for p in cmd.commands[sub].params
                    if isinstance(p, click.Option)
                )
                out.append([name, sub] + (["--json"] if takes_json else []))
    return out


@pytest.fixture
def planted(tmp_path, invoke, monkeypatch, demo_sign_in):
    from facilitator.demo.workspace import build_demo

    ws = tmp_path / "demo"
    build_demo(ws)
    monkeypatch.setenv("FACILITATOR_WORKSPACE", str(ws))
    monkeypatch.setenv("FACILITATOR_PARTNER_PASSPHRASE", DEMO_PASSPHRASE)
    monkeypatch.setenv("FACILITATOR_BACKUP_PASSPHRASE", "backup passphrase for the canary test")
    c = CANARIES
    r = invoke(
        "--user",
        "pat",
        "partner",
        "add",
        "P0001",
        c["name"],
        "--phone",
        c["phone"],
        "--safe-contact",
        c["safe_contact"],
        "--notes",
        c["notes"],
    )
    assert r.exit_code == 0, r.output
    partner_id = r.output.split()[1].rstrip(":")
    r = invoke(
        "--user",
        "pat",
        "partner",
        "contact",
        partner_id,
        "--mode",
        "phone",
        "--safety-planning",
        c["safety_planning"],
        "--account",
        c["her_account"],
        "--wishes",
        c["wishes"],
    )
    assert r.exit_code == 0, r.output
    contact_id = r.output.split()[1].rstrip(":")
    r = invoke(
        "--user",
        "pat",
        "partner",
        "concern",
        partner_id,
        "--category",
        "weapons",
        "--contact",
        contact_id,
    )
    assert r.exit_code == 0, r.output
    # A risk checklist with her: high on the count, with her worker's notes and rationale.
    answers = [f"--answer={n}=yes" for n in range(1, 16)]
    r = invoke(
        "--user",
        "pat",
        "partner",
        "dash",
        "record",
        partner_id,
        *answers,
        f"--note=15={c['dash_note']}",
        "--level",
        "medium",
        "--rationale",
        c["dash_rationale"],
    )
    assert r.exit_code == 0 and "level high" in r.output, r.output
    # The partner side itself shows them (so the canaries are really in the store).
    shown = invoke("--user", "pat", "partner", "show", partner_id).output
    shown += invoke("--user", "pat", "partner", "dash", "show", partner_id).output
    assert all(value in shown for value in CANARIES.values())
    return ws


def _texts(path: Path) -> list[bytes]:
    """The bytes of a file, and of every member when it is a zip (xlsx)."""
    data = path.read_bytes()
    out = [data]
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            out += [z.read(n) for n in z.namelist()]
    return out


def _holding(root: Path, skip: Path | None = None) -> list[str]:
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or (skip and path.is_relative_to(skip)):
            continue
        for blob in _texts(path):
            found += [
                f"{path.relative_to(root)}: {name}"
                for name, value in CANARIES.items()
                if value.encode("utf-8") in blob
            ]
    return found


def test_no_canary_outside_the_partner_store(planted, invoke):
    ws = planted
    printed = []
    ran = []
    for args in [[a.format(ws=ws) for a in cmd] for cmd in EXPLICIT] + _family_commands():
        for folder in ("exports", "reports", "backups"):
            (ws / folder).mkdir(exist_ok=True)
        result = invoke("--user", "admin", *args)
        printed.append(result.output)
        if result.exit_code == 0:
            ran.append(" ".join(args[:2]))
    # The commands that make files did make them (this test must not pass by running nothing).
    assert (ws / "exports" / "attendance.xlsx").is_file() and (
        ws / "reports" / "P0001.html"
    ).is_file()
    assert (ws.parent / "all.archive").is_file()
    # His case file and timeline were shown and exported (P0001 has a partner and her concern).
    assert (ws / "exports" / "sar-P0001.json").is_file()
    assert any("agency contact added" in out for out in printed)
    # Every letter was written (into reports/ and the workspace's letters/sent/).
    for kind in LETTER_MEN:
        for form in ("docx", "md", "html"):
            assert (ws / "reports" / f"letter-{kind}.{form}").is_file(), (kind, form)
    assert len(list((ws / "letters" / "sent").rglob("*.*"))) >= len(LETTERS)
    assert (ws / "exports" / "g1.ics").is_file() and (ws / "exports" / "alex.ics").is_file()
    # The backup is encrypted; none of her words may be readable in it either.
    assert _holding(ws.parent, skip=ws) == []
    assert len(ran) >= 15, ran
    leaks = _holding(ws, skip=ws / "partner")
    assert leaks == []
    for output in printed:
        assert not any(value in output for value in CANARIES.values())
    # The store's files on disk: none of them in clear text either.
    store_files = [p for p in (ws / "partner").rglob("*") if p.is_file()]
    assert len(store_files) >= 2
    assert _holding(ws / "partner") == []
    # The audit log names the records, never their content.
    audit = (ws / "data" / "audit.jsonl").read_text()
    assert "partner_contact" in audit and all(v not in audit for v in CANARIES.values())


async def test_no_canary_on_a_group_screen(planted):
    from facilitator.tui.app import FacilitatorApp
    from facilitator.tui.screens.case_file import CaseFileScreen
    from facilitator.tui.screens.case_timeline import CaseTimelineScreen
    from facilitator.tui.screens.intake_checklist import IntakeChecklistScreen
    from facilitator.tui.screens.plan import PlanScreen

    # Even partner support staff opening the group side see nothing of the partner side there.
    for user in ("pat", "admin", "alex"):
        office = open_as(planted, user)
        app = FacilitatorApp(office)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(
                pilot, lambda app=app: app.home_ready, what="the home screen", timeout=10
            )
            seen = [screen_text(app)]
            app.push_screen(IntakeChecklistScreen("P0001", office))
            await pilot.pause()
            seen.append(screen_text(app))
            app.pop_screen()
            await pilot.pause()
            app.push_screen(CaseTimelineScreen("P0001", office))
            await pilot.pause(0.5)  # partner support is refused it: nothing loads
            seen.append(screen_text(app))
            if user != "pat":
                assert "referral" in seen[-1], seen[-1]
            app.pop_screen()
            await pilot.pause()
            app.action_risk_queue()
            await pilot.pause(0.3)
            seen.append(screen_text(app))
            app.pop_screen()
            await pilot.pause()
            app.push_screen(CaseFileScreen("P0001", office))
            await pilot.pause(0.5)  # partner support is refused it too
            seen.append(screen_text(app))
            if user != "pat":
                assert "Case file · P0001" in seen[-1] and "His details" in seen[-1]
            app.pop_screen()
            await pilot.pause()
            app.push_screen(PlanScreen("G1"))
            await pilot.pause(0.3)
            seen.append(screen_text(app))
            assert "Plan · G1" in seen[-1]
            app.pop_screen()
            await pilot.pause()
            app.open_session("G1")
            await pilot.pause(0.5)
            seen.append(screen_text(app))
            # The letters screen: every kind previewed about the man whose partner holds them.
            from facilitator.services.letters.kinds import KINDS
            from facilitator.tui.screens.letters import LettersScreen

            for kind in KINDS:
                app.push_screen(LettersScreen("P0001", office, kind.id))
                await wait_for(pilot, lambda: app.screen.loaded or not app.screen.allowed)
                await pilot.pause()
                seen += [screen_text(app), app.screen.text]
                app.pop_screen()
                await pilot.pause()
            for text in seen:
                assert not any(value in text for value in CANARIES.values()), user
        assert json.dumps(seen)  # screens were read
