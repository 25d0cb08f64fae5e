"""Partner support: partners and ex-partners, contacts, contact points.

Everything here lives only in the encrypted partner store; nothing of it is ever shown on the
group side. Pure: no I/O and no clock.

    Partner       a partner or ex-partner linked to a participant, and how it is safe to reach her
    Contact       date, mode, worker, outcome, her safety planning, her account of his behaviour,
                  her wishes about information sharing
    Concern       a risk concern raised from a contact: only category, severity and the flag id
                  travel to the risk queue
    ContactPoint  a moment in his programme at which partner support makes contact (intake,
                  start, not suitable, exclusion, suspension, exit, completion, follow-up)
    contact_tasks(points, partners, contacts, within_days, today) -> the contacts now due
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from facilitator.domain.record import Record
from facilitator.domain.values import check_choice, parse_date, require_text

RELATIONSHIPS = ("partner", "ex_partner")
MODES = ("phone", "in_person", "video", "letter", "email", "text_message")
OUTCOMES = ("reached", "no_answer", "message_left", "declined")
# A contact that answers a contact point: she was reached, or she said she did not want it.
ANSWERED = ("reached", "declined")
SERVICE = ("open", "no_further_contact")

POINTS = (
    "intake",
    "not_suitable",
    "exclusion",
    "start",
    "suspension",
    "exit",
    "completion",
    "follow_up",
)
POINT_LABELS = {
    "intake": "his intake",
    "not_suitable": "he was found not suitable",
    "exclusion": "he was excluded",
    "start": "he started a group",
    "suspension": "he was suspended",
    "exit": "he left the programme (drop-out or exclusion)",
    "completion": "he completed the programme",
    "follow_up": "follow-up after completion",
}


@dataclass
class Partner(Record):
    id: str
    participant_id: str
    name: str
    relationship: str = "partner"
    phone: str = ""
    safe_contact: str = ""  # when and how it is safe to reach her
    notes: str = ""
    service: str = "open"
    added_on: str = ""
    added_by: str = ""

    def __post_init__(self) -> None:
        self.name = require_text(self.name, "partner's name")
        self.relationship = check_choice(self.relationship, RELATIONSHIPS, "relationship")
        self.service = check_choice(self.service, SERVICE, "service")
        if self.added_on:
            self.added_on = parse_date(self.added_on, "date added").isoformat()

    @property
    def open(self) -> bool:
        return self.service == "open"


@dataclass
class Contact(Record):
    id: str
    partner_id: str
    date: str
    mode: str
    worker: str
    outcome: str = "reached"
    safety_planning: str = ""
    her_account: str = ""
    wishes: str = ""  # her wishes about what may be shared, and with whom
    recorded_at: str = ""

    def her_words(self) -> list[tuple[str, str]]:
        """The free-text fields that are given, with their labels: what must never leave the
        store."""
        pairs = (
            ("safety planning", self.safety_planning),
            ("her account", self.her_account),
            ("her wishes", self.wishes),
        )
        return [(label, text) for label, text in pairs if text]

    def __post_init__(self) -> None:
        self.date = parse_date(self.date, "contact date").isoformat()
        self.mode = check_choice(self.mode, MODES, "contact mode")
        self.outcome = check_choice(self.outcome, OUTCOMES, "contact outcome")
        self.worker = require_text(self.worker, "worker")


@dataclass
class Concern(Record):
    id: str
    partner_id: str
    date: str
    category: str
    severity: str
    flag_id: str
    contact_id: str = ""
    raised_by: str = ""


@dataclass
class ContactPoint:
    """A point in his programme, read from group-side records (no partner content)."""

    participant_id: str
    point: str
    date: str


@dataclass
class ContactTask:
    participant_id: str
    partner_id: str  # "" when no partner is on record yet: find and add her
    point: str
    event_date: str
    due_on: str
    overdue: bool
    attempts: int = 0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ManRecord(Record):
    """What the partner store holds about one man's partners: one encrypted file each."""

    participant_id: str
    partners: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)
    concerns: list[dict] = field(default_factory=list)
    outcomes: list[dict] = field(default_factory=list)  # questionnaires she answered
    dash: list[dict] = field(default_factory=list)  # risk checklists completed with her

    def partner_list(self) -> list[Partner]:
        return [Partner.from_dict(p) for p in self.partners]

    def contact_list(self, partner_id: str | None = None) -> list[Contact]:
        return [
            Contact.from_dict(c) for c in self.contacts if partner_id in (None, c["partner_id"])
        ]


def follow_up_points(points: Iterable[ContactPoint], weeks: Iterable[int]) -> list[ContactPoint]:
    """Follow-up contacts after each completion, the given weeks later."""
    out = []
    for p in points:
        if p.point == "completion":
            for w in weeks:
                out.append(
                    ContactPoint(
                        p.participant_id,
                        "follow_up",
                        (parse_date(p.date) + timedelta(weeks=int(w))).isoformat(),
                    )
                )
    return out


def contact_tasks(
    points: Iterable[ContactPoint],
    partners: Iterable[Partner],
    contacts: Iterable[Contact],
    within_days: Mapping[str, int],
    today: date,
) -> list[ContactTask]:
    """Each contact point that has come, for each of his partners still open to contact,
    not yet answered by a contact on or after that date. A man with no partner on record gets
    one task per point, so partner support knows to find her."""
    by_man: dict[str, list[Partner]] = {}
    for p in partners:
        by_man.setdefault(p.participant_id, []).append(p)
    answered: dict[str, list[str]] = {}
    tried: dict[str, list[str]] = {}
    for c in contacts:
        (answered if c.outcome in ANSWERED else tried).setdefault(c.partner_id, []).append(c.date)
    now = today.isoformat()
    tasks: list[ContactTask] = []
    for point in sorted(points, key=lambda p: (p.date, p.participant_id, p.point)):
        if point.date > now:
            continue
        due = (
            parse_date(point.date) + timedelta(days=int(within_days.get(point.point, 14)))
        ).isoformat()
        his = by_man.get(point.participant_id, [])
        targets = [p.id for p in his if p.open]
        if not his:
            targets = [""]
        for pid in targets:
            if any(d >= point.date for d in answered.get(pid, [])):
                continue
            attempts = sum(1 for d in tried.get(pid, []) if d >= point.date)
            tasks.append(
                ContactTask(
                    point.participant_id, pid, point.point, point.date, due, due < now, attempts
                )
            )
    tasks.sort(key=lambda t: (t.due_on, t.participant_id, t.partner_id))
    return tasks
