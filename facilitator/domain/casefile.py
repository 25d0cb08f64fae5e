"""A man's case file beyond his referral: his details, the workers from other agencies involved
with him, his children and the arrangements for them, and the staff's dated case notes.

Pure: no I/O and no clock. The services pass the time and the settings.

    Details        date of birth, address, phone, email, language, access needs, monitoring
    AgencyContact  a worker from another agency and what his agreement lets us share with them
    Child          a child of his: first name, age or birth date, arrangements, any plan
    CaseNote       a dated note by a member of staff, with amendments once it is settled
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from facilitator.domain.record import Record
from facilitator.domain.values import (
    check_choice,
    check_name,
    check_text_size,
    parse_date,
    parse_time,
    require_text,
)
from facilitator.errors import InvalidInput, Refused

# -- his details -------------------------------------------------------------------------------
# The details a worker may set, as the CLI spells them (--date-of-birth) and as stored.
DETAIL_FIELDS = (
    "date_of_birth",
    "address",
    "phone",
    "safe_to_call",
    "email",
    "preferred_language",
    "interpreter_needed",
    "disability",
    "access_needs",
)
DETAIL_LABELS = {
    "date_of_birth": "date of birth",
    "address": "address",
    "phone": "phone",
    "safe_to_call": "safe to call",
    "email": "email",
    "preferred_language": "preferred language",
    "interpreter_needed": "interpreter needed",
    "disability": "disability",
    "access_needs": "access needs",
}
# Equality monitoring: always optional, and "prefer not to say" is always an answer.
PREFER_NOT_TO_SAY = "prefer not to say"
MONITORING_FIELDS = (
    "ethnicity",
    "religion",
    "sexual_orientation",
    "gender_identity",
    "nationality",
    "age_band",
)
YES_NO = ("yes", "no")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
# Times safe to call him: "weekdays 09:00-12:00" or just "09:00-12:00".
_SAFE_TIMES = re.compile(r"(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})")


def clean_detail(name: str, value: str, today: date | None = None) -> str:
    """A detail as it will be kept; "" clears it. One clear line for a value that cannot be."""
    value = (value or "").strip()
    if not value:
        return ""
    label = DETAIL_LABELS.get(name, name.replace("_", " "))
    if name == "date_of_birth":
        born = parse_date(value, "date of birth")
        if today is not None and born > today:
            raise InvalidInput(f"date of birth {born.isoformat()} is in the future")
        if today is not None and born.year < today.year - 120:
            raise InvalidInput(f"date of birth {born.isoformat()} is more than 120 years ago")
        return born.isoformat()
    if name == "email":
        if not _EMAIL.match(value):
            raise InvalidInput(f"email '{value}' is not an email address, e.g. name@example.org")
        return value
    if name == "phone":
        if not _PHONE.match(value):
            raise InvalidInput(
                f"phone '{value}' is not a phone number: digits, spaces, +, ( ) and - only"
            )
        return value
    if name == "safe_to_call":
        value = check_name(value, label)
        for start, end in _SAFE_TIMES.findall(value):
            if parse_time(start, "safe-to-call time") >= parse_time(end, "safe-to-call time"):
                raise InvalidInput(f"safe-to-call times '{start}-{end}' end before they start")
        return value
    if name == "interpreter_needed":
        return check_choice(value, YES_NO, label)
    if name in ("address", "disability", "access_needs"):
        return check_text_size(value, label, 2000).strip()
    return check_name(value, label)


def clean_monitoring(name: str, value: str) -> str:
    """An equality monitoring answer: free words, or "prefer not to say" in any spelling."""
    value = (value or "").strip()
    if not value:
        return ""
    if value.lower().replace("_", " ").replace("-", " ") in (PREFER_NOT_TO_SAY, "pnts"):
        return PREFER_NOT_TO_SAY
    return check_name(value, name.replace("_", " "))


@dataclass
class Details(Record):
    participant_id: str
    values: dict[str, str] = field(default_factory=dict)  # DETAIL_FIELDS → value
    monitoring: dict[str, str] = field(default_factory=dict)  # enabled monitoring fields
    updated_at: str = ""
    updated_by: str = ""

    def age_on(self, day: date) -> int | None:
        born = self.values.get("date_of_birth")
        if not born:
            return None
        return age_between(date.fromisoformat(born), day)


def age_between(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# -- agency contacts ---------------------------------------------------------------------------
AGENCY_ROLES = (
    "probation_officer",
    "social_worker",
    "court",
    "police",
    "gp",
    "substance_misuse_worker",
    "marac_coordinator",
    "mental_health_worker",
    "housing_officer",
    "other",
)
# What his signed agreement lets the programme share with this worker.
SHARING = (
    "attendance_only",
    "attendance_and_engagement",
    "risk_information",
    "full",
    "none",
)
SHARING_WORDS = {
    "attendance_only": "attendance only",
    "attendance_and_engagement": "attendance and engagement",
    "risk_information": "attendance, engagement and risk information",
    "full": "everything his agreement covers",
    "none": "nothing (contact for reference only)",
}


@dataclass
class AgencyContact(Record):
    id: str  # C1, C2 … within his case file
    participant_id: str
    role: str
    agency: str
    name: str = ""
    job_title: str = ""  # their own title, when the role list does not say it
    email: str = ""
    phone: str = ""
    sharing: str = "attendance_only"
    added_at: str = ""
    added_by: str = ""
    # No longer involved: kept for his history (the timeline), never offered for a letter.
    removed_at: str = ""
    removed_by: str = ""

    def __post_init__(self) -> None:
        self.role = check_choice(self.role, AGENCY_ROLES, "agency role")
        self.sharing = check_choice(self.sharing, SHARING, "information sharing")
        self.agency = check_name(self.agency, "agency")
        if self.name:
            self.name = check_name(self.name, "contact name")
        if self.job_title:
            self.job_title = check_name(self.job_title, "job title")
        if self.email:
            self.email = clean_detail("email", self.email)
        if self.phone:
            self.phone = clean_detail("phone", self.phone)

    @property
    def role_words(self) -> str:
        return "GP" if self.role == "gp" else self.role.replace("_", " ").replace("marac", "MARAC")

    @property
    def sharing_words(self) -> str:
        return SHARING_WORDS[self.sharing]

    def label(self) -> str:
        who = self.name or "(no name)"
        return f"{who}, {self.role_words}, {self.agency}"


# -- children ----------------------------------------------------------------------------------
LIVES_WITH = ("mother", "him", "both", "grandparents", "other_family", "foster_care", "other")
CONTACT_ARRANGEMENTS = (
    "none",
    "supervised",
    "unsupervised",
    "indirect",
    "court_order",
    "not_known",
)
CHILD_PLANS = ("none", "child_in_need", "child_protection", "looked_after")
# What makes a prompt in the risk queue: a plan about harm to a child, or any change in how he
# sees the child (contact disputes and changes are a known risk point).
PROMPTING_PLANS = ("child_protection",)


@dataclass
class Child(Record):
    id: str  # K1, K2 … within his case file
    participant_id: str
    first_name: str
    date_of_birth: str = ""
    age: int | None = None  # when the birth date is not known
    age_recorded_on: str = ""
    lives_with: str = "mother"
    contact: str = "not_known"
    contact_note: str = ""  # e.g. "Saturdays at the contact centre", the order's reference
    plan: str = "none"
    social_worker: str = ""  # an agency contact id (C2) or a name
    added_at: str = ""
    added_by: str = ""

    def __post_init__(self) -> None:
        self.first_name = check_name(self.first_name, "child's first name")
        if " " in self.first_name.strip():
            raise InvalidInput("a child is recorded by first name only")
        if self.date_of_birth:
            self.date_of_birth = parse_date(self.date_of_birth, "child's date of birth").isoformat()
        if self.age is not None:
            try:
                self.age = int(self.age)
            except (TypeError, ValueError):
                raise InvalidInput(f"child's age '{self.age}' is not a whole number") from None
            if not 0 <= self.age <= 25:
                raise InvalidInput(f"child's age {self.age} is out of range (0 to 25)")
        self.lives_with = check_choice(self.lives_with, LIVES_WITH, "lives with")
        self.contact = check_choice(self.contact, CONTACT_ARRANGEMENTS, "contact arrangement")
        self.plan = check_choice(self.plan, CHILD_PLANS, "child's plan")
        self.contact_note = check_text_size(self.contact_note, "contact note", 500).strip()
        if self.social_worker:
            self.social_worker = check_name(self.social_worker, "social worker")

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth:
            return age_between(date.fromisoformat(self.date_of_birth), day)
        if self.age is not None and self.age_recorded_on:
            then = date.fromisoformat(self.age_recorded_on)
            return self.age + max(0, age_between(then, day))
        return self.age

    def words(self, day: date) -> str:
        age = self.age_on(day)
        return self.first_name + (f" ({age})" if age is not None else "")


def prompt_reasons(before: Child | None, after: Child) -> list[str]:
    """Why a change to a child's record must reach the risk queue (none: it need not)."""
    out = []
    if after.plan in PROMPTING_PLANS and (before is None or before.plan != after.plan):
        out.append(f"child protection plan recorded for {after.first_name}")
    if before is not None and before.contact != after.contact:
        out.append(
            f"contact with {after.first_name} changed: "
            f"{before.contact.replace('_', ' ')} → {after.contact.replace('_', ' ')}"
        )
    return out


# -- case notes --------------------------------------------------------------------------------
NOTE_KINDS = (
    "phone_call",
    "missed_session_call",
    "change_in_circumstances",
    "meeting",
    "email",
    "letter",
    "agency_update",
    "other",
)
# A note may be changed in place for this long after it was written; after that only amended.
EDITABLE_HOURS = 24


@dataclass
class NoteAmendment(Record):
    number: int
    at: str
    by: str
    text: str


@dataclass
class CaseNote(Record):
    id: str  # N1, N2 … within his case file
    participant_id: str
    date: str  # the day it is about
    kind: str
    text: str
    written_at: str
    written_by: str
    contact_id: str = ""  # the agency contact it concerns, if any
    edited_at: str = ""
    amendments: list[dict] = field(default_factory=list)
    suggestion_id: str = ""  # the risk suggestion the scanner kept from it

    def __post_init__(self) -> None:
        self.kind = check_choice(self.kind, NOTE_KINDS, "note kind")
        self.date = parse_date(self.date, "note date").isoformat()
        self.text = check_text_size(require_text(self.text, "the note"), "the note").strip()

    @property
    def amendment_list(self) -> list[NoteAmendment]:
        return [NoteAmendment.from_dict(a) for a in self.amendments]

    def settled(self, now: datetime) -> bool:
        """Past the time it may be changed in place: from then on, only amended."""
        return now - datetime.fromisoformat(self.written_at) >= timedelta(hours=EDITABLE_HOURS)

    def full_text(self) -> str:
        """The note and every amendment, as the scanner and a reader see them."""
        parts = [self.text] + [a.text for a in self.amendment_list]
        return "\n".join(parts)


def check_can_edit(note: CaseNote, user: str, now: datetime) -> None:
    if note.settled(now):
        raise Refused(
            f"note {note.id} was written more than {EDITABLE_HOURS} hours ago: "
            "add an amendment instead (its words stay as written)"
        )
    if user != note.written_by:
        raise Refused(f"note {note.id} is {note.written_by}'s: add an amendment instead")


def amend(note: CaseNote, user: str, text: str, at: datetime) -> NoteAmendment:
    text = check_text_size(require_text(text, "the amendment"), "the amendment").strip()
    amendment = NoteAmendment(len(note.amendments) + 1, at.isoformat(), user, text)
    note.amendments.append(amendment.to_dict())
    return amendment
