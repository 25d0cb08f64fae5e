"""Programme figures for a period: what a manager or an accreditation
panel reads at a glance. No figure identifies a man or a partner: every count passes through
domain/figures.py (counts from 1 to `figures.min_count` - 1 become "<N"; breakdowns fold small
rows into "other"; a rate or a median that would give a small count away is withheld).

    programme_figures(office, start, end, partner_store=None, now=None) -> dict

What each figure counts (dates inclusive, all within the period unless said):
    referrals        men whose referral date falls in the period, by referral source (the one
                     date: the intake's "referral received" is kept equal to it,
                     services/intake/assessment.py)
    intakes          intakes started; eligibility decisions made, by outcome; reasons for
                     not suitable and excluded
    starts           men joining a group (a move between groups after a transfer is not a start)
    completions      men leaving a group having completed
    drop_outs        men leaving a group otherwise (suspended, exited...), by kind and by reason
                     (the words after the first of the leaving reason, else his status reason)
    attendance       marks at group sessions held in the period, counted by the programme rules
                     (late or leaving early past the limit is an unexcused absence); the rate is
                     attended / (attended + unexcused), as compliance counts it
    flags            flags raised in the period by category (a flag counts once in each of its
                     categories), severity and source; the hours from raising to the first
                     review (median); first reviews within and past the deadline; flags still
                     unreviewed past their deadline now
    reassessments    risk re-assessments that fell due in the period (the interval
                     risk.reassessment_weeks after the last one, while he was in a group): done by
                     then, done later, not done
    debriefs         closed group sessions in the period whose debrief fell due by now: signed by
                     both by the due time, signed later, not signed
    outcomes         questionnaire means by time point and change since intake (his answers; hers
                     only with an opened partner store, over at least outcomes.partner_min_partners)
    staff            today's standing: supervised within the interval, core training complete,
                     refreshers due; supervision sessions and training hours in the period
    waiting          days from being found suitable to joining a group (men who joined in the
                     period; median and longest), men waiting now and the longest wait now;
                     days from referral to first contact (his first assessment session, men
                     referred in the period) and to his first group session (men whose first
                     session fell in the period). A median or a longest over fewer than
                     `figures.min_count` men is not shown.
    series           counts and the attendance rate by month, quarter or year across the period
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from facilitator import clock
from facilitator.domain import figures as fig
from facilitator.domain.compliance import (
    ATTENDED,
    EXCUSED,
    LATE_ABSENCE,
    UNEXCUSED,
    UNMARKED,
    counts_as,
)
from facilitator.domain.debrief import due_at
from facilitator.domain.risk_flag import SEVERITIES, Assessment
from facilitator.domain.values import parse_date
from facilitator.errors import InvalidInput
from facilitator.services.compliance.status import programme_rules
from facilitator.services.core.office import Office
from facilitator.services.evaluation import outcomes, staff_quality
from facilitator.services.groupwork import attendance as records
from facilitator.services.groupwork.plan import cancelled_sessions
from facilitator.services.risk.assessments import ASSESSMENT_STORE
from facilitator.services.risk.flags import list_flags
from facilitator.storage.tinystore import load_json_store

LEAVE_DONE, LEAVE_MOVED = "completed", "transferred"


def period_of(start: str | date | None, end: str | date | None) -> tuple[date, date]:
    """The period asked for; by default the twelve months to today."""
    end_d = parse_date(end, "--to") if end else clock.today()
    start_d = parse_date(start, "--from") if start else end_d - timedelta(days=364)
    if start_d > end_d:
        raise InvalidInput(f"the period starts ({start_d}) after it ends ({end_d})")
    return start_d, end_d


def threshold(office: Office) -> int:
    return max(int(office.setting("figures.min_count", 5)), 1)


def _first_word(reason: str) -> str:
    words = (reason or "").strip().lower().split()
    return words[0].rstrip(":,.;") if words else ""


def _rest(reason: str) -> str:
    text = (reason or "").strip()
    first = text.split(None, 1)
    return first[1].strip(" :-,.;").lower() if len(first) > 1 else ""


class _Period:
    def __init__(self, start: date, end: date):
        self.start, self.end = start.isoformat(), end.isoformat()
        self.grain = fig.granularity(start, end)
        self.labels = fig.periods(start, end, self.grain)

    def has(self, day: str | None) -> bool:
        if not day:
            return False
        return self.start <= day[:10] <= self.end

    def bucket(self, day: str) -> str:
        return fig.bucket(day[:10], self.grain)

    def series(self, days) -> list[int]:
        counts = Counter(self.bucket(d) for d in days)
        return [counts.get(label, 0) for label in self.labels]


def programme_figures(
    office: Office,
    start: str | date | None = None,
    end: str | date | None = None,
    partner_store=None,
    now: datetime | None = None,
) -> dict:
    start_d, end_d = period_of(start, end)
    now = now or clock.now()
    n = threshold(office)
    p = _Period(start_d, end_d)
    people = records.participants(office)
    enrolments = records.all_enrolments(office)

    movement = _movement(p, people, enrolments, n)
    out = {
        "programme": office.setting("programme.name", ""),
        "period": {"from": p.start, "to": p.end, "by": p.grain},
        "generated_at": now.isoformat(),
        "min_count": n,
        "referrals": _referrals(p, people, n),
        "intakes": _intakes(office, p, n),
        **{k: v for k, v in movement.items() if k != "series"},
        "attendance": _attendance(office, p, enrolments, n),
        "waiting": _waiting(office, p, people, enrolments, now.date(), n),
        "flags": _flags(office, p, now, n),
        "reassessments": _reassessments(office, p, enrolments, now.date(), n),
        "debriefs": _debriefs(office, p, now, n),
        "outcomes": _outcomes(office, p, partner_store),
        "staff": _staff(office, p),
    }
    out["series"] = {
        "labels": p.labels,
        **movement["series"],
        "referrals": fig.series(
            p.series(x.referred_on for x in people.values() if p.has(x.referred_on)), n
        ),
        "attendance_rate": out["attendance"].pop("_series"),
        "flags": out["flags"].pop("_series"),
    }
    return out


# -- waiting for a place ---------------------------------------------------------------------
def _longest(values: list[int], n: int) -> int | str | None:
    """The longest of at least `n` values (one man's figure, so no fewer)."""
    if not values:
        return None
    return fig.suppressed(n) if len(values) < n else max(values)


def _days(a: str, b: str) -> int:
    return (parse_date(b[:10]) - parse_date(a[:10])).days


def _waiting(
    office: Office, p: _Period, people: dict, enrolments: list, today: date, n: int
) -> dict:
    first_join: dict[str, str] = {}
    first_session: dict[str, str] = {}
    held = {
        gid: [r["date"] for r in records.session_index(office, gid)] for gid in _group_ids(office)
    }
    for e in sorted(enrolments, key=lambda e: e.joined_on):
        first_join.setdefault(e.participant_id, e.joined_on)
        if e.participant_id in first_session:
            continue
        days = [d for d in held.get(e.group_id, []) if d >= e.joined_on]
        if days and (not e.left_on or days[0] < e.left_on):
            first_session[e.participant_id] = days[0]
    waited, waiting_now, to_contact, to_session = [], [], [], []
    for intake in _intake_docs(office):
        pid = intake.get("participant_id", "")
        person = people.get(pid)
        suitable = [d["date"] for d in intake.get("decisions") or [] if d["outcome"] == "suitable"]
        joined = first_join.get(pid)
        if suitable and joined and joined >= suitable[0] and p.has(joined):
            waited.append(_days(suitable[0], joined))
        last = (intake.get("decisions") or [{}])[-1]
        if (
            not joined
            and last.get("outcome") == "suitable"
            and person is not None
            and person.status in ("referred", "active")
        ):
            waiting_now.append(max(_days(last["date"], today.isoformat()), 0))
        referred = person.referred_on if person is not None else ""
        contacts = [a["date"] for a in intake.get("assessments") or [] if a.get("date")]
        if referred and contacts and p.has(referred):
            to_contact.append(max(_days(referred, min(contacts)), 0))
        first = first_session.get(pid)
        if referred and first and p.has(first):
            to_session.append(max(_days(referred, first), 0))
    return {
        "joined_after_waiting": fig.shown(len(waited), n),
        "median_days_waited": fig.summary_of(waited, n, places=1),
        "longest_days_waited": _longest(waited, n),
        "waiting_now": fig.shown(len(waiting_now), n),
        "longest_days_waiting_now": _longest(waiting_now, n),
        "median_days_referral_to_first_contact": fig.summary_of(to_contact, n, places=1),
        "median_days_referral_to_first_session": fig.summary_of(to_session, n, places=1),
    }


# -- people coming and going -----------------------------------------------------------------
def _referrals(p: _Period, people: dict, n: int) -> dict:
    found = [x for x in people.values() if p.has(x.referred_on)]
    return {
        "total": fig.shown(len(found), n),
        "by_source": fig.breakdown(Counter(x.referral_source for x in found), n),
    }


def _intake_docs(office: Office):
    """Each man's intake as stored (data/intake/<id>.json), read plainly: thousands over years."""
    folder = office.stores.path("intake")
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        yield from (load_json_store(path, "intake").get("intake") or {}).values()


def _intakes(office: Office, p: _Period, n: int) -> dict:
    started = 0
    decisions: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for intake in _intake_docs(office):
        started += p.has(intake.get("started_on"))
        for d in intake.get("decisions") or []:
            if p.has(d.get("date")):
                decisions[d["outcome"]] += 1
                if d["outcome"] in ("not_suitable", "excluded"):
                    reasons.update(d.get("reasons") or ["no reason given"])
    # Neither total is shown, so a small "other" row gives nothing away.
    return {
        "started": fig.shown(started, n),
        "decisions": fig.breakdown(decisions, n, total_shown=False),
        "reasons_not_suitable_or_excluded": fig.breakdown(reasons, n, total_shown=False),
    }


def _movement(p: _Period, people: dict, enrolments: list, n: int) -> dict:
    by_man = defaultdict(list)
    for e in enrolments:
        by_man[e.participant_id].append(e)
    starts, completions, drops = [], [], []
    decided = 0  # completed by a coordinator's decision, short of the sessions required
    kinds: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for pid, his in by_man.items():
        his.sort(key=lambda e: (e.joined_on, e.left_on or "9999"))
        for i, e in enumerate(his):
            moved_in = i > 0 and _first_word(his[i - 1].left_reason) == LEAVE_MOVED
            if p.has(e.joined_on) and not moved_in:
                starts.append(e.joined_on)
            if not p.has(e.left_on):
                continue
            word = _first_word(e.left_reason)
            if word == LEAVE_DONE:
                completions.append(e.left_on)
                person = people.get(pid)
                decided += bool(person and person.completion_decision.strip())
            elif word != LEAVE_MOVED:
                drops.append(e.left_on)
                kinds[word or "no reason given"] += 1
                person = people.get(pid)
                why = _rest(e.left_reason) or (
                    person.status_reason.strip().lower() if person and person.status == word else ""
                )
                reasons[why or "no reason given"] += 1
    return {
        "starts": fig.shown(len(starts), n),
        "completions": fig.shown(len(completions), n),
        # How they completed: a row that is small folds with the other, beside the total.
        "completions_by": fig.breakdown(
            {"covered the sessions": len(completions) - decided, "coordinator's decision": decided},
            n,
        ),
        "drop_outs": {
            "total": fig.shown(len(drops), n),
            "by_kind": fig.breakdown(kinds, n),
            "by_reason": fig.breakdown(reasons, n),
        },
        "series": {
            "starts": fig.series(p.series(starts), n),
            "completions": fig.series(p.series(completions), n),
            "drop_outs": fig.series(p.series(drops), n),
        },
    }


# -- attendance ---------------------------------------------------------------------------------
def _attendance(office: Office, p: _Period, enrolments: list, n: int) -> dict:

    rules = programme_rules(office)
    by_group = defaultdict(list)
    for e in enrolments:
        by_group[e.group_id].append(e)
    counts: Counter[str] = Counter()
    sessions = 0
    per_bucket: dict[str, Counter] = defaultdict(Counter)
    cancelled = 0
    for gid in _group_ids(office):
        his = by_group.get(gid, [])
        # A cancelled session is never held, so no man has a mark or an absence for it.
        cancelled += len(cancelled_sessions(office, gid, p.start, p.end))
        for held in records.held_sessions(office, gid, p.start, p.end):
            sessions += 1
            b = per_bucket[p.bucket(held.date)]
            for doc in held.marks.values():
                how = counts_as(records.to_mark(held.date, held.curriculum_session, doc), rules)
                counts[how] += 1
                b[how] += 1
            unmarked = sum(
                1 for e in his if e.active_on(held.date) and e.participant_id not in held.marks
            )
            counts[UNMARKED] += unmarked
    attended, absent = counts[ATTENDED], counts[UNEXCUSED] + counts[LATE_ABSENCE]
    # Lateness past the limit is shown inside the unexcused absences, never on its own: the
    # rate and the other counts would give a small count of it away.
    return {
        "sessions_held": fig.shown(sessions, n),
        "sessions_cancelled": fig.shown(cancelled, n),
        **_parts(
            ("attended", "excused", "unexcused", "not_marked"),
            (attended, counts[EXCUSED], absent, counts[UNMARKED]),
            n,
        ),
        "rate_percent": fig.rate(attended, attended + absent, n),
        "minimum_percent": rules.min_attendance_percent,
        "_series": [
            fig.rate(c[ATTENDED], c[ATTENDED] + c[UNEXCUSED] + c[LATE_ABSENCE], n)
            for c in (per_bucket.get(label, Counter()) for label in p.labels)
        ],
    }


def _parts(names, values, n: int) -> dict:
    """Counts that add up to a total shown beside them: a lone small one takes another with it."""
    return dict(zip(names, fig.series(values, n)))


def _group_ids(office: Office) -> list[str]:
    return [d.name for d in office.stores.group_session_dirs()]


# -- risk -----------------------------------------------------------------------------------------
def _flags(office: Office, p: _Period, now: datetime, n: int) -> dict:

    found = [f for f in list_flags(office, "all", now) if p.has(f.raised_at)]
    categories = Counter(c for f in found for c in f.categories)
    severities = Counter(f.severity for f in found)
    sources = Counter(f.source for f in found)
    hours, on_time, late, overdue, waiting = [], 0, 0, 0, 0
    for f in found:
        reviews = sorted(r["at"] for r in f.reviews if r.get("at"))
        if reviews:
            first = datetime.fromisoformat(reviews[0])
            hours.append((first - f.raised()).total_seconds() / 3600)
            if first <= f.due():
                on_time += 1
            else:
                late += 1
        elif now > f.due():
            overdue += 1
        else:
            waiting += 1
    return {
        "raised": fig.shown(len(found), n),
        "by_severity": dict(
            zip(
                reversed(SEVERITIES),
                fig.series([severities.get(s, 0) for s in reversed(SEVERITIES)], n),
            )
        ),
        "by_category": fig.breakdown(categories, n),
        "by_source": fig.breakdown(sources, n),
        "median_hours_to_first_review": fig.summary_of(hours, n, "median", 1),
        **_parts(
            (
                "first_review_on_time",
                "first_review_late",
                "overdue_unreviewed_now",
                "awaiting_review_not_yet_due",
            ),
            (on_time, late, overdue, waiting),
            n,
        ),
        "reviewed_on_time_percent": fig.rate(on_time, on_time + late + overdue, n),
        "_series": fig.series(p.series(f.raised_at for f in found), n),
    }


def _reassessments(office: Office, p: _Period, enrolments: list, today: date, n: int) -> dict:

    weeks = int(office.setting("risk.reassessment_weeks", 8))
    data = load_json_store(office.stores.path(*ASSESSMENT_STORE.split("/")), "risk_assessments")
    in_group = defaultdict(list)
    for e in enrolments:
        in_group[e.participant_id].append(e)
    found: Counter[str] = Counter()
    last_day = min(p.end, today.isoformat())
    for doc in (data.get("assessments") or {}).values():
        done = sorted(Assessment.from_dict(a).date for a in doc.get("history", []))
        for i, day in enumerate(done):
            due = (parse_date(day) + timedelta(weeks=weeks)).isoformat()
            if not (p.start <= due <= last_day):
                continue
            if not any(e.active_on(due) for e in in_group.get(doc.get("id"), [])):
                continue  # not in a group when it fell due: not the programme's re-assessment
            found[_timeliness(done[i + 1] if i + 1 < len(done) else None, due)] += 1
    return {
        **_timely(found, ("fell_due", "on_time", "late", "not_done"), n),
        "interval_weeks": weeks,
    }


def _debriefs(office: Office, p: _Period, now: datetime, n: int) -> dict:
    hours = float(office.setting("debrief.due_hours", 48))
    since = str(office.setting("debrief.due_from", "") or "")
    found: Counter[str] = Counter()
    for gid in _group_ids(office):
        notes = {}
        index = office.stores.path("debrief", gid, "index.json")
        if index.is_file():
            notes = {
                d["id"]: d
                for d in (load_json_store(index, "debrief_index").get("notes") or {}).values()
            }
        for row in records.session_index(office, gid):
            day = row["date"]
            if (
                not p.has(day)
                or row.get("state") != "closed"
                or row.get("kind", "group") != "group"
            ):
                continue
            if since and day < since:
                continue
            due = due_at(day, row.get("closed_at", ""), hours)
            if due > now:
                continue
            note = notes.get(row["id"], {})
            if note.get("status") != "signed":
                found["not_done"] += 1
            elif note.get("updated_at") and datetime.fromisoformat(note["updated_at"]) <= due:
                found["on_time"] += 1  # signing is a save, so it came no later than the last save
            else:
                found[_timeliness(_signed_at(office, gid, day), due)] += 1
    return {
        **_timely(found, ("due", "signed_on_time", "signed_late", "not_signed"), n),
        "due_hours": hours,
    }


def _timeliness(done, due) -> str:
    """Whether something due by `due` was done by then, later, or not at all."""
    return "not_done" if done is None else "on_time" if done <= due else "late"


def _timely(found: Counter, names: tuple[str, str, str, str], n: int) -> dict:
    """total, on time, late, not done (under the given names), and the share on time."""
    values = (found["on_time"], found["late"], found["not_done"])
    total = sum(values)
    return {
        names[0]: fig.shown(total, n),
        **_parts(names[1:], values, n),
        "on_time_percent": fig.rate(values[0], total, n),
    }


def _signed_at(office: Office, gid: str, day: str) -> datetime | None:
    """When the last author signed: the note's own file has the signatures (its index row does
    not)."""
    data = load_json_store(
        office.stores.path("debrief", gid, day[:4], f"{day}.json"), "debrief_note"
    )
    for doc in (data.get("note") or {}).values():
        times = [s["at"] for s in doc.get("signatures", []) if s.get("at")]
        if times:
            return datetime.fromisoformat(max(times))
    return None


# -- outcomes and staff -----------------------------------------------------------------------
def _outcomes(office: Office, p: _Period, partner_store) -> dict:

    out = {"man": outcomes.man_summary(office, p.start, p.end), "partner": None}
    if partner_store is not None:
        out["partner"] = outcomes.partner_summary(partner_store, p.start, p.end)
    return out


def _staff(office: Office, p: _Period) -> dict:
    """Staff are not suppressed: the figures are about the programme's practice, not its men."""

    rules = staff_quality.quality_rules(office)
    everyone = staff_quality.standings(office)
    supervised = [s for s in everyone if s.supervised]
    sessions = [s for s in staff_quality.list_supervision(office) if p.has(s.date)]
    training = [t for t in staff_quality.list_training(office) if p.has(t.date)]
    return {
        "supervised_staff": len(supervised),
        "supervision_within_interval": sum(1 for s in supervised if not s.supervision_overdue),
        "core_training_complete": sum(
            1 for s in supervised if s.core_hours >= rules.core_training_hours
        ),
        "refresher_due": sum(
            1 for s in supervised if any(x.startswith("refresher") for x in s.problems)
        ),
        "supervision_sessions": len(sessions),
        "training_hours": round(sum(t.hours for t in training), 1),
        "supervision_interval_weeks": rules.supervision_interval_weeks,
        "core_training_hours": rules.core_training_hours,
    }
