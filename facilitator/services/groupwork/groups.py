"""Groups and enrolment (rolling entry: a man joins at the session the group is on)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from facilitator import clock
from facilitator.curriculum import load_curriculum
from facilitator.domain.compliance import Completion
from facilitator.domain.enrolment import Enrolment
from facilitator.domain.group import Group
from facilitator.domain.participant import (
    PROGRAMME_ENDINGS,
    STATUSES_NEEDING_REASON,
    TRANSFERRED,
    Participant,
    ending_named_by,
)
from facilitator.domain.values import check_choice, check_name, parse_date, require_text
from facilitator.errors import InvalidInput, NotFound, Refused
from facilitator.services.core.group_store import enrolments, get_group
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant, write_status
from facilitator.services.core.session_store import find_session, next_curriculum_session
from facilitator.services.groupwork.capacity import check_entry, check_place
from facilitator.services.groupwork.plan import build_plan
from facilitator.services.intake.assessment import require_ready_for_group
from facilitator.storage.stores import all_docs, get_doc, put_doc, safe_name


def curriculum_length(office: Office, curriculum_id: str) -> int:
    """How many sessions the curriculum has; refuses a curriculum the workspace does not hold."""
    folder = office.ws.curricula_dir / curriculum_id
    if not folder.is_dir():
        known = (
            sorted(p.name for p in office.ws.curricula_dir.iterdir() if p.is_dir())
            if office.ws.curricula_dir.is_dir()
            else []
        )
        raise NotFound(
            f"no curriculum '{curriculum_id}' in {office.ws.curricula_dir} (have: "
            f"{', '.join(known) or 'none'})"
        )
    return len(load_curriculum(folder).sessions)


def create_group(
    office: Office,
    name: str,
    curriculum: str,
    weekday: str,
    time: str = "18:30",
    facilitators: list[str] | None = None,
    entry: str = "rolling",
    start_date: str | None = None,
    group_id: str | None = None,
    location: str = "",
) -> Group:
    name = check_name(name, "group name")
    staff_ids = []
    for ref in facilitators or []:
        member = office.find_staff(ref)
        if not member.has_role("facilitator"):
            raise InvalidInput(f"{member.name} does not have the facilitator role")
        if member.id not in staff_ids:
            staff_ids.append(member.id)
    # Groups are run by two facilitators, ideally of different genders, so one can watch the
    # room while the other leads (a common standard in accredited programmes).
    needed = max(int(office.setting("rules.min_facilitators", 2) or 1), 1)
    if len(staff_ids) < needed:
        raise InvalidInput(
            f"a group needs {needed} facilitator{'s' if needed != 1 else ''} "
            f"(--facilitator, once each; setting rules.min_facilitators): "
            f"{len(staff_ids)} given"
        )
    length = curriculum_length(office, curriculum)
    with office.stores.writing():
        with office.stores.groups(write=True) as db:
            gid = safe_name(group_id, "group id") if group_id else None
            if gid and get_doc(db, "groups", gid):
                raise InvalidInput(f"group id '{gid}' is taken")
            if gid is None:
                existing = {d["id"] for d in all_docs(db, "groups")}
                n = len(existing) + 1
                while f"G{n}" in existing:
                    n += 1
                gid = f"G{n}"
            group = Group(
                id=gid,
                name=name,
                curriculum=curriculum,
                weekday=weekday,
                time=time,
                facilitators=staff_ids,
                entry=entry,
                start_date=parse_date(start_date).isoformat()
                if start_date
                else clock.today().isoformat(),
                cycle_length=max(length, 1),
                location=location,
            )
            put_doc(db, "groups", group.to_dict())
        office.audit("create", "group", gid)
    return group


def enrol(
    office: Office, group_id: str, participant_id: str, joined_on: str | None = None
) -> Enrolment:

    group = get_group(office, group_id)
    person = get_participant(office, participant_id)
    day = parse_date(joined_on, "join date").isoformat() if joined_on else clock.today().isoformat()
    if person.status in ("completed", "exited"):
        raise Refused(f"{person.id} has status '{person.status}' and cannot be enrolled")
    _check_intake(office, person)
    with office.stores.writing():
        current = [e for e in enrolments(office, participant_id=person.id) if not e.left_on]
        if current:
            raise Refused(f"{person.id} is already enrolled in group {current[0].group_id}")
        held = find_session(office, group.id, day)
        if held is not None and held.is_closed:
            # That day's session is over and closed without him: he joins from the next one,
            # never shown in it as a man with no mark.
            day = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
        at_session = next_curriculum_session(office, group, day)
        if day > clock.today().isoformat():
            # Joining ahead: at the session the plan has on or after that date.
            ahead = [
                e
                for e in build_plan(
                    office, group, clock.today(), date.fromisoformat(day) + timedelta(days=62)
                )
                if e.date >= day and e.number is not None and e.happens
            ]
            at_session = ahead[0].number if ahead and ahead[0].number else at_session
        check_entry(office, group, at_session, day)
        check_place(office, group, day)
        with office.stores.enrolments(group.id, write=True) as db:
            eid = f"E-{group.id}-{person.id}-{day}"
            enrolment = Enrolment(
                id=eid,
                participant_id=person.id,
                group_id=group.id,
                joined_on=day,
                joined_at_session=at_session,
            )
            put_doc(db, "enrolments", enrolment.to_dict())
        if person.status != "active":
            with office.stores.people(write=True) as db:
                doc = person.to_dict() | {"status": "active", "status_reason": ""}
                put_doc(db, "participants", doc)
        office.audit("enrol", "enrolment", eid)
    return enrolment


@dataclass
class ProgrammeEnd:
    """What ending a man's programme (or moving him to another group) changed."""

    person: Participant
    ending: str  # completed, suspended, exited, or transferred (his programme goes on)
    enrolment: Enrolment | None  # the enrolment he left; None if he was in no group


def end_programme(
    office: Office,
    participant_id: str,
    ending: str,
    reason: str = "",
    day: str | None = None,
    *,
    completion: Completion | None = None,
) -> ProgrammeEnd:
    """End a man's programme, or move him out of his group to another, as one change.

    He leaves his group on `day` (not on its roster from that day on) and his status becomes
    the ending's; what follows from them (partner contact points, outcome time points, his
    compliance standing, when retention counts his case closed) is read from these two
    records, so it follows at once. `transferred` keeps his status: he joins another group.

    A completion needs `completion`: the sessions he covered against those required, which
    the compliance rules count (services.compliance.ending computes it and is the way in).
    Short of them, it needs a coordinator's written decision, kept with his record.
    """
    ending = check_choice(ending.strip().lower(), PROGRAMME_ENDINGS + (TRANSFERRED,), "ending")
    decision = ""
    if ending == "completed":
        if completion is None:
            raise Refused(
                f"{participant_id}'s completion is checked against the sessions he covered: "
                "complete him through the compliance rules"
            )
        refusal = completion.refusal(participant_id.strip().upper())
        if refusal:
            raise Refused(refusal)
        if completion.short:
            # Completing him short of the sessions is a coordinator's decision, never a slip.
            office.require_role(
                "coordinator", doing="complete a man before he covered the sessions required"
            )
            decision = completion.decision.strip()
    when = parse_date(day, "leaving date").isoformat() if day else clock.today().isoformat()
    words = reason.strip()
    if ending in STATUSES_NEEDING_REASON + (TRANSFERRED,):
        words = require_text(words, f"the reason he is {ending}")
    # The leaving reason starts with the ending, so every reader of the enrolment agrees.
    left_reason = words if ending_named_by(words) == ending else f"{ending}: {words}".rstrip(": ")
    with office.stores.writing():
        person = get_participant(office, participant_id)
        current = [e for e in enrolments(office, participant_id=person.id) if not e.left_on]
        if ending == TRANSFERRED and not current:
            raise Refused(f"{person.id} is not enrolled in any group: there is none to leave")
        enrolment = None
        if current:
            enrolment = Enrolment.from_dict(
                current[0].to_dict() | {"left_on": when, "left_reason": left_reason}
            )
            if enrolment.left_on < enrolment.joined_on:
                raise InvalidInput(
                    f"{person.id} joined {enrolment.group_id} on {enrolment.joined_on}: he "
                    f"cannot leave it before that ({when})"
                )
            with office.stores.enrolments(enrolment.group_id, write=True) as db:
                put_doc(db, "enrolments", enrolment.to_dict())
            office.audit("leave", "enrolment", enrolment.id)
        if ending != TRANSFERRED:
            person = write_status(office, person, ending, words, decision)
    return ProgrammeEnd(person, ending, enrolment)


def leave_group(
    office: Office,
    participant_id: str,
    reason: str,
    left_on: str | None = None,
    *,
    completion: Completion | None = None,
) -> Enrolment:
    """Leave his group for the reason given; its first word says how his programme ends
    ("completed", "suspended: ...", "transferred to ..."; anything else is an exit)."""
    reason = require_text(reason, "leaving reason")
    ended = end_programme(
        office, participant_id, ending_named_by(reason), reason, left_on, completion=completion
    )
    if ended.enrolment is None:
        raise Refused(f"{participant_id} is not enrolled in any group")
    return ended.enrolment


def _check_intake(office: Office, person: Participant) -> None:
    """Hook for the intake rules: a man joins only after a complete, suitable intake."""
    require_ready_for_group(office, person)
