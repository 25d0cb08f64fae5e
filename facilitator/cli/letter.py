"""`facilitator letter kinds|write|list|check`: letters to referrers and to the men, from the
programme's Word templates."""

from __future__ import annotations

import click

from facilitator.cli.output import DAY, emit_json, json_option, table
from facilitator.services.letters import service
from facilitator.services.letters.kinds import BY_ID, KINDS


@click.group()
def letter() -> None:
    """Letters to referrers and to the men, written from the programme's Word templates."""


@letter.command("kinds")
@json_option
def letter_kinds(as_json):
    """The kinds of letter, whom each goes to, and its template file."""

    if as_json:
        return emit_json(
            [
                {"kind": k.id, "title": k.title, "to": k.to, "template": k.template_file}
                for k in KINDS
            ]
        )
    table([(k.id, k.to, k.about) for k in KINDS], ["kind", "to", "what it says"])


@letter.command("write")
@click.argument("kind", type=click.Choice(sorted(BY_ID)), metavar="KIND")
@click.argument("participant_id")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Also write it here: .docx, .md or .html (default: kept in the workspace only, .docx).",
)
@click.option("--to", "to", help="Whom to: referrer or man (default: the kind's own addressee).")
@click.option(
    "--date", "day", type=DAY, help="The date the letter bears, YYYY-MM-DD (default today)."
)
@click.option("--task", "task_id", help="The notify-referrer task a breach notice is about.")
@click.pass_obj
def letter_write(app, kind, participant_id, output, to, day, task_id):
    """Write a letter about a man: kept in the workspace (letters/sent/) and recorded on his
    file. KIND is one of `facilitator letter kinds`."""

    done = service.write_letter(
        app.office, kind, participant_id, output=output, to=to, on=day, task_id=task_id
    )
    click.echo(f"{done.id}: {done.kind} to {done.addressee}, dated {done.date} ({done.file})")
    if output:
        click.echo(f"wrote {output}", err=True)


@letter.command("list")
@click.argument("participant_id", required=False)
@json_option
@click.pass_obj
def letter_list(app, participant_id, as_json):
    """Letters written, oldest first: one man's, or everyone's."""

    found = service.list_letters(app.office, participant_id)
    if as_json:
        return emit_json([x.to_dict() for x in found])
    table(
        [
            (x.id, x.participant_id, x.kind, x.date, x.addressee, x.written_by, x.file)
            for x in found
        ],
        ["letter", "id", "kind", "date", "to", "by", "file"],
        empty="(no letters written)",
    )


@letter.command("check")
@click.pass_obj
def letter_check(app):
    """Check every template: each placeholder must be one a letter may hold."""

    problems = service.check(app.office)
    if problems:
        for line in problems:
            click.echo(f"Error: {line}", err=True)
        raise SystemExit(1)
    click.echo(f"{len(KINDS)} templates checked: every placeholder is known")
