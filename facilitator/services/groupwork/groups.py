"""Groups and enrolment (rolling entry: a man joins at the session the group is on)."""

from __future__ import annotations

from facilitator import clock
from facilitator.curriculum import load_curriculum
from facilitator.domain.enrolment import Enrolment
from facilitator.domain.group import Group
from facilitator.domain.participant import Participant
from facilitator.domain.values import check_name, parse_date, require_text
from facilitator.errors import InvalidInput, NotFound, Refused
from facilitator.services.core.group_store import enrolments, get_group
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.core.session_store import next_curriculum_session
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
        staff_ids.append(member.id)
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
        at_session = next_curriculum_session(office, group, day)
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


def leave_group(
    office: Office, participant_id: str, reason: str, left_on: str | None = None
) -> Enrolment:
    reason = require_text(reason, "leaving reason")
    day = parse_date(left_on, "leaving date").isoformat() if left_on else clock.today().isoformat()
    with office.stores.writing():
        current = [
            e for e in enrolments(office, participant_id=participant_id.upper()) if not e.left_on
        ]
        if not current:
            raise Refused(f"{participant_id} is not enrolled in any group")
        enrolment = current[0]
        enrolment.left_on, enrolment.left_reason = day, reason
        enrolment = Enrolment.from_dict(enrolment.to_dict())
        with office.stores.enrolments(enrolment.group_id, write=True) as db:
            put_doc(db, "enrolments", enrolment.to_dict())
        office.audit("leave", "enrolment", enrolment.id)
    return enrolment


def _check_intake(office: Office, person: Participant) -> None:
    """Hook for the intake rules: a man joins only after a complete, suitable intake."""
    require_ready_for_group(office, person)
