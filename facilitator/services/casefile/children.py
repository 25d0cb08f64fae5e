"""His children: first name, age or birth date, whom the child lives with, his contact
arrangements, any child in need or child protection plan, and the social worker.

Group-side and his own: facilitators and coordinators read and keep it. It never holds a
partner's contact details (those are partner support's, behind the wall).

A child protection plan, or any change in his contact with a child, is a risk point: it is put
to the facilitators as a risk suggestion (child safeguarding) in his own records, to confirm as
a flag or dismiss with a reason like a check-in's.

    add_child(office, participant_id, first_name, ...) -> Changed
    change_child(office, participant_id, child_id, **changes) -> Changed
    list_children(office, participant_id) -> [Child]
    get_child(office, participant_id, child_id) -> Child
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitator import clock
from facilitator.domain.casefile import Child, prompt_reasons
from facilitator.domain.risk_flag import Suggestion
from facilitator.errors import InvalidInput, NotFound
from facilitator.services.casefile.store import docs, his_file, man_id, next_number
from facilitator.services.core.office import Office
from facilitator.services.risk.settings import category_severities
from facilitator.services.risk.suggestions import suggest_for_record
from facilitator.storage.stores import put_doc

READERS = ("facilitator", "coordinator")
CHILD_CATEGORY = "child_safeguarding"
CHANGEABLE = (
    "first_name",
    "date_of_birth",
    "age",
    "lives_with",
    "contact",
    "contact_note",
    "plan",
    "social_worker",
)


@dataclass
class Changed:
    child: Child
    fields: list[str]
    suggestion: Suggestion | None  # the risk prompt it made, if any


def list_children(office: Office, participant_id: str) -> list[Child]:
    office.require_role(*READERS, doing="read a man's children's records")
    pid = man_id(office, participant_id)
    found = [Child.from_dict(d) for d in docs(office, pid, "children")]
    return sorted(found, key=lambda c: int(c.id[1:]))


def get_child(office: Office, participant_id: str, child_id: str) -> Child:
    key = (child_id or "").strip().upper()
    children = list_children(office, participant_id)
    for child in children:
        if child.id == key:
            return child
    known = ", ".join(c.id for c in children) or "none yet"
    raise NotFound(f"no child '{child_id}' in this case file (children: {known})")


def add_child(
    office: Office,
    participant_id: str,
    first_name: str,
    *,
    date_of_birth: str = "",
    age: int | None = None,
    lives_with: str = "mother",
    contact: str = "not_known",
    contact_note: str = "",
    plan: str = "none",
    social_worker: str = "",
) -> Changed:
    office.require_role(*READERS, doing="record a man's child")
    pid = man_id(office, participant_id)
    given: dict[str, Any] = dict(
        participant_id=pid,
        first_name=first_name,
        date_of_birth=date_of_birth,
        age=age,
        age_recorded_on=clock.today().isoformat() if age is not None else "",
        lives_with=lives_with,
        contact=contact,
        contact_note=contact_note,
        plan=plan,
        social_worker=social_worker,
    )
    Child(id="K0", **given)  # checked before a number is used
    _check_born(given["date_of_birth"])
    with office.stores.writing():
        with his_file(office, pid, write=True) as db:
            child = Child(
                id=next_number(db, "K"),
                added_at=clock.now().isoformat(),
                added_by=office.user,
                **given,
            )
            put_doc(db, "children", child.to_dict())
        office.audit("add", "child_record", f"{pid}/{child.id}")
        suggestion = _prompt(office, None, child)
    return Changed(child, [], suggestion)


def change_child(office: Office, participant_id: str, child_id: str, **changes) -> Changed:
    """Change what is given (None: left as it is). A change to his contact arrangements or a
    new child protection plan is put to the risk review."""
    office.require_role(*READERS, doing="change a man's child's record")
    unknown = [k for k in changes if k not in CHANGEABLE]
    if unknown:
        raise InvalidInput(f"unknown child detail '{unknown[0]}'")
    with office.stores.writing():
        before = get_child(office, participant_id, child_id)
        wanted = {k: v for k, v in changes.items() if v is not None}
        if "age" in wanted:
            wanted["age_recorded_on"] = clock.today().isoformat()
        after = Child.from_dict(before.to_dict() | wanted)  # re-validated
        _check_born(after.date_of_birth)
        fields = [k for k in CHANGEABLE if getattr(before, k) != getattr(after, k)]
        if not fields:
            return Changed(before, [], None)
        with his_file(office, after.participant_id, write=True) as db:
            put_doc(db, "children", after.to_dict())
        # Field names only: a child's name or plan never enters the log.
        office.audit(
            "edit", "child_record", f"{after.participant_id}/{after.id}", fields=",".join(fields)
        )
        suggestion = _prompt(office, before, after)
    return Changed(after, fields, suggestion)


def _check_born(day: str) -> None:
    if day and day > clock.today().isoformat():
        raise InvalidInput(f"child's date of birth {day} is in the future")


def _prompt(office: Office, before: Child | None, after: Child) -> Suggestion | None:
    """Caller holds the lock."""
    reasons = prompt_reasons(before, after)
    if not reasons:
        return None
    severity = category_severities(office).get(CHILD_CATEGORY, "high")
    matches: list[dict[str, Any]] = [
        {
            "category": CHILD_CATEGORY,
            "severity": severity,
            "match": reason,
            "start": None,
            "end": None,
            "source": "child_record",
            "words": [],
        }
        for reason in reasons
    ]
    # Each plan or change is an event of its own: put to review even if an earlier one for
    # this child was dismissed.
    return suggest_for_record(
        office, f"{after.participant_id}-{after.id}", after.participant_id, matches, again=True
    )
