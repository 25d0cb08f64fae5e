"""Progress reports for referrers: attendance, compliance, sessions covered and still
to do, and an engagement summary the coordinator writes.

A report can reach the man himself, so it is built only from what may: his referral details,
his group dates, attendance marks (status and minutes, never the reasons typed with them),
the curriculum's session titles, the compliance rules and the coordinator's summary. It never
opens check-ins, debriefs, risk flags or partner contact, and it says so.

    data/reports/engagement/<participant>.json   the coordinator's summaries, newest last
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from facilitator import clock
from facilitator.domain.compliance import (
    LATE_ABSENCE,
    SESSION_CANCELLED,
    Compliance,
    Mark,
    counts_as,
)
from facilitator.domain.participant import Participant
from facilitator.domain.record import Record
from facilitator.domain.values import check_choice, require_text
from facilitator.errors import InvalidInput
from facilitator.services.compliance.status import Standing, limits_in_words, standing
from facilitator.services.core.group_store import list_groups
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.core.sharing import record_sharing
from facilitator.services.groupwork import attendance as records
from facilitator.services.reporting.exports import SessionTitles
from facilitator.storage.stores import all_docs, put_doc, safe_name

REPORT_FORMATS = ("md", "html")
STATEMENT = (
    "This report contains attendance, compliance with the programme's rules and an engagement "
    "summary written by the programme coordinator. It contains no check-in content, no debrief "
    "notes, no risk flag details and nothing from partner contact."
)
MAX_ENGAGEMENT_CHARS = 4000


@dataclass
class EngagementNote(Record):
    id: str
    participant_id: str
    text: str
    written_by: str
    written_on: str


def _engagement_store(office: Office, participant_id: str, write: bool = False):
    return office.stores.store(
        f"reports/engagement/{safe_name(participant_id, 'participant id')}.json",
        "engagement",
        write,
    )


def engagement_of(office: Office, participant_id: str) -> EngagementNote | None:
    with _engagement_store(office, participant_id) as db:
        notes = [EngagementNote.from_dict(d) for d in all_docs(db, "summaries")]
    return max(notes, key=lambda n: n.id) if notes else None


def set_engagement(office: Office, participant_id: str, text: str) -> EngagementNote:
    """Store the coordinator's engagement summary for his next reports (earlier ones are kept)."""
    office.require_role("coordinator", doing="write an engagement summary for a report")
    person = get_participant(office, participant_id)
    text = _check_engagement(text)
    with office.stores.writing():
        with _engagement_store(office, person.id, write=True) as db:
            n = len(db.table("summaries")) + 1
            note = EngagementNote(
                f"{person.id}-E{n:03d}", person.id, text, office.user, clock.today().isoformat()
            )
            put_doc(db, "summaries", note.to_dict())
        office.audit("write", "engagement_summary", note.id)
    return note


def _check_engagement(text: str) -> str:
    text = require_text(text, "engagement summary")
    if len(text) > MAX_ENGAGEMENT_CHARS:
        raise InvalidInput(
            f"the engagement summary has {len(text)} characters; keep it under "
            f"{MAX_ENGAGEMENT_CHARS}"
        )
    return text


# -- building the report -------------------------------------------------------------------------
@dataclass
class ReportData:
    programme: str
    prepared_on: str
    prepared_by: str
    standing: Standing
    groups: list[tuple[str, str, str, str]]  # id, name, joined, left
    attendance: list[tuple[str, str, int, str, str]]  # date, group, number, title, in words
    covered: list[tuple[int, str]]
    to_do: list[tuple[int, str]]
    engagement: str
    engagement_by: str = ""
    statement: str = STATEMENT
    limits: str = field(default="")
    groups_by_id: dict = field(default_factory=dict, repr=False)  # every group, as read

    @property
    def compliance(self) -> Compliance:
        return self.standing.compliance


def _attendance_words(mark: Mark, standing_: Standing) -> str:
    status = mark.status
    if status is None:
        return "not marked"
    words = {
        "present": "present",
        "excused": "excused absence",
        "unexcused": "unexcused absence",
        SESSION_CANCELLED: "session cancelled (not an absence)",
    }.get(status, status)
    if status == "late":
        words = f"late ({mark.minutes_late} min)"
    elif status == "left_early":
        words = f"left early ({mark.minutes_missed} min missed)"
    if counts_as(mark, standing_.rules) == LATE_ABSENCE:
        words += ", counted as an absence"
    return words


def report_data(
    office: Office,
    participant_id: str,
    engagement: str | None = None,
    person: Participant | None = None,
) -> ReportData:
    groups = {g.id: g for g in list_groups(office)}
    s = standing(office, participant_id, person, groups)
    titles = _titles(office, s, groups)
    marks_by_group: list[tuple[str, Mark]] = []
    for gid in sorted({e.group_id for e in s.enrolments}):
        for mark in records.marks_in_group(office, gid, s.enrolments).get(s.person.id, []):
            marks_by_group.append((gid, mark))
    marks_by_group.sort(key=lambda gm: gm[1].date)
    if engagement is not None:
        text, by = _check_engagement(engagement), office.actor.name
    else:
        note = engagement_of(office, s.person.id)
        text, by = (
            (note.text, _staff_name(office, note.written_by) + f", {note.written_on}")
            if note
            else ("", "")
        )
    c = s.compliance
    return ReportData(
        programme=office.setting("programme.name", ""),
        prepared_on=clock.today().isoformat(),
        prepared_by=office.actor.name,
        standing=s,
        groups=[
            (
                e.group_id,
                groups[e.group_id].name if e.group_id in groups else "",
                e.joined_on,
                e.left_on,
            )
            for e in sorted(s.enrolments, key=lambda e: e.joined_on)
        ],
        attendance=[
            (
                m.date,
                gid,
                m.curriculum_session,
                titles.get(m.curriculum_session, ""),
                _attendance_words(m, s),
            )
            for gid, m in marks_by_group
        ],
        covered=[(n, titles.get(n, "")) for n in c.covered],
        to_do=[(n, titles.get(n, "")) for n in c.to_do],
        engagement=text,
        engagement_by=by,
        limits=limits_in_words(s.rules),
        groups_by_id=groups,
    )


def _staff_name(office: Office, staff_id: str) -> str:
    return next((m.name for m in office.staff() if m.id == staff_id), staff_id)


def _titles(office: Office, s: Standing, groups: dict) -> dict[int, str]:
    latest = sorted(s.enrolments, key=lambda e: e.joined_on)
    if not latest or latest[-1].group_id not in groups:
        return {}

    return SessionTitles(office)(groups[latest[-1].group_id].curriculum)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _md(text: str) -> str:
    """Text typed by people, made inert in Markdown (and so in the HTML made from it)."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return "\\" + text if text.startswith(("#", "-", "+", "=")) else text


def standing_words(c) -> str:
    """His standing as a probation officer reads it: the state said once, then why."""
    if c.status == "breach":
        return "Breach of the programme's requirements, action needed: " + "; ".join(
            b.words() for b in c.breaches
        )
    return c.reason[:1].upper() + c.reason[1:]


def render_markdown(d: ReportData) -> str:
    p = d.standing.person
    c = d.compliance
    out = [f"# Progress report: {_md(p.name)}", ""]
    out += [f"*{_md(d.statement)}*", ""]
    out += [
        "| Details | |",
        "| --- | --- |",
        f"| Programme | {_md(d.programme)} |",
        f"| Participant | {_md(p.name)} ({p.id}) |",
        f"| Referred by | {_md(p.referral_source.replace('_', ' '))}"
        + (f": {_md(p.referrer)}" if p.referrer else "")
        + " |",
        f"| Referrer's reference | {_md(p.referrer_reference) or '—'} |",
        f"| Report date | {d.prepared_on} |",
        f"| Prepared by | {_md(d.prepared_by)} |",
        "",
    ]
    out += [
        "## Compliance",
        "",
        f"**{c.symbol}** {_md(standing_words(c))}",
        "",
        f"Limits: {_md(d.limits)}.",
        "",
    ]
    out += ["## Attendance", ""]
    expected = c.attended + c.unexcused
    out += [
        f"- Sessions held while enrolled: {c.sessions_held}"
        + (f" (and {c.unmarked} not marked)" if c.unmarked else ""),
        f"- Attended: {c.attended}"
        + (f" of {expected} expected ({c.attendance_percent:.0f}%)" if expected else ""),
        f"- Excused absences: {c.excused}",
        f"- Unexcused absences: {c.unexcused}"
        + (
            f" (including {c.late_as_absence} late or left early past the limit)"
            if c.late_as_absence
            else ""
        ),
        f"- Longest run of unexcused absences: {c.longest_run}",
        "",
    ]
    if d.groups:
        out += ["| Group | Joined | Left |", "| --- | --- | --- |"]
        out += [
            f"| {_md(gid)} {_md(name)} | {joined} | {left or '—'} |"
            for gid, name, joined, left in d.groups
        ]
        out += [""]
    if d.attendance:
        out += [
            "| Date | Group | Session | Title | Attendance |",
            "| --- | --- | --- | --- | --- |",
        ]
        out += [
            f"| {day} | {_md(gid)} | {n or '-'} | {_md(title)} | {words} |"
            for day, gid, n, title, words in d.attendance
        ]
        out += [""]
    else:
        out += ["No sessions have been held since he joined.", ""]
    out += ["## Sessions covered", ""]
    out += [f"{len(d.covered)} of {c.required} required." if c.required else "", ""]
    out += [f"- Session {n}: {_md(t)}" for n, t in d.covered] or ["None yet."]
    out += ["", "## Sessions still to do", ""]
    out += [f"- Session {n}: {_md(t)}" for n, t in d.to_do] or [
        "None: every curriculum session has been covered."
    ]
    out += ["", "## Engagement", ""]
    if d.engagement:
        for paragraph in re.split(r"\n\s*\n", d.engagement.strip()):
            out += [_md(paragraph), ""]
        out += [f"— {_md(d.engagement_by)}"]
    else:
        out += ["No engagement summary has been written for this report."]
    out += ["", "## What this report does not contain", "", _md(d.statement), ""]
    return "\n".join(out)


def render_html(d: ReportData) -> str:
    from html import escape

    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(render_markdown(d))
    title = escape(f"Progress report: {d.standing.person.name}")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>\n"
        "body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}\n"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em "
        ".5em;text-align:left}\n"
        "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n"
    )


def participant_report(
    office: Office,
    participant_id: str,
    fmt: str = "md",
    engagement: str | None = None,
    sent_to: str = "",
    basis: str = "agreement",
) -> str:
    """The report as Markdown or HTML text. Audited (who made a report on whom; no content).
    With `sent_to`, the agency it goes to, it is also written to the information-sharing log."""
    fmt = check_choice(fmt, REPORT_FORMATS, "report format")
    office.require_role("coordinator", doing="make a progress report")
    data = report_data(office, participant_id, engagement)
    text = render_markdown(data) if fmt == "md" else render_html(data)
    with office.stores.writing():
        office.audit("report", "participant", data.standing.person.id, format=fmt)
        if sent_to.strip():
            record_sharing(
                office,
                data.standing.person.id,
                information="progress",
                to_agency=sent_to,
                basis=basis,
                means="report",
            )
    return text
