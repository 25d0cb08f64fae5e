"""Risk indicators in a debrief note: the risk categories of the check-in scanner.

The risk scanner reads the note; each indicator is tied to the man whose section it is in (or
the only man its paragraph names). A saved draft's indicators are queued as his risk
suggestions for the session, as his check-in's words are, so the risk queue has them before the
note is signed. An indicator with no flag yet for that man must be flagged
or dismissed with a reason before the note is signed or amended: the detector errs towards
flagging, and a dismissal is a decision that is kept.

    scan_note(office, note, text=None) -> list[Indicator]   numbered, with how each was handled
    queue_suggestions(office, note) -> list[Indicator]      a saved draft's indicators put to
                                                            review as risk suggestions
    decide(office, note, text, decisions, doing) -> Outcome raises flags, records dismissals;
                                                            IndicatorsPending while any is left
    Decision.flag("2"), Decision.flag("2:P0003"), Decision.flag("all"), Decision.dismiss("3", why)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitator import clock
from facilitator.detector.categories import label
from facilitator.domain.debrief import DebriefNote, Handled
from facilitator.domain.debrief_text import (
    attribute,
    blank_flag_lines,
    blank_header_and_names,
    excerpt,
)
from facilitator.domain.values import require_text
from facilitator.errors import InvalidInput, Refused
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.core.session_store import get_session
from facilitator.services.debrief.prefill import session_men
from facilitator.services.risk import flags as risk
from facilitator.services.risk import settings as risk_settings
from facilitator.services.risk import suggestions as risk_suggestions

UNNAMED = "?"


class IndicatorsPending(Refused):
    """Signing or amending waits until every indicator is flagged or dismissed."""

    def __init__(self, message: str, indicators: list[Indicator]):
        super().__init__(message)
        self.indicators = indicators


@dataclass
class Indicator:
    number: int
    key: str  # "<participant id or ?>:<category>"
    category: str
    severity: str
    participant_id: str  # "" when the note does not say which man
    participant_name: str
    excerpts: list[str] = field(default_factory=list)
    handled: str = ""  # how it was handled; "" while it waits for a decision
    waiting: str = ""  # the risk suggestion it waits in, queued for review when the note was saved

    @property
    def label(self) -> str:

        return label(self.category)

    @property
    def who(self) -> str:
        return f"{self.participant_id} {self.participant_name}".strip() or "(no man named)"

    def line(self) -> str:
        quote = f" “{self.excerpts[0]}”" if self.excerpts else ""
        state = (
            f" [{self.handled}]"
            if self.handled
            else f" [waiting for review: risk suggestion {self.waiting}]"
            if self.waiting
            else ""
        )
        return f"{self.number}. {self.who}: {self.label} ({self.severity}){quote}{state}"

    def to_dict(self) -> dict:
        return {**self.__dict__, "label": self.label}


@dataclass
class Decision:
    ref: str  # an indicator's number, its key, or "all"
    action: str  # flag or dismiss
    participant_id: str = ""  # flag: the man, when the note does not say
    reason: str = ""  # dismiss: why

    @classmethod
    def flag(cls, value: str) -> Decision:
        ref, _, pid = _split_ref(str(value))
        return cls(ref.strip(), "flag", pid.strip().upper())

    @classmethod
    def dismiss(cls, value: str, reason: str) -> Decision:
        return cls(str(value).strip(), "dismiss", reason=(reason or "").strip())


def _split_ref(value: str) -> tuple[str, str, str]:
    """'2:P0003' → ('2', ':', 'P0003'); a key 'P0002:strangulation' stays whole."""
    head, sep, tail = value.strip().partition(":")
    if head.isdigit() and sep:
        return head, sep, tail
    return value.strip(), "", ""


@dataclass
class Outcome:
    handled: list[Handled] = field(default_factory=list)
    flags: list = field(default_factory=list)
    dismissed: list[Handled] = field(default_factory=list)


def _scan(office: Office, text: str) -> list[dict]:
    """The scanner's matches, with the workspace's rules and severities."""
    found = risk_settings.detector_for(office).scan(text).indicators if text.strip() else []
    return [
        {
            "category": i.category,
            "severity": i.severity,
            "match": i.match,
            "start": i.start,
            "end": i.end,
        }
        for i in found
    ]


def _men(office: Office, note: DebriefNote) -> dict[str, tuple[str, list[str]]]:
    """The men of the session: id -> (name, the names the note may call him by); the men in
    the room when any was, else everyone on the roster."""

    record = get_session(office, note.session_id)
    out = {
        pid: (name, [name, name.split()[0]])
        for pid, name in session_men(office, record)
        if name != pid
    }
    in_room = [pid for pid, mark in record.attendance.items() if mark.in_room]
    return {pid: out[pid] for pid in in_room if pid in out} or out


def men_of(office: Office, note: DebriefNote) -> dict[str, str]:
    """The men a flag from this note may be for: id -> name (those in the room, else the roster)."""
    return {pid: name for pid, (name, _) in _men(office, note).items()}


def _already(
    office: Office, note: DebriefNote, pid: str, category: str, flags: list, dismissed: dict
) -> str:
    """How an indicator for this man was handled elsewhere, or ""."""
    if pid == UNNAMED:
        return ""
    for f in flags:
        if f.participant_id == pid and category in f.categories:
            if f.session_id == note.session_id:
                return f"flag {f.id} raised this session"
            if not f.is_closed:
                return f"flag {f.id} open"
    sid = dismissed.get((pid, category))
    return f"risk suggestion {sid} dismissed" if sid else ""


def scan_note(office: Office, note: DebriefNote, text: str | None = None) -> list[Indicator]:
    """Indicators in the note (its text and amendments, or `text`), one per man and category."""
    if text is None:
        text = note.body + "".join(f"\n\n{a.text}" for a in note.amendment_list)
    men = _men(office, note)
    people = [n for _, aliases in men.values() for n in aliases]
    people += [n for s in office.staff() for n in (s.name, s.id)]
    found = _scan(office, blank_header_and_names(blank_flag_lines(text), people))
    if not found:
        return []
    names = {pid: aliases for pid, (_, aliases) in men.items()}
    only = next(iter(men)) if len(men) == 1 else None
    grouped: dict[str, Indicator] = {}
    for m in sorted(found, key=lambda m: m["start"]):
        pid = attribute(text, m["start"], names) or only or UNNAMED
        key = f"{pid}:{m['category']}"
        ind = grouped.get(key)
        if ind is None:
            ind = grouped[key] = Indicator(
                len(grouped) + 1,
                key,
                m["category"],
                m["severity"],
                "" if pid == UNNAMED else pid,
                men.get(pid, ("", []))[0],
            )
        quote = excerpt(text, m["start"], m["end"])
        if quote not in ind.excerpts:
            ind.excerpts.append(quote)
    # A partner-contact flag does not count: her concern must not show through a note's scan,
    # and his own words in the group are a separate disclosure worth its own flag.
    flags = [f for f in risk.list_flags(office, "all") if f.source != "partner_contact"]
    dismissed, waiting = {}, {}
    for s in risk_suggestions.list_suggestions(office, note.session_id):
        if s.status == "dismissed":
            dismissed.update({(s.participant_id, c): s.id for c in s.categories})
        elif s.pending:
            waiting.update({(s.participant_id, c): s.id for c in s.categories})
    decided = {h.key: h for h in note.handled_list}
    for ind in grouped.values():
        h = decided.get(ind.key)
        if h is not None:
            ind.handled = (
                f"flagged {h.flag_id} by {h.by}"
                if h.action == "flagged"
                else f"dismissed by {h.by}: {h.reason}"
            )
        else:
            ind.handled = _already(
                office, note, ind.participant_id or UNNAMED, ind.category, flags, dismissed
            )
        if not ind.handled:
            ind.waiting = waiting.get((ind.participant_id, ind.category), "")
    return list(grouped.values())


def queue_suggestions(office: Office, note: DebriefNote) -> list[Indicator]:
    """Queue for review what the saved note says of each man, as his check-in's words are: an
    indicator with no flag or decision yet joins his risk suggestions for the session, so the
    risk queue has it before the note is signed. An indicator naming no man waits for the
    signing, where the facilitator names him. Returns the indicators still waiting, each with
    its suggestion."""
    indicators = scan_note(office, note)
    fresh: dict[str, list[dict]] = {}
    for ind in indicators:
        if ind.handled or ind.waiting or not ind.participant_id:
            continue
        fresh.setdefault(ind.participant_id, []).append(
            {
                "category": ind.category,
                "severity": ind.severity,
                "match": ind.excerpts[0] if ind.excerpts else ind.label,
                "start": None,
                "end": None,
                "words": [],
            }
        )
    if fresh:
        with office.stores.writing():
            for pid, matches in fresh.items():
                kept = risk_suggestions.suggest_from_debrief(office, note.session_id, pid, matches)
                for ind in indicators:
                    if kept and ind.participant_id == pid and ind.category in kept.categories:
                        ind.waiting = kept.id
    return [i for i in indicators if not i.handled]


# -- deciding ----------------------------------------------------------------------------------
def pending_message(note: DebriefNote, pending: list[Indicator], doing: str) -> str:
    n = len(pending)
    return (
        f"note {note.id}: {n} risk indicator{'s' if n != 1 else ''} with no flag yet; "
        f"before you {doing}, "
        "flag each (--flag N, or --flag N:PID to name the man) or dismiss it (--dismiss N "
        '--reason "why")'
    )


def decide(
    office: Office, note: DebriefNote, text: str, decisions=(), doing: str = "sign"
) -> Outcome:
    """Apply the decisions on the indicators in `text`; refuse, changing nothing, while any is
    left."""
    indicators = scan_note(office, note, text)
    pending = [i for i in indicators if not i.handled]
    refs = {**{str(i.number): i for i in indicators}, **{i.key.lower(): i for i in indicators}}
    chosen: dict[str, tuple[Indicator, Decision, str]] = {}
    for d in decisions:
        targets = pending if d.ref.lower() == "all" else [refs.get(d.ref.lower())]
        for ind in targets:
            if ind is None:
                raise InvalidInput(
                    f"note {note.id} has no risk indicator '{d.ref}'",
                    command=f"facilitator notes scan {note.id}",
                )
            if ind.handled:
                raise InvalidInput(
                    f"indicator {ind.number} ({ind.label}) is already handled: {ind.handled}"
                )
            chosen[ind.key] = (ind, d, _man_for(office, note, ind, d))
    left = [i for i in pending if i.key not in chosen]
    if left:
        raise IndicatorsPending(pending_message(note, left, doing), left)
    outcome = Outcome()
    now = clock.now().isoformat()
    for ind, d, pid in chosen.values():
        if d.action == "flag":
            summary = (
                f"From the debrief of {note.session_id}: "
                f"{ind.excerpts[0] if ind.excerpts else ind.label}"
            )
            flag = risk.raise_flag(
                office, pid, [ind.category], summary, session_id=note.session_id, source="debrief"
            )
            outcome.flags.append(flag)
            outcome.handled.append(
                Handled(
                    key=ind.key,
                    category=ind.category,
                    participant_id=pid,
                    action="flagged",
                    by=office.user,
                    at=now,
                    flag_id=flag.id,
                )
            )
        else:
            h = Handled(
                key=ind.key,
                category=ind.category,
                participant_id=pid,
                action="dismissed",
                by=office.user,
                at=now,
                reason=d.reason,
            )
            outcome.handled.append(h)
            outcome.dismissed.append(h)
    with office.stores.writing():
        for h in outcome.dismissed:
            office.audit("dismiss", "debrief_indicator", note.id, category=h.category)
        # What the note decided answers his suggestions queued from it (or his check-in).
        for pid in dict.fromkeys(h.participant_id for h in outcome.handled if h.participant_id):
            risk_suggestions.settle_from_debrief(
                office,
                note.session_id,
                pid,
                {
                    h.category: h.flag_id
                    for h in outcome.handled
                    if h.participant_id == pid and h.action == "flagged"
                },
                {
                    h.category: h.reason
                    for h in outcome.handled
                    if h.participant_id == pid and h.action == "dismissed"
                },
            )
    return outcome


def _man_for(office: Office, note: DebriefNote, ind: Indicator, d: Decision) -> str:

    if d.action == "dismiss":
        require_text(d.reason, f"the reason for dismissing indicator {ind.number} (--reason)")
        return ind.participant_id
    if d.action != "flag":
        raise InvalidInput(f"unknown decision '{d.action}': flag or dismiss")
    pid = d.participant_id or ind.participant_id
    if not pid:
        raise InvalidInput(
            f"indicator {ind.number} ({ind.label}) does not say which man it is about: "
            f"name him, e.g. --flag {ind.number}:P0001"
        )
    return get_participant(office, pid).id
