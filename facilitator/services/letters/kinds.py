"""The kinds of letter a programme sends, who each is addressed to, and its template file."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.errors import InvalidInput

REFERRER = "referrer"
MAN = "man"


@dataclass(frozen=True)
class LetterKind:
    id: str
    title: str
    to: str  # REFERRER or MAN: whom the letter goes to unless --to says otherwise
    about: str  # one line for `letter kinds`

    @property
    def template_file(self) -> str:
        return f"{self.id}.docx"


KINDS: tuple[LetterKind, ...] = (
    LetterKind(
        "referral_acknowledgement",
        "Referral acknowledgement",
        REFERRER,
        "to the referrer: his referral has reached the programme, and what happens next",
    ),
    LetterKind(
        "invitation",
        "Invitation to assessment and to his first group",
        MAN,
        "to the man: his assessment appointments and his first group session",
    ),
    LetterKind(
        "assessment_outcome",
        "Assessment outcome",
        REFERRER,
        "to the referrer: suitable, not suitable or deferred, with the reasons",
    ),
    LetterKind(
        "absence_warning",
        "Absence warning",
        MAN,
        "to the man: his unexcused absences and the limit he is close to or past",
    ),
    LetterKind(
        "breach_notice",
        "Notice of non-compliance",
        REFERRER,
        "to the referrer: a breach of the programme's requirements (due the next working day)",
    ),
    LetterKind(
        "progress_report",
        "Progress report",
        REFERRER,
        "to the referrer: attendance, sessions covered and still to do, engagement",
    ),
    LetterKind(
        "end_of_programme",
        "End-of-programme report",
        REFERRER,
        "to the referrer: completed, exited or suspended; what he attended and covered",
    ),
)
BY_ID = {k.id: k for k in KINDS}


def kind_named(name: str) -> LetterKind:
    key = (name or "").strip().lower().replace("-", "_")
    if key not in BY_ID:
        raise InvalidInput(f"unknown letter kind '{name}' (kinds: {', '.join(BY_ID)})")
    return BY_ID[key]
