"""Ending a man's programme with his completion checked against the programme's rules.

The way in for every ending (the CLI and the UI call these): a completion is accepted once he
has covered the sessions required (group sessions attended and one-to-one catch-ups that
count), or short of them on a coordinator's written decision; the other endings go straight
through to groupwork's end_programme.
"""

from __future__ import annotations

from facilitator.domain.compliance import Completion
from facilitator.domain.enrolment import Enrolment
from facilitator.domain.participant import ending_named_by
from facilitator.services.compliance.status import standing
from facilitator.services.core.office import Office
from facilitator.services.groupwork import groups
from facilitator.services.groupwork.groups import ProgrammeEnd


def completion_of(office: Office, participant_id: str, decision: str = "") -> Completion:
    """The sessions he covered against those his rules (and his order) require."""
    c = standing(office, participant_id).compliance
    return Completion(covered=len(c.covered), required=c.required, decision=decision)


def end_programme(
    office: Office,
    participant_id: str,
    ending: str,
    reason: str = "",
    day: str | None = None,
    decision: str = "",
) -> ProgrammeEnd:
    completion = (
        completion_of(office, participant_id, decision)
        if ending.strip().lower() == "completed"
        else None
    )
    return groups.end_programme(office, participant_id, ending, reason, day, completion=completion)


def leave_group(
    office: Office,
    participant_id: str,
    reason: str,
    left_on: str | None = None,
    decision: str = "",
) -> Enrolment:
    completion = (
        completion_of(office, participant_id, decision)
        if ending_named_by(reason) == "completed"
        else None
    )
    return groups.leave_group(office, participant_id, reason, left_on, completion=completion)
