"""What the root command hands to every subcommand: the workspace path and the acting user,
signed in.

Once the workspace's staff have signing keys, a command proves who is acting before it reads
or writes anything: the passphrase comes from FACILITATOR_PASSPHRASE (for scripts) or is asked
for once, hidden. Naming someone with --user is no longer enough."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from facilitator.services.core.office import Office
    from facilitator.storage.workspace import Workspace


@dataclass
class AppContext:
    workspace_path: str | None = None
    user: str | None = None
    _office: Office | None = field(default=None, repr=False)

    @property
    def office(self) -> Office:
        """The workspace opened for the acting user, signed in; fails with one line if there is
        none, or if who acts cannot prove it."""
        office = self.unsigned_office()
        from facilitator.services.core import identity

        if identity.needs_sign_in(office):
            member = office.claimed
            identity.sign_in(office, member.id, read_passphrase(member.id))
        return office

    def unsigned_office(self) -> Office:
        """The workspace opened but nobody signed in yet: for the terminal UI, which asks who
        is signing in on its own first screen. Services refuse to act on it until then."""
        if self._office is None:
            # Imported here: `facilitator --help` and click's own usage errors never open a
            # workspace, and need not load the storage layer to say so.
            from facilitator.services.core.office import Office

            self._office = Office.open(self.workspace_path, self.user)
        return self._office

    @property
    def workspace(self) -> Workspace:
        return self.office.ws


def read_passphrase(staff_id: str) -> str:
    """The member's passphrase: from the environment for scripts, else asked for (hidden)."""
    given = os.environ.get("FACILITATOR_PASSPHRASE")
    if given:
        return given
    try:
        return click.prompt(f"Passphrase for {staff_id}", hide_input=True, err=True)
    except click.Abort:
        raise click.ClickException(
            f"{staff_id} must sign in: no passphrase was given (type it when asked, or set "
            "FACILITATOR_PASSPHRASE for a script)"
        ) from None
