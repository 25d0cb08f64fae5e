"""Each member's signing key: made from their passphrase, never stored in clear, verifying
what it signed even after a reset, and ended when the member leaves."""

from __future__ import annotations

import json

import pytest

from facilitator.errors import AccessDenied, InvalidInput, Refused
from facilitator.services.core import identity
from facilitator.services.core.office import Office
from facilitator.storage.staff_keys import WrongPassphrase

ALEX_PASS = "alex's long passphrase"
MESSAGE = b"note G1-2026-11-24 sha256 0f3c"


@pytest.fixture
def with_pass(invoke, monkeypatch):
    def run(user, passphrase, *target):
        monkeypatch.setenv("FACILITATOR_PASSPHRASE", passphrase)
        return invoke("--user", user, "staff", "passphrase", *target)

    return run


def test_a_member_sets_a_passphrase_and_signs_with_it(office, with_pass):
    result = with_pass("alex", ALEX_PASS)
    assert result.exit_code == 0, result.output
    key_file = office.path / "data/staff_keys/alex.json"
    stored = key_file.read_text()
    assert ALEX_PASS not in stored and oct(key_file.stat().st_mode & 0o777) == "0o600"
    alex = Office.open(office.path, "alex")
    who, signature = identity.sign_as_actor(alex, ALEX_PASS, MESSAGE)
    assert who == "alex" and identity.verify(alex, "alex", MESSAGE, signature)
    assert not identity.verify(alex, "alex", MESSAGE + b"!", signature)  # text changed
    assert not identity.verify(alex, "bea", MESSAGE, signature)  # not hers


def test_a_wrong_passphrase_signs_nothing(office, with_pass):
    with_pass("alex", ALEX_PASS)
    with pytest.raises(WrongPassphrase, match="nothing was signed"):
        identity.sign_as_actor(Office.open(office.path, "alex"), "not the passphrase", MESSAGE)


def test_a_short_passphrase_is_one_line(office, with_pass):
    result = with_pass("alex", "short")
    assert result.exit_code == 2 and "at least 12 characters" in result.output
    assert not (office.path / "data/staff_keys/alex.json").exists()


def test_an_admin_reset_keeps_the_old_key_for_what_it_signed(office, with_pass):
    with_pass("alex", ALEX_PASS)
    alex = Office.open(office.path, "alex")
    _, old_signature = identity.sign_as_actor(alex, ALEX_PASS, MESSAGE)
    refused = with_pass("bea", "bea tries to reset alex", "alex")
    assert refused.exit_code == 1 and "may not reset another member's passphrase" in refused.output
    assert with_pass("admin", "a new passphrase for alex", "alex").exit_code == 0
    keys = json.loads((office.path / "data/staff_keys/alex.json").read_text())["public"]
    assert len(keys) == 2 and keys[0]["retired_at"] and not keys[1]["retired_at"]
    assert identity.verify(alex, "alex", MESSAGE, old_signature)
    with pytest.raises(WrongPassphrase):
        identity.sign_as_actor(alex, ALEX_PASS, MESSAGE)  # the old passphrase opens nothing now


def test_a_member_who_leaves_signs_nothing_more(office, with_pass, invoke):
    with_pass("bea", "bea's long passphrase")
    bea = Office.open(office.path, "bea")
    _, signature = identity.sign_as_actor(bea, "bea's long passphrase", MESSAGE)
    invoke("--user", "admin", "staff", "deactivate", "bea", "--reason", "left the service")
    admin = Office.open(office.path, "admin")
    assert identity.verify(admin, "bea", MESSAGE, signature)
    with pytest.raises(Refused, match="no signing key"):
        identity.keys(admin).sign("bea", "bea's long passphrase", MESSAGE)


def test_passphrase_rules_hold_in_the_service_too(office):
    with pytest.raises(InvalidInput):
        identity.set_passphrase(Office.open(office.path, "alex"), "alex", "tiny")
    with pytest.raises(AccessDenied):
        identity.set_passphrase(Office.open(office.path, "alex"), "bea", "long enough passphrase")
