"""`facilitator export attendance`: CSV, JSON or XLSX for referrers, managers and researchers."""

from __future__ import annotations

import sys

import click

from facilitator.cli.terminal import terminal_of
from facilitator.domain.participant import REFERRAL_SOURCES
from facilitator.services.reporting.exports import ExportFilter, export_attendance, plan_export

FORMATS = ("csv", "xlsx", "json")
# Above this many groups an export shows progress even when stderr is not a terminal.
PROGRESS_GROUPS = 50


@click.group("export")
def export() -> None:
    """Export records out of the workspace."""


@export.command("attendance")
@click.option("--group", "groups", multiple=True, help="Only this group (repeatable).")
@click.option("--participant", help="Only this man (participant id).")
@click.option(
    "--referral-source",
    type=click.Choice(REFERRAL_SOURCES),
    help="Only men from this kind of referrer.",
)
@click.option("--from", "since", help="Sessions on or after this date, YYYY-MM-DD.")
@click.option("--to", "until", help="Sessions on or before this date, YYYY-MM-DD.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Default: from the -o file's extension, else csv.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="File to write (CSV and JSON: stdout when omitted).",
)
@click.option(
    "--summary",
    is_flag=True,
    help="One row per man: attendance figures and compliance (XLSX: always, second sheet).",
)
@click.option(
    "--pseudonymise",
    "--pseudonymize",
    "pseudonymise",
    is_flag=True,
    help="Stable keyed pseudonyms instead of names, ids and referrer references; free text "
    "left out.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress on stderr (default: on a terminal, or for many groups).",
)
@click.pass_obj
def export_attendance_cmd(
    app,
    groups,
    participant,
    referral_source,
    since,
    until,
    fmt,
    output,
    summary,
    pseudonymise,
    progress,
):
    """Attendance: one row per man per session (or per man with --summary).

    Columns: participant_id, name, referral_source, referrer_reference, group, session_date,
    curriculum_session, session_title, status, minutes_late, minutes_missed, excused_reason.
    Summary: sessions held, attended, curriculum covered and required, attendance percentage,
    excused and unexcused absences, longest run of unexcused absences, compliance status and reason.
    """

    office = app.office
    if fmt is None:
        from pathlib import Path

        suffix = Path(output).suffix.lstrip(".").lower() if output else ""
        fmt = suffix if suffix in FORMATS else "csv"
        if output and suffix and suffix not in FORMATS:
            raise click.UsageError(
                f"cannot tell the format from '.{suffix}': name the file .csv, .xlsx or .json, "
                f"or give --format"
            )
    if fmt == "xlsx" and not output:
        raise click.UsageError("an XLSX export needs a file: -o FILE.xlsx")
    wanted = ExportFilter(list(groups), participant, referral_source, since, until)
    plan = plan_export(office, wanted)
    total = len(plan.groups)
    if progress is None:
        progress = sys.stderr.isatty() or total >= PROGRESS_GROUPS
    target = output or sys.stdout
    if progress and total:
        with click.progressbar(
            length=total,
            label=f"exporting {total} group(s)",
            file=terminal_of(sys.stderr),
            show_pos=True,
        ) as bar:
            result = export_attendance(
                office,
                wanted,
                fmt,
                target,
                summary,
                pseudonymise,
                on_group=lambda g: bar.update(1),
                plan=plan,
            )
    else:
        result = export_attendance(office, wanted, fmt, target, summary, pseudonymise, plan=plan)
    if output:
        what = (
            f"{result.men} men"
            if summary and fmt != "xlsx"
            else f"{result.rows} rows, {result.men} men"
        )
        click.echo(f"wrote {output}: {what} from {result.groups} group(s)", err=True)
