"""`facilitator safeguarding refer|outcome|list`: referrals of his children to children's
services."""

from __future__ import annotations

import click

from facilitator.cli.output import DAY, emit_json, json_option, table
from facilitator.domain.marac import SAFEGUARDING_OUTCOMES, SAFEGUARDING_REASONS
from facilitator.services.casefile import safeguarding as service


@click.group()
def safeguarding() -> None:
    """Safeguarding referrals of his children to children's services, and their outcomes."""


@safeguarding.command("refer")
@click.argument("participant_id")
@click.option("--child", "children", multiple=True, required=True, help="A child's id (K1).")
@click.option("--to", "team", required=True, help="The children's services team referred to.")
@click.option("--reason", required=True, type=click.Choice(list(SAFEGUARDING_REASONS)))
@click.option("--date", "day", type=DAY, help="YYYY-MM-DD (default today).")
@click.pass_obj
def safeguarding_refer(app, participant_id, children, team, reason, day):
    """Record a referral to children's services (also kept in the information-sharing log)."""
    r = service.refer(
        app.office, participant_id, to=team, reason=reason, children=list(children), on=day
    )
    click.echo(
        f"{r.participant_id} {r.id}: referred to {r.to} on {r.referred_on} "
        f"about {', '.join(r.children)}; recorded in the information-sharing log"
    )


@safeguarding.command("outcome")
@click.argument("participant_id")
@click.argument("referral_id")
@click.argument("outcome", type=click.Choice(SAFEGUARDING_OUTCOMES))
@click.option("--date", "day", type=DAY, help="YYYY-MM-DD (default today).")
@click.pass_obj
def safeguarding_outcome(app, participant_id, referral_id, outcome, day):
    """Record what children's services did with a referral."""
    r = service.record_outcome(app.office, participant_id, referral_id, outcome, day)
    click.echo(f"{r.participant_id} {r.id}: {r.outcome.replace('_', ' ')} ({r.outcome_on})")


@safeguarding.command("list")
@click.argument("participant_id")
@json_option
@click.pass_obj
def safeguarding_list(app, participant_id, as_json):
    """His safeguarding referrals, oldest first."""
    found = service.referrals_of(app.office, participant_id)
    if as_json:
        emit_json([r.to_dict() for r in found])
        return
    table(
        [
            [
                r.id,
                r.referred_on,
                r.to,
                SAFEGUARDING_REASONS.get(r.reason, r.reason),
                ", ".join(r.children),
                r.outcome.replace("_", " ") + (f" ({r.outcome_on})" if r.outcome_on else ""),
            ]
            for r in found
        ],
        ["id", "referred", "to", "why", "children", "outcome"],
        empty="no safeguarding referrals",
    )
