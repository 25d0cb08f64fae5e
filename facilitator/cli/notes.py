"""`facilitator notes …`: debrief notes written and signed by a session's facilitators."""

from __future__ import annotations

import click

from facilitator.cli.output import emit_json, fields, json_option, table
from facilitator.domain.debrief import check_editable
from facilitator.domain.debrief_text import body_of_file, render_file
from facilitator.services.core.group_store import get_group
from facilitator.services.debrief import notes as debrief
from facilitator.services.debrief.indicators import Decision, IndicatorsPending, scan_note
from facilitator.services.debrief.notes import (
    adopt_file,
    amend_note,
    bundled_template_path,
    create_note,
    file_state,
    get_note,
    note_path,
    restore_file,
    save_body,
    sign_note,
    signature_state,
    template_path,
)
from facilitator.storage.files import atomic_write_text


@click.group()
def notes() -> None:
    """Debrief notes: write after the session, both facilitators sign."""


note_id_arg = click.argument("note_id", metavar="ID")
flag_option = click.option(
    "--flag",
    "flags",
    multiple=True,
    metavar="N[:PID]",
    help="Raise a flag for risk indicator N (PID names the man when the note does not); "
    "'all' for every one.",
)
dismiss_option = click.option(
    "--dismiss",
    "dismissals",
    multiple=True,
    metavar="N",
    help="Dismiss risk indicator N (needs --reason).",
)
reason_option = click.option(
    "--reason", default="", help="Why the dismissed indicators need no flag."
)


def _decisions(flags, dismissals, reason):

    return [Decision.flag(f) for f in flags] + [Decision.dismiss(d, reason) for d in dismissals]


def _with_indicators(fn):
    """Print the waiting risk indicators, one a line, before the error line."""

    try:
        return fn()
    except IndicatorsPending as err:
        for ind in err.indicators:
            click.echo(f"  {ind.line()}", err=True)
        raise


def _report(result) -> None:
    for flag in result.flags:
        click.echo(
            f"raised flag {flag.id} for {flag.participant_id}: {', '.join(flag.categories)} "
            f"({flag.severity})"
        )
    for h in result.dismissed:
        click.echo(f"dismissed {h.category} for {h.participant_id or 'no man named'}: {h.reason}")


@notes.command("new")
@click.argument("session_id", metavar="SESSION")
@click.pass_obj
def notes_new(app, session_id):
    """Create the debrief of a closed session, pre-filled from it."""

    note = create_note(app.office, session_id)
    click.echo(f"created note {note.id}: {note_path(app.office, note)}")
    click.echo(
        f"next: facilitator notes edit {note.id}; then each of {' and '.join(note.authors)}: "
        f"facilitator notes sign {note.id}"
    )


@notes.command("list")
@click.option("--group", "group_id", help="Only this group's notes.")
@click.option("--due", is_flag=True, help="Closed sessions whose debrief is not signed in time.")
@json_option
@click.pass_obj
def notes_list(app, group_id, due, as_json):
    """List debrief notes, or (--due) the debriefs that are due."""

    if due:
        due_rows = debrief.due_notes(app.office)
        if group_id:
            gid = get_group(app.office, group_id).id
            due_rows = [r for r in due_rows if r.group_id == gid]
        if as_json:
            return emit_json([r.to_dict() for r in due_rows])
        return table(
            [
                (
                    r.session_id,
                    r.curriculum_session,
                    r.note_status,
                    r.due_at[:16].replace("T", " "),
                    ", ".join(r.awaiting) or "-",
                )
                for r in due_rows
            ],
            ["session", "no.", "note", "due since", "waiting for"],
            empty="(no debrief is due)",
        )
    rows = debrief.list_notes(app.office, group_id)
    if as_json:
        return emit_json(rows)
    table(
        [
            (
                r["id"],
                r["curriculum_session"],
                r["status"],
                ", ".join(r["signed_by"]) or "-",
                r["amendments"] or "",
                r["file_state"],
            )
            for r in rows
        ],
        ["note", "no.", "status", "signed by", "amended", "file"],
        empty="(no debrief notes yet)",
    )
    changed = [r["id"] for r in rows if r["file_state"] != "ok"]
    if changed:
        click.echo(
            f"\n{len(changed)} note file(s) not as the tool wrote them: facilitator notes show ID",
            err=True,
        )


@notes.command("show")
@note_id_arg
@json_option
@click.pass_obj
def notes_show(app, note_id, as_json):
    """Show a note as saved by the tool, and whether its file was changed outside it."""

    office = app.office
    note = get_note(office, note_id)
    state = file_state(office, note)
    if as_json:
        return emit_json(
            {
                **note.to_dict(),
                "file": str(note_path(office, note)),
                "file_state": state,
                "awaiting": note.awaiting,
            }
        )
    signatures = (
        "; ".join(
            f"{s.by} {s.at[:16].replace('T', ' ')} ({signature_state(office, note, s)})"
            for s in note.signature_list
        )
        or "none yet"
    )
    amendments = (
        "; ".join(
            f"{a.number} by {a.by} {a.at[:16].replace('T', ' ')} "
            f"({debrief.amendment_state(office, note, a)})"
            for a in note.amendment_list
        )
        or "none"
    )
    fields(
        [
            ("note", note.id),
            ("session", f"{note.session_id}: session {note.curriculum_session}, {note.title}"),
            ("status", note.status),
            ("authors", ", ".join(note.authors)),
            ("signed", signatures),
            ("waiting for", ", ".join(note.awaiting) or "-"),
            ("amendments", amendments),
            ("file", f"{note_path(office, note)} ({state})"),
        ]
    )
    if state != "ok":
        click.echo(
            f"warning: the file is {state}; below is the note as the tool saved it "
            f"(facilitator notes restore {note.id}"
            f"{'' if note.is_signed else f' or facilitator notes adopt {note.id}'})",
            err=True,
        )
    click.echo()
    click.echo(render_file(note), nl=False)


@notes.command("edit")
@note_id_arg
@click.option(
    "--from",
    "from_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Take the note's text from this Markdown file instead of opening $EDITOR.",
)
@click.pass_obj
def notes_edit(app, note_id, from_file):
    """Change a draft's text in $EDITOR (or from a file). Signed notes take amendments."""
    from pathlib import Path

    office = app.office
    note = get_note(office, note_id)
    check_editable(note)
    started = note.body_sha256
    text: str | None
    if from_file:
        text = body_of_file(Path(from_file).read_text(encoding="utf-8"))
    else:
        text = click.edit(note.body, extension=".md", require_save=True)
        if text is None:
            click.echo(f"note {note.id}: no change")
            return
    saved, withdrawn = save_body(office, note.id, text, expected_sha256=started)
    click.echo(f"saved note {saved.id} ({saved.status})")
    if withdrawn:
        click.echo(f"the text changed after signing: {' and '.join(withdrawn)} must sign again")
    _say_waiting(office, saved)


def _say_waiting(office, note) -> None:
    """The note's risk indicators waiting for review: queued as risk suggestions, or (naming no
    man) waiting for the signing."""
    for ind in scan_note(office, note):
        if ind.handled:
            continue
        where = (
            f"queued for review as risk suggestion {ind.waiting} "
            f"(facilitator risk suggestions {note.session_id})"
            if ind.waiting
            else "names no man: name him when you sign (--flag N:PID)"
        )
        click.echo(f"risk indicator {ind.number}, {ind.who}: {ind.label}: {where}")


@notes.command("sign")
@note_id_arg
@flag_option
@dismiss_option
@reason_option
@click.pass_obj
def notes_sign(app, note_id, flags, dismissals, reason):
    """Sign a note as the acting user (one of the session's facilitators).

    The risk scanner reads the note first: each indicator with no flag yet for that man must be
    flagged (--flag N) or dismissed (--dismiss N --reason "why") before the note is signed.
    """

    # The key that signs is the one the member signed in with for this command.
    result = _with_indicators(
        lambda: sign_note(app.office, note_id, _decisions(flags, dismissals, reason))
    )
    _report(result)
    note = result.note
    if note.is_signed:
        click.echo(f"note {note.id} signed by {' and '.join(note.signed_by)}: it is read-only now")
    else:
        click.echo(
            f"signed note {note.id} as {app.office.user}; still a draft, waiting for "
            f"{', '.join(note.awaiting)}"
        )


@notes.command("amend")
@note_id_arg
@click.option(
    "--text", required=True, help="The amendment, appended dated and signed with your id."
)
@flag_option
@dismiss_option
@reason_option
@click.pass_obj
def notes_amend(app, note_id, text, flags, dismissals, reason):
    """Append a dated amendment to a signed note."""

    result = _with_indicators(
        lambda: amend_note(app.office, note_id, text, _decisions(flags, dismissals, reason))
    )
    _report(result)
    click.echo(
        f"note {result.note.id}: amendment {result.amendment.number} added by {result.amendment.by}"
    )


@notes.command("scan")
@note_id_arg
@json_option
@click.pass_obj
def notes_scan(app, note_id, as_json):
    """List the risk indicators the scanner finds in a note, and how each was handled."""

    note = get_note(app.office, note_id)
    found = scan_note(app.office, note)
    if as_json:
        return emit_json([i.to_dict() for i in found])
    if not found:
        click.echo(f"note {note.id}: no risk indicator found")
    for ind in found:
        click.echo(ind.line())


@notes.command("adopt")
@note_id_arg
@click.pass_obj
def notes_adopt(app, note_id):
    """Take a draft's file, changed outside the tool, as the note's text."""

    note = adopt_file(app.office, note_id)
    click.echo(f"note {note.id}: the file's text is now the saved draft")
    _say_waiting(app.office, note)


@notes.command("restore")
@note_id_arg
@click.pass_obj
def notes_restore(app, note_id):
    """Write a note's file again from the saved note, replacing changes made outside the tool."""

    note = restore_file(app.office, note_id)
    click.echo(f"note {note.id}: file written again from the saved note")


@notes.command("template")
@click.option(
    "--copy", is_flag=True, help="Copy the bundled template into the workspace to adapt it."
)
@click.pass_obj
def notes_template(app, copy):
    """Show which debrief template new notes use (the workspace's own, else the bundled one)."""

    office = app.office
    if copy:
        target = office.ws.notes_dir / bundled_template_path().name
        if target.exists():
            raise click.ClickException(f"{target} exists already; edit it there")
        atomic_write_text(target, bundled_template_path().read_text(encoding="utf-8"))
        click.echo(f"copied the template to {target}: new notes use it from now on")
        return
    click.echo(str(template_path(office)))
