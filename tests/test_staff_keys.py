"""Each member's signing key: made from their passphrase, never stored in clear, verifying
what it signed even after a reset, and ended when the member leaves."""

from __future__ import annotations

import json

import pytest
from helpers.signed import give_keys, passphrase_of, signed_in

from facilitator.errors import AccessDenied, InvalidInput, Refused
from facilitator.services.core import identity
from facilitator.services.core.office import Office
from facilitator.storage.staff_keys import WrongPassphrase

MESSAGE = b"note G1-2026-11-24 sha256 0f3c"


@pytest.fixture
def new_passphrase(runner):
    """`staff passphrase [TARGET]` run by WHO (signed in with their test passphrase once the
    workspace has keys) setting NEW."""
    from facilitator.cli import cli

    def run(who, new, *target, current=None):
        env = {
            "FACILITATOR_PASSPHRASE": current or passphrase_of(who),
            "FACILITATOR_NEW_PASSPHRASE": new,
        }
        return runner.invoke(cli, ["--user", who, "staff", "passphrase", *target], env=env)

    return run


def test_the_admin_sets_the_first_key_and_signs_with_it(office, new_passphrase):
    result = new_passphrase("admin", "the admin's long passphrase")
    assert result.exit_code == 0, result.output
    key_file = office.path / "data/staff_keys/admin.json"
    assert "the admin's long passphrase" not in key_file.read_text()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    admin = Office.open(office.path, "admin")
    who, signature = identity.sign_as_actor(admin, "the admin's long passphrase", MESSAGE)
    assert who == "admin" and identity.verify(admin, "admin", MESSAGE, signature)
    assert not identity.verify(admin, "admin", MESSAGE + b"!", signature)  # text changed
    assert not identity.verify(admin, "bea", MESSAGE, signature)  # not hers


def test_a_wrong_passphrase_signs_nothing(office):
    give_keys(office.path)
    with pytest.raises(WrongPassphrase, match="nothing was signed"):
        identity.keys(office).sign("alex", "not the passphrase", MESSAGE)


def test_a_short_passphrase_is_one_line(office, new_passphrase):
    result = new_passphrase("admin", "short")
    assert result.exit_code == 2 and "at least 12 characters" in result.output
    assert not (office.path / "data/staff_keys/admin.json").exists()


def test_an_admin_reset_keeps_the_old_key_for_what_it_signed(office, new_passphrase):
    give_keys(office.path)
    alex = signed_in(office.path, "alex")
    _, old_signature = identity.sign_as_actor(alex, None, MESSAGE)
    refused = new_passphrase("bea", "bea tries to reset alex", "alex")
    assert refused.exit_code == 1 and "may not reset another member's passphrase" in refused.output
    assert new_passphrase("admin", "a new passphrase for alex", "alex").exit_code == 0
    keys = json.loads((office.path / "data/staff_keys/alex.json").read_text())["public"]
    assert len(keys) == 2 and keys[0]["retired_at"] and not keys[1]["retired_at"]
    assert identity.verify(alex, "alex", MESSAGE, old_signature)
    with pytest.raises(WrongPassphrase):
        identity.sign_in(Office.open(office.path, "alex"), "alex", passphrase_of("alex"))
    assert signed_in_with(office.path, "alex", "a new passphrase for alex")


def signed_in_with(path, who, passphrase) -> bool:
    return identity.sign_in(Office.open(path, who), who, passphrase).id == who


def test_a_member_changes_their_own_passphrase(office, new_passphrase):
    give_keys(office.path)
    assert new_passphrase("alex", "alex's very own passphrase").exit_code == 0
    assert signed_in_with(office.path, "alex", "alex's very own passphrase")
    wrong = new_passphrase("alex", "yet another passphrase", current="not the current one")
    assert wrong.exit_code == 1 and "wrong passphrase for alex" in wrong.output


def test_a_member_who_leaves_signs_nothing_more(office, runner):
    from helpers.signed import as_member

    give_keys(office.path)
    bea = signed_in(office.path, "bea")
    _, signature = identity.sign_as_actor(bea, None, MESSAGE)
    left = as_member(runner, "admin", "staff", "deactivate", "bea", "--reason", "left the service")
    assert left.exit_code == 0, left.output
    admin = signed_in(office.path, "admin")
    assert identity.verify(admin, "bea", MESSAGE, signature)
    with pytest.raises(Refused, match="no signing key"):
        identity.keys(admin).sign("bea", passphrase_of("bea"), MESSAGE)
    gone = as_member(runner, "bea", "participant", "list")
    assert gone.exit_code == 1 and "deactivated" in gone.output


def test_passphrase_rules_hold_in_the_service_too(office):
    give_keys(office.path)
    with pytest.raises(InvalidInput):
        identity.set_passphrase(signed_in(office.path, "alex"), "alex", "tiny")
    with pytest.raises(AccessDenied):
        identity.set_passphrase(signed_in(office.path, "alex"), "bea", "long enough passphrase")
