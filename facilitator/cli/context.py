"""What the root command hands to every subcommand: the workspace path and the acting user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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
        """The workspace opened for the acting user; fails with one line if there is none."""
        if self._office is None:
            # Imported here: `facilitator --help` and click's own usage errors never open a
            # workspace, and need not load the storage layer to say so.
            from facilitator.services.core.office import Office

            self._office = Office.open(self.workspace_path, self.user)
        return self._office

    @property
    def workspace(self) -> Workspace:
        return self.office.ws
