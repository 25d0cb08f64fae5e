"""MARAC referrals, the actions a meeting gives the programme, and the record of what
information about a man went to which agency.

A Multi-Agency Risk Assessment Conference (MARAC) is where police, probation, children's
services, health, housing and the independent domestic violence advisers share what they know
about the highest-risk cases and agree actions. The programme refers when its own work or
partner support finds high risk, and is given actions to carry out. A case referred again within
twelve months of an earlier referral is a "repeat", which the MARAC counts and treats as a sign
that risk has not been brought down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from facilitator.domain.record import Record
from facilitator.domain.values import parse_date

REPEAT_WITHIN_DAYS = 365

# Why information went to another agency: the basis a sharing record names.
SHARING_BASES = {
    "agreement": "his signed information-sharing agreement",
    "safeguarding": "the safeguarding exception (risk of serious harm)",
    "court_order": "a court order",
    "legal_duty": "a legal duty (e.g. a probation requirement)",
}
# What kind of information went.
SHARED_INFORMATION = {
    "attendance": "attendance and compliance",
    "assessment_outcome": "assessment outcome",
    "progress": "progress and engagement",
    "risk_concern": "a risk concern",
    "marac_referral": "a MARAC referral",
    "safeguarding_referral": "a safeguarding referral",
    "end_of_programme": "end-of-programme report",
    "other": "other information",
}
SHARING_MEANS = ("letter", "report", "marac", "phone", "email", "meeting", "referral_form")


@dataclass
class MaracAction(Record):
    id: str  # MR0001-A1
    text: str
    owner: str  # staff id
    due_on: str
    done_on: str = ""

    def overdue(self, today: date) -> bool:
        return not self.done_on and parse_date(self.due_on) < today

    def due_by(self, today: date) -> bool:
        return not self.done_on and parse_date(self.due_on) <= today


@dataclass
class MaracReferral(Record):
    id: str  # MR0001
    participant_id: str
    referred_on: str
    referred_by: str
    agency: str  # the MARAC referred to
    reasons: list[str] = field(default_factory=list)  # risk category ids
    summary: str = ""
    meeting_on: str = ""
    repeat: bool = False
    previous_id: str = ""
    actions: list[dict] = field(default_factory=list)

    def action_list(self) -> list[MaracAction]:
        return [MaracAction.from_dict(a) for a in self.actions]


@dataclass
class MaracPrompt(Record):
    """A reason to consider a MARAC referral, raised group-side: it names a level, never why."""

    id: str  # MP0001
    participant_id: str
    raised_on: str
    level: str  # the level that raised it
    source: str  # "partner_support" or "programme_assessment"
    closed_on: str = ""
    closed_by_referral: str = ""

    @property
    def open(self) -> bool:
        return not self.closed_on


@dataclass
class SharingRecord(Record):
    """Information about a man that went to another agency: what, to whom, why, by whom, when."""

    id: str  # IS0001
    participant_id: str
    shared_on: str
    information: str  # a SHARED_INFORMATION key
    to_agency: str
    to_person: str = ""
    basis: str = "agreement"  # a SHARING_BASES key
    means: str = "letter"  # a SHARING_MEANS value
    shared_by: str = ""
    reference: str = ""  # the letter, report or referral it went with


def is_repeat(earlier_dates: list[str], referred_on: str) -> str:
    """The date of the latest earlier referral within twelve months, or "" when none."""
    day = parse_date(referred_on)
    within = [
        d
        for d in earlier_dates
        if parse_date(d) <= day and (day - parse_date(d)).days <= REPEAT_WITHIN_DAYS
    ]
    return max(within) if within else ""


# Why the programme referred a child to children's services, and what came of it.
SAFEGUARDING_REASONS = {
    "physical_harm": "physical harm or its risk",
    "exposure_to_abuse": "living with his abuse of their mother",
    "threat_to_child": "a threat to harm or take the child",
    "sexual_harm": "sexual harm or its risk",
    "neglect": "neglect",
    "contact_concern": "a concern about his contact with the child",
    "other": "another concern",
}
SAFEGUARDING_OUTCOMES = (
    "awaiting",
    "no_further_action",
    "early_help",
    "assessment",
    "child_in_need",
    "child_protection_enquiry",
    "child_protection_plan",
)


@dataclass
class SafeguardingReferral(Record):
    """A referral to children's services about one or more of his children."""

    id: str  # S1, S2 … within his case file
    participant_id: str
    referred_on: str
    to: str  # the children's services team referred to
    reason: str  # a SAFEGUARDING_REASONS key
    children: list[str] = field(default_factory=list)  # child ids in his case file (K1)
    outcome: str = "awaiting"
    outcome_on: str = ""
    referred_by: str = ""
