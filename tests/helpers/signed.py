"""Sign-in for tests without typing: give every member of a workspace a signing key with a
known passphrase, then open an office signed in as any of them, or run a command as them."""

from __future__ import annotations

from pathlib import Path


def passphrase_of(staff_id: str) -> str:
    return f"{staff_id} passphrase for tests"


def give_keys(path: Path, admin: str = "admin") -> list[str]:
    """The admin sets their own passphrase (the first key), then a first one for everyone
    else, as a real admin would. Returns the members given keys."""
    from facilitator.services.core import identity
    from facilitator.services.core.office import Office

    office = Office.open(path, admin)
    identity.set_passphrase(office, admin, passphrase_of(admin))
    members = [admin]
    for member in office.staff():
        if member.id != admin and member.is_active:
            identity.set_passphrase(office, member.id, passphrase_of(member.id))
            members.append(member.id)
    return members


def signed_in(path: Path, who: str):
    """An office opened and signed in as `who`, with their test passphrase."""
    from facilitator.services.core import identity
    from facilitator.services.core.office import Office

    office = Office.open(path, who)
    identity.sign_in(office, who, passphrase_of(who))
    return office


def as_member(runner, who: str, *args: str, passphrase: str | None = None):
    """Run `facilitator --user WHO ARGS...` in-process, signing in with their passphrase."""
    from facilitator.cli import cli

    env = {"FACILITATOR_PASSPHRASE": passphrase if passphrase is not None else passphrase_of(who)}
    return runner.invoke(cli, ["--user", who, *args], env=env, catch_exceptions=False)
