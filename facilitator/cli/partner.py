"""`facilitator partner init|add|list|show|contact|due|concern|dash|forget|audit`: partner support,
behind the wall.

Only partner_support staff (or admin) get past the first line of every command; the role is
checked before the passphrase is asked for. The key comes from --key-file (or
FACILITATOR_PARTNER_KEY_FILE), else FACILITATOR_PARTNER_PASSPHRASE, else a prompt.
cryptography is imported only inside these commands, never at start-up.
"""

from __future__ import annotations

import click

from facilitator.cli.output import DAY, emit_json, fields, json_option, table
from facilitator.cli.partner_key import _open, _passphrase, key_file_option
from facilitator.domain.dash import ANSWER_WORDS, LEVELS, QUESTIONS, SOURCE
from facilitator.domain.partner import POINT_LABELS
from facilitator.errors import InvalidInput, Refused
from facilitator.services.core.legal_holds import partner_files_left
from facilitator.services.partner.store import init_store, key_source, require_partner_role

MODES = "phone, in_person, video, letter, email, text_message"
OUTCOMES = "reached, no_answer, message_left, declined"
RELATIONSHIPS = "partner, ex_partner"


@click.group()
def partner() -> None:
    """Partner support: partners and ex-partners, contacts, contact tasks, risk concerns.

    Only for staff with the partner_support role. Nothing here is shown on the group side.
    """


@partner.command("init")
@key_file_option
@click.option(
    "--new-key-file",
    is_flag=True,
    help="Make a fresh key file at --key-file (outside the workspace).",
)
@click.pass_obj
def partner_init(app, key_file, new_key_file):
    """Set up the encrypted partner store (with a passphrase, or a key file)."""

    office = app.office
    require_partner_role(office, "set up the partner store")
    if new_key_file and not key_file:
        raise InvalidInput("--new-key-file needs --key-file PATH: where to write the key")
    source = key_source(None if key_file else _passphrase(confirm=True), key_file)
    folder = init_store(office, source, make_key_file=new_key_file)
    click.echo(
        f"partner store ready at {folder} "
        f"({'key file ' + str(key_file) if key_file else 'passphrase'})"
    )
    if key_file:
        click.echo(
            "keep the key file away from the group side; without it the store cannot be opened"
        )


@partner.command("add")
@click.argument("participant_id")
@click.argument("name")
@click.option("--relationship", default="partner", show_default=True, help=RELATIONSHIPS)
@click.option("--phone", default="", help="A number that is safe to use.")
@click.option("--safe-contact", default="", help="When and how it is safe to reach her.")
@click.option("--notes", default="")
@click.option("--date", "day", type=DAY, help="YYYY-MM-DD (default today).")
@key_file_option
@click.pass_obj
def partner_add(app, participant_id, name, relationship, phone, safe_contact, notes, day, key_file):
    """Link a partner or ex-partner to a participant."""
    store = _open(app, key_file)
    found = store.add_partner(participant_id, name, relationship, phone, safe_contact, notes, day)
    click.echo(
        f"added {found.id}: {found.relationship.replace('_', '-')} of {found.participant_id}"
    )


@partner.command("list")
@click.option("--participant", "participant_id", help="Only this man's partners.")
@json_option
@key_file_option
@click.pass_obj
def partner_list(app, participant_id, as_json, key_file):
    """List partners and ex-partners on record."""
    store = _open(app, key_file)
    found = store.partners(participant_id)
    if as_json:
        return emit_json([p.to_dict() for p in found])
    contacts = store.contacts()
    last: dict[str, str] = {}
    for c in contacts:
        last[c.partner_id] = max(last.get(c.partner_id, ""), c.date)
    table(
        [
            (p.id, p.participant_id, p.name, p.relationship, p.service, last.get(p.id, "-"))
            for p in found
        ],
        ["id", "participant", "name", "relationship", "service", "last contact"],
    )


@partner.command("show")
@click.argument("partner_id")
@json_option
@key_file_option
@click.pass_obj
def partner_show(app, partner_id, as_json, key_file):
    """Show one partner record with her contacts and the concerns raised."""
    store = _open(app, key_file)
    found = store.get_partner(partner_id)
    contacts = store.contacts(found.id)
    concerns = store.concerns(found.id)
    if as_json:
        return emit_json(
            found.to_dict()
            | {
                "contacts": [c.to_dict() for c in contacts],
                "concerns": [c.to_dict() for c in concerns],
            }
        )
    fields(
        [
            ("id", found.id),
            ("participant", found.participant_id),
            ("name", found.name),
            ("relationship", found.relationship),
            ("phone", found.phone),
            ("safe contact", found.safe_contact),
            ("notes", found.notes),
            ("service", found.service),
        ]
    )
    for c in contacts:
        click.echo(f"\n{c.id}  {c.date}  {c.mode}  {c.outcome}  ({c.worker})")
        for what, text in c.her_words():
            click.echo(f"  {what}: {text}")
    for r in concerns:
        click.echo(
            f"\nconcern {r.id} {r.date}: {r.category} ({r.severity}) -> risk flag {r.flag_id}"
        )


@partner.command("contact")
@click.argument("partner_id")
@click.option("--mode", required=True, help=MODES)
@click.option("--outcome", default="reached", show_default=True, help=OUTCOMES)
@click.option("--date", "day", type=DAY, help="YYYY-MM-DD (default today).")
@click.option("--worker", help="Partner support worker (default: you).")
@click.option("--safety-planning", default="", help="Safety planning done with her.")
@click.option("--account", "her_account", default="", help="Her account of his behaviour.")
@click.option("--wishes", default="", help="Her wishes about information sharing.")
@click.option("--no-further-contact", is_flag=True, help="She asked not to be contacted again.")
@key_file_option
@click.pass_obj
def partner_contact(
    app,
    partner_id,
    mode,
    outcome,
    day,
    worker,
    safety_planning,
    her_account,
    wishes,
    no_further_contact,
    key_file,
):
    """Record a contact with a partner or ex-partner."""
    store = _open(app, key_file)
    found = store.record_contact(
        partner_id,
        mode,
        outcome,
        day,
        worker,
        safety_planning,
        her_account,
        wishes,
        no_further_contact,
    )
    click.echo(f"recorded {found.id}: {found.date} {found.mode}, {found.outcome}")
    if no_further_contact:
        click.echo("no further contact tasks will be raised for her")


@partner.command("due")
@json_option
@key_file_option
@click.pass_obj
def partner_due(app, as_json, key_file):
    """Contact tasks due: his intake, start, not suitable, exclusion, suspension, exit, completion,
    follow-up."""

    store = _open(app, key_file)
    tasks = store.due()
    if as_json:
        return emit_json([t.to_dict() for t in tasks])
    table(
        [
            (
                ("OVERDUE " if t.overdue else "") + t.due_on,
                t.participant_id,
                t.partner_id or "(none on record)",
                POINT_LABELS.get(t.point, t.point),
                t.event_date,
                t.attempts or "",
            )
            for t in tasks
        ],
        ["due", "participant", "partner", "contact point", "since", "attempts"],
        empty="no contact due",
    )


@partner.command("concern")
@click.argument("partner_id")
@click.option(
    "--category", required=True, help="Risk category (see `facilitator risk raise --help`)."
)
@click.option("--severity", help="medium, high or critical (default: the category's).")
@click.option(
    "--contact", "contact_id", default="", help="The contact it came from, e.g. P0001-PT1-C2."
)
@key_file_option
@click.pass_obj
def partner_concern(app, partner_id, category, severity, contact_id, key_file):
    """Raise a risk concern: the queue gets category, severity and 'source: partner contact'
    only."""
    store = _open(app, key_file)
    concern, flag = store.raise_concern(partner_id, category, severity, contact_id)
    click.echo(
        f"risk flag {flag.id} raised for {flag.participant_id}: {concern.category} "
        f"({flag.severity}), "
        f"source partner contact; none of her words left the partner store"
    )


@partner.command("forget")
@click.argument("participant_id", required=False)
@click.option(
    "--due", is_flag=True, help="Every man retention lists as past the partner period, in one go."
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@key_file_option
@click.pass_obj
def partner_forget(app, participant_id, due, yes, key_file):
    """Delete a man's partner records for good (when `retention due` lists them), or with
    --due every man it lists."""
    if bool(participant_id) == due:
        raise click.UsageError("give one PARTICIPANT_ID, or --due for every man retention lists")
    store = _open(app, key_file)
    if due:
        _forget_due(app.office, store, yes)
        return
    if not yes:
        click.confirm(
            f"Delete every partner record held for {participant_id.upper()}? This cannot be undone",
            abort=True,
        )
    if store.forget(participant_id):
        click.echo(f"partner records for {participant_id.upper()} deleted")
    else:
        click.echo(f"no partner records held for {participant_id.upper()}")


def _men(n: int) -> str:
    return f"{n} man" if n == 1 else f"{n} men"


def _forget_due(office, store, yes: bool) -> None:

    men = [pid for pid, _, _ in partner_files_left(office)]
    if not men:
        click.echo("no man is past the partner period: nothing to check")
        return
    if not yes:
        shown = ", ".join(men[:12]) + (f" and {len(men) - 12} more" if len(men) > 12 else "")
        click.confirm(
            f"Delete every partner record held for {_men(len(men))} past the partner period "
            f"({shown})? This cannot be undone",
            abort=True,
        )
    deleted, held = [], []
    for pid in men:
        try:
            if store.forget(pid):
                deleted.append(pid)
        except Refused as err:  # a legal hold: his records stay, and he stays listed
            held.append(pid)
            click.echo(f"{pid}: {err}", err=True)
    click.echo(
        f"{_men(len(men))} checked: partner records deleted for {len(deleted)}"
        + (f" ({', '.join(deleted)})" if deleted else "")
        + (f"; {len(held)} kept under a legal hold" if held else "")
    )


@partner.command("audit")
@click.argument("participant_id")
@json_option
@key_file_option
@click.pass_obj
def partner_audit(app, participant_id, as_json, key_file):
    """What happened to a man's partner records: who, when, what (the audit log names them by
    pseudonyms only; the key turns them back into his records)."""
    store = _open(app, key_file)
    found = store.audit_trail(participant_id)
    if as_json:
        return emit_json(found)
    table(
        [
            (
                e.get("seq"),
                e.get("time"),
                e.get("user"),
                e.get("action"),
                e.get("kind"),
                e["record"],
                e.get("id"),
            )
            for e in found
        ],
        ["#", "time", "user", "action", "kind", "record", "logged as"],
        empty=f"no audit lines about partner records for {participant_id.strip().upper()}",
    )


# -- the risk checklist with her: what she answered is shown only here ------------------------
def _numbered(pairs: tuple[str, ...], what: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for pair in pairs:
        number, sep, value = pair.partition("=")
        if not sep or not number.strip().isdigit():
            raise InvalidInput(f"{what} '{pair}' is not NUMBER=VALUE, e.g. 15=yes")
        out[int(number)] = value.strip()
    return out


@partner.group("dash")
def dash() -> None:
    """The DASH risk checklist with her: 27 questions, the count of yes, the level."""


@dash.command("questions")
def dash_questions() -> None:
    """The checklist's questions, numbered."""
    click.echo(f"After the {SOURCE}; answers: yes, no, dont_know, not_asked.")
    for number, text in QUESTIONS:
        click.echo(f"{number:>3}. {text}")


@dash.command("record")
@click.argument("partner_id")
@click.option("--answer", "answers", multiple=True, help="NUMBER=ANSWER, e.g. 15=yes (repeat).")
@click.option("--note", "notes", multiple=True, help="NUMBER=TEXT: your note on a question.")
@click.option(
    "--level",
    "judged",
    required=True,
    type=click.Choice(LEVELS),
    help="Your professional judgement; the count of yes raises it to high at the threshold.",
)
@click.option("--rationale", default="", help="Why you judged the level as you did.")
@click.option("--date", "day", type=DAY, help="YYYY-MM-DD (default today).")
@key_file_option
@click.pass_obj
def dash_record(app, partner_id, answers, notes, judged, rationale, day, key_file):
    """Record a checklist completed with her (questions not given are kept as not asked)."""
    store = _open(app, key_file)
    assessment, prompt = store.record_dash(
        partner_id,
        _numbered(answers, "answer"),
        judged_level=judged,
        notes=_numbered(notes, "note"),
        rationale=rationale,
        on=day,
    )
    raised = " (the count of yes reached the threshold)" if assessment.raised_by_count else ""
    click.echo(
        f"{assessment.id}: {assessment.yes_count} yes of {len(QUESTIONS)}, "
        f"level {assessment.level}{raised}"
    )
    click.echo(
        "group side told: the date and the level only"
        + ("; a MARAC referral prompt was raised" if prompt else "")
    )


@dash.command("list")
@click.argument("partner_id")
@json_option
@key_file_option
@click.pass_obj
def dash_list(app, partner_id, as_json, key_file):
    """Her checklists over time, with the change from one to the next."""
    found = _open(app, key_file).dash_assessments(partner_id)
    if as_json:
        emit_json([a.to_dict() | {"yes_count": a.yes_count} for a in found])
        return
    rows, before = [], None
    for a in found:
        change = "" if before is None else f"{a.yes_count - before.yes_count:+d}"
        if before is not None and before.level != a.level:
            change += f", {before.level} → {a.level}"
        rows.append([a.id, a.date, str(a.yes_count), a.level, change or "—"])
        before = a
    table(rows, ["id", "date", "yes", "level", "change"], empty="no checklist recorded for her")


@dash.command("show")
@click.argument("partner_id")
@click.option("--id", "assessment_id", help="Which checklist (default: the latest).")
@key_file_option
@click.pass_obj
def dash_show(app, partner_id, assessment_id, key_file):
    """One checklist: every answer, your notes, the level and why."""
    found = _open(app, key_file).dash_assessments(partner_id)
    if not found:
        raise InvalidInput(f"no checklist recorded for {partner_id.upper()}")
    chosen = found[-1]
    if assessment_id:
        matches = [a for a in found if a.id == assessment_id.strip().upper()]
        if not matches:
            raise InvalidInput(f"no checklist '{assessment_id}' for {partner_id.upper()}")
        chosen = matches[0]
    click.echo(f"{chosen.id} on {chosen.date}, by {chosen.recorded_by}")
    click.echo(
        f"{chosen.yes_count} yes (high risk at {chosen.threshold}); judged {chosen.judged_level};"
        f" level {chosen.level}"
    )
    if chosen.rationale:
        click.echo(f"rationale: {chosen.rationale}")
    for number, text in QUESTIONS:
        click.echo(f"{number:>3}. {ANSWER_WORDS[chosen.answer(number)]:<10} {text}")
        if chosen.notes.get(str(number)):
            click.echo(f"       note: {chosen.notes[str(number)]}")
