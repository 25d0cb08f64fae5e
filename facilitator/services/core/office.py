"""An open workspace and the person acting in it: what every service works through."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from facilitator.domain.staff import Staff
from facilitator.errors import AccessDenied, InvalidInput
from facilitator.storage.stores import Stores
from facilitator.storage.workspace import Workspace, resolve_workspace_path


@dataclass
class Office:
    ws: Workspace
    stores: Stores
    given_user: str | None = None

    @classmethod
    def open(cls, workspace: str | os.PathLike | None = None, user: str | None = None) -> Office:
        ws = Workspace(resolve_workspace_path(workspace)).require()
        office = cls(ws=ws, stores=Stores(ws), given_user=user)
        # A killed write's journal or temporary files are dealt with before anything is read.
        ws.tidy_on_open()
        _ = office.actor  # an unknown --user fails here, before anything is read or written
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
    def actor(self) -> Staff:
        """Who is acting. With no staff set up yet (a new workspace), the login name acts as
        admin."""
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
