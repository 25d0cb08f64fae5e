"""Work in progress that must survive a crash: half-written check-ins and where the runner was.

    data/drafts/<session id>.json    table "checkins": one draft per man (the form's fields)
                                     table "runner":   the segment the group is on and its timers

A small file per session, so saving a draft while the facilitator types costs the same in the
tenth year as in the first. Drafts are not records: they are not audited (the check-in is, when
it is saved) and the file is removed when the session closes, so half-sentences about men do
not outlive the session. Only a draft that could not be saved as its screen closed is audited
(`record_not_saved`: the ids and the kind of failure, never his words), since that check-in
is then lost unless someone writes it again.
"""

from __future__ import annotations

from typing import Any

from facilitator import clock
from facilitator.domain.session import split_session_id
from facilitator.services.core.office import Office
from facilitator.storage.stores import all_docs, get_doc, put_doc, remove_doc, safe_name

KIND = "drafts"


def _relative(sid: str) -> str:
    split_session_id(sid)  # refuses anything that is not GROUP-YYYY-MM-DD
    return f"drafts/{safe_name(sid, 'session id')}.json"


def save_checkin_draft(
    office: Office, sid: str, participant_id: str, fields: dict[str, Any]
) -> None:
    doc = {
        "participant_id": participant_id,
        "fields": dict(fields),
        "saved_at": clock.now().isoformat(),
        "saved_by": office.user,
    }
    with office.stores.writing():
        with office.stores.store(_relative(sid), KIND, write=True) as db:
            put_doc(db, "checkins", doc, field="participant_id")


def record_not_saved(office: Office, sid: str, participant_id: str, failure: str) -> None:
    """Audit a check-in draft lost when its screen closed. `failure` is a short code (the kind
    of error), never the text of the draft or of an error message."""
    with office.stores.writing():
        office.audit("not_saved", "checkin_draft", sid, participant=participant_id, failure=failure)


def checkin_drafts(office: Office, sid: str) -> dict[str, dict[str, Any]]:
    """participant id -> the form's fields as they were last saved."""
    with office.stores.store(_relative(sid), KIND) as db:
        return {d["participant_id"]: d.get("fields", {}) for d in all_docs(db, "checkins")}


def discard_checkin_draft(office: Office, sid: str, participant_id: str) -> None:
    path = office.stores.path(*_relative(sid).split("/"))
    if not path.exists():
        return
    with office.stores.writing():
        with office.stores.store(_relative(sid), KIND, write=True) as db:
            remove_doc(db, "checkins", participant_id, field="participant_id")


def save_runner_state(office: Office, sid: str, state: dict[str, Any]) -> None:
    with office.stores.writing():
        with office.stores.store(_relative(sid), KIND, write=True) as db:
            put_doc(db, "runner", {"id": "runner", **state})


def runner_state(office: Office, sid: str) -> dict[str, Any]:
    with office.stores.store(_relative(sid), KIND) as db:
        doc = get_doc(db, "runner", "runner")
    if doc:
        doc.pop("id", None)
    return doc or {}


def remove_drafts(office: Office, sid: str) -> None:
    """Called when the session closes: nothing half-written is kept after it."""
    path = office.stores.path(*_relative(sid).split("/"))
    with office.stores.writing():
        path.unlink(missing_ok=True)
