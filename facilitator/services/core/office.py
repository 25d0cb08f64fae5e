"""An open workspace and the person acting in it: what every service works through."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from facilitator.domain.staff import Staff
from facilitator.errors import AccessDenied, InvalidInput
from facilitator.storage.staff_keys import Signer, StaffKeys
from facilitator.storage.stores import Stores
from facilitator.storage.workspace import Workspace, resolve_workspace_path


class SignInRequired(AccessDenied):
    """The workspace's staff have signing keys, so who acts must be proved, not named."""


@dataclass
class Office:
    ws: Workspace
    stores: Stores
    given_user: str | None = None
    # The member who proved who they are with their passphrase, and their unlocked key.
    signer: Signer | None = None

    @classmethod
    def open(cls, workspace: str | os.PathLike | None = None, user: str | None = None) -> Office:
        ws = Workspace(resolve_workspace_path(workspace)).require()
        office = cls(ws=ws, stores=Stores(ws), given_user=user)
        # A killed write's journal or temporary files are dealt with before anything is read.
        ws.tidy_on_open()
        _ = office.claimed  # an unknown --user fails here, before anything is read or written
        return office

    @property
    def path(self) -> Path:
        return self.ws.path

    def setting(self, dotted: str, default=None):
        return self.ws.setting(dotted, default)

    # -- staff and the acting person ----------------------------------------------------
    def staff(self) -> list[Staff]:
        settings = self.ws.settings
        # Built once per read of the settings: every save asks who is acting.
        if getattr(self, "_staff_from", None) is not settings:
            self._staff = [Staff.from_dict(s) for s in settings.get("staff", [])]
            self._staff_from = settings
        return list(self._staff)

    def find_staff(self, ref: str) -> Staff:
        key = (ref or "").strip().lower()
        for member in self.staff():
            if key in (member.id, member.name.lower()):
                return member
        known = ", ".join(s.id for s in self.staff()) or "none yet"
        raise InvalidInput(f"unknown staff member '{ref}' (staff: {known})")

    @property
    def claimed(self) -> Staff:
        """Who says they are acting (--user, the environment, the workspace setting). With no
        staff set up yet (a new workspace), the login name acts as admin."""
        name = self.ws.acting_user(self.given_user)
        if not self.staff():
            return Staff(id=_as_id(name), name=name, roles=["admin"])
        member = self.find_staff(name)
        if not member.is_active:
            raise AccessDenied(
                f"{member.id} was deactivated on {member.deactivated_on} and can no longer act"
            )
        return member

    @property
    def actor(self) -> Staff:
        """Who is acting: once any member has a signing key, only the member who signed in
        with their passphrase. Fails closed: a named member who has not signed in does
        nothing, reads nothing."""
        member = self.claimed
        if self.signer is not None:
            if self.signer.staff_id != member.id:
                raise AccessDenied(f"signed in as {self.signer.staff_id}, not {member.id}")
            return member
        if getattr(self, "_reader_for", None) == member.id:
            return member
        if self.keyed:
            raise SignInRequired(f"{member.id} must sign in with their passphrase")
        return member

    @property
    def keys(self) -> StaffKeys:
        return StaffKeys(self.stores.path("staff_keys"))

    @property
    def keyed(self) -> bool:
        """Whether any member has (or had) a signing key. Read from the folder's change time,
        so a key made by another command while the UI is open is noticed at once."""
        folder = self.stores.path("staff_keys")
        try:
            stamp = folder.stat().st_mtime_ns
        except FileNotFoundError:
            return False
        if getattr(self, "_keyed_at", None) != stamp:
            self._keyed = bool(self.keys.members_with_keys())
            self._keyed_at = stamp
        return self._keyed

    def signed_in_as(self, signer: Signer) -> None:
        """From now on this member acts, and every audit line is signed with their key."""
        self.given_user = signer.staff_id
        self.signer = signer
        self.stores.audit.signer = signer

    def reading_for(self, staff_id: str) -> None:
        """A helper process reads for a signed-in member who vouched for it: it acts as them
        but can record nothing, since it holds no key to sign with."""
        self.given_user = staff_id
        self._reader_for = staff_id
        self.stores.audit.read_only = True

    def sign_out(self) -> None:
        self.signer = None
        self.stores.audit.signer = None

    @property
    def user(self) -> str:
        return self.actor.id

    def require_role(self, *roles: str, doing: str) -> Staff:
        actor = self.actor
        if not actor.has_role(*roles, "admin"):
            with self.stores.writing():
                self.stores.audit.record(actor.id, "refused", "access", doing)
            raise AccessDenied(
                f"{actor.id} ({', '.join(actor.roles)}) may not {doing}: it needs the role "
                f"{' or '.join(roles)}"
            )
        return actor

    def audit(self, action: str, kind: str, record_id: str, **extra: str) -> None:
        """Record a change. Caller holds the lock (inside `stores.writing()`)."""
        self.stores.audit.record(self.user, action, kind, record_id, **extra)


def _as_id(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_." else "-" for c in name.strip().lower())
    return cleaned.strip("-") or "user"
