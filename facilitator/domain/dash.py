"""The risk checklist partner support completes with her, and the level it gives.

The questions follow the content of the SafeLives Domestic Abuse, Stalking and Harassment and
Honour Based Violence (DASH) Risk Identification Checklist (2009), the checklist MARACs in
England and Wales work from: its 27 questions, asked of the victim-survivor, each answered yes,
no or don't know. They are written here in the programme's own words; a programme using the
published form keeps to its wording when it asks them. The SafeLives guidance treats 14 or more
"yes" answers as high risk, and lets the worker's professional judgement set high risk at any
count: the count is a floor under her judgement, never a ceiling over it.

Everything here stays in the partner store. What the group side learns is only the date of the
assessment and the level it gave.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitator.domain.record import Record
from facilitator.domain.risk_flag import ASSESSMENT_LEVELS as LEVELS

SOURCE = "SafeLives DASH Risk Identification Checklist (2009)"

# (number, the question as asked of her); "he" is the man on the programme.
QUESTIONS: tuple[tuple[int, str], ...] = (
    (1, "Was she injured in what happened most recently?"),
    (2, "Is she very frightened?"),
    (3, "Is she afraid of further injury or violence from him?"),
    (4, "Does she feel cut off from family or friends?"),
    (5, "Is she feeling low or depressed, or having thoughts of suicide?"),
    (6, "Has she separated from him, or tried to, in the past year?"),
    (7, "Is there conflict about contact with the children?"),
    (8, "Does he keep texting, calling or contacting her, follow her, stalk or harass her?"),
    (9, "Is she pregnant, or has she had a baby in the last 18 months?"),
    (10, "Is his abuse happening more often?"),
    (11, "Is his abuse getting worse?"),
    (12, "Does he try to control everything she does, or is he excessively jealous?"),
    (13, "Has he ever used a weapon or an object to hurt her?"),
    (14, "Has he ever threatened to kill her or someone else, and did she believe him?"),
    (15, "Has he ever tried to strangle, choke, smother or drown her?"),
    (16, "Does he do or say sexual things that make her feel bad or that hurt her or others?"),
    (17, "Is there anyone else who has threatened her or whom she is afraid of?"),
    (18, "Does she know of him hurting anyone else?"),
    (19, "Has he ever hurt or mistreated an animal or a family pet?"),
    (20, "Are there money worries, or does she depend on him for money?"),
    (21, "In the past year, has he had problems with drink, drugs or his mental health?"),
    (22, "Has he ever threatened or attempted suicide?"),
    (23, "Has he broken bail, an injunction or an agreement about seeing her or the children?"),
    (24, "Does she know of him being in trouble with the police, or of a criminal record?"),
    (25, "Are there children in the household, including children who are not his?"),
    (26, "Has he ever hurt the children or other dependants?"),
    (27, "Has he ever threatened to hurt or kill the children or other dependants?"),
)
NUMBERS = tuple(n for n, _ in QUESTIONS)

ANSWERS = ("yes", "no", "dont_know", "not_asked")
ANSWER_WORDS = {"yes": "yes", "no": "no", "dont_know": "don't know", "not_asked": "not asked"}
HIGH_RISK_YES = 14  # the SafeLives threshold; the programme may set its own


def answer_of(value: str) -> str:
    """The stored answer for what a worker typed ("yes", "n", "don't know", "dk", ...)."""
    text = str(value or "").strip().lower().replace("'", "").replace(" ", "_").replace("-", "_")
    aliases = {
        "y": "yes",
        "n": "no",
        "dk": "dont_know",
        "dontknow": "dont_know",
        "unknown": "dont_know",
        "na": "not_asked",
        "notasked": "not_asked",
    }
    text = aliases.get(text, text)
    if text not in ANSWERS:
        raise ValueError("answer with yes, no, dont_know or not_asked")
    return text


def level_from(yes_count: int, judged: str, threshold: int = HIGH_RISK_YES) -> str:
    """The level: her worker's judgement, raised to high when the count reaches the threshold."""
    if judged not in LEVELS:
        raise ValueError(f"a risk level is one of {', '.join(LEVELS)}")
    return "high" if yes_count >= threshold else judged


@dataclass
class DashAssessment(Record):
    """One completed checklist, dated; repeated assessments are kept side by side."""

    id: str  # P0001-PT1-D1
    partner_id: str
    date: str
    answers: dict[str, str] = field(default_factory=dict)  # "1".."27" -> an ANSWERS value
    notes: dict[str, str] = field(default_factory=dict)  # "1".."27" -> the worker's note
    judged_level: str = "standard"
    level: str = "standard"
    threshold: int = HIGH_RISK_YES
    rationale: str = ""
    recorded_by: str = ""

    @property
    def yes_count(self) -> int:
        return sum(1 for a in self.answers.values() if a == "yes")

    def answer(self, number: int) -> str:
        return self.answers.get(str(number), "not_asked")

    @property
    def raised_by_count(self) -> bool:
        """The count, not her worker's judgement, made this high."""
        return self.level == "high" and self.judged_level != "high"
