"""Staff and participants: adding, listing, finding, changing status."""

from __future__ import annotations

from facilitator import clock
from facilitator.domain.participant import STATUSES, Participant
from facilitator.domain.staff import Staff
from facilitator.domain.values import check_choice, check_name, parse_date
from facilitator.errors import InvalidInput, NotFound
from facilitator.services.core.office import Office, _as_id
from facilitator.storage.stores import all_docs, get_doc, put_doc


def add_staff(office: Office, name: str, roles: list[str], staff_id: str | None = None) -> Staff:
    name = check_name(name, "staff name")
    member = Staff(
        id=staff_id or _as_id(name.split()[0] if name.strip() else name), name=name, roles=roles
    )
    actor = office.user  # resolve before writing: an unknown --user changes nothing
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
    with office.stores.people() as db:
        people = [Participant.from_dict(d) for d in all_docs(db, "participants")]
    return [p for p in people if not status or p.status == status]


def get_participant(office: Office, participant_id: str) -> Participant:
    key = participant_id.strip().upper()
    with office.stores.people() as db:
        doc = get_doc(db, "participants", key)
    if doc is None:
        raise NotFound(
            f"no participant with id '{participant_id}' (see `facilitator participant list`)"
        )
    return Participant.from_dict(doc)


def set_participant_status(
    office: Office, participant_id: str, status: str, reason: str = ""
) -> Participant:
    with office.stores.writing():
        person = get_participant(office, participant_id)
        person.status = status
        person.status_reason = reason
        person = Participant.from_dict(person.to_dict())  # re-validate
        with office.stores.people(write=True) as db:
            put_doc(db, "participants", person.to_dict())
        office.audit("status", "participant", person.id, status=person.status)
    return person
