"""The accountability check-in: what he did, towards whom, and how he talks about it."""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitator.domain.record import Record
from facilitator.domain.values import check_choice, check_choices
from facilitator.errors import InvalidInput

# "Any abuse since last time?": unasked is "not recorded", never saved as a "no" nobody gave.
DISCLOSED = ("yes", "no", "declined", "not_recorded")
DISCLOSED_LABELS = {
    "yes": "yes",
    "no": "no",
    "declined": "declined to say",
    "not_recorded": "not recorded",
}
# Istanbul Convention Art. 3 forms, plus coercive control, threats, stalking, towards children.
BEHAVIOUR_FORMS = (
    "physical",
    "sexual",
    "psychological",
    "economic",
    "coercive_control",
    "threats",
    "harassment_stalking",
    "towards_children",
)
TOWARDS = ("partner", "ex_partner", "children", "others")
# The facilitators' judgement; with none made it is "not recorded", never assumed to be good.
NOT_RECORDED = "not_recorded"
STANCES = ("responsible", "minimising", "denying", "blaming", NOT_RECORDED)
STANCE_LABELS = {
    "responsible": "takes responsibility",
    "minimising": "partly (minimises)",
    "denying": "denies",
    "blaming": "blames others or the partner",
    NOT_RECORDED: "not recorded",
}
CIRCUMSTANCES = (
    "separation",
    "new_partner",
    "child_contact",
    "court_date",
    "bail_or_order",
    "housing",
    "work",
)
HOMEWORK = ("done", "partly", "not_done", "none_set")


@dataclass
class CheckIn(Record):
    participant_id: str
    disclosed: str = "not_recorded"
    forms: list[str] = field(default_factory=list)
    towards: list[str] = field(default_factory=list)
    summary: str = ""
    stance: str = NOT_RECORDED
    alternatives_used: str = ""
    circumstance_changes: list[str] = field(default_factory=list)
    circumstances_note: str = ""
    substance_use: str = ""
    homework: str = "none_set"
    recorded_by: str = ""
    recorded_at: str = ""

    def __post_init__(self) -> None:
        self.disclosed = check_choice(
            self.disclosed, DISCLOSED, "answer to 'any abusive behaviour'"
        )
        self.forms = check_choices(self.forms, BEHAVIOUR_FORMS, "behaviour form")
        self.towards = check_choices(self.towards, TOWARDS, "towards whom")
        self.stance = check_choice(self.stance, STANCES, "stance")
        self.circumstance_changes = check_choices(
            self.circumstance_changes, CIRCUMSTANCES, "circumstance change"
        )
        self.homework = check_choice(self.homework, HOMEWORK, "homework")
        if self.disclosed == "yes" and not (self.forms or self.summary.strip()):
            raise InvalidInput(
                "a disclosed behaviour needs its form (--form) or a summary in your own words"
            )
        if self.disclosed != "yes" and self.forms:
            raise InvalidInput(
                f"behaviour forms were given but the answer was "
                f"'{DISCLOSED_LABELS[self.disclosed]}': use --disclosed yes"
            )

    def text_for_scanning(self) -> str:
        """Everything free-text the risk scanner should read."""
        return "\n".join(
            t
            for t in (
                self.summary,
                self.alternatives_used,
                self.circumstances_note,
                self.substance_use,
            )
            if t
        )
