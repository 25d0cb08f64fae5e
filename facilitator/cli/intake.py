"""`facilitator intake start|record|decide|show|list`: assessment before a man joins a group."""

from __future__ import annotations

from typing import Any

import click

from facilitator.cli.output import DAY, emit_json, json_option, table
from facilitator.domain.intake import AGREEMENTS, ANSWERS, LEVELS, OUTCOMES, SCORES, label
from facilitator.errors import InvalidInput
from facilitator.services.core.people import get_participant
from facilitator.services.intake.assessment import (
    checklist,
    decide,
    get_intake,
    list_intakes,
    missing,
    record_agreement,
    record_assessment_session,
    record_referral,
    record_risk_assessment,
    sessions_required,
    start_intake,
)

date_option = click.option("--date", "day", type=DAY, help="YYYY-MM-DD (default today).")


@click.group()
def intake() -> None:
    """Intake and assessment: referral, assessment sessions, agreements, initial risk, decision."""


@intake.command("start")
@click.argument("participant_id")
@click.option(
    "--referral-received",
    help="Date the referral reached the programme (default his referral date; a different "
    "one corrects it).",
)
@date_option
@click.pass_obj
def intake_start(app, participant_id, referral_received, day):
    """Start a man's intake."""

    before = get_participant(app.office, participant_id).referred_on
    found = start_intake(app.office, participant_id, referral_received, day)
    click.echo(
        f"started intake for {found.participant_id} on {found.started_on} "
        f"(referral received {found.referral_received_on})"
    )
    _say_if_corrected(found.participant_id, before, found.referral_received_on)


def _say_if_corrected(pid: str, before: str, now: str) -> None:
    """One line when the date given differs from his participant record's: that record now says
    so."""
    if before and before != now:
        click.echo(
            f"{pid}'s referral date was {before} on his participant record; it is now {now}, "
            f"the date programme figures count from"
        )


@intake.group("record")
def intake_record() -> None:
    """Record one part of an intake: referral, assessment, agreement, risk."""


@intake_record.command("referral")
@click.argument("participant_id")
@click.argument("received_on")
@click.pass_obj
def record_referral_cmd(app, participant_id, received_on):
    """Record (or correct) the date the referral was received: his referral date everywhere."""

    person = get_participant(app.office, participant_id)
    record_referral(app.office, person.id, received_on)
    now = get_participant(app.office, person.id).referred_on
    click.echo(f"{person.id}: referral received {now}")
    _say_if_corrected(person.id, person.referred_on, now)


@intake_record.command("assessment")
@click.argument("participant_id")
@date_option
@click.option("--worker", help="Staff who assessed him (default: you).")
@click.pass_obj
def record_assessment_cmd(app, participant_id, day, worker):
    """Record an assessment session (date and worker)."""

    found = record_assessment_session(app.office, participant_id, day, worker)
    click.echo(
        f"{found.participant_id}: assessment session recorded "
        f"({len(found.assessments)} of {sessions_required(app.office)} needed)"
    )


@intake_record.command("agreement")
@click.argument("participant_id")
@click.argument("name", metavar="AGREEMENT")
@click.argument("answer", type=click.Choice(ANSWERS))
@date_option
@click.pass_obj
def record_agreement_cmd(app, participant_id, name, answer, day):

    found, exclusion = record_agreement(app.office, participant_id, name, answer, day)
    click.echo(f"{found.participant_id}: {name} {answer}")
    if exclusion:
        click.echo(
            f"{found.participant_id} is excluded "
            f"({', '.join(label(r) for r in exclusion.reasons)}); "
            f"partner support will see a contact task"
        )


record_agreement_cmd.help = (
    f"Record an agreement as signed or refused. AGREEMENT: {', '.join(AGREEMENTS)}. "
    f"Refusing one is an exclusion decision."
)


@intake_record.command("risk")
@click.argument("participant_id")
@click.option(
    "--item",
    "items",
    multiple=True,
    metavar="CATEGORY=SCORE",
    help=f"Repeatable; SCORE: {', '.join(SCORES)}. Items not given are scored unknown.",
)
@click.option(
    "--level", required=True, type=click.Choice(LEVELS), help="Professional judgement of risk."
)
@click.option(
    "--next-review", help="Date of the next risk review (default: risk.reassessment_weeks on)."
)
@date_option
@click.pass_obj
def record_risk_cmd(app, participant_id, items, level, next_review, day):
    """Record the initial risk assessment."""

    scored = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise InvalidInput(
                f"--item '{item}' needs the form CATEGORY=SCORE, e.g. strangulation=absent"
            )
        scored[key.strip().lower()] = value.strip()
    found = record_risk_assessment(app.office, participant_id, scored, level, next_review, day)
    risk = found.risk_assessment
    assert risk is not None  # record_risk_assessment has just set it
    click.echo(
        f"{found.participant_id}: initial risk {risk.level}, "
        f"{len(risk.present())} item(s) present, next review {risk.next_review}"
    )


@intake.command("decide")
@click.argument("participant_id")
@click.argument("outcome", type=click.Choice(OUTCOMES))
@click.option(
    "--reason",
    "reasons",
    multiple=True,
    help="Repeatable; from the programme's list (intake.reasons).",
)
@date_option
@click.pass_obj
def intake_decide(app, participant_id, outcome, reasons, day):
    """Record the eligibility decision (reasons needed unless suitable)."""

    found = decide(app.office, participant_id, outcome, list(reasons), day)
    decision = found.decision
    assert decision is not None  # decide has just added it
    click.echo(f"{found.participant_id}: {outcome} ({decision.date})")
    if outcome == "suitable":
        gaps = missing(app.office, get_participant(app.office, found.participant_id))
        click.echo("ready to join a group" if not gaps else "still missing: " + "; ".join(gaps))
    elif outcome in ("not_suitable", "excluded"):
        click.echo("partner support will see a contact task")


@intake.command("show")
@click.argument("participant_id")
@json_option
@click.pass_obj
def intake_show(app, participant_id, as_json):
    """Show a man's intake checklist and what is missing before he can join a group."""

    found = get_intake(app.office, participant_id)
    items = checklist(app.office, participant_id)
    if as_json:
        return emit_json(
            {
                "intake": found.to_dict() if found else None,
                "checklist": [{"what": i.what, "done": i.done, "detail": i.detail} for i in items],
                "ready": all(i.done for i in items),
            }
        )
    for item in items:
        click.echo(f"[{'x' if item.done else ' '}] {item.what}: {item.detail}")
    click.echo(
        "ready to join a group" if all(i.done for i in items) else "not ready to join a group"
    )


@intake.command("list")
@json_option
@click.pass_obj
def intake_list(app, as_json):
    """List intakes and where each stands."""

    rows: list[dict[str, Any]] = []  # JSON-ready
    for found in list_intakes(app.office):
        gaps = missing(app.office, get_participant(app.office, found.participant_id))
        decision = found.decision
        rows.append(
            {
                "participant_id": found.participant_id,
                "started_on": found.started_on,
                "decision": decision.outcome if decision else None,
                "missing": gaps,
            }
        )
    if as_json:
        return emit_json(rows)
    table(
        [
            (
                r["participant_id"],
                r["started_on"],
                r["decision"] or "-",
                "; ".join(r["missing"]) or "ready",
            )
            for r in rows
        ],
        ["id", "started", "decision", "missing"],
    )
