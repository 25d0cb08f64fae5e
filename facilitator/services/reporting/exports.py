"""Attendance exports for referrers, managers and researchers.

One row per man per session he was enrolled for, or (the summary) one row per man with his
figures and compliance. CSV, JSON or XLSX. Rows are written as the session files are read,
group by group: nothing holds the whole export in memory. The summary needs each man's
whole record (his compliance does not depend on the date filter), so when it is asked for
the marks of the men in the export are kept, as small Mark tuples, until the end.

Pseudonymised exports replace the participant id and name with a keyed pseudonym, the
referrer's reference with another, and leave out what staff typed as free text (excused
reasons, the names of orders), which could name anyone.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from facilitator.curriculum.locate import curriculum_if_readable
from facilitator.domain.compliance import Mark
from facilitator.domain.enrolment import Enrolment
from facilitator.domain.group import Group
from facilitator.domain.participant import REFERRAL_SOURCES, Participant
from facilitator.domain.values import check_choice, parse_date
from facilitator.errors import InvalidInput, NotFound
from facilitator.services.compliance.status import (
    all_order_limits,
    judge,
    one_to_one_covered,
    programme_rules,
)
from facilitator.services.core.group_store import get_group, list_groups
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.groupwork import attendance as records
from facilitator.services.reporting import export_feed
from facilitator.services.reporting.pseudonyms import pseudonymiser
from facilitator.storage.files import atomic_output, existing_folder
from facilitator.storage.xlsx import XlsxBook, clean_text

FORMATS = ("csv", "xlsx", "json")
ROW_COLUMNS = (
    "participant_id",
    "name",
    "referral_source",
    "referrer_reference",
    "group",
    "session_date",
    "curriculum_session",
    "session_title",
    "status",
    "minutes_late",
    "minutes_missed",
    "excused_reason",
)
SUMMARY_COLUMNS = (
    "participant_id",
    "name",
    "referral_source",
    "referrer_reference",
    "groups",
    "sessions_held",
    "sessions_attended",
    "curriculum_covered",
    "sessions_required",
    "attendance_percent",
    "excused_absences",
    "unexcused_absences",
    "longest_unexcused_run",
    "compliance_status",
    "compliance_reason",
)
NOT_MARKED = "not_marked"
ORDER_WORDS = "referrer's order"  # what a pseudonymised summary says instead of an order's name


@dataclass
class ExportFilter:
    groups: list[str] = field(default_factory=list)
    participant: str | None = None
    referral_source: str | None = None
    since: str | None = None
    until: str | None = None

    def cleaned(self) -> ExportFilter:
        since = parse_date(self.since, "--from date").isoformat() if self.since else None
        until = parse_date(self.until, "--to date").isoformat() if self.until else None
        if since and until and since > until:
            raise InvalidInput(f"--from {since} is after --to {until}")
        source = (
            check_choice(self.referral_source, REFERRAL_SOURCES, "referral source")
            if self.referral_source
            else None
        )
        return ExportFilter(list(self.groups), self.participant, source, since, until)


@dataclass
class ExportResult:
    rows: int = 0
    men: int = 0
    groups: int = 0
    format: str = "csv"
    path: str = ""


@dataclass
class _Plan:
    filter: ExportFilter
    groups: list[Group]
    people: dict[str, Participant]  # the men the filter lets through
    enrolments: dict[str, list[Enrolment]]  # group id -> its enrolments of those men
    all_enrolments: list[Enrolment]


def _natural(gid: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", gid))


def plan_export(office: Office, wanted: ExportFilter) -> _Plan:
    f = wanted.cleaned()
    groups = {g.id: g for g in list_groups(office)}
    if f.groups:
        chosen = [get_group(office, g) for g in f.groups]
    else:
        chosen = list(groups.values())
    people = records.participants(office)
    if f.participant:
        person = get_participant(office, f.participant)
        people = {person.id: person}
    if f.referral_source:
        people = {pid: p for pid, p in people.items() if p.referral_source == f.referral_source}
    enrolments = records.all_enrolments(office)
    by_group: dict[str, list[Enrolment]] = {}
    for e in enrolments:
        if e.participant_id in people:
            by_group.setdefault(e.group_id, []).append(e)
    chosen = sorted(
        {g.id: g for g in chosen if g.id in by_group}.values(), key=lambda g: _natural(g.id)
    )
    return _Plan(f, chosen, people, by_group, enrolments)


class SessionTitles:
    """Curriculum session titles, each curriculum read once."""

    def __init__(self, office: Office):
        self.office = office
        self.cache: dict[str, dict[int, str]] = {}

    def __call__(self, curriculum_id: str) -> dict[int, str]:
        if curriculum_id not in self.cache:
            # A curriculum that cannot be read still exports, its sessions untitled.
            c = curriculum_if_readable(curriculum_id, self.office.ws.curricula_dir)
            sessions = c.sessions if c is not None else []
            self.cache[curriculum_id] = {s.number: s.title for s in sessions if s.number}
        return self.cache[curriculum_id]


def iter_rows(
    office: Office,
    plan: _Plan,
    keep_marks: dict[str, list[Mark]] | None = None,
    on_group: Callable[[Group], None] | None = None,
    text: Callable[[str], str] | None = None,
) -> Iterator[tuple]:
    """The export's rows in ROW_COLUMNS order: group by group, session by session.

    keep_marks: when given, filled with every mark of the men who appear (all dates), for
    the summary. text: applied to what staff typed (names, references, titles, reasons), once
    per man and title rather than once per cell: _cell for spreadsheets."""
    f = plan.filter
    titles = SessionTitles(office)
    text = text or (lambda v: v)
    who = {
        pid: (pid, text(p.name), p.referral_source, text(p.referrer_reference))
        for pid, p in plan.people.items()
    }
    for group in plan.groups:
        rows = sorted(
            plan.enrolments.get(group.id, []), key=lambda e: (e.joined_on, e.participant_id)
        )
        names = {n: text(t) for n, t in titles(group.curriculum).items()}
        since, until = (None, None) if keep_marks is not None else (f.since, f.until)
        for held in records.held_sessions(
            office, group.id, since or min(e.joined_on for e in rows), until
        ):
            in_range = (not f.since or held.date >= f.since) and (
                not f.until or held.date <= f.until
            )
            seen: set[str] = set()
            for e in rows:
                pid = e.participant_id
                if pid in seen:
                    continue
                doc = held.marks.get(pid)
                if not (doc is not None and e.joined_on <= held.date) and not (
                    doc is None and e.active_on(held.date)
                ):
                    continue
                seen.add(pid)
                if keep_marks is not None:
                    keep_marks.setdefault(pid, []).append(
                        records.to_mark(held.date, held.curriculum_session, doc)
                    )
                if not in_range:
                    continue
                if doc is None:
                    yield (
                        *who[pid],
                        group.id,
                        held.date,
                        held.curriculum_session,
                        names.get(held.curriculum_session, ""),
                        NOT_MARKED,
                        0,
                        0,
                        "",
                    )
                    continue
                status = doc["status"]
                yield (
                    *who[pid],
                    group.id,
                    held.date,
                    held.curriculum_session,
                    names.get(held.curriculum_session, ""),
                    status,
                    int(doc.get("minutes_late") or 0),
                    int(doc.get("minutes_missed") or 0),
                    text(doc.get("reason") or "") if status == "excused" else "",
                )
        if on_group:
            on_group(group)


def summary_rows(
    office: Office,
    plan: _Plan,
    marks: dict[str, list[Mark]],
    appeared: set[str],
    pseudonymous: bool = False,
) -> Iterator[tuple]:
    """One row per man who appeared in the export, in SUMMARY_COLUMNS order, over his whole
    record."""
    groups = {g.id: g for g in list_groups(office)}
    scanned = {g.id for g in plan.groups}
    mine = [e for e in plan.all_enrolments if e.participant_id in appeared]
    # Men who were also in groups the export did not read: read those groups for them only.
    for gid in sorted({e.group_id for e in mine} - scanned, key=_natural):
        for pid, found in records.marks_in_group(office, gid, mine).items():
            marks.setdefault(pid, []).extend(found)
    base = programme_rules(office)
    orders = all_order_limits(office)
    by_man: dict[str, list[Enrolment]] = {}
    for e in mine:
        by_man.setdefault(e.participant_id, []).append(e)
    extra = one_to_one_covered(office, appeared)
    for pid in sorted(appeared):
        person = plan.people[pid]
        rules = base.with_order(orders.get(pid))
        if pseudonymous and rules.order_fields:
            rules = replace(rules, order_label=ORDER_WORDS)
        his = by_man.get(pid, [])
        c = judge(person, marks.get(pid, []), his, rules, groups, extra.get(pid, []))
        yield (
            pid,
            person.name,
            person.referral_source,
            person.referrer_reference,
            " ".join(sorted({e.group_id for e in his}, key=_natural)),
            c.sessions_held,
            c.attended,
            len(c.covered),
            c.required,
            c.attendance_percent if c.attendance_percent is not None else "",
            c.excused,
            c.unexcused,
            c.longest_run,
            c.status,
            c.reason,
        )


# -- writing -------------------------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Text a spreadsheet would run as a formula is written as text ("=HYPERLINK..." in a name)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class Masker:
    """Replaces who a row is about with pseudonyms; drops free text typed by staff."""

    def __init__(self, office: Office):

        self.p = pseudonymiser(office)

    def row(self, r: tuple) -> tuple:
        code = self.p.participant(r[0])
        return (code, code, r[2], self.p.reference(r[3]), *r[4:11], "")

    def summary(self, r: tuple) -> tuple:
        code = self.p.participant(r[0])
        return (code, code, r[2], self.p.reference(r[3]), *r[4:])


def _output_path(path: Path):
    """A failed export never leaves half a file where a whole one was expected, and never
    makes folders: a missing one is said."""
    return atomic_output(existing_folder(path))


def export_attendance(
    office: Office,
    wanted: ExportFilter,
    fmt: str = "csv",
    out: str | os.PathLike | TextIO | None = None,
    summary: bool = False,
    pseudonymise: bool = False,
    on_group: Callable[[Group], None] | None = None,
    plan: _Plan | None = None,
) -> ExportResult:
    """Write the export to `out` (a path, or an open text stream for CSV and JSON).
    `plan`: from plan_export(office, wanted), when the caller made it already."""
    fmt = check_choice(fmt, FORMATS, "export format")
    office.require_role("coordinator", doing="export attendance")
    plan = plan or plan_export(office, wanted)
    if wanted.participant and not plan.groups:
        raise NotFound(
            f"{plan.filter.participant} has never been enrolled in a group: nothing to export"
        )
    result = ExportResult(groups=len(plan.groups), format=fmt)
    masker = Masker(office) if pseudonymise else None
    if fmt == "xlsx":
        if out is None or not isinstance(out, (str, os.PathLike)):
            raise InvalidInput("an XLSX export needs a file: -o FILE.xlsx")
        result.path = str(out)
        with _output_path(Path(out)) as tmp:
            _write_xlsx(office, plan, tmp, masker, result, on_group)
        return _audited(office, result, summary, pseudonymise)
    if isinstance(out, (str, os.PathLike)):
        result.path = str(out)
        with _output_path(Path(out)) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
            _write_text(office, plan, fmt, fh, summary, masker, result, on_group)
        return _audited(office, result, summary, pseudonymise)
    if out is None:
        raise InvalidInput("no output given")
    _write_text(office, plan, fmt, out, summary, masker, result, on_group)
    return _audited(office, result, summary, pseudonymise)


def _audited(
    office: Office, result: ExportResult, summary: bool, pseudonymise: bool
) -> ExportResult:
    """Personal data left the workspace: say so in the audit log (what kind, how much; no names)."""
    with office.stores.writing():
        office.audit(
            "export",
            "attendance",
            result.format,
            rows=str(result.rows),
            men=str(result.men),
            summary="yes" if summary else "no",
            pseudonymised="yes" if pseudonymise else "no",
        )
    return result


def _rows_and_marks(office, plan, summary, masker, result, on_group, text=None):
    marks: dict[str, list[Mark]] | None = {} if summary else None
    appeared: set[str] = set()

    def gen():
        for r in iter_rows(office, plan, marks, on_group, text):
            appeared.add(r[0])
            result.rows += 1
            yield masker.row(r) if masker else r

    return gen(), marks, appeared


def _summaries(office, plan, marks, appeared, masker, result):
    result.men = len(appeared)
    for r in summary_rows(office, plan, marks, appeared, pseudonymous=masker is not None):
        yield masker.summary(r) if masker else r


def _write_text(office, plan, fmt, fh, summary, masker, result, on_group) -> None:
    rows, marks, appeared = _rows_and_marks(
        office, plan, summary, masker, result, on_group, _cell if fmt == "csv" else None
    )
    columns: tuple[str, ...]
    if summary:
        for _ in rows:  # read everything (who appears, and their marks), write nothing yet
            pass
        columns, body = SUMMARY_COLUMNS, _summaries(office, plan, marks, appeared, masker, result)
    else:
        columns, body = ROW_COLUMNS, rows
    if fmt == "csv":
        w = csv.writer(fh)
        w.writerow(columns)
        w.writerows(([_cell(v) for v in r] for r in body) if summary else body)
    else:
        fh.write("[")
        for i, r in enumerate(body):
            fh.write(
                ("," if i else "") + "\n  " + json.dumps(dict(zip(columns, r)), ensure_ascii=False)
            )
        fh.write("\n]\n")
    if not summary:
        result.men = len(appeared)


def xlsx_rows(office, plan, masker, result, on_group):
    """The Attendance sheet's rows, and a function for the Summary sheet's rows once they are
    all read. Free text is cleaned once per man and title (clean_text, then _cell)."""

    rows, marks, appeared = _rows_and_marks(
        office, plan, True, masker, result, on_group, lambda v: _cell(clean_text(v))
    )

    def summaries():
        return (
            [_cell(v) for v in r] for r in _summaries(office, plan, marks, appeared, masker, result)
        )

    return rows, summaries


def _write_xlsx(office, plan, path: str, masker, result, on_group) -> None:

    feed = None
    if export_feed.worth_a_second_process(sum(len(v) for v in plan.enrolments.values())):
        feed = export_feed.RowFeed(office, plan.filter, pseudonymise=masker is not None)
        by_id = {g.id: g for g in plan.groups}
        rows = feed.rows(lambda gid: on_group(by_id[gid]) if on_group and gid in by_id else None)
        summaries = feed.summaries
    else:
        rows, summaries = xlsx_rows(office, plan, masker, result, on_group)
    try:
        with XlsxBook(path) as book:
            with book.sheet(
                "Attendance", widths=(14, 22, 16, 16, 8, 12, 9, 38, 12, 9, 9, 28)
            ) as sheet:
                sheet.append(ROW_COLUMNS, header=True)
                sheet.extend_plain(rows)
            with book.sheet(
                "Summary", widths=(14, 22, 16, 16, 10, 9, 9, 9, 9, 9, 9, 9, 9, 12, 80)
            ) as sheet:
                sheet.append(SUMMARY_COLUMNS, header=True)
                sheet.extend(summaries())
    finally:
        if feed:
            feed.close()
    if feed:
        result.rows, result.men = feed.rows_read, feed.men
