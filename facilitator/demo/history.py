"""A synthetic 10-year workspace for benchmarks, written fast and cached.

    from facilitator.demo.history import build_history
    info = build_history("/tmp/h", groups=40)   # benchmarks/history.py picks a cached folder
    office = Office.open(info.path, "admin")

`build_history(path, groups=400, years=10, men_per_group=10, seed=2026,
end=date(2026, 11, 24), audit=True, durable=False, rebuild=False) -> HistoryInfo`

- `path`: the workspace folder (benchmarks/history.py names one per set of arguments).
- `groups`: groups run over the years (each 32-60 weekly sessions, some still running at `end`).
- `men_per_group`: seats in each rolling group; a man leaves when he has covered every
  curriculum session (completed), at his 5th unexcused absence (suspended) or by dropping out
  (exited), and a new man takes his seat the next week or the one after.
- `audit`: also write the audit chain one line per change (start, mark, check-in, close), as
  the services would have; `facilitator audit verify` accepts it.
- `durable`: fsync every file (the atomic writer). Off by default: this is a cache that can
  be rebuilt, and 20,000 fsyncs would cost more than the rest of the build.
- The build is deterministic for a given set of arguments. It is cached: when `path` holds a
  finished build with the same arguments (`history.json` is written last), nothing is done.
  `rebuild=True` starts again. A folder that is not a history build is never removed.

The defaults give about 400 groups, 18,000 sessions, 6,000 men, 180,000 attendance marks and
150,000 check-ins. Only the foundation's stores are written (people, groups and enrolments,
session index and session files, counters, settings with staff, audit); features that keep
other stores (risk flags, debriefs...) add theirs on top if their benchmark needs them.

Files go through the storage layer's own format (`migrations.stamp`, the domain dataclasses'
`to_dict`) but are written whole, once each, instead of one locked, fsync'd service call per
record: the point is to get a realistic workspace in seconds, not to measure writing it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
from dataclasses import dataclass, fields
from datetime import date, timedelta
from pathlib import Path

from facilitator.curriculum.locate import bundled_curricula_dir
from facilitator.demo.workspace import FIRST, SOURCES, SURNAMES
from facilitator.demo.workspace import GOOD_WEEKS as GOOD
from facilitator.demo.workspace import HARD_WEEKS as HARD
from facilitator.domain.attendance import Attendance
from facilitator.domain.checkin import CheckIn
from facilitator.domain.enrolment import Enrolment
from facilitator.domain.group import Group
from facilitator.domain.participant import Participant
from facilitator.domain.session import Session, session_id
from facilitator.domain.staff import Staff
from facilitator.domain.values import WEEKDAYS
from facilitator.errors import InvalidInput
from facilitator.storage import migrations
from facilitator.storage.audit import GENESIS, _digest
from facilitator.storage.files import FILE_MODE, atomic_write_text, ensure_private_dir
from facilitator.storage.stores import (
    COUNTERS_FILE,
    GROUPS_FILE,
    PEOPLE_FILE,
    enrolments_file,
    session_file_of,
    session_index_file,
)
from facilitator.storage.workspace import Workspace

MARKER = "history.json"
FORMAT = 2  # bump when the generator changes what it writes, so old caches are rebuilt

EXCUSES = [
    "hospital appointment",
    "work shift he could not change",
    "court hearing",
    "child's illness",
]


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(record) -> dict:
    """What `record.to_dict()` gives for the flat domain dataclasses, without asdict's deep copy."""
    names = _FIELDS.get(type(record))
    if names is None:
        names = tuple(f.name for f in fields(record))
        plain = {n: getattr(record, n) for n in names}
        # The first record of each kind proves the shortcut still matches the domain's format.
        assert plain == record.to_dict(), (
            f"{type(record).__name__} is no longer flat: update _plain"
        )
        _FIELDS[type(record)] = names
    return {n: (list(v) if isinstance(v := getattr(record, n), list) else v) for n in names}


@dataclass
class HistoryInfo:
    path: Path
    groups: int
    participants: int
    sessions: int
    attendance: int
    checkins: int
    audit_lines: int
    build_seconds: float  # 0.0 when found in the cache
    built: bool  # False when found in the cache

    @property
    def records(self) -> int:
        return self.attendance + self.checkins


def build_history(
    path: str | os.PathLike,
    groups: int = 400,
    years: int = 10,
    men_per_group: int = 10,
    seed: int = 2026,
    end: date = date(2026, 11, 24),
    audit: bool = True,
    durable: bool = False,
    rebuild: bool = False,
) -> HistoryInfo:
    """Build (or find in the cache) the synthetic workspace; see the module docstring."""
    path = Path(path)
    params = {
        "format": FORMAT,
        "groups": groups,
        "years": years,
        "men_per_group": men_per_group,
        "seed": seed,
        "end": end.isoformat(),
        "audit": audit,
    }
    marker = path / MARKER
    if marker.is_file() and not rebuild:
        saved = json.loads(marker.read_text())
        if saved.get("params") == params:
            return HistoryInfo(path=path, build_seconds=0.0, built=False, **saved["counts"])
    if path.exists() and any(path.iterdir()):
        if not marker.is_file():
            raise InvalidInput(f"{path} exists and is not a history build; choose another folder")
        shutil.rmtree(path)
    started = time.perf_counter()
    writer = _Writer(path, durable)
    counts = _generate(writer, groups, years, men_per_group, seed, end, audit)
    marker.write_text(json.dumps({"params": params, "counts": counts}, indent=2))
    return HistoryInfo(path=path, build_seconds=time.perf_counter() - started, built=True, **counts)


class _Writer:
    """Writes whole store files in the stores' own format (TinyDB tables + `_meta`)."""

    def __init__(self, path: Path, durable: bool):
        self.ws = Workspace.init(path, "History benchmark (synthetic data)", _curricula())
        self.durable = durable
        self.made: set[Path] = set()

    def store(self, relative: str, kind: str, tables: dict[str, list[dict]]) -> None:
        data = {
            name: {str(i): doc for i, doc in enumerate(docs, start=1)}
            for name, docs in tables.items()
        }
        text = json.dumps(migrations.stamp(data, kind), ensure_ascii=False, separators=(",", ":"))
        target = self.ws.data_dir.joinpath(*relative.split("/"))
        if self.durable:
            atomic_write_text(target, text)
            return
        if target.parent not in self.made:
            ensure_private_dir(target.parent)
            self.made.add(target.parent)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)


def _curricula() -> Path | None:
    return bundled_curricula_dir()


class _Audit:
    """The audit chain as the services would have written it, in one buffered file."""

    def __init__(self, path: Path, enabled: bool):
        self.enabled = enabled
        self.path = path
        self.prev, self.seq = GENESIS, 0
        self.fh = open(path, "w", encoding="utf-8") if enabled else None
        if self.fh:
            os.chmod(path, FILE_MODE)

    def record(
        self, when: str, user: str, action: str, kind: str, record_id: str, **extra: str
    ) -> None:
        if not self.fh:
            return
        self.seq += 1
        entry: dict[str, object] = {
            "seq": self.seq,
            "time": when,
            "user": user,
            "action": action,
            "kind": kind,
            "id": record_id,
            **extra,
            "prev": self.prev,
        }
        self.prev = _digest(entry)
        entry["hash"] = self.prev
        self.fh.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")

    def close(self) -> None:
        if self.fh:
            self.fh.close()
            # The head beside the log, as every write by the services leaves it: without it
            # the log reads as one whose last lines were cut off.
            if self.seq:
                head = self.path.with_name(self.path.name + ".head")
                head.write_text(json.dumps({"seq": self.seq, "hash": self.prev}), encoding="utf-8")
                os.chmod(head, FILE_MODE)


@dataclass
class _Seat:
    person: Participant
    enrolment: Enrolment
    covered: set
    unexcused: int
    reliability: float
    drop_after: int | None  # sessions after which he drops out, or None
    sessions_held: int = 0


def _generate(
    w: _Writer, n_groups: int, years: int, seats: int, seed: int, end: date, audit_on: bool
) -> dict:
    rnd = random.Random(seed)
    cycle = 24
    staff = [Staff(id="admin", name="History Admin", roles=["admin", "coordinator"])]
    staff += [
        Staff(id=f"f{i:02d}", name=f"Facilitator {i:02d} Synthetic", roles=["facilitator"])
        for i in range(1, 21)
    ]
    staff += [Staff(id="morgan", name="Morgan Coordinator", roles=["coordinator"])]
    settings = w.ws.read_settings()
    settings["staff"] = [_plain(s) for s in staff]
    settings["programme"]["default_user"] = "admin"
    with w.ws.lock():
        w.ws.write_settings(settings)
    audit = _Audit(w.ws.audit_file, audit_on)

    total_weeks = years * 52
    first_day = end - timedelta(weeks=total_weeks)
    people: list[dict] = []
    groups: list[dict] = []
    enrolments: list[dict] = []
    counts = {
        "groups": n_groups,
        "participants": 0,
        "sessions": 0,
        "attendance": 0,
        "checkins": 0,
        "audit_lines": 0,
    }

    def new_man(joined: date) -> Participant:
        n = len(people) + 1
        referred = joined - timedelta(weeks=rnd.randint(3, 10))
        person = Participant(
            id=f"P{n:04d}",
            name=f"{FIRST[n % len(FIRST)]} {SURNAMES[(n // len(FIRST)) % len(SURNAMES)]}-{n}",
            referral_source=rnd.choice(SOURCES),
            referrer=f"Synthetic Referrer {rnd.randint(1, 30)}",
            referrer_reference=f"SYN-{n:06d}",
            referred_on=referred.isoformat(),
            status="active",
            created_at=f"{referred.isoformat()}T10:00:00",
        )
        people.append(_plain(person))
        audit.record(person.created_at, "admin", "add", "participant", person.id)
        return person

    for g in range(1, n_groups + 1):
        gid = f"G{g}"
        weekday = rnd.randrange(5)
        start_week = rnd.randrange(0, total_weeks - 30)
        start = first_day + timedelta(weeks=start_week, days=(weekday - first_day.weekday()) % 7)
        length = rnd.randint(32, 60)
        days = [
            start + timedelta(weeks=k) for k in range(length) if start + timedelta(weeks=k) <= end
        ]
        facs = rnd.sample([s.id for s in staff if s.has_role("facilitator")], 2)
        group = Group(
            id=gid,
            name=f"{WEEKDAYS[weekday].title()} group {g}",
            curriculum="core-24",
            weekday=WEEKDAYS[weekday],
            facilitators=facs,
            entry="rolling",
            start_date=start.isoformat(),
            cycle_length=cycle,
            location=f"Room {g % 7 + 1}",
        )
        running = days[-1] + timedelta(weeks=1) > end
        if not running:
            group.ended_on = days[-1].isoformat()
        groups.append(_plain(group))
        audit.record(f"{start.isoformat()}T09:00:00", "admin", "create", "group", gid)

        table: list[_Seat | None] = [None] * seats
        vacant_until = [0] * seats  # week index from which a seat can be filled again
        index_rows: list[dict] = []
        for week, day in enumerate(days):
            number = (week % cycle) + 1
            iso = day.isoformat()
            opened = f"{iso}T18:25:00"
            for i in range(seats):
                if table[i] is None and week >= vacant_until[i]:
                    person = new_man(day)
                    e = Enrolment(
                        id=f"E-{gid}-{person.id}-{iso}",
                        participant_id=person.id,
                        group_id=gid,
                        joined_on=iso,
                        joined_at_session=number,
                    )
                    drop = rnd.randint(3, 15) if rnd.random() < 0.15 else None
                    table[i] = _Seat(person, e, set(), 0, rnd.uniform(0.85, 1.0), drop)
                    audit.record(f"{iso}T12:00:00", "morgan", "enrol", "enrolment", e.id)
            sid = session_id(gid, iso)
            user = facs[0]
            session = Session(
                id=sid,
                group_id=gid,
                curriculum_session=number,
                date=iso,
                facilitators_present=list(facs),
                state="closed",
                opened_at=opened,
                opened_by=user,
                closed_at=f"{iso}T21:05:00",
                closed_by=user,
            )
            audit.record(opened, user, "start", "session", sid)
            marks: list[dict] = []
            checkins: list[dict] = []
            for i, seat in enumerate(table):
                if seat is None:
                    continue
                pid = seat.person.id
                marked = f"{iso}T18:3{i % 10}:00"
                roll = rnd.random() / seat.reliability
                if roll < 0.76:
                    mark = Attendance(pid, "present", marked_by=user, marked_at=marked)
                elif roll < 0.84:
                    mark = Attendance(
                        pid,
                        "late",
                        minutes_late=rnd.choice([5, 10, 15, 20, 40, 45]),
                        marked_by=user,
                        marked_at=marked,
                    )
                elif roll < 0.86:
                    mark = Attendance(
                        pid,
                        "left_early",
                        minutes_missed=rnd.choice([20, 40, 60]),
                        reason="childcare",
                        marked_by=user,
                        marked_at=marked,
                    )
                elif roll < 0.93:
                    mark = Attendance(
                        pid, "excused", reason=rnd.choice(EXCUSES), marked_by=user, marked_at=marked
                    )
                else:
                    mark = Attendance(pid, "unexcused", marked_by=user, marked_at=marked)
                marks.append(_plain(mark))
                audit.record(marked, user, "mark", "attendance", f"{sid}/{pid}", status=mark.status)
                if mark.in_room:
                    if mark.status != "late" or mark.minutes_late < 30:
                        seat.covered.add(number)
                    if rnd.random() < 0.75:
                        text, stance = rnd.choice(GOOD)
                        ci = CheckIn(
                            pid,
                            "no",
                            summary=text,
                            stance=stance,
                            alternatives_used="time-out" if "time-out" in text else "",
                            homework=rnd.choice(["done", "done", "partly", "not_done"]),
                        )
                    else:
                        text, stance, forms, towards = rnd.choice(HARD)
                        ci = CheckIn(
                            pid,
                            "yes",
                            forms=list(forms),
                            towards=list(towards),
                            summary=text,
                            stance=stance,
                            homework=rnd.choice(["partly", "not_done"]),
                        )
                    ci.recorded_by, ci.recorded_at = user, f"{iso}T19:1{i % 10}:00"
                    checkins.append(_plain(ci))
                    audit.record(ci.recorded_at, user, "record", "checkin", f"{sid}/{pid}")
                elif mark.status == "unexcused":
                    seat.unexcused += 1
                seat.sessions_held += 1
                leave = _leaving(seat, cycle)
                if leave:
                    _leave(seat, day, *leave)
                    enrolments.append(_plain(seat.enrolment))
                    people[int(pid[1:]) - 1] = _plain(seat.person)
                    audit.record(
                        f"{iso}T21:10:00", "morgan", "leave", "enrolment", seat.enrolment.id
                    )
                    table[i] = None
                    vacant_until[i] = week + rnd.randint(1, 2)
            audit.record(session.closed_at, user, "close", "session", sid)
            w.store(
                session_file_of(gid, iso),
                "session",
                {"session": [_plain(session)], "attendance": marks, "checkins": checkins},
            )
            index_rows.append(_plain(session))
            counts["sessions"] += 1
            counts["attendance"] += len(marks)
            counts["checkins"] += len(checkins)
        for seat in table:
            if seat is None:
                continue
            if not running:
                # The group ended with him part-way: he moves on to another programme's group.
                _leave(seat, days[-1] + timedelta(days=1), "transferred", "active", "")
            enrolments.append(_plain(seat.enrolment))
            people[int(seat.person.id[1:]) - 1] = _plain(seat.person)
        w.store(session_index_file(gid), "session_index", {"sessions": index_rows})

    w.store(PEOPLE_FILE, "people", {"participants": people})
    w.store(GROUPS_FILE, "groups", {"groups": groups})
    by_group: dict[str, list] = {}
    for row in enrolments:
        by_group.setdefault(row["group_id"], []).append(row)
    for gid, rows in by_group.items():
        w.store(enrolments_file(gid), "enrolments", {"enrolments": rows})
    w.store(COUNTERS_FILE, "counters", {"counters": [{"prefix": "P", "last": len(people)}]})
    audit.close()
    counts["participants"] = len(people)
    counts["audit_lines"] = audit.seq
    return counts


def _leaving(seat: _Seat, cycle: int) -> tuple[str, str, str] | None:
    """(leave reason, participant status, status reason) when he leaves after this session."""
    if len(seat.covered) >= cycle:
        return "completed", "completed", ""
    if seat.unexcused >= 5:
        return "suspended", "suspended", "5th unexcused absence: suspension review"
    if seat.drop_after is not None and seat.sessions_held >= seat.drop_after:
        return "exited", "exited", "stopped attending and could not be contacted"
    return None


def _leave(seat: _Seat, day: date, reason: str, status: str, status_reason: str) -> None:
    seat.enrolment.left_on = day.isoformat()
    seat.enrolment.left_reason = reason
    seat.person.status = status
    seat.person.status_reason = status_reason
