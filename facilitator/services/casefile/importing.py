"""Importing men, groups, enrolments and attendance from a spreadsheet (.csv or .xlsx) a
programme kept before.

    read_rows(path) -> (headers, [(row number, {header: cell})])
    import_participants(office, path, mapping=None, dry_run=False, skip_bad=False) -> Result
    import_groups(...)       import_enrolments(...)       import_attendance(...)  -> Result

Every row is checked exactly as the same change typed by hand would be (the services do it),
inside one action: unless every row is good nothing is written (with `skip_bad` the good rows
are, and each bad one is reported), a dry run writes nothing at all, and a row already held (the
same man, the same mark) is left as it is, so importing a file twice changes nothing the second
time. One audit line says how many rows were imported, never what they held.

Attendance for a session the workspace does not hold yet (a row naming its group and date) is
history: the session is recorded as held that day, its marks set, and it is closed at the end
of the import, as a session run in the tool would have been.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from facilitator.domain.casefile import DETAIL_FIELDS, MONITORING_FIELDS
from facilitator.domain.values import WEEKDAYS, parse_date
from facilitator.errors import FacilitatorError, InvalidInput
from facilitator.services.casefile.details import edit_details, monitoring_fields
from facilitator.services.core.group_store import enrolments, get_group, list_groups
from facilitator.services.core.office import Office
from facilitator.services.core.people import add_participant, list_participants
from facilitator.services.core.session_store import get_session, read_record
from facilitator.services.groupwork.groups import create_group, enrol
from facilitator.services.groupwork.sessions import (
    close_session,
    mark_attendance,
    off_its_day,
    start_session,
)

PARTICIPANT_FIELDS = (
    (
        "name",
        "referral_source",
        "referrer",
        "referrer_reference",
        "referred_on",
    )
    + DETAIL_FIELDS
    + MONITORING_FIELDS
)
GROUP_FIELDS = (
    "group_id",
    "name",
    "curriculum",
    "weekday",
    "time",
    "facilitators",
    "entry",
    "start_date",
    "location",
)
ENROLMENT_FIELDS = ("participant_id", "group_id", "joined_on")
ATTENDANCE_FIELDS = (
    "participant_id",
    "session_id",
    "group_id",
    "date",
    "status",
    "minutes_late",
    "minutes_missed",
    "reason",
)
# What an attendance export says of a man expected at a held session and given no mark.
NOT_MARKED = "not_marked"
# Column headings spreadsheets commonly use for a field, beyond the field's own name.
ALIASES = {
    "full_name": "name",
    "participant": "participant_id",
    "participant_name": "name",
    "id": "participant_id",
    "man": "participant_id",
    "dob": "date_of_birth",
    "birth_date": "date_of_birth",
    "referred_by": "referral_source",
    "source": "referral_source",
    "reference": "referrer_reference",
    "case_number": "referrer_reference",
    "referral_date": "referred_on",
    "session": "session_id",
    "group": "group_id",
    "group_name": "name",
    "session_date": "date",
    "excused_reason": "reason",
    "joined": "joined_on",
    "join_date": "joined_on",
    "enrolled_on": "joined_on",
    "day": "weekday",
    "attendance": "status",
    "mobile": "phone",
    "telephone": "phone",
    "language": "preferred_language",
    "interpreter": "interpreter_needed",
}


_ABSENT = object()


class _RowUndo(dict):
    """The action's files (store path → its new text), noting what each file held before the
    row being imported first wrote it, so a bad row is undone without copying every file the
    import has written so far for each row."""

    def __init__(self, files: dict) -> None:
        super().__init__(files)
        self.before: dict = {}

    def __setitem__(self, key, value) -> None:
        if key not in self.before:
            self.before[key] = self.get(key, _ABSENT)
        super().__setitem__(key, value)

    def start_row(self) -> None:
        self.before = {}

    def undo_row(self) -> None:
        for key, text in self.before.items():
            if text is _ABSENT:
                self.pop(key, None)
            else:
                super().__setitem__(key, text)
        self.before = {}


class _Rollback(Exception):
    """Raised inside the action to write none of it (a dry run, or a bad row)."""


@dataclass
class Result:
    kind: str  # participants, groups, enrolments, attendance
    rows: int = 0
    done: list[str] = field(default_factory=list)  # "row N: what was (or would be) done"
    unchanged: list[str] = field(default_factory=list)  # "row N: already held as ..."
    bad: list[str] = field(default_factory=list)  # "row N: why"
    dry_run: bool = False
    written: bool = False


def _key(heading: str) -> str:
    return "_".join(str(heading or "").strip().lower().replace("-", " ").split())


def read_rows(path: str | Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The headings and every non-empty row, numbered as the spreadsheet numbers them."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise InvalidInput(f"no file {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            with path.open(newline="", encoding="utf-8-sig") as f:
                table = [list(r) for r in csv.reader(f)]
        except UnicodeDecodeError:
            raise InvalidInput(f"{path.name} is not UTF-8 text: save it as CSV UTF-8") from None
    elif suffix == ".xlsx":
        table = _xlsx_rows(path)
    else:
        raise InvalidInput(f"{path.name}: import reads .csv or .xlsx files")
    if not table:
        raise InvalidInput(f"{path.name} is empty")
    headers = [str(h or "").strip() for h in table[0]]
    rows = []
    for n, cells in enumerate(table[1:], start=2):
        values = {h: str(c if c is not None else "").strip() for h, c in zip(headers, cells)}
        if any(values.values()):
            rows.append((n, values))
    return headers, rows


def _xlsx_rows(path: Path) -> list[list]:
    import openpyxl  # heavy: loaded only when an .xlsx is imported

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # noqa: BLE001 - any unreadable workbook is one line
        raise InvalidInput(f"{path.name} cannot be read as a workbook ({err})") from None
    sheet = book.worksheets[0]
    out = []
    for row in sheet.iter_rows(values_only=True):
        out.append(
            ["" if c is None else (c.date().isoformat() if hasattr(c, "date") else c) for c in row]
        )
    book.close()
    return out


def _columns(
    headers: list[str], fields: tuple[str, ...], mapping: dict[str, str] | None
) -> dict[str, str]:
    """heading → field: the --map given first, then each heading's own name or alias."""
    given = {_key(k): _key(v) for k, v in (mapping or {}).items()}
    out: dict[str, str] = {}
    for heading in headers:
        k = _key(heading)
        target = given.get(k) or (k if k in fields else ALIASES.get(k, ""))
        if target and target not in fields:
            raise InvalidInput(
                f"--map {heading}={target}: unknown field '{target}' (fields: {', '.join(fields)})"
            )
        if target:
            out[heading] = target
    for k in given:
        if k not in {_key(h) for h in headers}:
            raise InvalidInput(f"--map names a column '{k}' the file does not have")
    return out


def _run(
    office: Office,
    kind: str,
    path: str | Path,
    fields: tuple[str, ...],
    required: tuple[tuple[str, ...], ...],
    apply: Callable[[Office, dict[str, str], str], tuple[bool, str]],
    mapping: dict[str, str] | None,
    dry_run: bool,
    skip_bad: bool,
    finish: Callable[[Office], None] | None = None,
) -> Result:
    headers, rows = read_rows(path)
    columns = _columns(headers, fields, mapping)
    have = set(columns.values())
    for options in required:
        if not have & set(options):
            raise InvalidInput(
                f"{Path(path).name} has no column for {' or '.join(options)}: name one with "
                f"--map COLUMN={options[0]}"
            )
    result = Result(kind, rows=len(rows), dry_run=dry_run)
    source = Path(path).name
    try:
        with office.stores.writing():
            txn = office.stores.txn
            assert txn is not None  # inside writing()
            files = txn.files = _RowUndo(txn.files)
            for n, values in rows:
                row = {columns[h]: v for h, v in values.items() if h in columns and v}
                # A row is all or nothing too: what a bad row wrote before its error is undone.
                files.start_row()
                audited = len(txn.audit)  # the audit is only added to
                try:
                    changed, words = apply(office, row, source)
                except FacilitatorError as err:
                    files.undo_row()
                    del txn.audit[audited:]
                    result.bad.append(f"row {n}: {err.message}")
                    continue
                (result.done if changed else result.unchanged).append(f"row {n}: {words}")
            if dry_run or (result.bad and not skip_bad):
                raise _Rollback
            if finish is not None:
                finish(office)
            office.audit(
                "import",
                kind,
                source_id(source),
                rows=str(len(rows)),
                imported=str(len(result.done)),
                unchanged=str(len(result.unchanged)),
                skipped=str(len(result.bad)),
            )
    except _Rollback:
        return result
    result.written = True
    return result


def source_id(name: str) -> str:
    """What the audit names the import by: its kind of file, not its name (a file name can
    hold a person's name)."""
    return "csv" if name.lower().endswith(".csv") else "xlsx"


# -- participants ------------------------------------------------------------------------------
def import_participants(
    office: Office,
    path: str | Path,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
) -> Result:
    office.require_role("coordinator", doing="import participants")
    return _run(
        office,
        "participants",
        path,
        PARTICIPANT_FIELDS,
        (("name",),),
        _one_participant,
        mapping,
        dry_run,
        skip_bad,
    )


def _one_participant(office: Office, row: dict[str, str], _source: str) -> tuple[bool, str]:
    name = row.get("name", "")
    if not name:
        raise InvalidInput("no name")
    enabled = monitoring_fields(office)
    details = {k: v for k, v in row.items() if k in DETAIL_FIELDS or k in enabled}
    asked_not = [k for k in row if k in MONITORING_FIELDS and k not in enabled]
    if asked_not:
        raise InvalidInput(f"{asked_not[0].replace('_', ' ')} is not asked by this programme")
    same = _already_held(office, row)
    if same:
        return False, f"already held as {same}"
    person = add_participant(
        office,
        name,
        row.get("referral_source") or "self",
        row.get("referrer", ""),
        row.get("referrer_reference", ""),
        row.get("referred_on") or None,
    )
    if details:
        edit_details(office, person.id, details)
    return True, f"add {person.id} {person.name} (referred by {person.referral_source})"


def _already_held(office: Office, row: dict[str, str]) -> str:
    """The id of a man held with the same name and the same reference (or, without one, the
    same referral date): the row was imported before."""
    name = " ".join(row.get("name", "").lower().split())
    ref = row.get("referrer_reference", "").strip().lower()
    day = (
        parse_date(row["referred_on"], "referral date").isoformat()
        if row.get("referred_on")
        else ""
    )
    for p in list_participants(office):
        if " ".join(p.name.lower().split()) != name:
            continue
        if ref and p.referrer_reference.strip().lower() == ref:
            return p.id
        if not ref and (not day or p.referred_on == day):
            return p.id
    return ""


# -- groups ------------------------------------------------------------------------------------
def import_groups(
    office: Office,
    path: str | Path,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
) -> Result:
    office.require_role("coordinator", doing="import groups")
    return _run(
        office,
        "groups",
        path,
        GROUP_FIELDS,
        (("name",), ("curriculum",), ("weekday",)),
        _one_group,
        mapping,
        dry_run,
        skip_bad,
    )


def _one_group(office: Office, row: dict[str, str], _source: str) -> tuple[bool, str]:
    for needed in ("name", "curriculum", "weekday"):
        if not row.get(needed):
            raise InvalidInput(f"no {needed.replace('_', ' ')}")
    gid = row.get("group_id", "").strip().upper()
    name = " ".join(row["name"].split())
    start = parse_date(row["start_date"], "start date").isoformat() if row.get("start_date") else ""
    for g in list_groups(office):
        if (gid and g.id == gid) or (
            not gid and g.name.lower() == name.lower() and g.start_date == start
        ):
            return False, f"already held as {g.id}"
    weekday = row["weekday"].strip().lower()
    if weekday not in WEEKDAYS:  # "Tue", "Tuesdays": the day it starts with
        weekday = next((d for d in WEEKDAYS if weekday[:3] and d.startswith(weekday[:3])), weekday)
    staff = [f for f in re.split(r"[;,/]| and ", row.get("facilitators", "")) if f.strip()]
    group = create_group(
        office,
        name,
        row["curriculum"].strip(),
        weekday,
        row.get("time") or "18:30",
        [f.strip() for f in staff],
        row.get("entry") or "rolling",
        start or None,
        gid or None,
        row.get("location", ""),
    )
    return True, f"add group {group.id} {group.name} ({group.weekday}s {group.time})"


# -- enrolments --------------------------------------------------------------------------------
def import_enrolments(
    office: Office,
    path: str | Path,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
) -> Result:
    office.require_role("coordinator", doing="import enrolments")
    return _run(
        office,
        "enrolments",
        path,
        ENROLMENT_FIELDS,
        (("participant_id",), ("group_id",), ("joined_on",)),
        _one_enrolment,
        mapping,
        dry_run,
        skip_bad,
    )


def _one_enrolment(office: Office, row: dict[str, str], _source: str) -> tuple[bool, str]:
    pid = row.get("participant_id", "").strip().upper()
    gid = row.get("group_id", "").strip().upper()
    if not pid or not gid:
        raise InvalidInput("no participant id" if not pid else "no group id")
    if not row.get("joined_on"):
        raise InvalidInput("no join date")
    day = parse_date(row["joined_on"], "join date").isoformat()
    for e in enrolments(office, participant_id=pid):
        if e.group_id == gid and e.joined_on == day:
            return False, f"{pid} already enrolled in {gid} from {day}"
    # The checks a hand enrolment has (his intake, the group's entry points and places).
    e = enrol(office, gid, pid, day)
    return True, f"enrol {e.participant_id} in {e.group_id} from {e.joined_on}"


# -- attendance --------------------------------------------------------------------------------
@dataclass
class _Recorded:
    """A session this import records as held: open until the import's end, its marks only
    those the import set (so its own file need not be read again for each of its men)."""

    sid: str
    marks: dict[str, tuple[str, int, int]] = field(default_factory=dict)


def import_attendance(
    office: Office,
    path: str | Path,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
) -> Result:
    office.require_role("facilitator", "coordinator", doing="import attendance")
    recorded: dict[tuple[str, str], _Recorded] = {}  # (group as given, date) → session

    def one(office: Office, row: dict[str, str], source: str) -> tuple[bool, str]:
        return _one_mark(office, row, source, recorded)

    def finish(office: Office) -> None:
        for held in recorded.values():
            close_session(office, held.sid, force=True, look=False)

    return _run(
        office,
        "attendance",
        path,
        ATTENDANCE_FIELDS,
        (("participant_id",), ("session_id", "date"), ("status",)),
        one,
        mapping,
        dry_run,
        skip_bad,
        finish,
    )


def _held(office: Office, row: dict[str, str], source: str, key: tuple[str, str] | None):
    """The session the row is about, held already: its record. Or, named by group and date
    and not held, recorded now as held that day: None and its new id."""
    sid = row.get("session_id", "")
    if sid:
        return get_session(office, sid), ""
    assert key is not None
    gid, day = key
    # Its own file first (small, whatever the group's history): the index grows with it.
    record = read_record(office, gid, day)
    if record is not None:
        return record, ""
    group = get_group(office, gid)  # NotFound for an unknown group
    record = read_record(office, group.id, day)
    if record is not None:
        return record, ""
    reason = f"held that day (imported from {source})" if off_its_day(group, day) else ""
    return None, start_session(office, group.id, day, reason=reason).id


def _one_mark(
    office: Office, row: dict[str, str], source: str, recorded: dict[tuple[str, str], _Recorded]
) -> tuple[bool, str]:
    pid = row.get("participant_id", "").strip().upper()
    if not pid:
        raise InvalidInput("no participant id")
    if not row.get("status"):
        raise InvalidInput("no attendance status")
    status = row["status"].strip().lower().replace(" ", "_").replace("-", "_")
    minutes_late = _whole(row.get("minutes_late"), "minutes late")
    minutes_missed = _whole(row.get("minutes_missed"), "minutes missed")
    key = None
    if not row.get("session_id"):
        if not (row.get("group_id") and row.get("date")):
            raise InvalidInput("no session: give its id, or its group and date")
        key = (row["group_id"].strip().upper(), parse_date(row["date"], "session date").isoformat())
    this = (status, minutes_late, minutes_missed)
    held = recorded.get(key) if key else None
    new = None
    if held is not None:  # recorded by an earlier row of this import: open, its marks known
        sid, closed, before = held.sid, False, held.marks.get(pid)
    else:
        record, started = _held(office, row, source, key)
        if record is None:
            assert key is not None
            new = _Recorded(started)
            sid, closed, before = started, False, None
        else:
            sid, closed = record.session.id, record.session.is_closed
            mark = record.attendance.get(pid)
            before = (mark.status, mark.minutes_late, mark.minutes_missed) if mark else None
    held_words = " (recorded as held)" if new else ""
    if status == NOT_MARKED:
        # Expected and given no mark: nothing to set, but the session was held.
        if new is not None and key is not None:
            recorded[key] = new
        return new is not None, f"{pid} not marked in {sid}{held_words}"
    if before == this:
        return False, f"{pid} already marked {status} in {sid}"
    mark = mark_attendance(
        office,
        sid,
        pid,
        status,
        minutes_late=minutes_late,
        minutes_missed=minutes_missed,
        reason=row.get("reason", ""),
        correction_reason=f"imported from {source}" if closed else None,
    )
    # Only once the row is good: a bad row's session and mark are undone with it.
    if new is not None and key is not None:
        recorded[key] = new
    if key in recorded:
        recorded[key].marks[pid] = (mark.status, mark.minutes_late, mark.minutes_missed)
    return True, f"mark {pid} {mark.status} in {sid}{held_words}"


def _whole(value: str | None, what: str) -> int:
    if not value:
        return 0
    try:
        return int(float(value))
    except ValueError:
        raise InvalidInput(f"{what} '{value}' is not a number") from None
