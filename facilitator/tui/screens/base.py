"""What every screen of the app shares: the open workspace, the privacy switch (read the same
way everywhere, and failing closed) and a safe way to call a service from a worker thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, cast

from textual import events, on
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
    """A full screen of the app.

    Privacy mode switched while the screen is open redraws it: a screen that follows the switch
    itself says so (`follows_privacy`, or `follow_privacy()` in the privacy module); any other
    is read again (`action_refresh`) or composed afresh, so that no screen goes on showing what
    the switch has just hidden.
    """

    follows_privacy = False

    @on(events.Mount)
    def _follow_the_switch(self) -> None:
        if hasattr(self.app, "privacy"):
            self.watch(self.app, "privacy", self._privacy_switched, init=False)

    def _privacy_switched(self, _value: bool) -> None:
        if self.follows_privacy or getattr(self, "_follows_privacy", False):
            return
        refresh = getattr(self, "action_refresh", None)
        if callable(refresh):
            refresh()
        else:
            self.refresh(recompose=True)


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
