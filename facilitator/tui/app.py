"""The terminal UI: `run_app(office, group_id=None)` opens the home screen, or a group's
session for today straight away.

The app holds the open workspace (an Office) and the privacy switch; screens do the rest.
Every service call that can be refused goes through `safely`, so a refusal is a one-line
notification and never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.filter import LineFilter
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen

from facilitator import clock
from facilitator.errors import FacilitatorError, StoreError
from facilitator.services.core import group_store as group_store
from facilitator.services.core import identity, preferences
from facilitator.services.core import session_store as session_store
from facilitator.services.core.office import Office
from facilitator.services.groupwork import sessions as session_service
from facilitator.tui import keys, views
from facilitator.tui.dialogs.ask import AskScreen
from facilitator.tui.dialogs.confirm import ConfirmScreen
from facilitator.tui.dialogs.help import HelpScreen
from facilitator.tui.screens.home import HomeScreen
from facilitator.tui.screens.sign_in import SignInScreen
from facilitator.tui.widgets.visible_controls import VisibleControls

# Screens other than home are imported when first opened: between them they bring Textual's
# Markdown and TextArea widgets, pygments and the services behind the coordinator's screens
# (about 0.4 s), which the home screen in the room must not wait for.
STYLES = Path(__file__).parent / "styles"
DARK, LIGHT = "textual-dark", "textual-light"
THEMES = {"dark": DARK, "light": LIGHT}


class FacilitatorApp(App):
    CSS_PATH = [
        STYLES / name
        for name in ("app.tcss", "home.tcss", "session.tcss", "risk_queue.tcss", "dialogs.tcss")
    ]
    BINDINGS = keys.bindings(keys.APP)
    TITLE = "facilitator"

    privacy: reactive[bool] = reactive(False)

    class HomeReady(Message):
        """The home screen shows its data (benchmarks and tests wait for this)."""

    # One instance, so Textual's per-strip cache of filtered lines keeps working.
    _visible_controls = VisibleControls()

    def get_line_filters(self) -> list[LineFilter]:
        """Textual's filters, then control characters made visible on every line drawn."""
        return [*super().get_line_filters(), self._visible_controls]

    def __init__(
        self,
        office: Office,
        group_id: str | None = None,
        *,
        privacy: bool | None = None,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        self.office = office
        self.group_id = group_id
        self.set_reactive(
            FacilitatorApp.privacy,
            bool(office.setting("programme.privacy_mode_default", False))
            if privacy is None
            else privacy,
        )
        self._theme_given = theme  # a test or a caller's choice outlasts the member's own
        self._wanted_theme = theme or self._members_theme()
        self.home_ready = False
        # The UI locks itself (privacy on, sign in again) after this long with no key pressed.
        self.idle_lock_seconds = 60 * float(office.setting("security.idle_lock_minutes", 15) or 15)
        self._last_activity = clock.monotonic()
        # What a closing screen could not save (check-in drafts): said again on the terminal
        # after the UI has gone, since a notification shown while quitting is never seen.
        self.not_saved: list[str] = []

    def on_mount(self) -> None:
        if self._wanted_theme in self.available_themes:
            self.theme = self._wanted_theme
        else:
            self.theme = DARK
            self.notify(
                f"unknown theme '{self._wanted_theme}' (setting ui.theme): using dark",
                severity="warning",
            )
        self._set_title()
        self.set_interval(5, self._lock_if_idle)
        if identity.needs_sign_in(self.office):
            self.push_screen(
                SignInScreen(self._claimed_member(), hint=self._demo_hint()), self._start
            )
        else:
            self._start()

    def _members_theme(self) -> str:
        named = preferences.theme_for(self.office)
        return THEMES.get(named, named)

    def _apply_members_theme(self) -> None:
        """After signing in: the theme this member chose last time."""
        if self._theme_given is None and self._members_theme() in self.available_themes:
            self.theme = self._members_theme()

    def _start(self, _member: str | None = None) -> None:
        self._apply_members_theme()
        self._set_title()
        self.push_screen(HomeScreen())
        if self.group_id:
            self.open_session(self.group_id)

    # -- sign-in and the idle lock -------------------------------------------------------
    def _claimed_member(self) -> str:
        try:
            return self.office.claimed.id
        except FacilitatorError:
            return ""

    def _demo_hint(self) -> str:
        if "synthetic" not in str(self.office.setting("programme.name", "")):
            return ""
        return "Demo workspace: each member's passphrase is demo-<id>-passphrase"

    @property
    def locked(self) -> bool:
        return identity.needs_sign_in(self.office)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self._last_activity = clock.monotonic()
        await super().on_event(event)

    def _lock_if_idle(self) -> None:
        if self.office.signer is None or isinstance(self.screen, SignInScreen):
            return
        if clock.monotonic() - self._last_activity >= self.idle_lock_seconds:
            self.lock()

    def lock(self) -> None:
        """Privacy on, nobody signed in, the sign-in screen over everything until someone
        signs in again."""
        member = self.office.signer.staff_id if self.office.signer else self._claimed_member()
        self.privacy = True
        self.office.sign_out()
        self._set_title()
        self.push_screen(SignInScreen(member, locked=True), self._unlocked)

    def _unlocked(self, _member: str | None = None) -> None:
        self._last_activity = clock.monotonic()
        self._apply_members_theme()
        self._set_title()
        self.notify("Signed in again: privacy mode stays on until you turn it off (Ctrl+T)")

    def on_facilitator_app_home_ready(self, _msg: HomeReady) -> None:
        self.home_ready = True

    # -- privacy -------------------------------------------------------------------------
    def _set_title(self) -> None:
        name = self.office.setting("programme.name", "") or ""
        who = self.office.user if self._user_known() else ""
        privacy = "PRIVACY ON ^t" if self.privacy else "privacy off ^t"
        # Who is acting comes first: at 80 columns the end of the line is what gets cut.
        self.title = " · ".join(p for p in (who, privacy) if p)
        self.sub_title = name

    def _user_known(self) -> bool:
        try:
            return bool(self.office.user)
        except FacilitatorError:
            return False

    def watch_privacy(self, _privacy: bool) -> None:
        self._set_title()

    def action_toggle_privacy(self) -> None:
        self.privacy = not self.privacy
        if self.privacy:
            # A message shown before (a man's full name in "Saved ... check-in") must not stay
            # on screen once the room may be looking.
            self.clear_notifications()
        self.notify(
            "Privacy mode ON: names shortened, notes and flags hidden"
            if self.privacy
            else "Privacy mode off",
            timeout=3,
        )

    # -- navigation ----------------------------------------------------------------------
    def open_session(self, group_id: str) -> None:
        """Today's session of the group: asks first if the group does not meet today."""
        group = self.safely(group_store.get_group, self.office, group_id)
        if group is None:
            return
        today = clock.today().isoformat()
        existing = self.safely(session_store.find_session, self.office, group.id, today)
        unclosed = self.safely(views.unclosed_before, self.office, group.id, today)
        if unclosed and existing is None:
            self.push_screen(
                ConfirmScreen(
                    f"{group.id}'s session of {unclosed} was never closed. Open it to finish "
                    f"and close it (Ctrl+E)?",
                    yes="y: open that session",
                    no="n: today's session instead",
                    escape_cancels=True,
                ),
                lambda yes: (
                    None
                    if yes is None
                    else (
                        self._push_session(group.id, unclosed)
                        if yes
                        else self._today(group, existing)
                    )
                ),
            )
            return
        self._today(group, existing)

    def _today(self, group, existing, own_first: bool = True) -> None:
        own = self._own_group_today(group) if own_first and existing is None else None
        if own is not None and not views.meets_today(group):
            # Another facilitator's group on another day: his own group meeting today is what
            # he most likely meant, so it is offered before starting this one anyway.
            self.push_screen(
                ConfirmScreen(
                    f"{group.id} is not one of your groups and meets on "
                    f"{group.weekday.capitalize()}s. Your group {own.id} meets today: open it?",
                    yes=f"y / Enter: open {own.id}",
                    no=f"n: start {group.id} today anyway",
                    escape_cancels=True,
                ),
                lambda yes: (
                    None
                    if yes is None
                    else self.open_session(own.id)
                    if yes
                    else self._today(group, existing, own_first=False)
                ),
            )
            return
        if existing is None and self.safely(session_service.needs_reason, self.office, group):
            # A session on another day is a rescheduling: its reason is kept with the session.
            self.push_screen(
                AskScreen(
                    f"{group.id} meets on {group.weekday.capitalize()}s. To start a session "
                    "today, say why it is held today (rescheduled):",
                    hint="Enter to start today's session · Esc to cancel",
                ),
                lambda why: self._push_session(group.id, reason=why) if why else None,
            )
            return
        self._push_session(group.id)

    def _own_group_today(self, group):
        """The acting member's own group that meets today, when `group` is not one of his."""
        me = views.acting(self.office)
        if not me or me in group.facilitators:
            return None
        groups = self.safely(group_store.list_groups, self.office) or []
        today = clock.today().isoformat()
        for g in groups:
            if (
                me in g.facilitators
                and views.meets_today(g)
                and not (g.ended_on and g.ended_on <= today)
            ):
                return g
        return None

    def _push_session(self, group_id: str, day: str | None = None, reason: str = "") -> None:
        from facilitator.tui.screens.session import SessionScreen

        view = self.safely(views.load_session, self.office, group_id, day, reason)
        if view is None:
            return
        self.push_screen(SessionScreen(view))

    def action_risk_queue(self) -> None:
        from facilitator.tui.screens.risk_queue import RiskQueueScreen

        self.push_screen(RiskQueueScreen())

    def action_debriefs(self) -> None:
        from facilitator.tui.screens.debriefs import DebriefListScreen

        self.push_screen(DebriefListScreen())

    def open_debrief(self, sid: str, after: Callable[[], Any] | None = None) -> None:
        """After closing a session: the debrief editor for that session's note."""
        from facilitator.tui.screens.debrief import DebriefScreen

        if after is not None:
            after()
        self.push_screen(DebriefScreen(sid))

    def action_help(self) -> None:

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        """Light if dark, dark if light; kept for this member's next launch."""
        self.theme = DARK if self.theme == LIGHT else LIGHT
        chosen = "light" if self.theme == LIGHT else "dark"
        try:
            preferences.keep_theme(self.office, chosen)
        except FacilitatorError as err:  # the theme still changes; only keeping it failed
            self.notify(f"{chosen.capitalize()} theme, not kept: {err.message}", severity="warning")
            return
        self.notify(f"{chosen.capitalize()} theme (kept for you next time)")

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Refused: a picture of the screen would carry names and disclosures out of the
        workspace unencrypted."""
        self.notify("Screenshots are turned off: the screen may show men's and partners' details")

    # -- errors --------------------------------------------------------------------------
    def safely(self, fn: Callable, *args, **kwargs) -> Any:
        try:
            return fn(*args, **kwargs)
        except FacilitatorError as err:
            self.notify(err.message, severity="error", timeout=8)
        except Exception as err:  # noqa: BLE001 - a facilitator must be able to carry on
            self.notify(f"unexpected failure: {err}", severity="error", timeout=10)
        return None

    def report_error(self, err: BaseException) -> None:
        message = err.message if isinstance(err, FacilitatorError) else f"unexpected failure: {err}"
        self.notify(message, severity="error", timeout=10)

    # -- command palette -----------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if self.locked:
            # Nothing is opened before someone has signed in.
            yield SystemCommand("Quit", "Quit the application", self.action_quit)
            return
        yield SystemCommand("Help: all keys", "Every key of every screen", self.action_help)
        yield SystemCommand(
            "Sign in as someone else",
            "Lock the screen so a colleague signs in (to sign the debrief as themselves)",
            self.lock,
        )
        yield SystemCommand(
            "Privacy mode on/off",
            "Hide notes, flags and surnames from the room (Ctrl+T)",
            self.action_toggle_privacy,
        )
        yield SystemCommand("Risk queue", "Open flags by deadline", self.action_risk_queue)
        yield SystemCommand(
            "Debriefs due", "Debrief notes waiting to be written or signed", self.action_debriefs
        )
        yield SystemCommand(
            "Theme",
            "Light or dark: switch to the other (kept for you next time)",
            self.action_toggle_theme,
        )
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            for title, help_text, callback in commands():
                yield SystemCommand(title, help_text, callback)
        from facilitator.tui.coordinator import system_commands as coordinator_commands
        from facilitator.tui.screens.dashboard import ProgrammeDashboardScreen
        from facilitator.tui.screens.partner_support import open_partner_support

        yield from coordinator_commands(self)
        yield SystemCommand(
            "Programme figures",
            "Completion, attendance, flags and outcomes (coordinators)",
            lambda: self.push_screen(ProgrammeDashboardScreen()),
        )
        yield SystemCommand(
            "Partner support",
            "Partner contact records (partner support staff only)",
            lambda: open_partner_support(self),
        )
        for command in super().get_system_commands(screen):
            # Not Textual's "Screenshot": it writes what is on screen, names and disclosures
            # included, to an unencrypted file outside the workspace.
            # Nor its "Theme": the one above switches light and dark and is kept per member.
            if command.title in ("Keys", "Quit"):
                yield command


def run_app(office: Office, group_id: str | None = None) -> None:
    app = FacilitatorApp(office, group_id)
    app.run()
    if app.not_saved:
        raise StoreError("; ".join(app.not_saved))
