"""`facilitator import participants|groups|enrolments|attendance FILE`: records a programme
kept before, from a spreadsheet."""

from __future__ import annotations

import click

from facilitator.services.casefile import importing as service


@click.group("import")
def import_cmd() -> None:
    """Import men, groups, enrolments or attendance (.csv, .xlsx).

    Nothing is written unless every row is good (or --skip-bad); a row already held is left as
    it is, so importing the same file twice changes nothing.
    """


def _options(fn):
    for opt in reversed(
        [
            click.argument("file", type=click.Path(dir_okay=False)),
            click.option(
                "--map",
                "maps",
                multiple=True,
                metavar="COLUMN=field",
                help="Read a column as a field, repeatable (e.g. --map 'DOB=date_of_birth').",
            ),
            click.option("--dry-run", is_flag=True, help="Check and preview; write nothing."),
            click.option(
                "--skip-bad", is_flag=True, help="Import the good rows and report the bad ones."
            ),
        ]
    ):
        fn = opt(fn)
    return fn


def _mapping(maps) -> dict[str, str]:
    out = {}
    for m in maps:
        column, sep, target = m.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise click.UsageError(f"--map '{m}' is not COLUMN=field")
        out[column.strip()] = target.strip()
    return out


def _report(result: service.Result) -> None:
    for line in result.done:
        click.echo(("would " if not result.written else "") + line)
    for line in result.unchanged:
        click.echo(line)
    for line in result.bad:
        click.echo(line, err=True)
    n, kind = len(result.done), result.kind
    if result.dry_run:
        verdict = f"dry run: {n} of {result.rows} rows would be imported; nothing written"
    elif result.written:
        verdict = f"imported {n} {kind} rows of {result.rows}"
        if result.unchanged:
            verdict += f" ({len(result.unchanged)} already held)"
        if result.bad:
            verdict += f"; {len(result.bad)} bad rows skipped"
    else:
        verdict = (
            f"nothing imported: {len(result.bad)} of {result.rows} rows are bad "
            "(fix them, or give --skip-bad to import the others)"
        )
    click.echo(verdict, err=bool(result.bad) and not result.written)
    if result.bad and not result.written and not result.dry_run:
        raise SystemExit(2)
    if result.bad and result.dry_run:
        raise SystemExit(2)


@import_cmd.command("participants")
@_options
@click.pass_obj
def import_participants(app, file, maps, dry_run, skip_bad):
    """Men: a name column, and any of referral_source, referrer, referrer_reference,
    referred_on, his details (date_of_birth, phone, ...) and monitoring fields asked."""
    _report(service.import_participants(app.office, file, _mapping(maps), dry_run, skip_bad))


@import_cmd.command("groups")
@_options
@click.pass_obj
def import_groups(app, file, maps, dry_run, skip_bad):
    """Groups: name, curriculum, weekday, and any of group_id, time, facilitators (staff ids or
    names, separated by ; or ,), entry, start_date, location."""
    _report(service.import_groups(app.office, file, _mapping(maps), dry_run, skip_bad))


@import_cmd.command("enrolments")
@_options
@click.pass_obj
def import_enrolments(app, file, maps, dry_run, skip_bad):
    """Enrolments: participant_id, group_id, joined_on. Each is checked as a hand enrolment is
    (his intake done, the group's entry points and places)."""
    _report(service.import_enrolments(app.office, file, _mapping(maps), dry_run, skip_bad))


@import_cmd.command("attendance")
@_options
@click.pass_obj
def import_attendance(app, file, maps, dry_run, skip_bad):
    """Marks: participant_id, session_id (or group_id and date), status, and optionally
    minutes_late, minutes_missed, reason. A closed session's mark is recorded as a correction;
    a session not held yet (group and date) is recorded as held and closed. An attendance
    export (.xlsx or .csv) reads as it is."""
    _report(service.import_attendance(app.office, file, _mapping(maps), dry_run, skip_bad))
