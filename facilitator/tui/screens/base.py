"""What every screen of the app shares: the open workspace, the privacy switch (read the same
way everywhere, and failing closed) and a safe way to call a service from a worker thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, cast

from textual.screen import ModalScreen, Screen

from facilitator.services.core.office import Office
from facilitator.tui.privacy import privacy_on

if TYPE_CHECKING:
    from facilitator.tui.app import FacilitatorApp


class OfficeMixin:
    """The screen's workspace (one given to the screen, else the app's) and privacy mode."""

    _office: Office | None = None

    @property
    def facilitator_app(self) -> FacilitatorApp:
        """The app, with its own attributes typed (Textual types `self.app` as any App)."""
        return cast("FacilitatorApp", self.app)  # type: ignore[attr-defined]

    @property
    def office(self) -> Office:
        return self._office if self._office is not None else self.facilitator_app.office

    @property
    def privacy(self) -> bool:
        return privacy_on(self.facilitator_app)

    def from_worker(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Call a service from a worker thread: its result, or None once its failure has been
        said in one line on screen (a damaged store by its file name, never a traceback)."""
        app = self.facilitator_app
        try:
            return fn(*args)
        except Exception as err:  # noqa: BLE001 - the worker must end; the failure is shown
            app.call_from_thread(app.report_error, err)
            return None


class FacilitatorScreen(OfficeMixin, Screen):
    """A full screen of the app."""


class ListScreen(FacilitatorScreen):
    """A screen showing one list read in a worker: `load()` reads it again, `show_all`
    switches between what needs doing and everything, escape goes back."""

    loaded = False
    show_all = False
    load: Callable[..., Any]  # each screen's own reader (a Textual worker)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.loaded = False
        self.load()

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.action_refresh()


class FacilitatorModal(OfficeMixin, ModalScreen):
    """A dialog over a screen, with the same office and privacy."""
