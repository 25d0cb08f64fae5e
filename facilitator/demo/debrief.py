"""Debrief notes in the demo workspace: one signed (and amended), one draft signed by one
facilitator, and one session whose debrief is due. Every word is invented.

Earlier sessions are set before `debrief.due_from`, as in a programme that began writing its
debriefs in the tool part-way through: the home screen shows what is due now, not the history.
"""

from __future__ import annotations

from facilitator.demo.sign_in import open_as
from facilitator.errors import FacilitatorError
from facilitator.services.core.office import Office
from facilitator.services.core.session_store import list_sessions
from facilitator.services.debrief import notes as debrief
from facilitator.services.debrief.indicators import Decision, IndicatorsPending

GROUP_PROCESS = (
    "A focused group. The men worked well on the exercise; two of them challenged each other's "
    "excuses without being prompted. Energy dropped after the break; we cut the second "
    "role-play short."
)
ENGAGEMENT = [
    "Took part throughout and offered his own example without being asked.",
    "Quiet in the first half; spoke more after his check-in was followed up.",
    "Joined in the exercise but kept the focus on what she does rather than on his own choices.",
]
ACCOUNTABILITY = [
    "Named what he did and its effect on her; did not reach for excuses.",
    "Described the incident as 'just an argument' until asked what she would say about it.",
    "Said he 'had no choice'; we named this as blaming and he accepted the challenge in part.",
]
COLLUSION = (
    "Alex let a comment about 'nagging' pass in the first half; we will name it at the start of "
    "next session."
)
SAFETY = (
    "Nothing new beyond the flags already raised; partner support has the flags from the queue."
)
ACTIONS_TABLE = (
    "| follow up homework with the men who did not do it | alex | next session |\n"
    "| bring the 'nagging' comment back to the group | bea | next session |"
)
SUPERVISION = "How to challenge without shaming when a man goes quiet after being named."


def _written(body: str, rnd, full: bool) -> str:
    """The created note with the facilitators' words put in (all of it, or the start of it)."""
    body = _fill_after(body, "## Group process", GROUP_PROCESS)
    while "- Engagement: \n" in body:
        body = body.replace("- Engagement: \n", f"- Engagement: {rnd.choice(ENGAGEMENT)}\n", 1)
        if full:
            body = body.replace(
                "- Accountability (his stance, with the evidence: what he said or did): \n",
                f"- Accountability (his stance, with the evidence: what he said or did): "
                f"{rnd.choice(ACCOUNTABILITY)}\n",
                1,
            )
            body = body.replace("- Concerns: \n", "- Concerns: none beyond the above.\n", 1)
    if full:
        body = _fill_after(body, "## Collusion check", COLLUSION)
        body = _fill_after(body, "## Safety of partners and children", SAFETY)
        body = body.replace("|  |  |  |", ACTIONS_TABLE, 1)
        body = _fill_after(body, "## Points for supervision", SUPERVISION)
    return body


def _fill_after(body: str, heading: str, text: str) -> str:
    """Put `text` in the first empty bullet under `heading`."""
    at = body.find(heading)
    if at < 0:
        return body
    bullet = body.find("\n- \n", at)
    if bullet < 0:
        return body
    return body[:bullet] + f"\n- {text}\n" + body[bullet + len("\n- \n") :]


def _sign(office: Office, note_id: str, user: str) -> None:
    acting = open_as(office.path, user)
    try:
        debrief.sign_note(acting, note_id)
    except IndicatorsPending as pending:
        reason = "Discussed in the debrief; already known to the risk lead."
        debrief.sign_note(
            acting, note_id, [Decision.dismiss(str(i.number), reason) for i in pending.indicators]
        )


def build(office: Office, context: dict) -> None:

    rnd = context["rnd"]
    groups = context["groups"]
    if len(groups) < 2:
        return
    first = [s for s in list_sessions(office, groups[0].id) if s.is_closed]
    second = [s for s in list_sessions(office, groups[1].id) if s.is_closed]
    if len(first) < 2 or not second:
        return
    _set_due_from(office, min(first[-1].date, second[-1].date))
    try:
        signed, draft = first[-2], first[-1]
        authors = debrief._authors(office, signed)
        writer = open_as(office.path, authors[0])
        note = debrief.create_note(writer, signed.id)
        debrief.save_body(writer, note.id, _written(note.body, rnd, full=True))
        for user in authors:
            _sign(office, note.id, user)
        debrief.amend_note(
            writer,
            note.id,
            "Correction: the second role-play was cut short because of "
            "time, not because the men would not take part.",
        )
        note = debrief.create_note(writer, draft.id)
        debrief.save_body(writer, note.id, _written(note.body, rnd, full=False))
        _sign(office, note.id, authors[0])
    except FacilitatorError:  # the demo goes on without notes rather than not at all
        return


def _set_due_from(office: Office, day: str) -> None:
    with office.stores.writing():
        settings = office.ws.read_settings()
        settings.setdefault("debrief", {})["due_from"] = day
        office.ws.write_settings(settings)
        office.audit("settings", "debrief", "due_from")
