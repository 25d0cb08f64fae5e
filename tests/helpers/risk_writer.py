"""A process that works the risk side as fast as it can through the real services, and says
"ack ..." after each action is acknowledged: check-ins with disclosures (each scanned into a
suggestion), confirmations and dismissals, flags raised by hand, reviewed and closed.

Used by the kill tests: they SIGKILL it at a random moment and check what it left.
usage: python -m tests.helpers.risk_writer WORKSPACE SEED
"""

from __future__ import annotations

import random
import sys

from facilitator.domain.checkin import CheckIn
from facilitator.errors import FacilitatorError
from facilitator.services.core.office import Office
from facilitator.services.groupwork import sessions
from facilitator.services.risk import flag_store, suggestions
from facilitator.services.risk import flags as risk
from tests.helpers.writes_check import DISCLOSURES, MEN, SESSIONS


def main() -> None:
    path, seed = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(seed)
    office = Office.open(path, "alex")
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        action = rnd.choice(["checkin", "checkin", "checkin", "decide", "raise", "close"])
        sid, pid = rnd.choice(SESSIONS), rnd.choice(MEN)
        try:
            if action == "checkin":
                text = rnd.choice(DISCLOSURES)
                sessions.record_checkin(
                    office,
                    sid,
                    CheckIn(
                        participant_id=pid, summary=f"{text} (#{seed}.{n})", stance="minimising"
                    ),
                )
                print(f"ack checkin {sid} {pid} {seed}.{n}", flush=True)
            elif action == "decide":
                pending = suggestions.list_suggestions(office, sid, pending_only=True)
                if pending:
                    s = pending[0]
                    if rnd.random() < 0.5:
                        flag = suggestions.confirm_suggestion(office, s.id)
                        print(f"ack confirm {s.id} {flag.id}", flush=True)
                    else:
                        suggestions.dismiss_suggestion(office, s.id, "Talked through: no risk.")
                        print(f"ack dismiss {s.id}", flush=True)
            elif action == "raise":
                flag = risk.raise_flag(office, pid, ["stalking"], "Follows her home from work.")
                print(f"ack flag {flag.id}", flush=True)
            else:
                live = [f for f in flag_store.open_flags(office) if not f.is_closed]
                if live:
                    flag = rnd.choice(live)
                    if flag.status != "in_review":
                        risk.review_flag(office, flag.id, ["police_informed"], "Told.")
                    risk.close_flag(office, flag.id, "Risk plan updated.")
                    print(f"ack close {flag.id}", flush=True)
        except FacilitatorError:
            continue  # a refusal is an answer too: nothing was written


if __name__ == "__main__":
    main()
