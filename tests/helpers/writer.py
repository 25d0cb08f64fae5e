"""A process that writes records as fast as it can and says "ack N" after each one is saved.

Used by the crash and concurrency tests: they kill it or run two at once, then check the stores.
usage: python -m tests.helpers.writer WORKSPACE TAG COUNT
"""

import sys

from facilitator.services.core.office import Office
from facilitator.storage.stores import put_doc


def main() -> None:
    path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    office = Office.open(path, "admin")
    for i in range(count):
        with office.stores.writing():
            # One small per-session file and one shared file, as a check-in and an id do.
            with office.stores.session_file("G1", "2026-11-24", write=True) as db:
                put_doc(
                    db,
                    "checkins",
                    {"participant_id": f"{tag}-{i}", "summary": "x" * 200},
                    field="participant_id",
                )
            with office.stores.people(write=True) as db:
                put_doc(db, "participants", {"id": f"{tag}-{i}", "name": f"Writer {tag} {i}"})
            office.audit("record", "checkin", f"{tag}-{i}")
        print(f"ack {i}", flush=True)


if __name__ == "__main__":
    main()
