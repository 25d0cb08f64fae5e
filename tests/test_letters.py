"""Letters: every kind written from the programme's Word templates, on the demo, in every form;
templates the programme edits; unknown placeholders refused; breach notices with the task."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import FIXED_NOW, as_coordinator, enrol_all
from docx import Document

from facilitator.services.letters.kinds import KINDS

# On the demo: a man each kind has something to say about.
DEMO_MAN = {
    "referral_acknowledgement": "P0001",
    "invitation": "P0019",
    "assessment_outcome": "P0022",
    "absence_warning": "P0014",
    "breach_notice": "P0014",
    "progress_report": "P0003",
    "end_of_programme": "P0021",
}
FORMS = ("docx", "md", "html")


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory):
    """One demo built for the module; each test works on its own copy."""
    from facilitator.demo.workspace import build_demo

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACILITATOR_NOW", FIXED_NOW)
        path = tmp_path_factory.mktemp("letters") / "demo"
        build_demo(path)
    return path


@pytest.fixture
def demo(demo_copy, tmp_path, monkeypatch, demo_sign_in):
    ws = tmp_path / "demo"
    shutil.copytree(demo_copy, ws)
    monkeypatch.setenv("FACILITATOR_WORKSPACE", str(ws))
    return ws


def _words_of(path: Path) -> str:
    """Everything a reader sees in a written letter, whatever its form."""
    if path.suffix == ".docx":
        doc = Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return "\n".join(parts)
    return path.read_text(encoding="utf-8")


def _facts(ws: Path, pid: str) -> dict[str, str]:
    from facilitator.demo.sign_in import open_as
    from facilitator.services.core.people import get_participant

    person = get_participant(open_as(ws, "morgan"), pid)
    return {
        "programme": "Demo Programme (synthetic data)",
        "man": person.name,
        "reference": person.id,
        "date": "24 November 2026",
        "signature": "Morgan Demo-Coordinator",
        "sign-off": "Yours sincerely",
        "role": "Programme coordinator",
    }


@pytest.mark.parametrize("kind", [k.id for k in KINDS])
def test_every_kind_in_every_form_holds_the_letters_facts(demo, invoke, kind, tmp_path):
    pid = DEMO_MAN[kind]
    facts = _facts(demo, pid)
    addressee = "Demo Referrer Team" if kind not in ("invitation", "absence_warning") else ""
    for form in FORMS:
        out = tmp_path / f"{kind}.{form}"
        result = invoke("--user", "morgan", "letter", "write", kind, pid, "-o", str(out))
        assert result.exit_code == 0, result.output
        words = _words_of(out)
        for what, value in facts.items():
            assert value in words, (kind, form, what)
        if addressee:
            assert addressee in words, (kind, form)
        else:  # to the man himself: his own name heads the letter
            assert f"Dear {facts['man'].split()[0]}" in words
        if kind != "invitation" and kind != "absence_warning":
            from facilitator.demo.sign_in import open_as
            from facilitator.services.core.people import get_participant

            ref = get_participant(open_as(demo, "morgan"), pid).referrer_reference
            assert ref in words, (kind, form)
        assert "{{" not in words and "{%" not in words  # every placeholder filled
    html = (tmp_path / f"{kind}.html").read_text()
    assert "@page" in html and "size: A4" in html and "counter(page)" in html


def test_a_letter_is_recorded_kept_private_and_audited_without_its_words(demo, invoke):
    result = invoke("--user", "morgan", "letter", "write", "progress_report", "P0003")
    assert result.exit_code == 0, result.output
    listed = json.loads(invoke("--user", "morgan", "letter", "list", "P0003", "--json").output)
    assert len(listed) == 1
    row = listed[0]
    assert row["kind"] == "progress_report" and row["participant_id"] == "P0003"
    assert row["written_by"] == "morgan" and row["date"] == "2026-11-24"
    assert "Demo Referrer Team" in row["addressee"]
    kept = demo / row["file"]
    assert kept.is_file() and kept.parent == demo / "letters" / "sent" / "P0003"
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == row["sha256"]
    # Everyone's list holds it too, beside the demo's own letters.
    everyone = invoke("--user", "morgan", "letter", "list").output
    assert row["id"] in everyone and "LT0001" in everyone
    audit = (demo / "data" / "audit.jsonl").read_text().splitlines()
    line = json.loads(next(x for x in audit if row["id"] in x))
    assert line["kind"] == "letter" and line["action"] == "write"
    assert "Carl" not in json.dumps(line) and "Testcase" not in json.dumps(line)


def test_the_date_and_the_addressee_can_be_given(demo, invoke, tmp_path):
    out = tmp_path / "to-him.md"
    result = invoke(
        "--user",
        "morgan",
        *("letter", "write", "progress_report", "P0003", "--to", "man"),
        *("--date", "2026-11-20", "-o", str(out)),
    )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "20 November 2026" in text and "Dear Carl" in text
    bad = invoke("--user", "morgan", "letter", "write", "progress_report", "P0003", "--to", "X1")
    assert bad.exit_code != 0 and len(bad.output.strip().splitlines()) == 1
    assert "X1" in bad.output


def _template(ws: Path, kind: str) -> Path:
    return ws / "letters" / "templates" / f"{kind}.docx"


def test_the_programme_edits_a_template_and_the_letter_follows(demo, invoke, tmp_path):
    path = _template(demo, "progress_report")
    doc = Document(str(path))
    # A new paragraph of the programme's own, with a placeholder in it.
    doc.add_paragraph("Please quote {{ man.id }} when you reply. Our line: {{ programme.phone }}.")
    # A placeholder moved: the man's name now leads the salutation paragraph.
    for p in doc.paragraphs:
        if p.text == "{{ to.salutation }},":
            for r in p.runs[1:]:
                r.text = ""
            p.runs[0].text = "For the attention of {{ to.name }}, about {{ man.name }}:"
    doc.save(str(path))
    out = tmp_path / "edited.docx"
    result = invoke(
        "--user", "morgan", "letter", "write", "progress_report", "P0003", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    words = _words_of(out)
    assert "Please quote P0003 when you reply. Our line: 0000 000 0000 (demo)." in words
    assert "For the attention of Demo Referrer Team, about Carl Testcase:" in words
    assert "Dear Demo Referrer Team" not in words
    assert "Please quote P0003" in _words_of(
        _write_md(invoke, tmp_path, "progress_report", "P0003")
    )


def _write_md(invoke, tmp_path, kind, pid) -> Path:
    out = tmp_path / f"{kind}-again.md"
    result = invoke("--user", "morgan", "letter", "write", kind, pid, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize(
    "placeholder, named",
    [
        ("{{ man.shoe_size }}", "man.shoe_size"),
        ("{{ partner_name }}", "partner_name"),
        ("{% if checkin.summary %}x{% endif %}", "checkin"),
    ],
)
def test_an_unknown_placeholder_is_one_line_naming_the_template_and_it(
    demo, invoke, placeholder, named
):
    path = _template(demo, "progress_report")
    doc = Document(str(path))
    doc.add_paragraph(f"Extra: {placeholder}")
    doc.save(str(path))
    checked = invoke("--user", "morgan", "letter", "check")
    assert checked.exit_code != 0
    lines = checked.output.strip().splitlines()
    assert len(lines) == 1, checked.output
    assert "letters/templates/progress_report.docx" in lines[0] and named in lines[0]
    before = sorted((demo / "letters" / "sent").rglob("*"))
    wrote = invoke("--user", "morgan", "letter", "write", "progress_report", "P0003")
    assert wrote.exit_code != 0
    lines = wrote.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "progress_report.docx" in lines[0] and named in lines[0]
    assert sorted((demo / "letters" / "sent").rglob("*")) == before  # no half-filled letter
    listed = json.loads(invoke("--user", "morgan", "letter", "list", "P0003", "--json").output)
    assert listed == []


def test_an_unknown_name_inside_a_table_loop_is_named_too(demo, invoke):
    path = _template(demo, "progress_report")
    doc = Document(str(path))
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.text == "{{ r.attendance }}":
                    cell.paragraphs[0].runs[0].text = "{{ r.reason_typed }}"
    doc.save(str(path))
    checked = invoke("--user", "morgan", "letter", "check")
    assert checked.exit_code != 0
    assert "progress_report.docx" in checked.output and "reason_typed" in checked.output
    assert len(checked.output.strip().splitlines()) == 1


def test_the_shipped_templates_check_clean_and_init_copies_them(invoke, tmp_path):
    ws = tmp_path / "new"
    assert invoke("init", str(ws), "--name", "New Programme").exit_code == 0
    copied = sorted(p.name for p in (ws / "letters" / "templates").iterdir())
    assert copied == sorted(k.template_file for k in KINDS)
    result = invoke("--workspace", str(ws), "letter", "check")
    assert result.exit_code == 0, result.output
    assert "7 templates checked" in result.output
    kinds = invoke("letter", "kinds").output
    assert all(k.id in kinds for k in KINDS)


def test_a_removed_template_falls_back_to_the_default(demo, invoke, tmp_path):
    _template(demo, "invitation").unlink()
    out = tmp_path / "inv.md"
    result = invoke("--user", "morgan", "letter", "write", "invitation", "P0019", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Dear Quinn" in out.read_text()


def test_compliance_notify_with_the_letter_closes_the_task_and_records_both(demo, invoke):
    due = json.loads(invoke("--user", "morgan", "compliance", "due", "--json").output)
    task = next(t for t in due if t["participant_id"] == "P0014")
    result = invoke(
        "--user",
        "morgan",
        *("compliance", "notify", task["id"], "--how", "secure_email", "--letter"),
    )
    assert result.exit_code == 0, result.output
    assert "breach notice" in result.output and f"{task['id']} closed" in result.output
    still = json.loads(invoke("--user", "morgan", "compliance", "due", "--json").output)
    assert task["id"] not in {t["id"] for t in still}
    letters = json.loads(invoke("--user", "morgan", "letter", "list", "P0014", "--json").output)
    assert [(x["kind"], x["task_id"]) for x in letters] == [("breach_notice", task["id"])]
    kept = demo / letters[0]["file"]
    words = _words_of(kept)
    assert task["what"] in words  # the letter tells of this breach
    audit = [json.loads(x) for x in (demo / "data" / "audit.jsonl").read_text().splitlines()]
    close = next(
        a
        for a in audit
        if a["kind"] == "notify_task" and a["action"] == "close" and a["id"] == task["id"]
    )
    write = next(a for a in audit if a["kind"] == "letter" and a["id"] == letters[0]["id"])
    # One action, written together: the close, what was shared with the referrer, the letter.
    between = [a["kind"] for a in audit if close["seq"] < a["seq"] < write["seq"]]
    assert between == ["information_sharing"], between
    # Told already: the second try writes no letter either.
    again = invoke(
        "--user",
        "morgan",
        *("compliance", "notify", task["id"], "--how", "letter", "--letter"),
    )
    assert again.exit_code != 0 and len(again.output.strip().splitlines()) == 1
    letters = json.loads(invoke("--user", "morgan", "letter", "list", "P0014", "--json").output)
    assert len(letters) == 1
    assert len(list(kept.parent.iterdir())) == 1


def test_a_letter_needs_a_coordinator(demo, invoke):
    result = invoke("--user", "alex", "letter", "write", "progress_report", "P0003")
    assert result.exit_code != 0 and "may not write a letter" in result.output


def test_letters_with_nothing_to_say_are_refused(demo, invoke):
    for kind, pid in (
        ("breach_notice", "P0001"),
        ("end_of_programme", "P0003"),
        ("assessment_outcome", "P0019"),
    ):
        result = invoke("--user", "morgan", "letter", "write", kind, pid)
        assert result.exit_code != 0, (kind, result.output)
        assert len(result.output.strip().splitlines()) == 1


# -- a completion, in the ordinary test workspace -------------------------------------------------
def test_a_completion_letter_says_what_he_did_and_never_that_he_is_safe(office, invoke, tmp_path):
    from facilitator.services.compliance import ending
    from facilitator.services.reporting.referrer_report import set_engagement

    enrol_all(office)
    admin = as_coordinator(office)
    set_engagement(admin, "P0001", "He named his controlling behaviour and practised time-out.")
    ending.end_programme(admin, "P0001", "completed", "", "2026-11-20", decision="test decision")
    out = tmp_path / "end.md"
    result = invoke(
        "--user", "admin", "letter", "write", "end_of_programme", "P0001", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "completed" in text and "not evidence that he is safe" in text
    assert "He named his controlling behaviour and practised time-out." in text
    assert "no longer a risk" not in text.lower()
    assert "test decision" not in text  # the reason typed for the file stays on the file


def test_a_template_that_says_he_is_no_longer_a_risk_is_refused(office, invoke, tmp_path):
    from facilitator.services.compliance import ending

    enrol_all(office)
    admin = as_coordinator(office)
    ending.end_programme(admin, "P0001", "completed", "", "2026-11-20", decision="test")
    path = office.path / "letters" / "templates" / "end_of_programme.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    from facilitator.services.letters.kinds import kind_named
    from facilitator.services.letters.templates import bundled_template

    shutil.copyfile(bundled_template(kind_named("end_of_programme")), path)
    doc = Document(str(path))
    doc.add_paragraph("Having completed, {{ man.first_name }} is no longer a risk.")
    doc.save(str(path))
    result = invoke("--user", "admin", "letter", "write", "end_of_programme", "P0001")
    assert result.exit_code != 0
    assert "no longer a risk" in result.output and "end_of_programme.docx" in result.output
    assert not (office.path / "letters" / "sent" / "P0001").exists() or not any(
        (office.path / "letters" / "sent" / "P0001").iterdir()
    )


def test_a_self_referred_man_has_no_referrer_to_write_to(office, invoke):
    from facilitator.services.core import people

    people.add_participant(office, "Dan Selfref", "self")
    result = invoke("--user", "admin", "letter", "write", "progress_report", "P0004")
    assert result.exit_code != 0 and "--to man" in result.output
    result = invoke("--user", "admin", "letter", "write", "progress_report", "P0004", "--to", "man")
    assert result.exit_code == 0, result.output


def test_the_context_is_exactly_the_allow_list():
    from facilitator.services.letters import fields
    from facilitator.services.letters.service import sample_context

    ctx = sample_context()
    assert set(ctx) == set(fields.FIELDS)
    for top, group in ctx.items():
        assert set(group.as_dict()) == set(fields.FIELDS[top])
    # Nothing partner-side, nothing from check-ins, debriefs or flags can even be named.
    names = json.dumps(fields.FIELDS) + json.dumps(fields.ITEMS)
    for never in ("partner", "checkin", "summary", "flag", "debrief", "disclosure", "risk"):
        assert never not in names, never


def test_html_letter_is_one_page_of_plain_markup(demo, invoke, tmp_path):
    out = tmp_path / "p.html"
    assert (
        invoke(
            "--user", "morgan", "letter", "write", "progress_report", "P0003", "-o", str(out)
        ).exit_code
        == 0
    )
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    assert io.StringIO(html).read().count("<h1>") == 1


# -- nothing a letter may not carry ---------------------------------------------------------------
@pytest.mark.parametrize("form", FORMS)
def test_no_letter_carries_checkins_flags_debriefs_reasons_or_partner_words(
    form, office, invoke, tmp_path
):
    """Adam's record with a canary in every kind of content a letter must leave out (check-in
    summaries, reasons typed with marks, flag details and reviews, a debrief, his partner's
    record, the reason typed when a man was suspended): no kind of letter holds any."""
    from test_reports_participant import CANARIES
    from test_reports_participant import planted as make_planted

    planted = make_planted.__wrapped__(office)  # the fixture's own body, on this workspace
    for kind, pid in (
        ("referral_acknowledgement", "P0001"),
        ("invitation", "P0001"),
        ("assessment_outcome", "P0001"),
        ("absence_warning", "P0001"),
        ("progress_report", "P0001"),
        ("end_of_programme", "P0002"),
    ):
        out = tmp_path / f"{kind}.{form}"
        result = invoke("--user", "admin", "letter", "write", kind, pid, "-o", str(out))
        assert result.exit_code == 0, (kind, result.output)
        blobs = [out.read_bytes()]
        if form == "docx":
            import zipfile

            with zipfile.ZipFile(out) as z:
                blobs += [z.read(n) for n in z.namelist()]
        for name, canary in CANARIES.items():
            for blob in blobs:
                assert canary.encode() not in blob, (kind, form, name)
                assert canary.split("-")[-1].encode() not in blob, (kind, form, name)
    assert planted.path == office.path


def test_a_letter_to_an_agency_contact_is_addressed_to_them_and_logged_as_sharing(
    demo, invoke, tmp_path
):
    import json

    added = invoke(
        "--user",
        "morgan",
        *("participant", "contact", "add", "P0003", "--role", "probation_officer"),
        *("--agency", "Sampleshire Probation", "--name", "Dana Officer"),
    )
    assert added.exit_code == 0, added.output
    contacts = json.loads(
        invoke("--user", "morgan", "participant", "contact", "list", "P0003", "--json").output
    )
    cid = next(c["id"] for c in contacts if c["name"] == "Dana Officer")
    before = json.loads(invoke("--user", "morgan", "sharing", "list", "P0003", "--json").output)
    out = tmp_path / "to-dana.md"
    result = invoke(
        "--user",
        "morgan",
        *("letter", "write", "progress_report", "P0003", "--to", cid, "-o", str(out)),
    )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert (
        "Dana Officer" in text and "Sampleshire Probation" in text and "Dear Dana Officer" in text
    )
    after = json.loads(invoke("--user", "morgan", "sharing", "list", "P0003", "--json").output)
    [new] = [r for r in after if r["id"] not in {b["id"] for b in before}]
    assert (new["information"], new["means"], new["to_agency"]) == (
        "progress",
        "letter",
        "Dana Officer, Sampleshire Probation",
    )
    # A letter to the man himself shares nothing with another agency.
    to_him = invoke(
        "--user", "morgan", "letter", "write", "absence_warning", "P0003", "--to", "man"
    )
    assert to_him.exit_code == 0 or "nothing" in to_him.output
    final = json.loads(invoke("--user", "morgan", "sharing", "list", "P0003", "--json").output)
    assert len(final) == len(after)


def test_the_wording_check_reads_each_paragraph_once_as_word_shows_it():
    """The check reads the filled letter's own paragraphs: a phrase split across runs in Word
    is still one phrase, and no paragraph is read twice (which could join two into a match)."""
    from docx.oxml.ns import qn

    from facilitator.services.letters.text import words_of

    doc = Document()
    p = doc.add_paragraph()
    for run in ("He is no ", "longer ", "a risk."):
        p.add_run(run)
    doc.add_paragraph("Second paragraph.")
    table = doc.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "In a table."
    lines = words_of(doc).splitlines()
    assert lines == ["He is no longer a risk.", "Second paragraph.", "In a table."]
    assert len(lines) == len(list(doc.element.body.iter(qn("w:p"))))


def test_his_subject_access_export_lists_his_letters_and_holds_their_files(demo, invoke, tmp_path):
    """A letter about him is his personal data: listed in the export, the file beside it."""
    wrote = invoke("--user", "morgan", "letter", "write", "progress_report", "P0003")
    assert wrote.exit_code == 0, wrote.output
    (row,) = json.loads(invoke("--user", "morgan", "letter", "list", "P0003", "--json").output)
    out = tmp_path / "sar"
    result = invoke("--user", "morgan", "participant", "export-data", "P0003", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "not exported" not in result.output  # letters are a known kind of record now
    data = json.loads((tmp_path / "sar.json").read_text())
    (listed,) = [x for x in data["letters"] if x["id"] == row["id"]]
    assert listed["kind"] == "progress_report" and "Demo Referrer Team" in listed["addressee"]
    assert "Letters written to you or about you" in (tmp_path / "sar.html").read_text()
    copy = tmp_path / "sar-letters" / Path(row["file"]).name
    assert copy.read_bytes() == (demo / row["file"]).read_bytes()
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(copy.parent).st_mode) == 0o700
