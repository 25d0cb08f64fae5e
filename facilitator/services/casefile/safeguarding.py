"""Safeguarding referrals: the programme telling children's services of a concern about one of
his children (the Children Act 1989 duty to refer a child who may be at risk of significant
harm). Each is tied to the children on his case file, kept with its outcome, shown on his
timeline, and written to the information-sharing log under the safeguarding basis.

    data/casefile/<man>.json    table: safeguarding
"""

from __future__ import annotations

from datetime import date

from facilitator import clock
from facilitator.domain.marac import (
    SAFEGUARDING_OUTCOMES,
    SAFEGUARDING_REASONS,
    SafeguardingReferral,
)
from facilitator.domain.values import check_choice, check_text_size, parse_date
from facilitator.errors import InvalidInput, NotFound
from facilitator.services.casefile.children import get_child
from facilitator.services.casefile.store import docs, his_file, man_id, next_number
from facilitator.services.core.office import Office
from facilitator.services.core.sharing import record_sharing
from facilitator.storage.stores import get_doc, put_doc

ROLES = ("coordinator",)


def refer(
    office: Office,
    participant_id: str,
    *,
    to: str,
    reason: str,
    children: list[str],
    on: str | date | None = None,
) -> SafeguardingReferral:
    office.require_role(*ROLES, doing="record a safeguarding referral")
    pid = man_id(office, participant_id)
    team = check_text_size(str(to or "").strip(), "children's services team", 200)
    if not team:
        raise InvalidInput("name the children's services team referred to (--to)")
    if not children:
        raise InvalidInput("name the child or children it is about (--child K1)")
    kids = [get_child(office, pid, c).id for c in children]
    day = (parse_date(on, "referral date") if on else clock.today()).isoformat()
    if day > clock.today().isoformat():
        raise InvalidInput(f"referral date {day} is in the future")
    with office.stores.writing():
        with his_file(office, pid, write=True) as db:
            referral = SafeguardingReferral(
                id=next_number(db, "S"),
                participant_id=pid,
                referred_on=day,
                to=team,
                reason=check_choice(reason, tuple(SAFEGUARDING_REASONS), "reason"),
                children=kids,
                referred_by=office.user,
            )
            put_doc(db, "safeguarding", referral.to_dict())
        office.audit("refer", "safeguarding_referral", f"{pid}/{referral.id}")
        record_sharing(
            office,
            pid,
            information="safeguarding_referral",
            to_agency=team,
            basis="safeguarding",
            means="referral_form",
            on=day,
            reference=f"{pid}-{referral.id}",
        )
    return referral


def record_outcome(
    office: Office, participant_id: str, referral_id: str, outcome: str, on: str | None = None
) -> SafeguardingReferral:
    office.require_role(*ROLES, doing="record a safeguarding referral's outcome")
    pid = man_id(office, participant_id)
    key = (referral_id or "").strip().upper()
    result = check_choice(outcome, SAFEGUARDING_OUTCOMES, "outcome")
    day = (parse_date(on, "outcome date") if on else clock.today()).isoformat()
    with office.stores.writing():
        with his_file(office, pid, write=True) as db:
            doc = get_doc(db, "safeguarding", key)
            if doc is None:
                raise NotFound(f"no safeguarding referral '{referral_id}' for {pid}")
            referral = SafeguardingReferral.from_dict(doc | {"outcome": result, "outcome_on": day})
            put_doc(db, "safeguarding", referral.to_dict())
        office.audit("outcome", "safeguarding_referral", f"{pid}/{key}", outcome=result)
    return referral


def referrals_of(office: Office, participant_id: str) -> list[SafeguardingReferral]:
    found = [
        SafeguardingReferral.from_dict(d) for d in docs(office, participant_id, "safeguarding")
    ]
    return sorted(found, key=lambda r: (r.referred_on, r.id))
