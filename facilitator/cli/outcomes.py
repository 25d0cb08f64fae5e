"""`facilitator outcomes due|record|summary|questions`: outcome questionnaires at time points.

The man's answers are group-side records. With --partner the command works behind the wall: it
needs the partner_support role and the partner store's passphrase or key file (as `partner`
commands do), her answers are kept only in the partner store, and her side's summary gives only
aggregates over at least `outcomes.partner_min_partners` partners.
"""

from __future__ import annotations

import sys

import click

from facilitator.cli.output import DAY, emit_json, json_option, table
from facilitator.cli.partner_key import _open, key_file_option
from facilitator.domain.outcomes import DONE, DUE, MISSED, NOT_YET
from facilitator.domain.values import parse_date
from facilitator.errors import InvalidInput
from facilitator.services.evaluation import outcomes as service

partner_flag = click.option(
    "--partner",
    "partner_side",
    is_flag=True,
    help="Partner side (partner support only; asks for the partner store's passphrase).",
)


@click.group()
def outcomes() -> None:
    """Outcome questionnaires at time points (intake, mid-programme, end, follow-ups)."""


@outcomes.command("due")
@partner_flag
@click.option(
    "--all", "show_all", is_flag=True, help="Also time points not yet due, missed and done."
)
@json_option
@key_file_option
@click.pass_obj
def outcomes_due(app, partner_side, show_all, as_json, key_file):
    """Time points due now: his questionnaires, or with --partner hers."""

    states = (DUE, NOT_YET, MISSED, DONE) if show_all else (DUE,)
    if partner_side:
        found = service.partner_due(_open(app, key_file), states)
    else:
        found = service.due(app.office, states)
    if as_json:
        return emit_json([s.to_dict() for s in found])
    who = (
        (lambda s: f"{s.partner_id} ({s.participant_id})")
        if partner_side
        else (lambda s: s.participant_id)
    )
    table(
        [(s.due_on, s.until, who(s), s.point, s.label, s.state) for s in found],
        [
            "due",
            "until",
            "partner" if partner_side else "participant",
            "point",
            "time point",
            "state",
        ],
        empty="no questionnaires due",
    )


def _parse_answers(given: tuple[str, ...]) -> dict[str, str]:

    out = {}
    for pair in given:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"--answer '{pair}' needs ITEM=VALUE, e.g. --answer m_shouted=2")
        out[key.strip()] = value.strip()
    return out


def _ask(q) -> dict[str, str]:
    """Each item in turn, for someone typing the answers in from the form."""
    click.echo(f"{q.title}. {q.intro}".strip(), err=True)
    out = {}
    for scale, item in q.items():
        choices = ", ".join(f"{n} {c}" for n, c in enumerate(scale.answers.choices))
        out[item.id] = click.prompt(
            f"{item.text}\n  ({choices}; - to skip)", default="-", show_default=False, err=True
        )
    return out


@outcomes.command("record")
@click.argument("who")
@click.argument("point")
@click.option(
    "--answer",
    "answers",
    multiple=True,
    metavar="ITEM=VALUE",
    help="Repeatable: an item and its answer (number or words; - skips). "
    "Without any, each item is asked in turn.",
)
@click.option("--date", "day", type=DAY, help="Date answered, YYYY-MM-DD (default today).")
@click.option("--questionnaire", help="Questionnaire id (default: the first for that respondent).")
@click.option(
    "--replace", is_flag=True, help="Record this time point again, replacing earlier answers."
)
@click.option(
    "--partner",
    "partner_side",
    is_flag=True,
    help="WHO is a partner id (P0001-PT1): her answers, kept only in the partner store.",
)
@key_file_option
@click.pass_obj
def outcomes_record(app, who, point, answers, day, questionnaire, replace, partner_side, key_file):
    """Record a questionnaire: WHO (participant id, or partner id with --partner) at POINT."""

    respondent = "partner" if partner_side else "man"
    store = None
    if partner_side:
        store = _open(app, key_file)  # role first, then the passphrase
    given = _parse_answers(answers)
    if not given:
        q = service.questionnaire_for(app.office, respondent, questionnaire)
        if not sys.stdin.isatty():
            raise InvalidInput(
                f"give the answers with --answer ITEM=VALUE (items: {', '.join(q.item_ids())}; "
                f"see `facilitator outcomes questions`)"
            )
        given = _ask(q)
    if store is not None:
        rec = service.record_partner(store, who, point, given, day, questionnaire, replace)
        # Partner support typed them in; nothing of her answers is echoed back.
        click.echo(
            f"recorded {rec.partner_id} at {rec.point} ({rec.date}): {len(rec.answers)} answers, "
            f"kept in the partner store only"
        )
        return
    rec = service.record_man(app.office, who, point, given, day, questionnaire, replace)
    scores = (
        ", ".join(f"{k} {v:g}" for k, v in rec.scores.items())
        or "no scale has enough answers for a score"
    )
    click.echo(f"recorded {rec.id} ({rec.date}): {len(rec.answers)} answers; scores: {scores}")


@outcomes.command("summary")
@partner_flag
@click.option("--from", "since", help="Answers on or after YYYY-MM-DD.")
@click.option("--to", "until", help="Answers on or before YYYY-MM-DD.")
@json_option
@key_file_option
@click.pass_obj
def outcomes_summary(app, partner_side, since, until, as_json, key_file):
    """Mean scores at each time point and the change since intake (small numbers suppressed)."""

    since = parse_date(since, "--from").isoformat() if since else None
    until = parse_date(until, "--to").isoformat() if until else None
    if partner_side:
        found = service.partner_summary(_open(app, key_file), since, until)
    else:
        found = service.man_summary(app.office, since, until)
    if as_json:
        return emit_json(found)
    print_summary(found)


def print_summary(found: dict) -> None:
    def show(v):
        return "-" if v is None else v

    click.echo(
        f"{found['title']} (counts below {found['min_count']} shown as <{found['min_count']})"
    )
    for scale in found["scales"]:
        click.echo(
            f"\n{scale['title']} (score {scale['range'][0]}-{scale['range'][1]}, "
            f"{scale['better']} is better)"
        )
        table(
            [(p["label"], show(p["n"]), show(p["mean"])) for p in scale["points"]],
            ["time point", "n", "mean"],
        )
        table(
            [
                (c["label"], show(c["n"]), show(c["mean_change"]), show(c["improved_percent"]))
                for c in scale["change"]
            ],
            ["change", "n", "mean change", "improved %"],
        )


@outcomes.command("questions")
@click.option(
    "--copy-default",
    is_flag=True,
    help="Copy the bundled questionnaires into the workspace to edit.",
)
@json_option
@click.pass_obj
def outcomes_questions(app, copy_default, as_json):
    """The questionnaires in use, their items and answers, and the time points."""

    office = app.office
    if copy_default:
        path = service.copy_default(office)
        click.echo(f"wrote {path}: edit it; it is used from now on")
        return
    found = service.questionnaires(office)
    points = service.time_points(office)
    if as_json:
        return emit_json(
            {
                "source": str(service.questionnaire_source(office)),
                "time_points": [p.__dict__ | {"respondents": list(p.respondents)} for p in points],
                "questionnaires": {
                    q.id: {
                        "title": q.title,
                        "respondent": q.respondent,
                        "scales": [
                            {
                                "id": s.id,
                                "title": s.title,
                                "better": s.better,
                                "choices": list(s.answers.choices),
                                "items": [
                                    {"id": i.id, "text": i.text, "reverse": i.reverse}
                                    for i in s.items
                                ],
                            }
                            for s in q.scales
                        ],
                    }
                    for q in found.values()
                },
            }
        )
    click.echo(f"questionnaires: {service.questionnaire_source(office)}")
    table(
        [
            (
                p.id,
                p.label,
                f"{p.weeks} weeks after {p.after}",
                f"{p.window_weeks} weeks",
                "completers" if p.completers_only else "all",
                ", ".join(p.respondents),
            )
            for p in points
        ],
        ["point", "label", "falls due", "window", "for", "answered by"],
    )
    for q in found.values():
        click.echo(f"\n{q.id}: {q.title} (answered by the {q.respondent})")
        for s in q.scales:
            choices = ", ".join(f"{n} {c}" for n, c in enumerate(s.answers.choices))
            click.echo(f"  {s.id}: {s.title} [{choices}]")
            for i in s.items:
                click.echo(f"    {i.id:<14} {i.text}{' (reversed)' if i.reverse else ''}")
