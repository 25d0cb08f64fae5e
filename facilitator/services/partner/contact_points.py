"""The points in a man's programme at which partner support makes contact, read from group-side
records only: his intake and its decisions, his enrolments, and status changes in the audit log.

This is how partner support "is told" when he is found not suitable, excluded, suspended,
leaves or completes: the task appears on their side from records the group side keeps anyway,
so nothing on the group side ever needs the partner store's key, and nothing flows back.

    intake        his intake started
    not_suitable  an intake decision found him not suitable
    exclusion     an intake decision excluded him (e.g. he refused consent to partner contact)
    start         he joined a group (not a transfer between groups)
    suspension    he left a group as suspended, or his status became suspended
    exit          he left a group for any other reason, or his status became exited after starting
    completion    he left a group as completed, or his status became completed
    follow_up     the weeks in `partner.follow_up_weeks` after a completion
"""

from __future__ import annotations

from datetime import timedelta

from facilitator.domain.participant import ending_named_by
from facilitator.domain.partner import ContactPoint, follow_up_points
from facilitator.domain.values import parse_date
from facilitator.services.core.group_store import enrolments
from facilitator.services.core.office import Office
from facilitator.services.intake.assessment import list_intakes

# Two reports of the same point this close together are one event (a leave and a status change).
SAME_EVENT_DAYS = 14
LEAVE_POINTS = {"completed": "completion", "suspended": "suspension", "transferred": None}
STATUS_POINTS = {"suspended": "suspension", "exited": "exit", "completed": "completion"}


def contact_points(office: Office, participant_id: str | None = None) -> list[ContactPoint]:
    wanted = participant_id.strip().upper() if participant_id else None
    found: list[ContactPoint] = []
    for intake in list_intakes(office):
        if wanted and intake.participant_id != wanted:
            continue
        found.append(ContactPoint(intake.participant_id, "intake", intake.started_on))
        for d in intake.decisions:
            if d["outcome"] == "not_suitable":
                found.append(ContactPoint(intake.participant_id, "not_suitable", d["date"]))
            elif d["outcome"] == "excluded":
                found.append(ContactPoint(intake.participant_id, "exclusion", d["date"]))
    rows = sorted(
        enrolments(office, participant_id=wanted), key=lambda e: (e.participant_id, e.joined_on)
    )
    started: dict[str, str] = {}
    previous = None
    for e in rows:
        transfer = (
            previous is not None
            and previous.participant_id == e.participant_id
            and ending_named_by(previous.left_reason) == "transferred"
        )
        if not transfer:
            found.append(ContactPoint(e.participant_id, "start", e.joined_on))
        started.setdefault(e.participant_id, e.joined_on)
        if e.left_on:
            point = LEAVE_POINTS.get(ending_named_by(e.left_reason), "exit")
            if point:
                found.append(ContactPoint(e.participant_id, point, e.left_on))
        previous = e
    # An ending that left a group is dated by the day he left it; a status change is a point
    # of its own only where no enrolment says so (an ending while between groups).
    from_groups: dict[tuple[str, str], list[str]] = {}
    for p in found:
        from_groups.setdefault((p.participant_id, p.point), []).append(p.date)
    for entry in office.stores.audit.entries():
        if entry.get("action") != "status" or entry.get("kind") != "participant":
            continue
        pid, point = entry.get("id", ""), STATUS_POINTS.get(entry.get("status", ""))
        day = str(entry.get("time", ""))[:10]
        if any(
            abs((parse_date(day) - parse_date(left)).days) <= SAME_EVENT_DAYS
            for left in from_groups.get((pid, point or ""), [])
        ):
            continue
        # Before he started, an exit is an intake decision, already a point of its own.
        if point and (not wanted or pid == wanted) and pid in started and started[pid] <= day:
            found.append(ContactPoint(pid, point, day))
    found = _merge(found)
    found += follow_up_points(found, office.setting("partner.follow_up_weeks", [26]))
    return sorted(found, key=lambda p: (p.participant_id, p.date, p.point))


def _merge(points: list[ContactPoint]) -> list[ContactPoint]:
    kept: list[ContactPoint] = []
    for p in sorted(points, key=lambda p: (p.participant_id, p.point, p.date)):
        last = kept[-1] if kept else None
        if (
            last
            and (last.participant_id, last.point) == (p.participant_id, p.point)
            and parse_date(p.date) - parse_date(last.date) <= timedelta(days=SAME_EVENT_DAYS)
        ):
            continue
        kept.append(p)
    return kept
