"""`facilitator marac refer|meeting|action|done|list|actions|prompts`: MARAC referrals of a man,
the meeting, and the actions agreed for the programme."""

from __future__ import annotations

import click

from facilitator import clock
from facilitator.cli.output import DAY, emit_json, fields, json_option, table
from facilitator.services.risk import marac as service


@click.group()
def marac() -> None:
    """MARAC referrals, meetings and the actions agreed for the programme."""


@marac.command("refer")
@click.argument("participant_id")
@click.option("--agency", required=True, help="The MARAC referred to, e.g. 'Riverside MARAC'.")
@click.option("--reason", "reasons", multiple=True, required=True, help="A risk category (repeat).")
@click.option(
    "--summary", default="", help="A short summary for the MARAC: never the partner's words."
)
@click.option("--date", "day", type=DAY, help="Date referred, YYYY-MM-DD (default today).")
@click.option("--meeting", "meeting", type=DAY, help="The meeting date, when known.")
@click.option(
    "--basis",
    default="safeguarding",
    show_default=True,
    type=click.Choice(["agreement", "safeguarding", "court_order", "legal_duty"]),
    help="The basis for sharing, kept in the information-sharing log.",
)
@click.pass_obj
def marac_refer(app, participant_id, agency, reasons, summary, day, meeting, basis):
    """Record a referral of him to a MARAC (closes his open MARAC prompts)."""
    referral = service.refer(
        app.office,
        participant_id,
        agency=agency,
        reasons=list(reasons),
        summary=summary,
        on=day,
        meeting_on=meeting,
        basis=basis,
    )
    repeat = f"; a repeat referral (earlier: {referral.previous_id})" if referral.repeat else ""
    click.echo(
        f"{referral.id}: {referral.participant_id} referred to {referral.agency} on "
        f"{referral.referred_on}{repeat}; recorded in the information-sharing log"
    )


@marac.command("meeting")
@click.argument("referral_id")
@click.argument("day", type=DAY)
@click.pass_obj
def marac_meeting(app, referral_id, day):
    """Record the date of the MARAC meeting for a referral."""
    referral = service.set_meeting(app.office, referral_id, day)
    click.echo(f"{referral.id}: meeting on {referral.meeting_on}")


@marac.command("action")
@click.argument("referral_id")
@click.argument("text")
@click.option("--owner", required=True, help="The staff member who carries it out.")
@click.option("--due", "due_on", required=True, type=DAY, help="YYYY-MM-DD.")
@click.pass_obj
def marac_action(app, referral_id, text, owner, due_on):
    """Add an action the MARAC agreed for the programme."""
    action = service.add_action(app.office, referral_id, text, owner, due_on)
    click.echo(f"{action.id}: {action.text} — {action.owner}, due {action.due_on}")


@marac.command("done")
@click.argument("action_id")
@click.option("--date", "day", type=DAY, help="YYYY-MM-DD (default today).")
@click.pass_obj
def marac_done(app, action_id, day):
    """Mark an action done."""
    action = service.complete_action(app.office, action_id, day)
    click.echo(f"{action.id} done on {action.done_on}")


@marac.command("list")
@click.option("--participant", "participant_id", help="Only this man's referrals.")
@click.option("--due", is_flag=True, help="Only referrals with actions due or overdue.")
@json_option
@click.pass_obj
def marac_list(app, participant_id, due, as_json):
    """Referrals, oldest first: repeat marking, meeting date, actions open."""
    today = clock.today()
    found = service.referrals(app.office, participant_id)
    if due:
        wanted = {r.id for r, _ in service.actions_due(app.office, today)}
        found = [r for r in found if r.id in wanted]
    if as_json:
        emit_json([r.to_dict() for r in found])
        return
    rows = [
        [
            r.id,
            r.participant_id,
            r.referred_on,
            r.agency,
            "repeat" if r.repeat else "",
            r.meeting_on or "not set",
            str(sum(1 for a in r.action_list() if not a.done_on)),
        ]
        for r in found
    ]
    table(
        rows,
        ["id", "man", "referred", "MARAC", "repeat", "meeting", "actions open"],
        empty="no MARAC referrals" + (" with actions due" if due else ""),
    )


@marac.command("show")
@click.argument("referral_id")
@click.pass_obj
def marac_show(app, referral_id):
    """One referral: why, the meeting, every action."""
    r = service.get_referral(app.office, referral_id)
    fields(
        [
            ("referral", r.id),
            ("man", r.participant_id),
            ("referred", f"{r.referred_on} by {r.referred_by} to {r.agency}"),
            ("repeat", f"yes (earlier: {r.previous_id})" if r.repeat else "no"),
            ("reasons", ", ".join(r.reasons)),
            ("summary", r.summary or "—"),
            ("meeting", r.meeting_on or "not set"),
        ]
    )
    table(
        [[a.id, a.text, a.owner, a.due_on, a.done_on or "not done"] for a in r.action_list()],
        ["action", "what", "owner", "due", "done"],
        empty="no actions recorded",
    )


@marac.command("actions")
@click.option("--all", "show_all", is_flag=True, help="Every open action, not only those due.")
@click.option("--owner", help="Only this staff member's.")
@json_option
@click.pass_obj
def marac_actions(app, show_all, owner, as_json):
    """MARAC actions not done and due by today (overdue ones marked)."""
    today = clock.today()
    found = service.actions_due(app.office, None if show_all else today, owner)
    if as_json:
        emit_json(
            [a.to_dict() | {"referral": r.id, "participant_id": r.participant_id} for r, a in found]
        )
        return
    table(
        [
            [
                a.id,
                r.participant_id,
                a.text,
                a.owner,
                a.due_on,
                "overdue" if a.overdue(today) else "",
            ]
            for r, a in found
        ],
        ["action", "man", "what", "owner", "due", ""],
        empty="no MARAC actions due",
    )


@marac.command("prompts")
@click.option("--all", "show_all", is_flag=True, help="Closed prompts too.")
@click.pass_obj
def marac_prompts(app, show_all):
    """Men whose risk was found high, waiting for a decision on a MARAC referral."""
    found = service.prompts(app.office, open_only=not show_all)
    table(
        [
            [
                p.id,
                p.participant_id,
                p.raised_on,
                p.level,
                service.PROMPT_SOURCES.get(p.source, p.source),
                f"closed by {p.closed_by_referral}" if p.closed_on else "open",
            ]
            for p in found
        ],
        ["prompt", "man", "raised", "level", "from", "state"],
        empty="no MARAC prompts open",
    )
