"""The workers from other agencies involved with a man (his probation officer, social worker,
the court, police, GP, substance-misuse worker, MARAC coordinator), and what his agreement
allows the programme to share with each.

    add(office, participant_id, role=, agency=, name=, ...) -> AgencyContact
    list_contacts(office, participant_id) -> [AgencyContact]
    find(office, participant_id, contact_id) -> AgencyContact     the one lookup letters use
    remove(office, participant_id, contact_id) -> AgencyContact
"""

from __future__ import annotations

from facilitator import clock
from facilitator.domain.casefile import AgencyContact
from facilitator.errors import NotFound
from facilitator.services.casefile.store import docs, his_file, man_id, next_number
from facilitator.services.core.office import Office
from facilitator.storage.stores import put_doc

EDITORS = ("facilitator", "coordinator")


def add(
    office: Office,
    participant_id: str,
    *,
    role: str,
    agency: str,
    name: str = "",
    job_title: str = "",
    email: str = "",
    phone: str = "",
    sharing: str = "attendance_only",
) -> AgencyContact:
    office.require_role(*EDITORS, doing="add an agency contact")
    pid = man_id(office, participant_id)
    fields = dict(
        participant_id=pid,
        role=role,
        agency=agency,
        name=name.strip(),
        job_title=job_title.strip(),
        email=email.strip(),
        phone=phone.strip(),
        sharing=sharing,
    )
    AgencyContact(id="C0", **fields)  # checked before a number is used
    with office.stores.writing():
        with his_file(office, pid, write=True) as db:
            contact = AgencyContact(
                id=next_number(db, "C"),
                added_at=clock.now().isoformat(),
                added_by=office.user,
                **fields,
            )
            put_doc(db, "contacts", contact.to_dict())
        office.audit("add", "agency_contact", f"{pid}/{contact.id}", role=contact.role)
    return contact


def list_contacts(
    office: Office, participant_id: str, include_removed: bool = False
) -> list[AgencyContact]:
    """His agency contacts, oldest first; those removed only when asked for (his history)."""
    pid = man_id(office, participant_id)
    found = [AgencyContact.from_dict(d) for d in docs(office, pid, "contacts")]
    return sorted(
        (c for c in found if include_removed or not c.removed_at), key=lambda c: int(c.id[1:])
    )


def find(office: Office, participant_id: str, contact_id: str) -> AgencyContact:
    """One of his agency contacts by its id (C2); NotFound, naming his contacts, otherwise."""
    pid = man_id(office, participant_id)
    key = (contact_id or "").strip().upper()
    for contact in list_contacts(office, pid):
        if contact.id == key:
            return contact
    known = ", ".join(c.id for c in list_contacts(office, pid)) or "none yet"
    raise NotFound(
        f"{pid} has no agency contact '{contact_id}' (his contacts: {known})",
        command=f"facilitator participant contact list {pid}",
    )


def of_role(office: Office, participant_id: str, role: str) -> list[AgencyContact]:
    """His contacts in one role (e.g. every probation officer), oldest first."""
    return [c for c in list_contacts(office, participant_id) if c.role == role]


def remove(office: Office, participant_id: str, contact_id: str) -> AgencyContact:
    """He no longer works with this worker: no longer listed or found, kept in his history."""
    office.require_role(*EDITORS, doing="remove an agency contact")
    with office.stores.writing():
        contact = find(office, participant_id, contact_id)
        contact.removed_at = clock.now().isoformat()
        contact.removed_by = office.user
        with his_file(office, contact.participant_id, write=True) as db:
            put_doc(db, "contacts", contact.to_dict())
        office.audit("remove", "agency_contact", f"{contact.participant_id}/{contact.id}")
    return contact
