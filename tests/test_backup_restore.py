"""Encrypted backups and restores: identical content back, consistency while others
write, one clear line for a damaged archive or a wrong key, and nothing written then."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import enrol_all

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "a long synthetic passphrase"


@pytest.fixture(autouse=True)
def passphrase(monkeypatch):
    monkeypatch.setenv("FACILITATOR_BACKUP_PASSPHRASE", PASSPHRASE)


def _tree(ws: Path) -> dict[str, bytes]:
    """Every file's bytes, as a restore must give them back (the lock file is not content)."""
    return {
        p.relative_to(ws).as_posix(): p.read_bytes()
        for p in sorted(ws.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.fixture
def busy_office(office):
    """The test workspace with a session run, a flag, a debrief note and a partner store."""
    from facilitator.domain.checkin import CheckIn
    from facilitator.services.core.office import Office
    from facilitator.services.groupwork import sessions
    from facilitator.services.risk import flags as risk

    enrol_all(office)
    s = sessions.start_session(office, "G1", "2026-11-24")
    sessions.mark_attendance(office, s.id, "P0001", "present")
    sessions.mark_attendance(office, s.id, "P0002", "unexcused")
    sessions.mark_attendance(office, s.id, "P0003", "late", minutes_late=10)
    sessions.record_checkin(
        office, s.id, CheckIn(participant_id="P0001", summary="Used time-out twice.")
    )
    sessions.record_checkin(office, s.id, CheckIn(participant_id="P0003", summary="No incidents."))
    sessions.close_session(office, s.id, force=True)
    risk.raise_flag(
        office, "P0001", ["escalation"], "Arguments more frequent, synthetic test text."
    )
    notes = office.ws.notes_dir / "G1" / "2026"
    notes.mkdir(parents=True, exist_ok=True)
    (notes / "G1-2026-11-24.md").write_text("# Debrief G1-2026-11-24\n\nSynthetic note.\n")
    _partner_record(office)
    return Office.open(office.path, "admin")


PARTNER_PASSPHRASE = "synthetic partner store passphrase"


def _partner_record(office) -> None:
    """A partner store (encrypted with its own key) holding one synthetic partner record."""
    from facilitator.services.core.office import Office
    from facilitator.services.partner import store as partner

    pat = Office.open(office.path, "pat")
    source = partner.key_source(PARTNER_PASSPHRASE)
    partner.init_store(pat, source)
    partner.open_store(pat, source).add_partner(
        "P0001", "Zoe Partner-Example", notes="Synthetic partner words"
    )


def _partner_names(workspace) -> list[str]:
    from facilitator.services.core.office import Office
    from facilitator.services.partner import store as partner

    store = partner.open_store(
        Office.open(workspace, "pat"), partner.key_source(PARTNER_PASSPHRASE)
    )
    return [p.name for p in store.partners()]


def test_backup_then_restore_gives_the_same_workspace(busy_office, invoke, tmp_path):
    ws = busy_office.path
    before = _tree(ws)
    archive = tmp_path / "out" / "b.fbk"
    archive.parent.mkdir()
    result = invoke("--user", "admin", "backup", "-o", str(archive))
    assert result.exit_code == 0, result.output
    assert "backup written" in result.output

    # Nothing readable inside: no name, no check-in words, no setting.
    raw = archive.read_bytes()
    for plain in (b"Adam Example", b"time-out", b"Test Programme", b"core-24", b"audit", b"vault"):
        assert plain not in raw
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    target = tmp_path / "restored"
    result = invoke("restore", str(archive), "--to", str(target))
    assert result.exit_code == 0, result.output
    assert "every hash checked" in result.output and "audit log    intact" in result.output
    after = _tree(target)
    assert after == before  # every store, note, curriculum and the partner store, byte for byte
    assert any(k.startswith("curricula/core-24/") for k in after)
    # Private like the original: folders 0700, files 0600, however deep.
    import stat as _stat

    for p in [target, *target.rglob("*")]:
        assert _stat.S_IMODE(p.stat().st_mode) == (0o700 if p.is_dir() else 0o600), p
    assert "partner/vault.json" in after and "session_notes/G1/2026/G1-2026-11-24.md" in after
    assert _partner_names(target) == [
        "Zoe Partner-Example"
    ]  # still opens with its own key, and only so

    from facilitator.services.core import people
    from facilitator.services.core.office import Office
    from facilitator.services.risk import flags as risk

    restored = Office.open(target, "admin")
    assert restored.stores.audit.verify() is None
    assert [p.name for p in people.list_participants(restored)] == [
        "Adam Example",
        "Ben Sample",
        "Carl Testcase",
    ]
    assert [f.participant_id for f in risk.list_flags(restored)] == ["P0001"]


def test_backup_is_recorded_audited_and_shown(busy_office, invoke, tmp_path, monkeypatch):
    from facilitator.services.records.backup import last_backup_status

    assert last_backup_status(busy_office) == "WARNING: none made yet"
    out = tmp_path / "b.fbk"
    assert invoke("--user", "admin", "backup", "-o", str(out)).exit_code == 0
    assert last_backup_status(busy_office) == "last made today (2026-11-24 18:00)"
    last = list(busy_office.stores.audit.entries())[-1]
    assert (last["action"], last["kind"], last["id"]) == ("backup", "workspace", "b.fbk")
    monkeypatch.setenv("FACILITATOR_NOW", "2026-12-09T09:00:00")
    status = last_backup_status(busy_office)
    assert status == "WARNING: last made 15 days ago (2026-11-24 18:00), more than 7 days"


def test_a_damaged_store_is_backed_up_as_it_is_and_named(busy_office, invoke, tmp_path):
    """A damaged store is better kept than lost: the backup is written with it, and the
    coordinator is told which files (stderr, --json, `backup list`, the home line)."""
    from facilitator.services.records.backup import last_backup_status

    ws = busy_office.path
    session = ws / "data" / "sessions" / "G1" / "2026" / "2026-11-24.json"
    cut = session.read_bytes()[:40]  # cut off mid-record, as a bad copy would leave it
    session.write_bytes(cut)
    (ws / "data" / "enrolments" / "G1.json").write_text('["not a store"]')
    before = _tree(ws)

    out = tmp_path / "b.fbk"
    result = invoke("--user", "admin", "backup", "-o", str(out), "--json")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(warnings) == 2, result.stderr
    assert warnings[0].startswith(
        "warning: store data/enrolments/G1.json is damaged (it does not hold a JSON object)"
    )
    assert warnings[1].startswith(
        "warning: store data/sessions/G1/2026/2026-11-24.json is damaged (invalid JSON at line 1"
    )
    assert str(ws) not in result.stderr  # relative paths: the same wherever the workspace lives
    info = json.loads(result.stdout)
    assert [d["path"] for d in info["damaged"]] == [
        "data/enrolments/G1.json",
        "data/sessions/G1/2026/2026-11-24.json",
    ]
    assert info["damaged"][0]["problem"] == "it does not hold a JSON object"

    # The audit line has a count, never the content.
    last = list(busy_office.stores.audit.entries())[-1]
    assert (last["action"], last["damaged"]) == ("backup", "2")
    assert "not a store" not in json.dumps(last) and cut.decode(errors="ignore") not in json.dumps(
        last
    )
    assert last_backup_status(busy_office) == (
        "WARNING: last made today (2026-11-24 18:00), with 2 damaged store files"
    )
    listed = invoke("--user", "admin", "backup", "list")
    assert (
        "damaged store in the last backup: data/sessions/G1/2026/2026-11-24.json" in listed.output
    )

    # Kept byte for byte: restoring gives the damaged files back as they were.
    assert invoke("restore", str(out), "--to", str(tmp_path / "r")).exit_code == 0
    assert _tree(tmp_path / "r") == before

    # Put right (moved aside here), the next backup is clean again.
    session.unlink()
    (ws / "data" / "enrolments" / "G1.json").unlink()
    result = invoke("--user", "admin", "backup", "-o", str(tmp_path / "c.fbk"))
    assert result.exit_code == 0 and result.stderr == ""
    assert "damaged" not in list(busy_office.stores.audit.entries())[-1]
    assert last_backup_status(busy_office) == "last made today (2026-11-24 18:00)"


def test_the_backup_checks_stores_with_the_bytes_it_archives(busy_office, tmp_path, monkeypatch):
    """No second read: the stores are checked from the bytes read for the archive, with the
    check every reader makes, and only files under data/ that end in .json."""
    from pathlib import Path as _Path

    from facilitator.services.records import backup as backup_service
    from facilitator.storage import tinystore
    from facilitator.storage.sealed import Secret

    checked: list[str] = []
    real_parse = tinystore.parse_json_store
    monkeypatch.setattr(
        backup_service,
        "parse_json_store",
        lambda raw, path: (
            checked.append(path.relative_to(busy_office.path).as_posix()),
            real_parse(raw, path),
        )[1],
    )
    reads: list[str] = []
    real_read = _Path.read_bytes
    monkeypatch.setattr(
        _Path, "read_bytes", lambda self: (reads.append(self.name), real_read(self))[1]
    )
    result = backup_service.make_backup(
        busy_office, Secret.from_passphrase(PASSPHRASE), tmp_path / "b.fbk"
    )
    assert result.damaged == []
    stores = sorted(
        p.relative_to(busy_office.path).as_posix()
        for p in (busy_office.path / "data").rglob("*.json")
    )
    assert sorted(checked) == [
        s for s in stores if s != "data/backup.json"
    ]  # the log is written after
    assert not [
        c for c in checked if not c.startswith("data/")
    ]  # not the partner vault, not curricula
    assert {r for r in reads if r.endswith(".json")} == {
        "backup.json"
    }  # only the log, to update it


def test_backup_folder_keeps_the_newest_n(busy_office, invoke, tmp_path, monkeypatch):
    from facilitator.services.records.backup import list_backups

    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "notes.txt").write_text("not ours: never removed")
    settings = busy_office.ws.read_settings()
    settings["backup"].update({"folder": str(folder), "keep": 2})
    with busy_office.ws.lock():
        busy_office.ws.write_settings(settings)
    for stamp in ["2026-11-24T18:00:00", "2026-11-25T18:00:00", "2026-11-26T18:00:00"]:
        monkeypatch.setenv("FACILITATOR_NOW", stamp)
        result = invoke("--user", "admin", "backup")
        assert result.exit_code == 0, result.output
    kept = [p.name for p in list_backups(folder)]
    assert kept == [
        "facilitator-backup-2026-11-25-180000.fbk",
        "facilitator-backup-2026-11-26-180000.fbk",
    ]
    assert "removed old backup facilitator-backup-2026-11-24-180000.fbk" in result.output
    assert (folder / "notes.txt").exists()
    listed = invoke("--user", "admin", "backup", "list", "--json")
    assert [b["file"] for b in json.loads(listed.output)["backups"]] == kept


def _one_line_error(result, *expected: str, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for text in expected:
        assert text in lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def _nothing_written(parent: Path, target: Path, before: set[str]) -> None:
    assert not target.exists()
    assert {p.name for p in parent.iterdir()} == before  # no staging folder left behind


@pytest.fixture
def archive(busy_office, invoke, tmp_path) -> Path:
    out = tmp_path / "b.fbk"
    assert invoke("--user", "admin", "backup", "-o", str(out)).exit_code == 0
    return out


def test_wrong_passphrase_is_one_line_and_writes_nothing(archive, invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("FACILITATOR_BACKUP_PASSPHRASE", "not the right passphrase")
    target = tmp_path / "restored"
    before = {p.name for p in tmp_path.iterdir()}
    line = _one_line_error(
        invoke("restore", str(archive), "--to", str(target)), "wrong passphrase", "b.fbk"
    )
    assert "nothing" in line
    _nothing_written(tmp_path, target, before)
    _one_line_error(invoke("backup", "verify", str(archive)), "wrong passphrase")


def test_key_file_backups_need_the_key_file(busy_office, invoke, tmp_path):
    key = tmp_path / "backup.key"
    assert invoke("backup", "keygen", "-o", str(key)).exit_code == 0
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    out = tmp_path / "k.fbk"
    assert (
        invoke("--user", "admin", "backup", "-o", str(out), "--key-file", str(key)).exit_code == 0
    )
    other = tmp_path / "other.key"
    invoke("backup", "keygen", "-o", str(other))
    before = {p.name for p in tmp_path.iterdir()}
    _one_line_error(
        invoke("restore", str(out), "--to", str(tmp_path / "r"), "--key-file", str(other)),
        "wrong key file other.key",
    )
    _one_line_error(
        invoke("restore", str(out), "--to", str(tmp_path / "r")), "made with a key file"
    )
    _nothing_written(tmp_path, tmp_path / "r", before)
    assert (
        invoke("restore", str(out), "--to", str(tmp_path / "r"), "--key-file", str(key)).exit_code
        == 0
    )
    # A key file is never overwritten.
    _one_line_error(invoke("backup", "keygen", "-o", str(key)), "never overwritten")


def _flip(path: Path, at: int, out: Path) -> Path:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    out.write_bytes(bytes(data))
    return out


def test_damaged_archive_names_the_first_lost_file_and_writes_nothing(
    busy_office, invoke, tmp_path
):
    # Big enough to span several records: 80 files of text that compresses only by half.
    extra = busy_office.path / "data" / "zz-bulk"
    extra.mkdir()
    for i in range(80):
        (extra / f"f{i:02d}.json").write_text(os.urandom(60000).hex())
    out = tmp_path / "big.fbk"
    assert invoke("--user", "admin", "backup", "-o", str(out)).exit_code == 0
    size = out.stat().st_size
    assert size > 4 * 1024 * 1024  # about five records
    before = {p.name for p in tmp_path.iterdir()}
    target = tmp_path / "restored"

    # A byte changed in the middle: the file being read when the record failed is named.
    bad = _flip(out, size // 2, tmp_path / "mid.fbk")
    line = _one_line_error(
        invoke("restore", str(bad), "--to", str(target)),
        "mid.fbk is damaged",
        "nothing was restored",
    )
    assert "data/zz-bulk/f" in line
    _one_line_error(invoke("backup", "verify", str(bad)), "mid.fbk is damaged", "data/zz-bulk/f")

    # Cut short (a copy that did not finish).
    short = tmp_path / "short.fbk"
    short.write_bytes(out.read_bytes()[: size // 3])
    _one_line_error(invoke("restore", str(short), "--to", str(target)), "short.fbk is cut short")

    # The header changed: not mistaken for a wrong passphrase.
    _one_line_error(
        invoke("restore", str(_flip(out, 40, tmp_path / "head.fbk")), "--to", str(target)),
        "header does not match its checksum",
    )

    # Not a backup at all.
    (tmp_path / "notes.fbk").write_text("hello")
    _one_line_error(
        invoke("restore", str(tmp_path / "notes.fbk"), "--to", str(target)),
        "is not a backup of this tool's",
    )

    _nothing_written(tmp_path, target, before | {"mid.fbk", "short.fbk", "head.fbk", "notes.fbk"})
    assert invoke("backup", "verify", str(out)).exit_code == 0


def test_restore_never_writes_over_a_workspace(archive, busy_office, invoke, tmp_path):
    ws = busy_office.path
    before = _tree(ws)
    result = invoke("restore", str(archive), "--to", str(ws))
    _one_line_error(result, "exists and is not empty", "restore only into a new folder")
    assert _tree(ws) == before
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke("restore", str(archive), "--to", str(empty)).exit_code == 0
    assert (empty / "facilitator.toml").exists()


def test_backup_refuses_a_place_inside_the_workspace_and_non_backup_files(
    busy_office, invoke, tmp_path
):
    _one_line_error(
        invoke("--user", "admin", "backup", "-o", str(busy_office.path / "x.fbk")),
        "inside the workspace",
        code=2,
    )
    precious = tmp_path / "thesis.docx"
    precious.write_text("someone's work")
    assert invoke("--user", "admin", "backup", "-o", str(precious)).exit_code == 1
    assert precious.read_text() == "someone's work"


def test_only_coordinators_make_backups(busy_office, invoke, tmp_path):
    result = invoke("--user", "alex", "backup", "-o", str(tmp_path / "b.fbk"))
    _one_line_error(result, "may not make a backup")
    assert not (tmp_path / "b.fbk").exists()


def _start_writer(ws: Path, tag: str, count: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.writer", str(ws), tag, str(count)],
        cwd=ROOT,
        stdout=open(log, "w"),
        text=True,
    )
    deadline = time.monotonic() + 30
    while "ack" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until it is really writing
    return proc


def test_backup_while_another_process_writes_is_consistent(busy_office, tmp_path):
    """Each write of the helper puts a check-in, a participant and an audit line under one
    lock: a consistent backup holds all three for every write it caught, or none."""
    from facilitator.services.core.office import Office
    from facilitator.services.records.backup import make_backup, restore_backup
    from facilitator.storage.sealed import Secret
    from facilitator.storage.tinystore import load_json_store

    secret = Secret.from_passphrase(PASSPHRASE)
    writer = _start_writer(busy_office.path, "w", 100000, tmp_path / "writer.log")
    try:
        assert writer.poll() is None
        archives = []
        for i in range(2):
            archives.append(make_backup(busy_office, secret, tmp_path / f"live{i}.fbk").path)
            time.sleep(0.3)
    finally:
        writer.kill()
        writer.wait()
    caught = []
    for i, archive in enumerate(archives):
        target = tmp_path / f"r{i}"
        restore_backup(archive, secret, target)  # checks the manifest and every hash
        for store in (target / "data").rglob("*.json"):
            load_json_store(store, "any")  # every store parses
        office = Office.open(target, "admin")
        assert office.stores.audit.verify() is None
        with office.stores.session_file("G1", "2026-11-24") as db:
            checkins = {
                d["participant_id"]
                for d in db.table("checkins").all()
                if d["participant_id"].startswith("w-")
            }
        with office.stores.people() as db:
            people = {d["id"] for d in db.table("participants").all() if d["id"].startswith("w-")}
        audited = {e["id"] for e in office.stores.audit.entries() if e["id"].startswith("w-")}
        assert checkins == people == audited
        caught.append(len(checkins))
    assert caught == sorted(caught) and caught[-1] > caught[0]  # the writer really ran meanwhile


def test_backup_holds_the_lock_briefly_and_leaves_no_snapshot(busy_office, tmp_path, monkeypatch):
    """The files are linked under the lock and read after it; a writer arriving meanwhile
    changes nothing in the archive and is not kept waiting for the whole backup."""
    from facilitator.services.core import people
    from facilitator.services.records.backup import make_backup, restore_backup
    from facilitator.storage import archive as arch
    from facilitator.storage.sealed import Secret

    secret = Secret.from_passphrase(PASSPHRASE)
    before = _tree(busy_office.path)
    real_write = arch.write_archive

    def write_then_someone_saves(found, sealed, meta, **kwargs):
        # Runs after the lock is released: a colleague adds a man while the archive is written.
        people.add_participant(busy_office, "Late Arrival", "self")
        return real_write(found, sealed, meta, **kwargs)

    monkeypatch.setattr(
        "facilitator.services.records.backup.write_archive", write_then_someone_saves
    )
    make_backup(busy_office, secret, tmp_path / "b.fbk")
    assert not [p for p in busy_office.path.rglob("*") if p.name.startswith(arch.SNAPSHOT_PREFIX)]
    restore_backup(tmp_path / "b.fbk", secret, tmp_path / "r")
    assert _tree(tmp_path / "r") == before  # the picture taken under the lock, not the later save


def test_backup_without_hard_links_writes_under_the_lock(busy_office, tmp_path, monkeypatch):
    from facilitator.services.records.backup import make_backup, restore_backup
    from facilitator.storage.sealed import Secret

    def no_links(src, dst):
        raise OSError(1, "Operation not permitted")  # a FAT drive or a share

    monkeypatch.setattr("facilitator.storage.archive.os.link", no_links)
    secret = Secret.from_passphrase(PASSPHRASE)
    before = _tree(busy_office.path)
    make_backup(busy_office, secret, tmp_path / "b.fbk")
    assert not [p for p in busy_office.path.iterdir() if p.name.startswith(".backup-snapshot-")]
    restore_backup(tmp_path / "b.fbk", secret, tmp_path / "r")
    assert _tree(tmp_path / "r") == before


def test_restore_of_a_backup_reports_its_contents_in_json_free_verify(archive, invoke):
    result = invoke("backup", "verify", str(archive), "--json")
    assert result.exit_code == 0
    info = json.loads(result.output)
    assert info["ok"] is True and info["files"] > 30 and info["programme"] == "Test Programme"


def test_archive_records_stay_small_whatever_the_workspace(tmp_path):
    """Memory stays flat: a 12 MB file goes through in records of about 1 MiB."""
    from facilitator.storage import archive as arch
    from facilitator.storage.sealed import SealedReader, SealedWriter, Secret, open_sealed

    src = tmp_path / "src"
    src.mkdir()
    big = os.urandom(12 * 1024 * 1024)
    (src / "big.bin").write_bytes(big)
    secret = Secret(key_material=b"k" * 32, label="key file test.key")
    out = tmp_path / "a.fbk"
    sizes = []
    with open(out, "wb") as fh:
        writer = SealedWriter(fh, secret)
        real = writer.write
        writer.write = lambda rec: (sizes.append(len(rec)), real(rec))[1]
        arch.write_archive(arch.plan([("", src)]), writer, {})
    assert max(sizes) <= arch.PIECE + 1 and len(sizes) >= 12
    dest = tmp_path / "dest"
    dest.mkdir()
    with open(out, "rb") as fh:
        opened = open_sealed(fh, secret)
        summary = arch.read_archive(fh, SealedReader(fh, opened), dest, "a.fbk")
    assert summary.files == 1
    assert hashlib.sha256((dest / "big.bin").read_bytes()).digest() == hashlib.sha256(big).digest()


def test_a_partner_store_on_another_drive_is_backed_up_too(office, invoke, tmp_path):
    from facilitator.services.core.office import Office

    elsewhere = tmp_path / "other-drive" / "partner-store"
    settings = office.ws.read_settings()
    settings["partner"]["store_path"] = str(elsewhere)
    with office.ws.lock():
        office.ws.write_settings(settings)
    _partner_record(Office.open(office.path, "admin"))
    assert (elsewhere / "vault.json").exists() and not (office.path / "partner").exists()
    out = tmp_path / "b.fbk"
    assert invoke("--user", "admin", "backup", "-o", str(out)).exit_code == 0
    target = tmp_path / "restored"
    result = invoke("restore", str(out), "--to", str(target))
    assert result.exit_code == 0, result.output
    assert f"lived outside the workspace ({elsewhere})" in result.output
    assert _tree(target / "partner") == _tree(elsewhere)
    settings = Office.open(target, "admin").ws.read_settings()
    settings["partner"]["store_path"] = ""
    with Office.open(target, "admin").ws.lock():
        Office.open(target, "admin").ws.write_settings(settings)
    assert _partner_names(target) == ["Zoe Partner-Example"]
