"""Staff and participants: adding, listing, finding, changing status."""

from __future__ import annotations

from collections.abc import Callable

from facilitator import clock
from facilitator.domain.participant import (
    PROGRAMME_ENDINGS,
    STATUSES,
    Participant,
    status_change,
)
from facilitator.domain.staff import Staff
from facilitator.domain.values import check_choice, check_name, parse_date, require_text
from facilitator.errors import InvalidInput, NotFound, Refused
from facilitator.services.core.identity import retire_key
from facilitator.services.core.office import Office, _as_id
from facilitator.storage.stores import get_doc, peek_docs, put_doc


def add_staff(office: Office, name: str, roles: list[str], staff_id: str | None = None) -> Staff:
    name = check_name(name, "staff name")
    member = Staff(
        id=staff_id or _as_id(name.split()[0] if name.strip() else name), name=name, roles=roles
    )
    # Resolve before writing: an unknown --user changes nothing. Once anyone is on the staff
    # list, only an admin adds to it (the first member is added by whoever set the workspace up).
    actor = office.require_role("admin", doing="add staff").id if office.staff() else office.user
    with office.stores.writing():
        settings = office.ws.read_settings()
        staff = settings.setdefault("staff", [])
        if any(s.get("id") == member.id for s in staff):
            raise InvalidInput(f"staff id '{member.id}' is taken: give another with --id")
        # The first person added acts from then on unless someone else is named.
        first = not staff
        staff.append(member.to_dict())
        if first and not settings["programme"].get("default_user"):
            settings["programme"]["default_user"] = member.id
        office.ws.write_settings(settings)
        office.stores.audit.record(actor, "add", "staff", member.id)
    return member


def list_staff(office: Office) -> list[Staff]:
    return office.staff()


def set_roles(office: Office, staff_id: str, roles: list[str]) -> Staff:
    """Change a member's roles (an admin does); at least one active admin always remains."""
    actor = office.require_role("admin", doing="change staff roles")
    with office.stores.writing():

        def change(member: Staff) -> None:
            member.roles = Staff.from_dict(member.to_dict() | {"roles": roles}).roles

        member = _change_member(office, staff_id, change)
        office.stores.audit.record(actor.id, "roles", "staff", member.id, roles=",".join(roles))
    return member


def deactivate_staff(office: Office, staff_id: str, reason: str, day: str | None = None) -> Staff:
    """A member who has left: kept in the records, can no longer act. An admin does it, and at
    least one active admin always remains."""
    reason = require_text(reason, "the reason for deactivating")
    actor = office.require_role("admin", doing="deactivate staff")
    when = parse_date(day, "deactivation date").isoformat() if day else clock.today().isoformat()
    with office.stores.writing():

        def change(member: Staff) -> None:
            member.deactivated_on, member.deactivated_reason = when, reason

        member = _change_member(office, staff_id, change)
        retire_key(office, member.id)
        office.stores.audit.record(actor.id, "deactivate", "staff", member.id)
    return member


def _change_member(office: Office, staff_id: str, change: Callable[[Staff], None]) -> Staff:
    """Change one active member in the settings; refused if no active admin would remain.
    Caller holds the lock."""
    settings = office.ws.read_settings()
    members = [Staff.from_dict(s) for s in settings.get("staff", [])]
    wanted = office.find_staff(staff_id).id
    member = next(m for m in members if m.id == wanted)
    if not member.is_active:
        raise Refused(f"staff member '{member.id}' is not active")
    change(member)
    if not any(m.has_role("admin") for m in members):  # has_role counts active members only
        raise Refused(f"{member.id} is the last active admin: make someone else an admin first")
    settings["staff"] = [m.to_dict() for m in members]
    office.ws.write_settings(settings)
    return member


def add_participant(
    office: Office,
    name: str,
    referral_source: str = "self",
    referrer: str = "",
    referrer_reference: str = "",
    referred_on: str | None = None,
) -> Participant:
    day = (
        parse_date(referred_on, "referral date").isoformat()
        if referred_on
        else clock.today().isoformat()
    )
    # Validate before taking a number, so bad input leaves the counters untouched.
    name = check_name(name, "participant name")
    Participant(id="P0", name=name, referral_source=referral_source, referred_on=day)
    with office.stores.writing():
        with office.stores.people(write=True) as db:
            # The people store is read first: if it is damaged, no number is used up.
            pid = office.stores.next_id("P")
            person = Participant(
                id=pid,
                name=name,
                referral_source=referral_source,
                referrer=referrer,
                referrer_reference=referrer_reference,
                referred_on=day,
                created_at=clock.now().isoformat(),
            )
            put_doc(db, "participants", person.to_dict())
        office.audit("add", "participant", pid)
    return person


def list_participants(office: Office, status: str | None = None) -> list[Participant]:
    if status:
        status = check_choice(status, STATUSES, "status")
    # Uncopied: the store was read afresh for this call and is let go when it returns.
    with office.stores.people() as db:
        people = [Participant.from_dict(d) for d in peek_docs(db, "participants")]
    return [p for p in people if not status or p.status == status]


def get_participant(office: Office, participant_id: str) -> Participant:
    key = participant_id.strip().upper()
    with office.stores.people() as db:
        doc = get_doc(db, "participants", key)
        if doc is None:
            raise NotFound(
                f"no participant with id '{participant_id}'",
                command="facilitator participant list",
            )
        return Participant.from_dict(doc)


def set_participant_status(
    office: Office, participant_id: str, status: str, reason: str = ""
) -> Participant:
    """Change a man's status. A status that ends his programme (completed, suspended, exited)
    is set by ending it (groupwork's end_programme), which also takes him off his group's
    roster: the two never disagree."""
    if status.strip().lower() in PROGRAMME_ENDINGS:
        raise Refused(
            f"'{status}' ends a man's programme: end it as a whole, so that his group, his "
            "status and what follows from them change together"
        )
    with office.stores.writing():
        return write_status(office, get_participant(office, participant_id), status, reason)


def write_status(
    office: Office, person: Participant, status: str, reason: str, decision: str = ""
) -> Participant:
    """Set and audit his status; the caller holds the workspace lock. `decision`: the
    coordinator's written reason for completing him short of the sessions required (kept with
    who decided, and in the audit)."""
    changed = Participant.from_dict(
        person.to_dict()
        | {
            "status": status,
            "status_reason": reason,
            "completion_decision": decision.strip(),
            "completion_decided_by": office.user if decision.strip() else "",
            "status_changes": person.status_changes
            + [
                status_change(
                    status, reason, office.user, clock.now().isoformat(), decision.strip()
                )
            ],
        }
    )  # re-validated
    with office.stores.people(write=True) as db:
        put_doc(db, "participants", changed.to_dict())
    extra = {"completion_decision": changed.completion_decision} if decision.strip() else {}
    office.audit("status", "participant", changed.id, status=changed.status, **extra)
    return changed
