"""`facilitator participant add|list|show|edit|status|limits|contact|child|note|timeline|export-data`:
the men referred to the programme and their case files."""

from __future__ import annotations

import click

from facilitator import clock
from facilitator.cli.output import emit_json, fields, json_option, table
from facilitator.domain.casefile import (
    CHILD_PLANS,
    CONTACT_ARRANGEMENTS,
    LIVES_WITH,
    MONITORING_FIELDS,
    NOTE_KINDS,
)
from facilitator.domain.participant import PROGRAMME_ENDINGS, REFERRAL_SOURCES, STATUSES
from facilitator.services.core.group_store import enrolments
from facilitator.services.core.people import (
    add_participant,
    get_participant,
    list_participants,
    set_participant_status,
)


@click.group()
def participant() -> None:
    """Men referred to the programme."""


@participant.command("add")
@click.argument("name")
@click.option(
    "--referral-source", default="self", show_default=True, help=", ".join(REFERRAL_SOURCES)
)
@click.option("--referrer", default="", help="Referring organisation or officer.")
@click.option("--referrer-reference", default="", help="The referrer's case or court number.")
@click.option("--referred-on", help="Date of referral, YYYY-MM-DD (default today).")
@click.pass_obj
def participant_add(app, name, referral_source, referrer, referrer_reference, referred_on):
    """Add a participant."""

    person = add_participant(
        app.office, name, referral_source, referrer, referrer_reference, referred_on
    )
    click.echo(f"added {person.id}: {person.name} (referred by {person.referral_source})")
    if not referred_on:
        # Programme figures count waiting times from this date: say it was assumed.
        click.echo(
            f"referral date taken as today, {person.referred_on}: if the referral came earlier, "
            f"give it with `intake start {person.id} --referral-received YYYY-MM-DD`",
            err=True,
        )


@participant.command("list")
@click.option("--status", help=", ".join(STATUSES))
@json_option
@click.pass_obj
def participant_list(app, status, as_json):
    """List participants."""

    people = list_participants(app.office, status)
    if as_json:
        return emit_json([p.to_dict() for p in people])
    table(
        [(p.id, p.name, p.status, p.referral_source) for p in people],
        ["id", "name", "status", "referred by"],
    )


@participant.command("show")
@click.argument("participant_id")
@json_option
@click.pass_obj
def participant_show(app, participant_id, as_json):
    """Show one participant, his enrolments and status."""

    person = get_participant(app.office, participant_id)
    rows = enrolments(app.office, participant_id=person.id)
    data = person.to_dict() | {"enrolments": [e.to_dict() for e in rows]}
    for extra in _participant_extras():
        data |= extra(app.office, person)
    if as_json:
        return emit_json(data)
    from facilitator.services.casefile import details as casefile_details

    held = casefile_details.detail_rows(
        app.office, casefile_details.get_details(app.office, person.id)
    )
    fields(
        [
            ("id", person.id),
            ("name", person.name),
            (
                "status",
                person.status_words,
            ),
            ("referred by", f"{person.referral_source} {person.referrer}".strip()),
            ("reference", person.referrer_reference),
            ("referred on", person.referred_on),
        ]
        + held
        + [
            (
                f"group {e.group_id}",
                f"joined {e.joined_on} at session {e.joined_at_session}"
                + (f", left {e.left_on}: {e.left_reason}" if e.left_on else ""),
            )
            for e in rows
        ]
        + [
            (k, v)
            for k, v in data.items()
            if k.startswith(("compliance", "intake_status")) and isinstance(v, str)
        ]
    )


@participant.command("status")
@click.argument("participant_id")
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--reason", default="", help="Needed for suspended and exited.")
@click.option("--on", "day", help="For an ending: the day he leaves his group (default today).")
@click.option(
    "--decision",
    default="",
    help="A coordinator completing him before he covered the sessions required: the reason, "
    "in writing (kept, and shown in every report).",
)
@click.pass_obj
def participant_status(app, participant_id, status, reason, day, decision):
    """Change a participant's status.

    completed, suspended and exited end his programme: he leaves his group on that day, and his
    partner's contact point, his outcome time points and his retention follow from it.
    """

    if status in PROGRAMME_ENDINGS:
        from facilitator.services.compliance.ending import end_programme

        ended = end_programme(app.office, participant_id, status, reason, day, decision)
        left = (
            f"; left {ended.enrolment.group_id} on {ended.enrolment.left_on}"
            if ended.enrolment
            else ""
        )
        click.echo(f"{ended.person.id} is now {ended.person.status}{left}")
        if ended.enrolment:
            from facilitator.services.groupwork.waiting_list import offer_after_leaving

            offer = offer_after_leaving(app.office, ended.enrolment.group_id)
            if offer:
                click.echo(offer)
        return
    if day or decision:
        raise click.UsageError(
            "--on is for an ending (completed, suspended, exited), --decision for a completion"
        )
    person = set_participant_status(app.office, participant_id, status, reason)
    click.echo(f"{person.id} is now {person.status}")


def _participant_extras():
    """What compliance, intake and his case file add to `participant show`."""
    from facilitator.services.casefile import details as casefile_details
    from facilitator.services.compliance import status as compliance_status
    from facilitator.services.intake import assessment as intake_assessment

    return [
        compliance_status.participant_show_fields,
        intake_assessment.participant_show_fields,
        casefile_details.participant_show_fields,
    ]


def _monitoring_options(fn):
    for name in reversed(MONITORING_FIELDS):
        fn = click.option(
            "--" + name.replace("_", "-"),
            name,
            help='Equality monitoring, if the programme asks it ("prefer not to say" allowed).',
        )(fn)
    return fn


@participant.command("edit")
@click.argument("participant_id")
@click.option("--date-of-birth", help="YYYY-MM-DD.")
@click.option("--address")
@click.option("--phone")
@click.option("--safe-to-call", help='When it is safe to call him, e.g. "weekdays 09:00-12:00".')
@click.option("--email")
@click.option("--preferred-language")
@click.option("--interpreter-needed", type=click.Choice(["yes", "no"]))
@click.option("--disability")
@click.option("--access-needs", help="What he needs to take part (e.g. step-free room).")
@_monitoring_options
@click.pass_obj
def participant_edit(app, participant_id, **given):
    """Change his details; each is optional, "" clears one. Only the field names are audited.

    Equality monitoring fields are asked only when the programme enables them
    (casefile.monitoring in the settings); "prefer not to say" is always an answer.
    """
    from facilitator.services.casefile import details as service

    if all(v is None for v in given.values()):
        raise click.UsageError("give at least one detail to change, e.g. --date-of-birth")
    details, changed = service.edit_details(app.office, participant_id, given)
    if changed:
        click.echo(
            f"{details.participant_id}: changed {', '.join(c.replace('_', ' ') for c in changed)}"
        )
    else:
        click.echo(f"{details.participant_id}: nothing changed (the same as held)")


@participant.group("contact")
def participant_contact() -> None:
    """Workers from other agencies involved with him (probation, social worker, GP, ...)."""


@participant_contact.command("add")
@click.argument("participant_id")
@click.option(
    "--role",
    required=True,
    help="probation_officer, social_worker, court, police, gp, substance_misuse_worker, marac_coordinator, mental_health_worker, housing_officer, other.",
)
@click.option("--agency", required=True, help="Their organisation.")
@click.option("--name", default="", help="The worker's name.")
@click.option(
    "--title", "job_title", default="", help="Their own job title, if the role does not say it."
)
@click.option("--email", default="")
@click.option("--phone", default="")
@click.option(
    "--sharing",
    default="attendance_only",
    show_default=True,
    help="What his agreement lets us share with them: attendance_only, "
    "attendance_and_engagement, risk_information, full, none.",
)
@click.pass_obj
def contact_add(app, participant_id, **given):
    """Add an agency contact to his case file."""
    from facilitator.services.casefile import agency_contacts

    contact = agency_contacts.add(app.office, participant_id, **given)
    click.echo(f"added {contact.participant_id} contact {contact.id}: {contact.label()}")


@participant_contact.command("list")
@click.argument("participant_id")
@click.option("--all", "include_removed", is_flag=True, help="Include contacts removed.")
@json_option
@click.pass_obj
def contact_list(app, participant_id, include_removed, as_json):
    """List his agency contacts."""
    from facilitator.services.casefile import agency_contacts

    found = agency_contacts.list_contacts(app.office, participant_id, include_removed)
    if as_json:
        return emit_json([c.to_dict() for c in found])
    table(
        [
            (
                c.id,
                c.role_words,
                c.agency,
                c.name,
                c.email,
                c.phone,
                c.sharing_words + (f" (removed {c.removed_at[:10]})" if c.removed_at else ""),
            )
            for c in found
        ],
        ["id", "role", "agency", "name", "email", "phone", "may be shared"],
    )


@participant_contact.command("remove")
@click.argument("participant_id")
@click.argument("contact_id")
@click.pass_obj
def contact_remove(app, participant_id, contact_id):
    """He no longer works with this worker (kept in his history)."""
    from facilitator.services.casefile import agency_contacts

    contact = agency_contacts.remove(app.office, participant_id, contact_id)
    click.echo(f"removed {contact.participant_id} contact {contact.id}: {contact.label()}")


@participant.command("limits")
@click.argument("participant_id")
@click.option("--unexcused", type=int, help="Unexcused absences his order allows.")
@click.option(
    "--in-a-row", "in_a_row", type=int, help="Unexcused absences in a row his order allows."
)
@click.option("--min-percent", type=int, help="Minimum attendance percentage his order sets.")
@click.option("--required", type=int, help="Sessions his order requires him to attend.")
@click.option("--order", default="", help='What sets them, e.g. "Family court order 12/2026".')
@click.option("--clear", is_flag=True, help="Remove his own limits: the programme's apply again.")
@json_option
@click.pass_obj
def participant_limits(
    app, participant_id, unexcused, in_a_row, min_percent, required, order, clear, as_json
):
    """Show or set a man's own limits from his referrer's order (they win over the programme's)."""

    from facilitator.services.compliance import status as service

    office = app.office
    given = {
        "unexcused_absences_allowed": unexcused,
        "consecutive_unexcused_allowed": in_a_row,
        "min_attendance_percent": min_percent,
        "sessions_required": required,
    }
    if clear or order or any(v is not None for v in given.values()):
        service.set_order_limits(office, participant_id, order=order, clear=clear, **given)
    pid = participant_id.strip().upper()
    limits = service.order_limits(office, pid)
    rules = service.rules_for(office, pid)
    if as_json:
        return emit_json(
            {
                "participant_id": pid,
                "order": limits.to_dict() if limits else None,
                "in_force": {k: getattr(rules, k) for k in given}
                | {"source": {k: rules.source(k) for k in given}},
            }
        )
    required_words = rules.sessions_required or "every curriculum session"
    fields(
        [
            ("participant", pid),
            ("order", limits.label if limits else "(none: the programme's rules apply)"),
            (
                "unexcused allowed",
                f"{rules.unexcused_absences_allowed} "
                f"({rules.source('unexcused_absences_allowed')})",
            ),
            (
                "in a row allowed",
                f"{rules.consecutive_unexcused_allowed} "
                f"({rules.source('consecutive_unexcused_allowed')})",
            ),
            (
                "minimum attendance",
                f"{rules.min_attendance_percent}% ({rules.source('min_attendance_percent')})",
            ),
            ("sessions required", f"{required_words} ({rules.source('sessions_required')})"),
        ]
    )


@participant.command("export-data")
@click.argument("participant_id")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="File name: FILE.json and FILE.html are written (his letters in FILE-letters/).",
)
@click.pass_obj
def participant_export_data(app, participant_id, output):
    """Everything held about one man, as JSON and readable HTML (subject access request).

    Never includes anything from partner contact, nor any flag raised from it.
    """

    from facilitator.services.records.subject_access import write_export

    json_path, html_path, export = write_export(app.office, participant_id, output)
    counts = {k: len(v) for k, v in export.data.items() if isinstance(v, list) and v}
    click.echo(f"written {json_path} and {html_path} (readable by you only)")
    if export.data.get("letters"):
        folder = json_path.with_name(json_path.stem + "-letters")
        click.echo(f"his letters: {folder}/ ({len(export.data['letters'])} kept)")
    click.echo(
        "holds: "
        + (", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items()) or "his record only")
    )
    for rel in export.unreviewed:
        click.echo(
            f"not exported, review by hand (no rule yet for this kind of record): data/{rel}"
        )


@participant.group("child")
def participant_child() -> None:
    """His children: who they live with, his contact, any plan (never a partner's details)."""


def _child_options(fn, adding: bool):
    opts = [
        click.option("--date-of-birth", help="YYYY-MM-DD, if known."),
        click.option("--age", type=int, help="Age in years, when the birth date is not known."),
        click.option("--lives-with", help=", ".join(LIVES_WITH)),
        click.option(
            "--contact", help="His contact with the child: " + ", ".join(CONTACT_ARRANGEMENTS)
        ),
        click.option("--contact-note", help='e.g. "Saturdays at the contact centre".'),
        click.option("--plan", help=", ".join(CHILD_PLANS)),
        click.option("--social-worker", help="An agency contact id (C2) or a name."),
    ]
    if not adding:
        opts.append(click.option("--first-name", help="The child's first name."))
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def _print_child(changed, verb: str) -> None:
    child = changed.child
    click.echo(f"{verb} {child.participant_id} child {child.id}: {child.words(clock.today())}")
    s = changed.suggestion
    if s is not None:
        click.echo(
            f"risk prompt {s.id} ({', '.join(s.categories)}, {s.severity}) waits for review: "
            f"`facilitator risk confirm {s.id}` or `facilitator risk dismiss {s.id} --reason ...`"
        )


@participant_child.command("add")
@click.argument("participant_id")
@click.argument("first_name")
@lambda fn: _child_options(fn, adding=True)  # the same options as `change`
@click.pass_obj
def child_add(app, participant_id, first_name, **given):
    """Record one of his children (first name only)."""
    from facilitator.services.casefile import children

    given = {k: v for k, v in given.items() if v is not None}
    _print_child(children.add_child(app.office, participant_id, first_name, **given), "added")


@participant_child.command("change")
@click.argument("participant_id")
@click.argument("child_id")
@lambda fn: _child_options(fn, adding=False)
@click.pass_obj
def child_change(app, participant_id, child_id, **given):
    """Change a child's record; a new child protection plan or a change in his contact
    arrangements is put to the risk review."""
    from facilitator.services.casefile import children

    if all(v is None for v in given.values()):
        raise click.UsageError("give at least one thing to change, e.g. --contact supervised")
    changed = children.change_child(app.office, participant_id, child_id, **given)
    if not changed.fields:
        click.echo(f"{changed.child.participant_id} child {changed.child.id}: nothing changed")
        return
    _print_child(changed, "changed")


@participant_child.command("list")
@click.argument("participant_id")
@json_option
@click.pass_obj
def child_list(app, participant_id, as_json):
    """List his children and the arrangements for them."""
    from facilitator.services.casefile import children

    found = children.list_children(app.office, participant_id)
    if as_json:
        return emit_json([c.to_dict() | {"age_now": c.age_on(clock.today())} for c in found])
    table(
        [
            (
                c.id,
                c.words(clock.today()),
                c.lives_with.replace("_", " "),
                c.contact.replace("_", " ") + (f" ({c.contact_note})" if c.contact_note else ""),
                c.plan.replace("_", " "),
                c.social_worker,
            )
            for c in found
        ],
        ["id", "child", "lives with", "his contact", "plan", "social worker"],
    )


@participant.group("note")
def participant_note() -> None:
    """Case notes about him: phone calls, missed-session calls, changes in circumstances.

    (Debrief notes, about a whole group session, are `facilitator notes`.)
    """


def _print_saved(saved, verb: str) -> None:
    note = saved.note
    click.echo(
        f"{verb} {note.participant_id} note {note.id} ({note.kind.replace('_', ' ')}, {note.date})"
    )
    s = saved.suggestion
    if s is not None:
        click.echo(
            f"risk suggestion {s.id} ({', '.join(s.categories)}, {s.severity}) waits for review: "
            f"`facilitator risk confirm {s.id}` or `facilitator risk dismiss {s.id} --reason ...`"
        )


@participant_note.command("add")
@click.argument("participant_id")
@click.option("--text", required=True, help="The note, in your own words.")
@click.option("--kind", default="other", show_default=True, help=", ".join(NOTE_KINDS))
@click.option("--date", "day", help="The day it is about, YYYY-MM-DD (default today).")
@click.option("--contact", "contact_id", default="", help="The agency contact it concerns (C1).")
@click.pass_obj
def note_add(app, participant_id, text, kind, day, contact_id):
    """Write a case note; it is scanned for risk indicators as a check-in is."""
    from facilitator.services.casefile import case_notes

    _print_saved(
        case_notes.add_note(app.office, participant_id, text, kind, day, contact_id), "added"
    )


@participant_note.command("edit")
@click.argument("participant_id")
@click.argument("note_id")
@click.option("--text", required=True)
@click.pass_obj
def note_edit(app, participant_id, note_id, text):
    """Correct your own note within 24 hours of writing it (after that, amend it)."""
    from facilitator.services.casefile import case_notes

    _print_saved(case_notes.edit_note(app.office, participant_id, note_id, text), "changed")


@participant_note.command("amend")
@click.argument("participant_id")
@click.argument("note_id")
@click.option("--text", required=True, help="The amendment; the note's words stay as written.")
@click.pass_obj
def note_amend(app, participant_id, note_id, text):
    """Add a dated amendment to a note."""
    from facilitator.services.casefile import case_notes

    saved = case_notes.amend_note(app.office, participant_id, note_id, text)
    number = saved.amendment.number if saved.amendment else len(saved.note.amendments)
    _print_saved(saved, f"amendment {number} to")


@participant_note.command("list")
@click.argument("participant_id")
@click.option("--kind", help=", ".join(NOTE_KINDS))
@json_option
@click.pass_obj
def note_list(app, participant_id, kind, as_json):
    """His case notes, newest first, with their amendments."""
    from facilitator.services.casefile import case_notes

    found = case_notes.list_notes(app.office, participant_id, kind)
    if as_json:
        return emit_json([n.to_dict() for n in found])
    if not found:
        click.echo("(none)")
    for n in found:
        contact = f", about {n.contact_id}" if n.contact_id else ""
        click.echo(f"{n.id}  {n.date}  {n.kind.replace('_', ' ')}  by {n.written_by}{contact}")
        for line in n.text.splitlines():
            click.echo(f"    {line}")
        for a in n.amendment_list:
            click.echo(f"    amendment {a.number}, {a.at[:16].replace('T', ' ')} by {a.by}:")
            for line in a.text.splitlines():
                click.echo(f"      {line}")


@participant.command("timeline")
@click.argument("participant_id")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    help="Only these kinds, repeatable: referral, intake, assessment, enrolment, session, "
    "one_to_one, flag, case_note, agency_contact, child, compliance, status, outcome.",
)
@json_option
@click.pass_obj
def participant_timeline(app, participant_id, kinds, as_json):
    """Everything that happened in his case, newest first (flags: category and state only)."""
    from facilitator.services.records import timeline as service

    events = service.timeline(app.office, participant_id, list(kinds) or None)
    if as_json:
        return emit_json([e.to_dict() for e in events])
    table(
        [(e.day, e.kind.replace("_", " "), e.what) for e in events],
        ["date", "kind", "what"],
        empty="(nothing recorded)",
    )
