"""His details beyond the referral: each optional, each change audited by field name only.

get_details(office, participant_id) -> Details
edit_details(office, participant_id, changes) -> (Details, changed field names)
monitoring_fields(office) -> the equality monitoring fields the programme asks
participant_show_fields(office, person) -> what `participant show` adds
"""

from __future__ import annotations

from collections.abc import Mapping

from facilitator import clock
from facilitator.domain.casefile import (
    DETAIL_FIELDS,
    DETAIL_LABELS,
    MONITORING_FIELDS,
    Details,
    clean_detail,
    clean_monitoring,
)
from facilitator.errors import InvalidInput
from facilitator.services.casefile.store import docs, his_file, man_id
from facilitator.services.core.office import Office
from facilitator.storage.stores import put_doc

# Roles that work with the man himself and so keep his details.
EDITORS = ("facilitator", "coordinator")


def monitoring_fields(office: Office) -> list[str]:
    """The equality monitoring fields this programme asks (settings: casefile.monitoring)."""
    wanted = office.setting("casefile.monitoring", list(MONITORING_FIELDS[:3])) or []
    return [str(f).strip().lower().replace("-", "_").replace(" ", "_") for f in wanted]


def get_details(office: Office, participant_id: str) -> Details:
    pid = man_id(office, participant_id)
    found = docs(office, pid, "details")
    return Details.from_dict(found[0]) if found else Details(participant_id=pid)


def edit_details(
    office: Office, participant_id: str, changes: Mapping[str, str | None]
) -> tuple[Details, list[str]]:
    """Set (or, with "", clear) the details given; None leaves a field as it is. Every value is
    checked before anything is written: one bad value changes nothing."""
    office.require_role(*EDITORS, doing="change a man's details")
    pid = man_id(office, participant_id)
    enabled = monitoring_fields(office)
    today = clock.today()
    cleaned: dict[str, str] = {}
    for name, value in changes.items():
        if value is None:
            continue
        if name in DETAIL_FIELDS:
            cleaned[name] = clean_detail(name, value, today)
        elif name in enabled:
            cleaned[name] = clean_monitoring(name, value)
        elif name in MONITORING_FIELDS:
            raise InvalidInput(
                f"{name.replace('_', ' ')} is not asked by this programme: "
                "add it to casefile.monitoring in the settings to record it"
            )
        else:
            raise InvalidInput(f"unknown detail '{name}'")
    with office.stores.writing():
        details = get_details(office, pid)
        changed = []
        for name, value in cleaned.items():
            into = details.values if name in DETAIL_FIELDS else details.monitoring
            if into.get(name, "") == value:
                continue
            if value:
                into[name] = value
            else:
                into.pop(name, None)
            changed.append(name)
        if changed:
            details.updated_at = clock.now().isoformat()
            details.updated_by = office.user
            with his_file(office, pid, write=True) as db:
                put_doc(db, "details", details.to_dict(), field="participant_id")
            # The field names only: a date of birth or an address never enters the log.
            office.audit("edit", "participant_details", pid, fields=",".join(changed))
    return details, changed


def detail_rows(office: Office, details: Details) -> list[tuple[str, str]]:
    """(label, value) of every detail held, in the order a worker reads them."""
    rows = []
    for name in DETAIL_FIELDS:
        value = details.values.get(name)
        if not value:
            continue
        if name == "date_of_birth":
            age = details.age_on(clock.today())
            value = f"{value} (age {age})"
        rows.append((DETAIL_LABELS[name], value))
    for name in monitoring_fields(office):
        if details.monitoring.get(name):
            rows.append((name.replace("_", " "), details.monitoring[name]))
    return rows


def participant_show_fields(office: Office, person) -> dict:
    details = get_details(office, person.id)
    return {"details": dict(details.values), "monitoring": dict(details.monitoring)}
