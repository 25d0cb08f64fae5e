"""`facilitator checkin record`: a man's accountability check-in, scanned for risk as it is saved."""

from __future__ import annotations

import click

from facilitator.cli.output import correct_option
from facilitator.domain.checkin import (
    BEHAVIOUR_FORMS,
    CIRCUMSTANCES,
    DISCLOSED,
    HOMEWORK,
    NOT_RECORDED,
    STANCE_LABELS,
    STANCES,
    TOWARDS,
    CheckIn,
)
from facilitator.services.core.session_store import get_session
from facilitator.services.groupwork.sessions import (
    record_checkin,
)


@click.group()
def checkin() -> None:
    """Accountability check-ins."""


@checkin.command("record")
@click.argument("session_id")
@click.argument("participant_id")
@click.option(
    "--disclosed",
    default=NOT_RECORDED,
    help=f"Any abusive behaviour since last session: {', '.join(DISCLOSED)} (not given: not "
    "recorded, never taken as a no).",
)
@click.option("--form", "forms", multiple=True, help=f"Repeatable: {', '.join(BEHAVIOUR_FORMS)}.")
@click.option("--towards", multiple=True, help=f"Repeatable: {', '.join(TOWARDS)}.")
@click.option("--summary", default="", help="Short summary in the facilitators' words.")
@click.option(
    "--stance",
    default=NOT_RECORDED,
    help=f"The facilitators' judgement: {', '.join(STANCES)} (not given: not recorded).",
)
@click.option("--alternatives", default="", help="What he did instead (time-out, safety plan).")
@click.option(
    "--change",
    "changes",
    multiple=True,
    help=f"Circumstance change, repeatable: {', '.join(CIRCUMSTANCES)}.",
)
@click.option("--changes-note", default="", help="Details of the changes.")
@click.option("--substances", default="", help="Alcohol or drug use.")
@click.option("--homework", default="none_set", show_default=True, help=", ".join(HOMEWORK))
@correct_option
@click.pass_context
def checkin_record(
    ctx,
    session_id,
    participant_id,
    disclosed,
    forms,
    towards,
    summary,
    stance,
    alternatives,
    changes,
    changes_note,
    substances,
    homework,
    correction,
):
    """Record a man's check-in for a session.

    Recording again (or correcting a closed session) changes only the options given: the rest
    of his check-in stays as it was.
    """
    from click.core import ParameterSource

    app = ctx.obj
    given = {
        "disclosed": disclosed,
        "forms": list(forms),
        "towards": list(towards),
        "summary": summary,
        "stance": stance,
        "alternatives_used": alternatives,
        "circumstance_changes": list(changes),
        "circumstances_note": changes_note,
        "substance_use": substances,
        "homework": homework,
    }
    option_of = {
        "forms": "forms",
        "alternatives_used": "alternatives",
        "circumstance_changes": "changes",
        "circumstances_note": "changes_note",
        "substance_use": "substances",
    }
    existing = get_session(app.office, session_id).checkins.get(participant_id.strip().upper())
    fields = existing.to_dict() if existing else {}
    for name, value in given.items():
        if (
            existing is None
            or ctx.get_parameter_source(option_of.get(name, name)) != ParameterSource.DEFAULT
        ):
            fields[name] = value
    fields["participant_id"] = participant_id
    recorded = record_checkin(app.office, session_id, CheckIn.from_dict(fields), correction)
    saved, s = recorded.checkin, recorded.suggestion
    click.echo(
        f"recorded check-in for {saved.participant_id} (stance: {STANCE_LABELS[saved.stance]})"
    )
    if s is not None:
        click.echo(
            f"risk: suggested flag {s.id} for {s.participant_id}: "
            f"{', '.join(s.categories)} ({s.severity})"
        )
        for m in s.matches:
            click.echo(f'  {m["category"]}: "{m["match"]}"')
        click.echo(
            f"  confirm: facilitator risk confirm {s.id}   "
            f'dismiss: facilitator risk dismiss {s.id} --reason "..."'
        )
