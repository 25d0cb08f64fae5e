"""MARAC referrals, the prompts that call for one, and the actions a meeting gives the programme.

A prompt is raised group-side when a risk assessment reaches high: from partner support's
checklist with her (only the level crosses the wall, never her answers or notes) or from the
programme's own assessment of him. It names the level and where it came from, nothing else, and
stays open on the due list until a referral is recorded for him. A referral records who referred,
when, to which MARAC, why (risk categories, and a short summary that must not carry partner
words), the meeting date and the actions agreed for the programme, each with an owner and a due
date. A referral within twelve months of an earlier one is marked repeat. Every referral is
also an entry in the information-sharing log.

    data/risk/marac.json      tables: referrals, prompts
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from facilitator import clock
from facilitator.domain.dash import LEVELS
from facilitator.domain.marac import MaracAction, MaracPrompt, MaracReferral, is_repeat
from facilitator.domain.values import check_text_size, parse_date
from facilitator.errors import InvalidInput, NotFound, Refused
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.core.sharing import record_sharing
from facilitator.services.risk.settings import category_severities
from facilitator.storage.stores import all_docs, get_doc, put_doc

MARAC_STORE = "risk/marac.json"
SUMMARY_MAX = 600
# Who may refer to and record a MARAC (admins always may).
MARAC_ROLES = ("coordinator",)
PROMPT_SOURCES = {
    "partner_support": "partner support risk assessment",
    "programme_assessment": "programme risk assessment",
}


# -- prompts -------------------------------------------------------------------------------------
def raise_prompt(
    office: Office, participant_id: str, level: str, source: str, on: str = ""
) -> MaracPrompt | None:
    """A MARAC prompt for him when the level is high and none is open; None otherwise. Joins the
    caller's transaction: the assessment that raised it lands with it."""
    if level not in LEVELS:
        raise InvalidInput(f"a risk level is one of {', '.join(LEVELS)}")
    if source not in PROMPT_SOURCES:
        raise InvalidInput(f"unknown prompt source: choose one of {', '.join(PROMPT_SOURCES)}")
    if level != "high":
        return None
    person = get_participant(office, participant_id)
    with office.stores.writing():
        if any(p.participant_id == person.id and p.open for p in prompts(office)):
            return None
        prompt = MaracPrompt(
            id=office.stores.next_id("MP"),
            participant_id=person.id,
            raised_on=on or clock.today().isoformat(),
            level=level,
            source=source,
        )
        with office.stores.store(MARAC_STORE, "marac", write=True) as db:
            put_doc(db, "prompts", prompt.to_dict())
        office.audit("raise", "marac_prompt", prompt.id, participant=person.id, level=level)
    return prompt


def record_partner_level(
    office: Office, participant_id: str, on: str, level: str
) -> MaracPrompt | None:
    """What crosses the wall from partner support's checklist: the date and the level, and a
    prompt when high. Deliberately takes no answers and no text."""
    office.require_role("partner_support", doing="record a risk level from partner support")
    if level not in LEVELS:
        raise InvalidInput(f"a risk level is one of {', '.join(LEVELS)}")
    day = parse_date(on, "assessment date").isoformat()
    person = get_participant(office, participant_id)
    with office.stores.writing():
        with office.stores.store(MARAC_STORE, "marac", write=True) as db:
            doc = get_doc(db, "partner_levels", person.id) or {
                "id": person.id,
                "participant_id": person.id,
                "history": [],
            }
            doc["history"].append({"date": day, "level": level})
            doc["history"].sort(key=lambda h: h["date"])
            put_doc(db, "partner_levels", doc)
        office.audit("record", "partner_risk_level", person.id, level=level)
        return raise_prompt(office, person.id, level, "partner_support", on=day)


def partner_levels(office: Office, participant_id: str) -> list[dict]:
    """The dated levels partner support's assessments gave, oldest first: {date, level}."""
    pid = get_participant(office, participant_id).id
    with office.stores.store(MARAC_STORE, "marac") as db:
        doc = get_doc(db, "partner_levels", pid)
    return list((doc or {}).get("history", []))


def prompts(office: Office, open_only: bool = False) -> list[MaracPrompt]:
    with office.stores.store(MARAC_STORE, "marac") as db:
        found = [MaracPrompt.from_dict(d) for d in all_docs(db, "prompts")]
    found = [p for p in found if p.open or not open_only]
    return sorted(found, key=lambda p: (p.raised_on, p.id))


# -- referrals -----------------------------------------------------------------------------------
def _reasons(office: Office, reasons: list[str]) -> list[str]:
    known = category_severities(office)
    out = []
    for r in reasons:
        key = str(r or "").strip().lower().replace("-", "_").replace(" ", "_")
        if key not in known:
            raise InvalidInput(f"unknown risk category: choose one of {', '.join(known)}")
        if key not in out:
            out.append(key)
    if not out:
        raise InvalidInput("give at least one reason (a risk category) for the referral")
    return out


def refer(
    office: Office,
    participant_id: str,
    *,
    agency: str,
    reasons: list[str],
    summary: str = "",
    on: str | date | None = None,
    meeting_on: str | date | None = None,
    basis: str = "safeguarding",
) -> MaracReferral:
    """Record a MARAC referral of him. Closes his open prompts, marks a repeat within twelve
    months of an earlier referral, and writes its information-sharing record, all in one go."""
    office.require_role(*MARAC_ROLES, doing="refer a man to a MARAC")
    person = get_participant(office, participant_id)
    agency = check_text_size(str(agency or "").strip(), "MARAC", 200)
    if not agency:
        raise InvalidInput("name the MARAC referred to, e.g. --agency 'Riverside MARAC'")
    day = (parse_date(on, "referral date") if on else clock.today()).isoformat()
    meeting = parse_date(meeting_on, "meeting date").isoformat() if meeting_on else ""
    if meeting and meeting < day:
        raise InvalidInput(f"the meeting date {meeting} is before the referral date {day}")
    with office.stores.writing():
        earlier = [r for r in referrals(office) if r.participant_id == person.id]
        previous = is_repeat([r.referred_on for r in earlier], day)
        referral = MaracReferral(
            id=office.stores.next_id("MR"),
            participant_id=person.id,
            referred_on=day,
            referred_by=office.user,
            agency=agency,
            reasons=_reasons(office, reasons),
            summary=check_text_size(summary.strip(), "referral summary", SUMMARY_MAX),
            meeting_on=meeting,
            repeat=bool(previous),
            previous_id=next((r.id for r in earlier if r.referred_on == previous), ""),
        )
        with office.stores.store(MARAC_STORE, "marac", write=True) as db:
            put_doc(db, "referrals", referral.to_dict())
            for doc in all_docs(db, "prompts"):
                if doc["participant_id"] == person.id and not doc.get("closed_on"):
                    doc |= {"closed_on": day, "closed_by_referral": referral.id}
                    put_doc(db, "prompts", doc)
                    office.audit("close", "marac_prompt", doc["id"], referral=referral.id)
        office.audit(
            "refer",
            "marac_referral",
            referral.id,
            participant=person.id,
            repeat="yes" if referral.repeat else "no",
        )
        record_sharing(
            office,
            person.id,
            information="marac_referral",
            to_agency=agency,
            basis=basis,
            means="marac",
            on=day,
            reference=referral.id,
        )
    return referral


def referrals(office: Office, participant_id: str | None = None) -> list[MaracReferral]:
    """Referrals, oldest first; one man's when an id is given."""
    pid = get_participant(office, participant_id).id if participant_id else None
    with office.stores.store(MARAC_STORE, "marac") as db:
        found = [MaracReferral.from_dict(d) for d in all_docs(db, "referrals")]
    if pid:
        found = [r for r in found if r.participant_id == pid]
    return sorted(found, key=lambda r: (r.referred_on, r.id))


def get_referral(office: Office, referral_id: str) -> MaracReferral:
    key = str(referral_id or "").strip().upper()
    with office.stores.store(MARAC_STORE, "marac") as db:
        doc = get_doc(db, "referrals", key)
    if doc is None:
        raise NotFound(
            f"no MARAC referral '{referral_id}' (ids look like MR0001)",
            command="facilitator marac list",
        )
    return MaracReferral.from_dict(doc)


def _save(office: Office, referral: MaracReferral) -> None:
    with office.stores.store(MARAC_STORE, "marac", write=True) as db:
        put_doc(db, "referrals", referral.to_dict())


def set_meeting(office: Office, referral_id: str, meeting_on: str | date) -> MaracReferral:
    office.require_role(*MARAC_ROLES, doing="record a MARAC meeting")
    with office.stores.writing():
        referral = get_referral(office, referral_id)
        meeting = parse_date(meeting_on, "meeting date").isoformat()
        if meeting < referral.referred_on:
            raise InvalidInput(
                f"the meeting date {meeting} is before the referral date {referral.referred_on}"
            )
        referral.meeting_on = meeting
        _save(office, referral)
        office.audit("meeting", "marac_referral", referral.id)
    return referral


def add_action(
    office: Office, referral_id: str, text: str, owner: str, due_on: str | date
) -> MaracAction:
    """An action the MARAC agreed for the programme, with its owner and due date."""
    office.require_role(*MARAC_ROLES, doing="record a MARAC action")
    what = check_text_size(str(text or "").strip(), "action", 300)
    if not what:
        raise InvalidInput("say what the action is")
    staff = office.find_staff(owner)
    due = parse_date(due_on, "due date").isoformat()
    with office.stores.writing():
        referral = get_referral(office, referral_id)
        action = MaracAction(
            id=f"{referral.id}-A{len(referral.actions) + 1}", text=what, owner=staff.id, due_on=due
        )
        referral.actions.append(action.to_dict())
        _save(office, referral)
        office.audit("add", "marac_action", action.id, owner=staff.id)
    return action


def complete_action(office: Office, action_id: str, on: str | date | None = None) -> MaracAction:
    key = str(action_id or "").strip().upper()
    referral_id, sep, _ = key.partition("-A")
    if not sep:
        raise NotFound(f"no MARAC action '{action_id}' (ids look like MR0001-A1)")
    office.require_role(*MARAC_ROLES, doing="mark a MARAC action done")
    day = (parse_date(on, "date done") if on else clock.today()).isoformat()
    with office.stores.writing():
        referral = get_referral(office, referral_id)
        for doc in referral.actions:
            if doc["id"] == key:
                if doc.get("done_on"):
                    raise Refused(f"{key} was already marked done on {doc['done_on']}")
                doc["done_on"] = day
                _save(office, referral)
                office.audit("done", "marac_action", key)
                return MaracAction.from_dict(doc)
    raise NotFound(f"no MARAC action '{action_id}' on {referral.id}")


# -- what is due ---------------------------------------------------------------------------------
@dataclass
class MaracDue:
    """One line on the due lists: an open prompt or an action due."""

    participant_id: str
    about: str
    due_on: str = ""
    overdue: bool = False

    @property
    def line(self) -> str:
        late = " — overdue" if self.overdue else ""
        when = f" (due {self.due_on}{late})" if self.due_on else ""
        return f"{self.participant_id}: {self.about}{when}"


def actions_due(
    office: Office, today: date | None = None, owner: str | None = None
) -> list[tuple[MaracReferral, MaracAction]]:
    """Actions not done whose due date has come, oldest due first; all open ones without
    `today`."""
    out = []
    for referral in referrals(office):
        for action in referral.action_list():
            if action.done_on or (owner and action.owner != owner):
                continue
            if today is None or action.due_by(today):
                out.append((referral, action))
    return sorted(out, key=lambda ra: (ra[1].due_on, ra[1].id))


def due(office: Office, today: date | None = None) -> list[MaracDue]:
    """Open prompts and actions due, for the home screen and the risk queue. A prompt names the
    level and its source only."""
    today = today or clock.today()
    lines = [
        MaracDue(
            p.participant_id,
            f"consider a MARAC referral ({p.level} risk, "
            f"{PROMPT_SOURCES.get(p.source, p.source)}, {p.raised_on})",
        )
        for p in prompts(office, open_only=True)
    ]
    lines += [
        MaracDue(r.participant_id, f"MARAC action {a.id}: {a.text}", a.due_on, a.overdue(today))
        for r, a in actions_due(office, today)
    ]
    return lines
