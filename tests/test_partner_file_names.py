"""The partner store's file names say nothing without its key, and older stores named
`<id>.bin` are migrated when opened with the right key, without losing a record even when the
migration is interrupted or finds two copies of one man's file."""

from __future__ import annotations

import json
import os
import re
import time

import pytest
from cryptography.fernet import Fernet

from facilitator.services.core.office import Office
from facilitator.services.partner import store as partner
from facilitator.storage import partner_vault

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    """A key-file store (so the tests can write old-style files with the same key)."""
    key = tmp_path / "usb" / "partner.key"
    monkeypatch.delenv("FACILITATOR_PARTNER_PASSPHRASE", raising=False)
    monkeypatch.setenv("FACILITATOR_PARTNER_KEY_FILE", str(key))
    return key


@pytest.fixture
def store(office, invoke, key_file):
    assert (
        invoke(
            "--user", "pat", "partner", "init", "--key-file", str(key_file), "--new-key-file"
        ).exit_code
        == 0
    )
    return _open(office, key_file)


def _open(office, key_file):
    return partner.open_store(
        Office.open(office.path, "pat"), partner.key_source(key_file=key_file)
    )


def _men(office) -> list[str]:
    return sorted(p.name for p in (office.path / "partner" / "men").iterdir())


def _listed(invoke) -> list[tuple[str, str]]:
    result = invoke("--user", "pat", "partner", "list", "--json")
    assert result.exit_code == 0, result.output
    return sorted((p["id"], p["name"]) for p in json.loads(result.output))


def _legacy(office, key_file, pid: str, record: dict, at: int | None = None):
    """A man's file as versions before keyed names wrote it: <id>.bin, the same token format."""
    token = Fernet(key_file.read_bytes().strip()).encrypt_at_time(
        json.dumps(record).encode(), int(at if at is not None else time.time())
    )
    path = office.path / "partner" / "men" / f"{pid}.bin"
    path.write_bytes(token)
    return path


def _record(pid: str, *names: str) -> dict:
    return {
        "participant_id": pid,
        "contacts": [],
        "concerns": [],
        "outcomes": [],
        "partners": [
            {"id": f"{pid}-PT{n}", "participant_id": pid, "name": name, "relationship": "partner"}
            for n, name in enumerate(names, 1)
        ],
    }


def _migrations(office) -> list[dict]:
    return [e for e in office.stores.audit.entries() if e["action"] == "migrate"]


def _power_cut_after_one_rename(monkeypatch) -> None:
    """The migration's second rename in the partner store fails, as if the power went."""
    real_replace = os.replace
    done = []

    def replace(src, dst):
        if "/partner/men/" in str(src) and not str(src).endswith(".tmp"):
            if done:
                raise OSError("simulated power cut")
            done.append(src)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)


# -- keyed names -----------------------------------------------------------------------------
def test_file_names_reveal_no_participant(store, office, invoke, tmp_path, monkeypatch):
    for pid, name in (("P0001", "Erin Sample"), ("P0003", "Gail Sample")):
        assert invoke("--user", "pat", "partner", "add", pid, name).exit_code == 0
    names = _men(office)
    assert len(names) == 2 and all(re.fullmatch(r"[0-9a-f]{32}\.bin", n) for n in names)
    assert not any(pid in n.upper() for n in names for pid in ("P0001", "P0002", "P0003"))
    assert _listed(invoke) == [("P0001-PT1", "Erin Sample"), ("P0003-PT1", "Gail Sample")]
    # Keyed, not a plain hash of the id: another store's key gives P0001 another name.
    other = tmp_path / "other"
    other_vault = partner_vault.PartnerVault.create(other, partner.key_source(PASSPHRASE))
    assert other_vault.file_name("P0001") != store.vault.file_name("P0001")
    assert f"{store.vault.file_name('P0001')}.bin" in names


def test_a_file_moved_to_another_mans_name_is_refused(store, office, invoke):
    store.add_partner("P0001", "Erin Sample")
    men = office.path / "partner" / "men"
    (men / f"{store.vault.file_name('P0001')}.bin").rename(
        men / f"{store.vault.file_name('P0002')}.bin"
    )
    result = invoke("--user", "pat", "partner", "list")
    assert result.exit_code == 1 and "is not under its own man's name" in result.output
    assert len(result.output.strip().splitlines()) == 1


# -- migrating a store made before keyed names ---------------------------------------------------
def test_an_old_store_is_migrated_when_opened_with_its_key(
    store, office, invoke, key_file, tmp_path
):
    for pid, name in (("P0001", "Erin Sample"), ("P0002", "Fay Sample"), ("P0003", "Gail Sample")):
        _legacy(office, key_file, pid, _record(pid, name))
    assert _men(office) == ["P0001.bin", "P0002.bin", "P0003.bin"]
    # The wrong key reads nothing and renames nothing.
    from facilitator.storage.partner_vault import new_key_file

    wrong = new_key_file(tmp_path / "wrong.key")
    result = invoke("--user", "pat", "partner", "list", "--key-file", str(wrong))
    assert result.exit_code == 1 and _men(office) == ["P0001.bin", "P0002.bin", "P0003.bin"]
    assert _listed(invoke) == [
        ("P0001-PT1", "Erin Sample"),
        ("P0002-PT1", "Fay Sample"),
        ("P0003-PT1", "Gail Sample"),
    ]
    assert _men(office) == sorted(
        f"{store.vault.file_name(p)}.bin" for p in ("P0001", "P0002", "P0003")
    )
    # Audited as counts only, once.
    moved = _migrations(office)
    assert len(moved) == 1
    assert (moved[0]["kind"], moved[0]["renamed"], moved[0]["dropped"], moved[0]["set_aside"]) == (
        "partner_store",
        "3",
        "0",
        "0",
    )
    assert not any(p in json.dumps(moved[0]) for p in ("P0001", "P0002", "P0003", "Sample"))
    assert _listed(invoke) == [
        ("P0001-PT1", "Erin Sample"),
        ("P0002-PT1", "Fay Sample"),
        ("P0003-PT1", "Gail Sample"),
    ]
    assert len(_migrations(office)) == 1  # nothing left to migrate: no second line
    # Written to under its new name from now on.
    assert invoke("--user", "pat", "partner", "add", "P0002", "Hana Sample").exit_code == 0
    assert len(_men(office)) == 3 and ("P0002-PT2", "Hana Sample") in _listed(invoke)


def test_an_interrupted_migration_loses_nothing_and_carries_on(
    store, office, invoke, key_file, monkeypatch
):
    for pid, name in (("P0001", "Erin Sample"), ("P0002", "Fay Sample"), ("P0003", "Gail Sample")):
        _legacy(office, key_file, pid, _record(pid, name))
    with monkeypatch.context() as cut, pytest.raises(OSError):
        _power_cut_after_one_rename(cut)
        _open(office, key_file)
    names = _men(office)
    assert sum(n.startswith("P000") for n in names) == 2 and len(names) == 3  # one moved, two to go
    assert _listed(invoke) == [
        ("P0001-PT1", "Erin Sample"),
        ("P0002-PT1", "Fay Sample"),
        ("P0003-PT1", "Gail Sample"),
    ]
    assert not any(n.startswith("P000") for n in _men(office))


def test_two_copies_of_one_mans_file(store, office, invoke, key_file):
    vault = store.vault
    men = office.path / "partner" / "men"
    # P0001: an old copy put back beside the migrated file, holding less: dropped.
    store.add_partner("P0001", "Erin Sample")
    earlier = vault.read("P0001")
    store.add_partner("P0001", "Iris Sample")
    _legacy(office, key_file, "P0001", earlier, at=int(time.time()) + 60)  # later, yet holds less
    # P0002: the old copy holds everything the keyed one does and more: it becomes the file.
    store.add_partner("P0002", "Fay Sample")
    fay = vault.read("P0002")
    _legacy(
        office,
        key_file,
        "P0002",
        dict(fay, partners=fay["partners"] + _record("P0002", "x", "Jade Sample")["partners"][1:]),
    )
    # P0003: they differ both ways: the later one is kept, the other set aside, still encrypted.
    store.add_partner("P0003", "Gail Sample")
    _legacy(office, key_file, "P0003", _record("P0003", "Kay Sample"), at=int(time.time()) + 60)

    assert _listed(invoke) == [
        ("P0001-PT1", "Erin Sample"),
        ("P0001-PT2", "Iris Sample"),
        ("P0002-PT1", "Fay Sample"),
        ("P0002-PT2", "Jade Sample"),
        ("P0003-PT1", "Kay Sample"),
    ]
    moved = _migrations(office)[-1]
    assert (moved["renamed"], moved["dropped"], moved["set_aside"]) == ("0", "2", "1")
    aside = [p for p in men.iterdir() if p.name.endswith(".superseded")]
    assert len(aside) == 1 and aside[0].name.startswith(vault.file_name("P0003") + ".")
    gail = json.loads(Fernet(key_file.read_bytes().strip()).decrypt(aside[0].read_bytes()))
    assert gail["partners"][0]["name"] == "Gail Sample"
    assert not any(n.startswith("P000") for n in _men(office))
    # Forgetting him removes the set-aside copy too.
    assert invoke("--user", "pat", "partner", "forget", "P0003", "--yes").exit_code == 0
    assert not any(p.name.startswith(vault.file_name("P0003")) for p in men.iterdir())


def test_the_keyed_copy_wins_when_it_is_the_later_one(store, office, invoke, key_file):
    store.add_partner("P0001", "Erin Sample")
    _legacy(office, key_file, "P0001", _record("P0001", "Old Sample"), at=1_000_000)
    assert _listed(invoke) == [("P0001-PT1", "Erin Sample")]
    aside = [
        p for p in (office.path / "partner" / "men").iterdir() if p.name.endswith(".superseded")
    ]
    assert (
        aside
        and json.loads(Fernet(key_file.read_bytes().strip()).decrypt(aside[0].read_bytes()))[
            "partners"
        ][0]["name"]
        == "Old Sample"
    )


def test_interrupted_between_setting_aside_and_renaming(
    store, office, invoke, key_file, monkeypatch
):
    store.add_partner("P0001", "Erin Sample")
    _legacy(office, key_file, "P0001", _record("P0001", "Later Sample"), at=int(time.time()) + 60)
    with monkeypatch.context() as cut, pytest.raises(OSError):
        _power_cut_after_one_rename(cut)
        _open(office, key_file)
    assert "P0001.bin" in _men(office)  # the keyed copy set aside, the old name not yet moved
    assert _listed(invoke) == [("P0001-PT1", "Later Sample")]
    aside = [
        p for p in (office.path / "partner" / "men").iterdir() if p.name.endswith(".superseded")
    ]
    assert len(aside) == 1 and b"Erin" not in aside[0].read_bytes()
    assert (
        json.loads(Fernet(key_file.read_bytes().strip()).decrypt(aside[0].read_bytes()))[
            "partners"
        ][0]["name"]
        == "Erin Sample"
    )


def test_a_damaged_old_file_stops_the_migration_named_and_untouched(
    store, office, invoke, key_file
):
    _legacy(office, key_file, "P0001", _record("P0001", "Erin Sample"))
    bad = _legacy(office, key_file, "P0002", _record("P0002", "Fay Sample"))
    damaged = bad.read_bytes()[:-20] + b"x" * 20
    bad.write_bytes(damaged)
    result = invoke("--user", "pat", "partner", "list")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: partner store file {bad} is damaged or was written with another "
        f"key; it was left untouched: restore it from a backup"
    )
    assert bad.read_bytes() == damaged
    assert "P0001.bin" not in _men(office)  # the ones before it were moved, one by one


def test_a_migrated_store_survives_backup_and_restore(
    store, office, invoke, key_file, tmp_path, monkeypatch
):
    _legacy(office, key_file, "P0001", _record("P0001", "Erin Sample"))
    assert _listed(invoke) == [("P0001-PT1", "Erin Sample")]
    monkeypatch.setenv("FACILITATOR_BACKUP_PASSPHRASE", "a synthetic backup passphrase")
    archive = tmp_path / "out" / "backup.fbk"
    archive.parent.mkdir()
    made = invoke("--user", "admin", "backup", "-o", str(archive))
    assert made.exit_code == 0, made.output
    target = tmp_path / "restored"
    restored = invoke("restore", str(archive), "--to", str(target))
    assert restored.exit_code == 0, restored.output
    assert sorted(p.name for p in (target / "partner" / "men").iterdir()) == _men(office)
    monkeypatch.setenv("FACILITATOR_WORKSPACE", str(target))
    assert _listed(invoke) == [("P0001-PT1", "Erin Sample")]
