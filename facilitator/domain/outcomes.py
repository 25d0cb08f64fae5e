"""Outcome monitoring: questionnaires answered at time points over a
man's programme, by him and, on the partner support side, by his partner.

Pure: no I/O and no clock. The questionnaires come from a TOML file the programme can edit
(parse_questionnaires); the time points from the settings (time_points), after the WWP EN IMPACT
approach: intake, mid-programme, end, and follow-ups after the end.

    AnswerSet      the choices an item is answered with, scored 0, 1, 2... in order
    Item, Scale    a scale is a set of items answered on one AnswerSet; its score is the mean
                   of its answered items (reversed items counted from the other end)
    Questionnaire  scales for one respondent ("man" or "partner")
    TimePoint      when a questionnaire falls due: weeks after an anchor in his programme
    Anchors        the dates of those anchors for one man (read from group-side records)
    point_states(anchors, points, done, today, respondent) -> [PointState]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from facilitator.domain.record import Record
from facilitator.domain.values import check_choice, parse_date, require_text
from facilitator.errors import InvalidInput, Refused

RESPONDENTS = ("man", "partner")
ANCHORS = ("intake", "start", "mid", "end")
ANCHOR_LABELS = {
    "intake": "his intake",
    "start": "he started a group",
    "mid": "half-way through the curriculum",
    "end": "he left the programme",
}
BETTER = ("lower", "higher")
# Answers a person did not give: the item is left out of the score.
SKIPPED = ("-", "skip", "skipped", "declined", "")

# Point states, in the order a list shows them.
DUE, NOT_YET, MISSED, DONE = "due", "not yet", "missed", "done"


# -- questionnaires ---------------------------------------------------------------------------
@dataclass(frozen=True)
class AnswerSet:
    id: str
    choices: tuple[str, ...]

    def value(self, given: str | int, item: str) -> int | None:
        """The score of an answer given as its number (0, 1...) or its words; None when skipped."""
        text = str(given).strip().lower()
        if text in SKIPPED:
            return None
        if text.lstrip("-").isdigit():
            n = int(text)
            if 0 <= n < len(self.choices):
                return n
        else:
            for n, choice in enumerate(self.choices):
                if text == choice.lower():
                    return n
        shown = ", ".join(f"{n} {c}" for n, c in enumerate(self.choices))
        raise InvalidInput(
            f"'{given}' is not an answer to {item}: give one of {shown} (or - to skip)"
        )


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    reverse: bool = False  # agreeing means the better end: counted from the other end


@dataclass(frozen=True)
class Scale:
    id: str
    title: str
    answers: AnswerSet
    items: tuple[Item, ...]
    better: str = "lower"  # which way is an improvement

    def score(self, answers: Mapping[str, int]) -> float | None:
        """Mean of the answered items, once at least half of them are answered."""
        top = len(self.answers.choices) - 1
        values = [
            top - answers[i.id] if i.reverse else answers[i.id]
            for i in self.items
            if i.id in answers
        ]
        if not values or len(values) * 2 < len(self.items):
            return None
        return round(sum(values) / len(values), 3)

    def improved(self, before: float, after: float) -> bool:
        return after < before if self.better == "lower" else after > before


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: str
    respondent: str
    scales: tuple[Scale, ...]
    intro: str = ""

    def items(self) -> list[tuple[Scale, Item]]:
        return [(s, i) for s in self.scales for i in s.items]

    def item_ids(self) -> list[str]:
        return [i.id for _, i in self.items()]

    def check_answers(self, given: Mapping[str, str | int]) -> dict[str, int]:
        """Answers as scores, every item checked; skipped items are left out."""
        by_id = {i.id: (s, i) for s, i in self.items()}
        out: dict[str, int] = {}
        for key, value in given.items():
            key = str(key).strip()
            if key not in by_id:
                raise InvalidInput(
                    f"'{key}' is not an item of {self.id}: items are {', '.join(by_id)}"
                )
            scale, _ = by_id[key]
            n = scale.answers.value(value, key)
            if n is not None:
                out[key] = n
        if not out:
            raise InvalidInput(
                f"no answers given for {self.id}: answer at least one item (--answer ITEM=VALUE)"
            )
        return out

    def scores(self, answers: Mapping[str, int]) -> dict[str, float]:
        return {s.id: v for s in self.scales if (v := s.score(answers)) is not None}

    def scale(self, scale_id: str) -> Scale | None:
        return next((s for s in self.scales if s.id == scale_id), None)


def parse_questionnaires(data: Mapping, source: str) -> dict[str, Questionnaire]:
    """The questionnaires of a file (already read as TOML), checked; InvalidInput names the file."""

    def bad(why: str) -> InvalidInput:
        return InvalidInput(f"questionnaire file {source}: {why}")

    answer_sets: dict[str, AnswerSet] = {}
    for aid, spec in dict(data.get("answers") or {}).items():
        choices = tuple(str(c).strip() for c in (spec or {}).get("choices", []) if str(c).strip())
        if len(choices) < 2:
            raise bad(f"answers.{aid} needs at least two choices")
        answer_sets[aid] = AnswerSet(aid, choices)
    found: dict[str, Questionnaire] = {}
    for qid, spec in dict(data.get("questionnaires") or {}).items():
        spec = dict(spec or {})
        respondent = str(spec.get("respondent", "")).strip()
        if respondent not in RESPONDENTS:
            raise bad(f"questionnaires.{qid}.respondent must be one of {', '.join(RESPONDENTS)}")
        scales = []
        seen: set[str] = set()
        for sspec in spec.get("scales", []):
            sid = str(sspec.get("id", "")).strip()
            if not sid:
                raise bad(f"a scale of {qid} has no id")
            aid = str(sspec.get("answers", "")).strip()
            if aid not in answer_sets:
                raise bad(f"scale {qid}.{sid} uses answers '{aid}', which the file does not define")
            better = str(sspec.get("better", "lower")).strip()
            if better not in BETTER:
                raise bad(f"scale {qid}.{sid}: better must be lower or higher")
            items = []
            for ispec in sspec.get("items", []):
                iid, text = str(ispec.get("id", "")).strip(), str(ispec.get("text", "")).strip()
                if not iid or not text:
                    raise bad(f"an item of scale {qid}.{sid} needs an id and a text")
                if iid in seen:
                    raise bad(f"item id '{iid}' appears twice in {qid}")
                seen.add(iid)
                items.append(Item(iid, text, bool(ispec.get("reverse", False))))
            if not items:
                raise bad(f"scale {qid}.{sid} has no items")
            scales.append(
                Scale(sid, str(sspec.get("title", sid)), answer_sets[aid], tuple(items), better)
            )
        if not scales:
            raise bad(f"questionnaire {qid} has no scales")
        found[qid] = Questionnaire(
            qid,
            str(spec.get("title", qid)),
            respondent,
            tuple(scales),
            str(spec.get("intro", "")).strip(),
        )
    for respondent in RESPONDENTS:
        if not any(q.respondent == respondent for q in found.values()):
            raise bad(f"no questionnaire for the respondent '{respondent}'")
    return found


# -- time points ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimePoint:
    id: str
    label: str
    after: str  # an anchor: intake, start, mid, end
    weeks: int = 0
    window_weeks: int = 4  # how long it stays due before it counts as missed
    completers_only: bool = False  # only when he completed (follow-ups)
    respondents: tuple[str, ...] = RESPONDENTS


def time_points(settings: Iterable[Mapping]) -> list[TimePoint]:
    out: list[TimePoint] = []
    for spec in settings:
        try:
            point = TimePoint(
                id=require_text(str(spec.get("id", "")), "time point id"),
                label=str(spec.get("label") or spec.get("id")),
                after=check_choice(
                    str(spec.get("after", "")),
                    ANCHORS,
                    "time point anchor (outcomes.time_points.after)",
                ),
                weeks=int(spec.get("weeks", 0)),
                window_weeks=int(spec.get("window_weeks", 4)),
                completers_only=bool(spec.get("completers_only", False)),
                respondents=tuple(
                    check_choice(r, RESPONDENTS, "respondent")
                    for r in spec.get("respondents", RESPONDENTS)
                ),
            )
        except (TypeError, ValueError):
            raise InvalidInput(
                f"setting outcomes.time_points: '{spec}' needs whole numbers of weeks"
            ) from None
        if point.weeks < 0 or point.window_weeks < 1:
            raise InvalidInput(
                f"setting outcomes.time_points: {point.id} needs weeks >= 0 and window_weeks >= 1"
            )
        if any(p.id == point.id for p in out):
            raise InvalidInput(f"setting outcomes.time_points: '{point.id}' appears twice")
        out.append(point)
    if not out:
        raise InvalidInput(
            "setting outcomes.time_points is empty: outcomes need at least one time point"
        )
    return out


def find_point(points: Iterable[TimePoint], point_id: str) -> TimePoint:
    points = list(points)
    key = (point_id or "").strip().lower().replace("-", "_")
    for p in points:
        if p.id == key:
            return p
    raise InvalidInput(
        f"unknown time point '{point_id}': choose one of {', '.join(p.id for p in points)}"
    )


@dataclass
class Anchors:
    """The dates his time points count from; None where it has not happened (or never will)."""

    participant_id: str
    intake: str | None = None
    start: str | None = None
    mid: str | None = None
    end: str | None = None
    completed: bool = False

    def date_of(self, anchor: str) -> str | None:
        return getattr(self, anchor)


def mid_programme(start: str, cycle_length: int, end: str | None) -> str | None:
    """Half-way through the curriculum at one session a week; none when he left before it."""
    mid = (parse_date(start) + timedelta(weeks=max(int(cycle_length), 2) // 2)).isoformat()
    return None if end and end < mid else mid


@dataclass
class PointState:
    participant_id: str
    point: str
    label: str
    due_on: str
    until: str  # the last day of its window
    state: str  # due, not yet, missed, done
    respondent: str = "man"
    partner_id: str = ""

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def point_states(
    anchors: Anchors,
    points: Iterable[TimePoint],
    done: Iterable[str],
    today: date,
    respondent: str = "man",
    partner_id: str = "",
) -> list[PointState]:
    """Each of his time points that has an anchor, with its state today."""
    done = set(done)
    out: list[PointState] = []
    now = today.isoformat()
    for p in points:
        if respondent not in p.respondents:
            continue
        anchor = anchors.date_of(p.after)
        if anchor is None or (p.completers_only and not anchors.completed):
            continue
        due = parse_date(anchor) + timedelta(weeks=p.weeks)
        until = due + timedelta(weeks=p.window_weeks) - timedelta(days=1)
        if p.id in done:
            state = DONE
        elif due.isoformat() > now:
            state = NOT_YET
        elif until.isoformat() < now:
            state = MISSED
        else:
            state = DUE
        out.append(
            PointState(
                anchors.participant_id,
                p.id,
                p.label,
                due.isoformat(),
                until.isoformat(),
                state,
                respondent,
                partner_id,
            )
        )
    return out


# -- answers ----------------------------------------------------------------------------------
@dataclass
class OutcomeRecord(Record):
    """One questionnaire answered at one time point. A partner's lives only in the partner store."""

    id: str
    respondent: str
    participant_id: str
    point: str
    questionnaire: str
    date: str
    answers: dict[str, int] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    partner_id: str = ""
    recorded_by: str = ""
    recorded_at: str = ""

    def __post_init__(self) -> None:
        self.respondent = check_choice(self.respondent, RESPONDENTS, "respondent")
        self.date = parse_date(self.date, "date answered").isoformat()


def check_answer_date(day: str, today: date) -> str:
    day = parse_date(day, "date answered").isoformat()
    if day > today.isoformat():
        raise Refused(f"date answered {day} is in the future")
    return day
