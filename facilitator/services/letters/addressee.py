"""Who a letter is addressed to.

One function decides it: a letter to the referrer is addressed from his referral (the
referring organisation or officer, and the reference they use), a letter to the man to him,
and a letter to one of the workers on his case file (`--to C2`) to that worker and agency.
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.domain.participant import Participant
from facilitator.errors import InvalidInput
from facilitator.services.casefile import agency_contacts
from facilitator.services.core.office import Office
from facilitator.services.letters.kinds import MAN, REFERRER, LetterKind

SOURCE_WORDS = {
    "court": "The Court",
    "probation": "Probation Service",
    "children_services": "Children's Services",
    "self": "",
    "other": "",
}


@dataclass(frozen=True)
class Addressee:
    role: str  # REFERRER, MAN, or an agency contact's id (C2)
    name: str
    organisation: str = ""
    address: str = ""
    reference: str = ""  # the reference the addressee uses for him

    @property
    def salutation(self) -> str:
        if self.role == MAN:
            return f"Dear {self.name.split()[0]}" if self.name else "Dear Sir"
        return (
            f"Dear {self.name}"
            if self.name and self.name != self.organisation
            else "Dear Sir or Madam"
        )

    @property
    def in_words(self) -> str:
        """How `letter list` and the man's file name the addressee."""
        return ", ".join(p for p in (self.name, self.organisation) if p)


def referrer_of(person: Participant) -> Addressee:
    organisation = SOURCE_WORDS.get(person.referral_source, "")
    return Addressee(
        REFERRER,
        name=person.referrer or organisation or "The referrer",
        organisation=organisation if person.referrer != organisation else "",
        reference=person.referrer_reference,
    )


def addressee_for(
    office: Office, person: Participant, kind: LetterKind, to: str | None = None
) -> Addressee:
    """Whom this letter goes to: the kind's own addressee, or `to` ("referrer", "man")."""
    wanted = (to or kind.to).strip().lower()
    if wanted == REFERRER:
        if person.referral_source == "self" and not person.referrer:
            raise InvalidInput(
                f"{person.id} referred himself: there is no referrer to write to "
                "(write to him with --to man)"
            )
        return referrer_of(person)
    if wanted == MAN:
        return Addressee(MAN, name=person.name, reference=person.id)
    if wanted[:1] == "c" and wanted[1:].isdigit():
        # One of the workers on his case file (probation officer, social worker...).
        contact = agency_contacts.find(office, person.id, wanted)
        return Addressee(
            contact.id,
            name=contact.name or contact.agency,
            organisation=contact.agency if contact.name else "",
            reference=person.referrer_reference,
        )
    raise InvalidInput(
        f"no contact '{to}': a letter goes to his referrer (--to referrer), to him (--to man) "
        "or to one of his agency contacts (--to C1; see participant contact list)"
    )
