"""Outcome monitoring: questionnaires at time points, from the man and,
behind the wall, from his partner.

Questionnaires
    questionnaires(office) -> {id: Questionnaire}     the workspace's file, else the bundled one
    questionnaire_for(office, respondent, qid=None) -> Questionnaire
    questionnaire_source(office) -> Path              which file is in use
    copy_default(office) -> Path                      the bundled file, copied for editing
    time_points(office) -> [TimePoint]                setting outcomes.time_points

The man (group side, data/outcomes/<participant>.json)
    record_man(office, participant_id, point, answers, day=None, questionnaire=None, replace=False)
    man_records(office) -> [OutcomeRecord]
    due(office, states=("due",), today=None) -> [PointState]
    man_summary(office, since=None, until=None) -> dict      aggregates; small counts suppressed

The partner (only through an opened services.partner.PartnerStore; her answers never leave it)
    record_partner(store, partner_id, point, answers, day=None, questionnaire=None, replace=False)
    partner_due(store, states=("due",), today=None) -> [PointState]
    partner_summary(store, since=None, until=None) -> dict   aggregates over at least
                                                    outcomes.partner_min_partners partners (never
                                                    fewer than 3); below it, nothing but "<N"


"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from facilitator import clock
from facilitator.domain import figures
from facilitator.domain.intake import OUTCOMES_ENDING
from facilitator.domain.outcomes import (
    ANCHOR_LABELS,
    DUE,
    Anchors,
    OutcomeRecord,
    PointState,
    Questionnaire,
    TimePoint,
    check_answer_date,
    find_point,
    mid_programme,
    parse_questionnaires,
    point_states,
)
from facilitator.domain.outcomes import time_points as parse_time_points
from facilitator.domain.participant import ending_named_by
from facilitator.errors import InvalidInput, Refused, WorkspaceError
from facilitator.services.core.group_store import enrolments, list_groups
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.groupwork import attendance as records
from facilitator.services.intake.assessment import get_intake, list_intakes
from facilitator.storage.files import atomic_write_text
from facilitator.storage.stores import put_doc, safe_name
from facilitator.storage.tinystore import load_json_store

BUNDLED = Path(__file__).with_name("questionnaires.toml")
WORKSPACE_FILE = "questionnaires.toml"
PARTNER_FLOOR = 3  # partner aggregates are never over fewer partners, whatever the setting
_cache: dict[tuple, dict[str, Questionnaire]] = {}


# -- questionnaires and time points -----------------------------------------------------------
def questionnaire_source(office: Office) -> Path:
    given = str(office.setting("outcomes.questionnaires_file", "") or "").strip()
    if given:
        path = Path(given).expanduser()
        path = path if path.is_absolute() else office.path / path
        if not path.is_file():
            raise WorkspaceError(
                f"setting outcomes.questionnaires_file names {path}, which does not exist"
            )
        return path
    own = office.path / WORKSPACE_FILE
    return own if own.is_file() else BUNDLED


def questionnaires(office: Office) -> dict[str, Questionnaire]:
    path = questionnaire_source(office)
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _cache:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise WorkspaceError(f"questionnaire file {path} does not parse: {err}") from None
        if len(_cache) > 8:  # a file edited over a long session: keep the cache small
            _cache.clear()
        _cache[key] = parse_questionnaires(data, str(path))
    return _cache[key]


def questionnaire_for(office: Office, respondent: str, qid: str | None = None) -> Questionnaire:
    found = questionnaires(office)
    if qid:
        q = found.get(qid.strip())
        if q is None or q.respondent != respondent:
            mine = [k for k, v in found.items() if v.respondent == respondent]
            raise InvalidInput(
                f"no questionnaire '{qid}' for the {respondent}: choose {', '.join(mine)}"
            )
        return q
    return next(q for q in found.values() if q.respondent == respondent)


def copy_default(office: Office) -> Path:
    target = office.path / WORKSPACE_FILE
    if target.exists():
        raise Refused(
            f"{target} exists already: edit it, or move it away to start again from the default"
        )
    with office.stores.writing():
        atomic_write_text(target, BUNDLED.read_text(encoding="utf-8"))
        office.audit("create", "questionnaires", WORKSPACE_FILE)
    return target


def time_points(office: Office) -> list[TimePoint]:
    return parse_time_points(office.setting("outcomes.time_points", []) or [])


def partner_threshold(office: Office) -> int:
    return max(int(office.setting("outcomes.partner_min_partners", 5)), PARTNER_FLOOR)


def figures_threshold(office: Office) -> int:
    return max(int(office.setting("figures.min_count", 5)), 1)


# -- anchors: when his time points fall, from group-side records --------------------------------


def anchors(office: Office, participant_id: str | None = None) -> dict[str, Anchors]:
    """Every man with a time point (or just the one asked for): his intake (or first start),
    start, mid-programme and end. A man found not suitable or excluded at intake who never
    started has none."""

    if participant_id:
        pids = [participant_id]
        found = get_intake(office, participant_id)
        intakes = {participant_id: found} if found else {}
        rows = enrolments(office, participant_id=participant_id)
    else:
        pids = list(records.participants(office))
        intakes = {i.participant_id: i for i in list_intakes(office)}
        rows = records.all_enrolments(office)
    cycle = {g.id: g.cycle_length for g in list_groups(office)}
    by_man: dict[str, list] = {}
    for e in rows:
        by_man.setdefault(e.participant_id, []).append(e)
    out: dict[str, Anchors] = {}
    for pid in pids:
        his = sorted(by_man.get(pid, []), key=lambda e: (e.joined_on, e.left_on or "9999"))
        intake = intakes.get(pid)
        if intake and not his and intake.decision and intake.decision.outcome in OUTCOMES_ENDING:
            continue
        start = his[0].joined_on if his else None
        first = intake.started_on if intake else start
        if first is None:
            continue
        end, completed = None, False
        last = his[-1] if his else None
        if last and last.left_on and ending_named_by(last.left_reason) != "transferred":
            end, completed = last.left_on, ending_named_by(last.left_reason) == "completed"
        mid = mid_programme(start, cycle.get(his[0].group_id, 24), end) if start else None
        out[pid] = Anchors(pid, first, start, mid, end, completed)
    return out


def _anchors_of(office: Office, pid: str) -> Anchors:
    found = anchors(office, pid).get(pid)
    if found is None:
        raise Refused(
            f"{pid} has no time points: his intake has not started, or it ended without a group"
        )
    return found


def _check_point(anchor: Anchors, point: TimePoint, respondent: str) -> None:
    if respondent not in point.respondents:
        raise Refused(
            f"time point {point.id} is not answered by the {respondent} (setting "
            "outcomes.time_points)"
        )
    if anchor.date_of(point.after) is None:
        raise Refused(
            f"{anchor.participant_id} has no {point.label.lower()} yet: it counts from when "
            f"{ANCHOR_LABELS[point.after]}"
        )
    if point.completers_only and not anchor.completed:
        raise Refused(f"{point.label} is only for men who completed the programme")


def _make_record(
    office: Office,
    q: Questionnaire,
    respondent: str,
    pid: str,
    point: TimePoint,
    answers: Mapping[str, str | int],
    day: str | None,
) -> OutcomeRecord:
    checked = q.check_answers(answers)
    when = check_answer_date(day, clock.today()) if day else clock.today().isoformat()
    return OutcomeRecord(
        id="-",
        respondent=respondent,
        participant_id=pid,
        point=point.id,
        questionnaire=q.id,
        date=when,
        answers=checked,
        scores=q.scores(checked),
        recorded_by=office.user,
        recorded_at=clock.now().isoformat(),
    )


# -- the man's answers --------------------------------------------------------------------------
def _man_store(pid: str) -> str:
    return f"outcomes/{safe_name(pid, 'participant id')}.json"


def record_man(
    office: Office,
    participant_id: str,
    point: str,
    answers: Mapping[str, str | int],
    day: str | None = None,
    questionnaire: str | None = None,
    replace: bool = False,
) -> OutcomeRecord:
    person = get_participant(office, participant_id)
    tp = find_point(time_points(office), point)
    _check_point(_anchors_of(office, person.id), tp, "man")
    record = _make_record(
        office, questionnaire_for(office, "man", questionnaire), "man", person.id, tp, answers, day
    )
    record.id = f"{person.id}-{tp.id}"
    with office.stores.writing():
        with office.stores.store(_man_store(person.id), "outcomes", write=True) as db:
            existing = [d for d in db.table("answers").all() if d.get("id") == record.id]
            if existing and not replace:
                raise Refused(
                    f"{person.id} already has answers for {tp.id} ({existing[0].get('date')}); "
                    f"use --replace to record them again"
                )
            put_doc(db, "answers", record.to_dict())
        office.audit("correct" if existing else "record", "outcome", record.id, point=tp.id)
    return record


def man_records(office: Office, participant_id: str | None = None) -> list[OutcomeRecord]:
    folder = office.stores.path("outcomes")
    if participant_id:
        paths = [folder / f"{safe_name(participant_id.strip().upper(), 'participant id')}.json"]
    else:
        paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    out: list[OutcomeRecord] = []
    for path in paths:
        data = load_json_store(path, "outcomes")
        out.extend(OutcomeRecord.from_dict(d) for d in (data.get("answers") or {}).values())
    return sorted(out, key=lambda r: (r.participant_id, r.date, r.point))


def due(
    office: Office, states: Iterable[str] = (DUE,), today: date | None = None
) -> list[PointState]:
    """His time points in the given states (due, not yet, missed, done) today."""
    today = today or clock.today()
    points = time_points(office)
    done = _done(man_records(office), "participant_id")
    wanted = set(states)
    out = [
        s
        for pid, a in anchors(office).items()
        for s in point_states(a, points, done.get(pid, ()), today, "man")
        if s.state in wanted
    ]
    return sorted(out, key=lambda s: (s.due_on, s.participant_id, s.point))


def _done(found: Iterable[OutcomeRecord], key: str) -> dict[str, set[str]]:
    """The time points each person (man or partner, by `key`) has answered."""
    done: dict[str, set[str]] = {}
    for r in found:
        done.setdefault(getattr(r, key), set()).add(r.point)
    return done


# -- the partner's answers (inside the partner store only) --------------------------------------
def record_partner(
    store,
    partner_id: str,
    point: str,
    answers: Mapping[str, str | int],
    day: str | None = None,
    questionnaire: str | None = None,
    replace: bool = False,
) -> OutcomeRecord:
    """Her answers, checked and scored, kept in the partner store (store: an opened
    PartnerStore)."""
    office = store.office
    partner = store.get_partner(partner_id)
    tp = find_point(time_points(office), point)
    _check_point(_anchors_of(office, partner.participant_id), tp, "partner")
    q = questionnaire_for(office, "partner", questionnaire)
    record = _make_record(office, q, "partner", partner.participant_id, tp, answers, day)
    record.partner_id = partner.id
    saved = store.save_outcome(partner.id, record.to_dict(), replace=replace)
    return OutcomeRecord.from_dict(saved)


def partner_records(store) -> list[OutcomeRecord]:
    return [OutcomeRecord.from_dict(d) for d in store.outcome_records()]


def partner_due(
    store, states: Iterable[str] = (DUE,), today: date | None = None
) -> list[PointState]:
    """Her time points (her partner's programme's), for partners still open to contact."""
    office = store.office
    today = today or clock.today()
    points = time_points(office)
    done = _done(partner_records(store), "partner_id")
    his = anchors(office)
    wanted = set(states)
    out: list[PointState] = []
    for partner in store.partners():
        a = his.get(partner.participant_id)
        if a is None or not partner.open:
            continue
        out.extend(
            s
            for s in point_states(a, points, done.get(partner.id, ()), today, "partner", partner.id)
            if s.state in wanted
        )
    return sorted(out, key=lambda s: (s.due_on, s.partner_id, s.point))


# -- aggregates -------------------------------------------------------------------------------
def aggregate(
    records: Iterable[OutcomeRecord],
    q: Questionnaire,
    points: list[TimePoint],
    threshold: int,
    since: str | None = None,
    until: str | None = None,
    key: str = "participant_id",
) -> dict:
    """Means per scale and time point, and the change from the first point, over at least
    `threshold` people each: everything smaller is "<threshold". Nothing per person is returned."""
    mine = [r for r in records if r.questionnaire == q.id]
    in_period = [
        r for r in mine if (not since or r.date >= since) and (not until or r.date <= until)
    ]
    by_person: dict[str, dict[str, OutcomeRecord]] = {}
    for r in mine:
        by_person.setdefault(getattr(r, key), {})[r.point] = r
    baseline = points[0].id if points else None
    answered = {p.id: sum(1 for r in in_period if r.point == p.id) for p in points}
    scales = []
    for scale in q.scales:
        rows = []
        for p in points:
            values = [
                r.scores[scale.id] for r in in_period if r.point == p.id and scale.id in r.scores
            ]
            rows.append(
                {
                    "point": p.id,
                    "label": p.label,
                    "n": figures.shown(len(values), threshold),
                    "mean": figures.summary_of(values, threshold, "mean"),
                }
            )
        changes = []
        for p in points[1:]:
            assert baseline is not None  # there is a first point
            pairs = []
            for person in by_person.values():
                before, after = person.get(baseline), person.get(p.id)
                if (
                    not (before and after)
                    or scale.id not in before.scores
                    or scale.id not in after.scores
                ):
                    continue
                if (since and after.date < since) or (until and after.date > until):
                    continue
                pairs.append((before.scores[scale.id], after.scores[scale.id]))
            improved = sum(1 for b, a in pairs if scale.improved(b, a))
            changes.append(
                {
                    "from": baseline,
                    "to": p.id,
                    "label": f"{points[0].label} → {p.label}",
                    "n": figures.shown(len(pairs), threshold),
                    "mean_change": figures.summary_of([a - b for b, a in pairs], threshold, "mean"),
                    "improved_percent": figures.rate(improved, len(pairs), threshold)
                    if len(pairs) >= threshold
                    else (figures.suppressed(threshold) if pairs else None),
                }
            )
        scales.append(
            {
                "id": scale.id,
                "title": scale.title,
                "better": scale.better,
                "range": [0, len(scale.answers.choices) - 1],
                "points": rows,
                "change": changes,
            }
        )
    return {
        "questionnaire": q.id,
        "title": q.title,
        "respondent": q.respondent,
        "min_count": threshold,
        "answered": {k: figures.shown(v, threshold) for k, v in answered.items()},
        "scales": scales,
    }


def man_summary(office: Office, since: str | None = None, until: str | None = None) -> dict:
    q = questionnaire_for(office, "man")
    return aggregate(
        man_records(office), q, _points_for(office, "man"), figures_threshold(office), since, until
    )


def partner_summary(store, since: str | None = None, until: str | None = None) -> dict:
    """Her answers as aggregates over at least the partner threshold; per partner nothing."""
    office = store.office
    q = questionnaire_for(office, "partner")
    return aggregate(
        partner_records(store),
        q,
        _points_for(office, "partner"),
        partner_threshold(office),
        since,
        until,
        key="partner_id",
    )


def _points_for(office: Office, respondent: str) -> list[TimePoint]:
    return [p for p in time_points(office) if respondent in p.respondents]
