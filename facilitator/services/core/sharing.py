"""The information-sharing log: every time information about a man goes to another agency.

A programme shares under his signed agreement, or without it where there is a risk of serious
harm (the safeguarding exception) or a court order or legal duty. Each sharing is recorded with
what kind of information went, to whom, on what basis, by whom and when, so that the programme
can answer for it and a man's subject access request can list it. Letters, reports and MARAC
referrals written by the tool add their own record; a phone call is recorded by hand.

    data/sharing.json       one document per sharing
"""

from __future__ import annotations

from datetime import date

from facilitator import clock
from facilitator.domain.marac import SHARED_INFORMATION, SHARING_BASES, SHARING_MEANS, SharingRecord
from facilitator.domain.participant import Participant
from facilitator.domain.values import check_text_size, parse_date
from facilitator.errors import InvalidInput
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.storage.stores import all_docs, put_doc

SHARING_STORE = "sharing.json"


def _choice(value: str, allowed, what: str) -> str:
    key = str(value or "").strip().lower().replace("-", "_").replace(" ", "_")
    if key not in allowed:
        raise InvalidInput(f"unknown {what}: choose one of {', '.join(allowed)}")
    return key


def record_sharing(
    office: Office,
    participant_id: str,
    *,
    information: str,
    to_agency: str,
    basis: str = "agreement",
    means: str = "letter",
    to_person: str = "",
    on: str | date | None = None,
    reference: str = "",
    person: Participant | None = None,
) -> SharingRecord:
    """Record that information about him went to another agency. Joins the caller's
    transaction when there is one, so a letter and its sharing record land together.

    person: his record when the caller has just read it (the people store is the largest
    file a command reads; reading it twice in one action is a cost a letter feels)."""
    if person is None or person.id != participant_id.strip().upper():
        person = get_participant(office, participant_id)
    agency = check_text_size(str(to_agency or "").strip(), "agency", 200)
    if not agency:
        raise InvalidInput("name the agency the information went to")
    record = SharingRecord(
        id="",
        participant_id=person.id,
        shared_on=(parse_date(on, "date shared") if on else clock.today()).isoformat(),
        information=_choice(information, SHARED_INFORMATION, "kind of information"),
        to_agency=agency,
        to_person=check_text_size(str(to_person or "").strip(), "person", 200),
        basis=_choice(basis, SHARING_BASES, "basis for sharing"),
        means=_choice(means, SHARING_MEANS, "means"),
        shared_by=office.user,
        reference=str(reference or "").strip().upper(),
    )
    with office.stores.writing():
        record.id = office.stores.next_id("IS")
        with office.stores.store(SHARING_STORE, "sharing", write=True) as db:
            put_doc(db, "records", record.to_dict())
        office.audit("share", "information_sharing", record.id, participant=person.id)
    return record


def sharing_records(office: Office, participant_id: str | None = None) -> list[SharingRecord]:
    """The log, newest first; one man's when an id is given."""
    pid = get_participant(office, participant_id).id if participant_id else None
    with office.stores.store(SHARING_STORE, "sharing") as db:
        docs = all_docs(db, "records")
    records = [SharingRecord.from_dict(d) for d in docs]
    if pid:
        records = [r for r in records if r.participant_id == pid]
    return sorted(records, key=lambda r: (r.shared_on, r.id), reverse=True)
