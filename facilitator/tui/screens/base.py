"""What every screen of the app shares: the open workspace and the privacy switch, read the
same way everywhere (privacy fails closed)."""

from __future__ import annotations

from textual.screen import ModalScreen, Screen

from facilitator.services.core.office import Office
from facilitator.tui.privacy import privacy_on


class OfficeMixin:
    """The screen's workspace (one given to the screen, else the app's) and privacy mode."""

    _office: Office | None = None

    @property
    def office(self) -> Office:
        office = self._office if self._office is not None else self.app.office  # type: ignore[attr-defined]
        return office

    @property
    def privacy(self) -> bool:
        return privacy_on(self.app)  # type: ignore[attr-defined]


class FacilitatorScreen(OfficeMixin, Screen):
    """A full screen of the app."""


class FacilitatorModal(OfficeMixin, ModalScreen):
    """A dialog over a screen, with the same office and privacy."""
