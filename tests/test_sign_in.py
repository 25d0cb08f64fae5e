"""Sign-in: once staff have keys, who acts is proved with a passphrase, not named; roles are
checked against the member who signed in; every audit line is signed, so the log cannot be
rewritten without the members' keys; wrong passphrases are recorded and slow further tries."""

from __future__ import annotations

import base64
import json

import pytest
from helpers.signed import as_member, give_keys, passphrase_of, signed_in

from facilitator.services.core import identity
from facilitator.services.core.office import Office, SignInRequired
from facilitator.storage.audit import GENESIS, _digest
from facilitator.storage.staff_keys import WrongPassphrase


@pytest.fixture
def keyed(office):
    give_keys(office.path)
    return office.path


def audit_lines(path) -> list[dict]:
    return [json.loads(line) for line in (path / "data/audit.jsonl").read_text().splitlines()]


def test_naming_a_member_is_not_enough_once_keys_exist(keyed, runner):
    from facilitator.cli import cli

    result = runner.invoke(cli, ["--user", "admin", "participant", "list"], input="")
    assert result.exit_code == 1
    assert "admin must sign in: no passphrase was given" in result.output
    assert "Adam" not in result.output  # nothing was read for him
    with pytest.raises(SignInRequired):
        Office.open(keyed, "alex").actor  # noqa: B018 - the services fail closed too


def test_the_right_passphrase_signs_in_and_every_change_is_signed(keyed, runner):
    before = len(audit_lines(keyed))
    result = as_member(runner, "alex", "participant", "add", "Dan Synthetic")
    assert result.exit_code == 0, result.output
    new = audit_lines(keyed)[before:]
    assert new and all(line["signer"] == "alex" and line["sig"] for line in new)
    verified = as_member(runner, "bea", "audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "signed and verified" in verified.output
    assert "from before staff had keys (hash chain only)" in verified.output


def test_a_wrong_passphrase_is_one_line_and_audited(keyed, runner):
    result = as_member(runner, "alex", "participant", "list", passphrase="not alex's at all")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["Error: wrong passphrase for alex"]
    last = audit_lines(keyed)[-1]
    assert (last["action"], last["id"], last["why"]) == (
        "sign-in-failed",
        "alex",
        "wrong passphrase",
    )
    assert "sig" not in last  # no key was opened, so none signs it


def test_three_wrong_passphrases_in_a_minute_pause_sign_in(keyed, monkeypatch):
    times = iter(
        ["2026-11-24T18:00:00", "2026-11-24T18:00:10", "2026-11-24T18:00:20"]
        + ["2026-11-24T18:00:30", "2026-11-24T18:00:51", "2026-11-24T18:00:52"]
    )

    def attempt(passphrase):
        monkeypatch.setenv("FACILITATOR_NOW", next(times))
        return identity.sign_in(Office.open(keyed, "alex"), "alex", passphrase)

    for _ in range(2):
        with pytest.raises(WrongPassphrase, match="^wrong passphrase for alex$"):
            attempt("a guess at it")
    with pytest.raises(WrongPassphrase, match="paused for 30 seconds"):
        attempt("another guess")
    # Within the pause even the right passphrase waits, and the try is recorded.
    with pytest.raises(identity.SignInPaused, match="try again in 20 seconds"):
        attempt(passphrase_of("alex"))
    # After it, a further wrong one pauses for twice as long.
    with pytest.raises(WrongPassphrase, match="paused for 60 seconds"):
        attempt("a fourth guess")
    with pytest.raises(identity.SignInPaused):
        attempt(passphrase_of("alex"))
    failed = [line for line in audit_lines(keyed) if line["action"] == "sign-in-failed"]
    assert [line["why"] for line in failed] == ["wrong passphrase"] * 3 + ["paused"] + [
        "wrong passphrase",
        "paused",
    ]
    # Another member is not held up by guesses at alex's passphrase.
    assert signed_in(keyed, "bea").actor.id == "bea"


def test_a_right_passphrase_after_the_pause_clears_the_count(keyed, monkeypatch):
    for second in ("00", "10", "20"):
        monkeypatch.setenv("FACILITATOR_NOW", f"2026-11-24T18:00:{second}")
        with pytest.raises(WrongPassphrase):
            identity.sign_in(Office.open(keyed, "alex"), "alex", "a guess at it")
    monkeypatch.setenv("FACILITATOR_NOW", "2026-11-24T18:01:00")
    identity.sign_in(Office.open(keyed, "alex"), "alex", passphrase_of("alex"))
    with pytest.raises(WrongPassphrase, match="^wrong passphrase for alex$"):
        identity.sign_in(Office.open(keyed, "alex"), "alex", "one more slip")


def test_a_facilitator_signed_in_as_himself_cannot_act_as_a_coordinator(keyed, runner):
    coordinator = signed_in(keyed, "admin")
    from facilitator.services.risk import flags

    flag = flags.raise_flag(
        coordinator, "P0001", ["weapons"], "A knife was mentioned", source="hand"
    )
    flags.review_flag(coordinator, flag.id, ["risk_plan_updated"], "Plan updated")
    refusals = {
        "add staff": ("staff", "add", "Eve Extra", "--role", "admin"),
        "change roles": ("staff", "roles", "alex", "--role", "coordinator"),
        "close a flag": ("risk", "close", flag.id, "--outcome", "closed by alex"),
        "open the partner store": ("partner", "list"),
    }
    for doing, args in refusals.items():
        result = as_member(runner, "alex", *args)
        assert result.exit_code != 0, doing
        assert "alex (facilitator) may not" in result.output, (doing, result.output)
    settings = (keyed / "facilitator.toml").read_text()
    assert "Eve Extra" not in settings
    assert flags.get_flag(coordinator, flag.id).status != "closed"


def test_a_member_without_a_key_cannot_sign_in_until_an_admin_gives_one(keyed, runner):
    assert (
        as_member(
            runner,
            "admin",
            "staff",
            "add",
            "Gail Newstaff",
            "--role",
            "facilitator",
            "--id",
            "gail",
        ).exit_code
        == 0
    )
    refused = as_member(runner, "gail", "participant", "list")
    assert refused.exit_code == 1 and "gail has no signing key yet" in refused.output
    first = "gail's first passphrase"
    from facilitator.cli import cli

    # The admin gives her a first passphrase, which she then changes.
    made = runner.invoke(
        cli,
        ["--user", "admin", "staff", "passphrase", "gail"],
        env={"FACILITATOR_PASSPHRASE": passphrase_of("admin"), "FACILITATOR_NEW_PASSPHRASE": first},
    )
    assert made.exit_code == 0, made.output
    changed = runner.invoke(
        cli,
        ["--user", "gail", "staff", "passphrase"],
        env={
            "FACILITATOR_PASSPHRASE": first,
            "FACILITATOR_NEW_PASSPHRASE": "gail's own passphrase",
        },
    )
    assert changed.exit_code == 0, changed.output
    assert as_member(runner, "gail", "participant", "list", passphrase=first).exit_code == 1
    assert (
        as_member(
            runner, "gail", "participant", "list", passphrase="gail's own passphrase"
        ).exit_code
        == 0
    )


def test_the_first_key_is_an_admins(office):
    with pytest.raises(Exception, match="the first signing key in a workspace is an admin's"):
        identity.set_passphrase(Office.open(office.path, "alex"), "alex", "alex's long passphrase")
    assert not (office.path / "data/staff_keys").exists()


def _rewrite(path, change) -> None:
    """Change the log as someone with the files but no keys would: edit lines, recompute every
    hash and the head, so the chain itself holds."""
    lines = change(audit_lines(path))
    prev = GENESIS
    for seq, entry in enumerate(lines, start=1):
        entry["seq"], entry["prev"] = seq, prev
        entry["hash"] = prev = _digest(entry)
    (path / "data/audit.jsonl").write_text(
        "".join(json.dumps(e, sort_keys=True) + "\n" for e in lines)
    )
    head = {"seq": len(lines), "hash": prev}
    (path / "data/audit.jsonl.head").write_text(json.dumps(head))


def _flag_reviewed_and_closed(path):
    from facilitator.services.risk import flags

    coordinator = signed_in(path, "admin")
    flag = flags.raise_flag(
        coordinator, "P0001", ["weapons"], "A knife was mentioned", source="hand"
    )
    flags.review_flag(coordinator, flag.id, ["risk_plan_updated"], "Plan updated")
    flags.close_flag(coordinator, flag.id, "Plan in place")
    signed_in(path, "alex")  # and a later change, after the ones to be removed
    from facilitator.services.core import people

    people.add_participant(signed_in(path, "alex"), "Dan Synthetic", "self")
    return flag


@pytest.mark.parametrize("keep_signatures", [True, False])
def test_a_log_rewritten_without_the_keys_fails_naming_the_line(keyed, runner, keep_signatures):
    flag = _flag_reviewed_and_closed(keyed)
    assert as_member(runner, "admin", "audit", "verify").exit_code == 0
    lines = audit_lines(keyed)
    gone = [
        i for i, e in enumerate(lines) if e["id"] == flag.id and e["action"] in ("review", "close")
    ]
    assert gone, "the flag's review and close were audited"
    first_changed = gone[0] + 1

    def remove_review_and_close(entries):
        kept = [e for i, e in enumerate(entries) if i not in gone]
        if not keep_signatures:
            for e in kept[gone[0] :]:
                e.pop("sig", None), e.pop("signer", None), e.pop("kid", None)
        return kept

    _rewrite(keyed, remove_review_and_close)
    # The chain alone now holds: only the signatures show the rewrite.
    assert Office.open(keyed, "admin").stores.audit.verify() is None
    result = as_member(runner, "admin", "audit", "verify")
    assert result.exit_code == 1
    assert f"line {first_changed}:" in result.output
    expected = "does not verify" if keep_signatures else "is not signed"
    assert expected in result.output


def test_a_line_signed_with_a_made_up_key_is_named(keyed, runner):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    forger = Ed25519PrivateKey.generate()

    def forge(entries):
        entry = entries[-1]
        entry["user"] = "admin"
        entry["signer"] = "admin"
        entry["hash"] = _digest(entry)
        entry["sig"] = base64.b64encode(forger.sign(entry["hash"].encode())).decode()
        return entries

    n = len(audit_lines(keyed))
    _rewrite(keyed, forge)
    # _rewrite recomputed the hash after the signature was made over the old one: sign again.
    lines = audit_lines(keyed)
    lines[-1]["sig"] = base64.b64encode(forger.sign(lines[-1]["hash"].encode())).decode()
    (keyed / "data/audit.jsonl").write_text(
        "".join(json.dumps(e, sort_keys=True) + "\n" for e in lines)
    )
    result = as_member(runner, "bea", "audit", "verify")
    assert result.exit_code == 1 and f"line {n}:" in result.output, result.output


def test_a_deleted_head_is_reported_not_passed_over(keyed, runner):
    """Lines cut off the end leave the chain and every signature intact: the head, which says
    how far the log was written, must be there for the cut to be noticed."""
    lines = (keyed / "data/audit.jsonl").read_text().splitlines(keepends=True)
    (keyed / "data/audit.jsonl").write_text("".join(lines[:-2]))
    (keyed / "data/audit.jsonl.head").unlink()
    result = as_member(runner, "bea", "audit", "verify")
    assert result.exit_code == 1
    assert "audit.jsonl.head) is missing" in result.output
