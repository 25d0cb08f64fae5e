"""What the attendance grid and a man's timeline show, as plain data (the UI draws it).

group_grid(office, group_id) -> Grid       men × sessions of one group, with compliance
timeline(office, participant_id) -> Timeline   every session he was expected at, all groups
"""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitator.domain.compliance import (
    LATE_ABSENCE,
    SESSION_CANCELLED,
    Compliance,
    Mark,
    Rules,
    counts_as,
)
from facilitator.services.compliance import status as compliance
from facilitator.services.core.group_store import get_group, list_groups
from facilitator.services.core.office import Office
from facilitator.services.groupwork import attendance as records
from facilitator.services.reporting.exports import SessionTitles

# Grid cell codes: the attendance statuses, plus these two.
NOT_MARKED = "not_marked"
LATE_ABSENCE_CODE = "late_absence"  # late or left early past the threshold: counts as absence
WORDS = {
    "present": "present",
    "late": "late",
    "left_early": "left early",
    "excused": "excused absence",
    "unexcused": "unexcused absence",
    LATE_ABSENCE_CODE: "late past the limit: counted as absence",
    NOT_MARKED: "not marked",
    SESSION_CANCELLED: "session cancelled",
}


def cell_code(mark: Mark, rules: Rules) -> str:
    if mark.status is None:
        return NOT_MARKED
    return LATE_ABSENCE_CODE if counts_as(mark, rules) == LATE_ABSENCE else mark.status


@dataclass
class GridRow:
    participant_id: str
    name: str
    first_name: str
    cells: dict[str, str]  # session date -> code (absent: not enrolled that day)
    compliance: Compliance | None
    current: bool  # enrolled now


@dataclass
class Grid:
    group_id: str
    group_name: str
    sessions: list[tuple[str, int]]  # (date, curriculum session number), oldest first
    titles: dict[int, str]
    rows: list[GridRow] = field(default_factory=list)


def group_grid(office: Office, group_id: str) -> Grid:
    group = get_group(office, group_id)
    held = [
        (r["date"], int(r["curriculum_session"])) for r in records.session_index(office, group.id)
    ]
    enrolments = records.group_enrolments(office, group.id)
    pids = {e.participant_id for e in enrolments}
    people = records.participants(office)
    standing = {s.person.id: s for s in compliance.standings(office, pids)}
    marks = records.marks_in_group(office, group.id, enrolments)
    grid = Grid(group.id, group.name, held, SessionTitles(office)(group.curriculum))
    order = sorted(enrolments, key=lambda e: (bool(e.left_on), e.joined_on, e.participant_id))
    seen: set[str] = set()
    for e in order:
        pid = e.participant_id
        if pid in seen or pid not in people:
            continue
        seen.add(pid)
        s = standing.get(pid)
        rules = s.rules if s else compliance.programme_rules(office)
        cells = {m.date: cell_code(m, rules) for m in marks.get(pid, [])}
        person = people[pid]
        grid.rows.append(
            GridRow(
                pid,
                person.name,
                person.first_name,
                cells,
                s.compliance if s else None,
                any(x.participant_id == pid and not x.left_on for x in enrolments),
            )
        )
    return grid


@dataclass
class TimelineEntry:
    date: str
    group_id: str
    curriculum_session: int
    title: str
    code: str
    minutes_late: int
    minutes_missed: int

    @property
    def words(self) -> str:
        if self.code == "late":
            return f"late ({self.minutes_late} min)"
        if self.code == "left_early":
            return f"left early ({self.minutes_missed} min missed)"
        if self.code == LATE_ABSENCE_CODE:
            missed = (
                f"{self.minutes_late} min late"
                if self.minutes_late
                else f"left early, {self.minutes_missed} min missed"
            )
            return f"{missed}: counted as absence"
        return WORDS[self.code]


@dataclass
class Timeline:
    participant_id: str
    name: str
    first_name: str
    compliance: Compliance
    limits: str
    entries: list[TimelineEntry]
    titles: dict[int, str]


def timeline(office: Office, participant_id: str) -> Timeline:
    s = compliance.standing(office, participant_id)
    groups = {g.id: g for g in list_groups(office)}
    titles_of = SessionTitles(office)
    entries: list[TimelineEntry] = []
    for gid in sorted({e.group_id for e in s.enrolments}):
        titles = titles_of(groups[gid].curriculum) if gid in groups else {}
        for m in records.marks_in_group(office, gid, s.enrolments).get(s.person.id, []):
            entries.append(
                TimelineEntry(
                    m.date,
                    gid,
                    m.curriculum_session,
                    titles.get(m.curriculum_session, ""),
                    cell_code(m, s.rules),
                    m.minutes_late,
                    m.minutes_missed,
                )
            )
    entries.sort(key=lambda t: t.date)
    latest = max(s.enrolments, key=lambda e: e.joined_on, default=None)
    titles = (
        titles_of(groups[latest.group_id].curriculum)
        if latest and latest.group_id in groups
        else {}
    )
    return Timeline(
        s.person.id,
        s.person.name,
        s.person.first_name,
        s.compliance,
        compliance.limits_in_words(s.rules),
        entries,
        titles,
    )
