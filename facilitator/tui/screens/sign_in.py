"""Sign-in: who is at the keyboard, proved with their passphrase, before anything is shown.

Shown at launch once the workspace's staff have signing keys, and again when the UI has been
left idle (it locks, with privacy mode on). The screen is opaque: nothing of the screens
beneath it can be read while it is up.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from facilitator.errors import FacilitatorError
from facilitator.services.core import identity
from facilitator.tui.screens.base import FacilitatorScreen


class SignInScreen(FacilitatorScreen):
    """Dismissed with the id of the member who signed in."""

    def __init__(self, member: str = "", *, locked: bool = False, hint: str = "") -> None:
        super().__init__()
        self.member = member
        self.locked = locked
        self.hint = hint

    def compose(self) -> ComposeResult:
        app = self.facilitator_app
        programme = app.office.setting("programme.name", "") or "facilitator"
        title = "Locked after a while with no keys pressed" if self.locked else "Sign in"
        with Vertical(id="sign-in", classes="dialog"):
            yield Static(f"{programme}: {title}", classes="dialog-title")
            yield Static("Your staff id or name")
            yield Input(self.member, id="member", select_on_focus=True)
            yield Static("Your passphrase")
            yield Input("", id="passphrase", password=True)
            yield Static("", id="problem", classes="problem")
            if self.hint:
                yield Static(self.hint, id="sign-in-hint")
            yield Static("Enter to sign in · Tab next field · Ctrl+Q quit", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#passphrase" if self.member else "#member", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        member = self.query_one("#member", Input).value.strip()
        passphrase = self.query_one("#passphrase", Input)
        if not member:
            self.query_one("#member", Input).focus()
            return self._problem("say who is signing in")
        if event.input.id == "member" and not passphrase.value:
            passphrase.focus()
            return None
        office = self.facilitator_app.office
        try:
            signed = identity.sign_in(office, member, passphrase.value)
        except FacilitatorError as err:
            passphrase.value = ""
            if err.message.startswith("unknown staff member"):
                # Never repeat what was typed there: typed in a hurry, it can be the passphrase.
                self.query_one("#member", Input).value = ""
                self.query_one("#member", Input).focus()
                return self._problem(
                    "no staff member has that id or name. Both fields were cleared: type your "
                    "staff id, Tab, then your passphrase"
                )
            passphrase.focus()
            return self._problem(err.message)
        finally:
            passphrase.value = ""
        self.dismiss(signed.id)
        return None

    def _problem(self, text: str) -> None:
        self.query_one("#problem", Static).update(f"⚠ {text}")
