"""Debrief benchmark: do the home screen's due list and a note's save and sign stay cheap as a
programme's history grows?

    uv run python benchmarks/bench_debrief.py [--groups 400] [--notes 40] [--n 20]

Measured in one run on the same machine, on a synthetic history of its own (benchmarks/history.py,
10 years, about 18,000 closed sessions; built once into benchmarks/out/history-debrief-g<groups>,
its notes removed at the start of every run):
- `due_notes` (what the home screen calls) against its own baseline, `list_sessions` over every
  group (the session indexes it must read anyway); with no note written and `due_from` unset
  (every old session due: the worst case) and with `due_from` set to a month ago;
- creating, saving and signing a note in a group whose index already holds `--notes` notes,
  against the baseline of one safe rewrite of a 366 KB JSON file (about 9 ms);
- the size of the files a note's save rewrites.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from history import build_history  # noqa: E402

from facilitator import clock  # noqa: E402
from facilitator.services.core import session_store as session_store
from facilitator.services.core.office import Office  # noqa: E402
from facilitator.services.debrief import notes as debrief
from facilitator.storage.files import atomic_write_text  # noqa: E402


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def row(name: str, ms: list[float], base: float | None = None) -> None:
    med = statistics.median(ms)
    ratio = f"{med / base:6.2f}x" if base else ""
    print(f"{name:<52} {med:9.1f} ms {max(ms):9.1f} ms  {ratio}")


def set_due_from(office: Office, day: str) -> None:
    with office.stores.writing():
        settings = office.ws.read_settings()
        settings.setdefault("debrief", {})["due_from"] = day
        office.ws.write_settings(settings)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", type=int, default=400)
    ap.add_argument(
        "--notes", type=int, default=40, help="notes already in the benchmarked group's index"
    )
    ap.add_argument("--n", type=int, default=20, help="repetitions of each timing")
    args = ap.parse_args(argv)

    # A copy of its own: this benchmark writes notes, and the shared history cache must stay as
    # built.
    path = ROOT / "benchmarks" / "out" / f"history-debrief-g{args.groups}"
    build_history(path, groups=args.groups)
    shutil.rmtree(path / "data" / "debrief", ignore_errors=True)  # notes of an earlier run
    for folder in (path / "session_notes").glob("*"):
        if folder.is_dir():
            shutil.rmtree(folder)
    office = Office.open(path, "admin")
    set_due_from(office, "")
    print(f"workspace {path}: {args.groups} groups")
    print(f"{'operation':<52} {'median':>12} {'max':>12}  vs baseline")

    base = timed(lambda: session_store.list_sessions(office), max(3, args.n // 4))
    row("baseline: list_sessions, every group", base)
    due = debrief.due_notes(office)
    row(
        f"due_notes, no due_from ({len(due)} due)",
        timed(lambda: debrief.due_notes(office), max(3, args.n // 4)),
        statistics.median(base),
    )
    set_due_from(office, (clock.today() - timedelta(days=30)).isoformat())
    due = debrief.due_notes(office)
    row(
        f"due_notes, due_from a month ago ({len(due)} due)",
        timed(lambda: debrief.due_notes(office), max(3, args.n // 4)),
        statistics.median(base),
    )
    set_due_from(office, "")

    with tempfile.TemporaryDirectory() as tmp:
        blob = json.dumps({"x": "y" * (366 * 1024)})
        target = Path(tmp) / "blob.json"
        write_base = statistics.median(timed(lambda: atomic_write_text(target, blob), args.n))
    row("baseline: safe rewrite of a 366 KB JSON file", [write_base])

    # The group with the most closed sessions: notes for its oldest ones, then time the newest.
    groups = sorted({s.group_id for s in session_store.list_sessions(office)})
    closed = max(
        ([s for s in session_store.list_sessions(office, g) if s.is_closed] for g in groups),
        key=len,
    )
    authors = debrief._authors(office, closed[0]) or []
    writer = Office.open(path, authors[0]) if authors else office
    for s in closed[: args.notes]:
        if debrief.note_for_session(office, s.id) is None:
            debrief.create_note(writer, s.id)
    todo = [s for s in closed[args.notes :] if debrief.note_for_session(office, s.id) is None][
        : args.n
    ]
    if not todo:
        print("(no session left without a note in that group: use --rebuild on history.py)")
        return
    it = iter(todo)
    made: list[str] = []

    def create():
        made.append(debrief.create_note(writer, next(it).id).id)

    row(f"create a note (group index holds {args.notes}+)", timed(create, len(todo)), write_base)
    row(
        "save a draft",
        timed(
            lambda: debrief.save_body(writer, made[-1], f"# Words {time.perf_counter()}\n"), args.n
        ),
        write_base,
    )
    for note_id in made[:-1]:  # a note must hold more than the template to be signed
        debrief.save_body(writer, note_id, f"# Words for {note_id}\n")
    signer = iter(made)
    row(
        "sign (risk scan included)",
        timed(lambda: debrief.sign_note(writer, next(signer)), len(made)),
        write_base,
    )
    row(
        "list_notes (every note, file hashes checked)",
        timed(lambda: debrief.list_notes(office), 5),
        write_base,
    )

    note = debrief.get_note(office, made[-1])
    store = office.stores.path("debrief", note.group_id, note.date[:4], f"{note.date}.json")
    index = office.stores.path("debrief", note.group_id, "index.json")
    print(
        f"\nfiles a save rewrites: note store {store.stat().st_size / 1024:.1f} KB, "
        f"group index {index.stat().st_size / 1024:.1f} KB, note file "
        f"{debrief.note_path(office, note).stat().st_size / 1024:.1f} KB"
    )


if __name__ == "__main__":
    main()
