"""Partner support's own screen, behind the confidentiality wall.

`open_partner_support(app, office=None)` is what a palette command or key calls: staff without
the partner_support (or admin) role get one line and an audited refusal, and the screen is not
pushed. `PartnerSupportScreen(office=None)` checks again when mounted, then asks for the
passphrase (or a key file path; FACILITATOR_PARTNER_KEY_FILE fills it in) before anything is
read. Leaving the screen, or Ctrl+L, locks it: the opened store is dropped.

Nothing on this screen is ever drawn on a group screen: no other screen imports from here.
"""

from __future__ import annotations

import os

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Static

from facilitator import clock
from facilitator.detector.categories import label
from facilitator.domain.partner import POINT_LABELS
from facilitator.errors import FacilitatorError
from facilitator.services.partner import store as partner
from facilitator.tui import keys
from facilitator.tui.dates import short_date
from facilitator.tui.dialogs.partner_forms import ConcernForm, ContactForm
from facilitator.tui.privacy import privacy_on
from facilitator.tui.screens.base import FacilitatorScreen

KEYS = [
    keys.Key("escape", "back", "Back (locks)", display="esc"),
    keys.Key("ctrl+l", "lock", "Lock", priority=True, display="^l"),
    keys.Key("c", "contact", "Record contact"),
    keys.Key("k", "concern", "Raise concern"),
    keys.Key("f5", "refresh", "Refresh", show=False),
]


def open_partner_support(app, office=None) -> bool:
    """Push the partner screen for partner support staff; anyone else gets one line (audited)."""

    office = office or app.office
    try:
        partner.require_partner_role(office)
    except FacilitatorError as err:
        app.notify(err.message, severity="error", timeout=8)
        return False
    app.push_screen(PartnerSupportScreen(office))
    return True


HIDDEN = "(hidden)"


class PartnerSupportScreen(FacilitatorScreen):
    follows_privacy = True  # redraws itself when the switch changes
    BINDINGS = keys.bindings(KEYS)
    DEFAULT_CSS = """
    PartnerSupportScreen #partner-title { padding: 0 1; text-style: bold; height: auto; }
    PartnerSupportScreen #partner-unlock { height: auto; padding: 1 1; }
    PartnerSupportScreen #partner-unlock Input { width: 60; }
    PartnerSupportScreen #partner-body { height: 1fr; }
    PartnerSupportScreen #partner-due { height: 1fr; }
    PartnerSupportScreen #partner-list { height: 1fr; width: 1fr; }
    PartnerSupportScreen #partner-detail { height: 1fr; width: 1fr; padding: 0 1; }
    """

    def __init__(self, office=None) -> None:
        super().__init__()
        self._office = office
        self.store: partner.PartnerStore | None = None
        self.refused = ""
        self.tasks: list = []
        self.partners: list = []

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Partner support · confidential: nothing here is shown to the group side",
            id="partner-title",
        )
        with Vertical(id="partner-unlock"):
            yield Static(
                "Enter the partner store's passphrase, or the path of its key file, then Enter."
            )
            yield Input(placeholder="passphrase", password=True, id="passphrase")
            yield Input(
                placeholder="key file (optional)",
                id="key-file",
                value=os.environ.get("FACILITATOR_PARTNER_KEY_FILE", ""),
            )
            yield Static("", id="unlock-message")
        with Vertical(id="partner-body"):
            yield Static("Contacts due", classes="heading")
            yield DataTable(id="partner-due", cursor_type="row")
            with Horizontal():
                yield DataTable(id="partner-list", cursor_type="row")
                with VerticalScroll(id="partner-detail"):
                    yield Static("", id="partner-contacts")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:

        self.query_one("#partner-body").display = False
        try:
            partner.require_partner_role(self.office)  # audited when refused
        except FacilitatorError as err:
            self.refused = err.message
            self.query_one("#partner-unlock").display = False
            self.query_one("#partner-title", Static).update(Text(err.message, style="bold"))
            return
        due = self.query_one("#partner-due", DataTable)
        due.add_columns("due", "man", "partner", "contact point", "since", "tries")
        self.watch(self.app, "privacy", lambda _v: self.refresh_tables(), init=False)
        listing = self.query_one("#partner-list", DataTable)
        listing.add_columns("partner", "man", "name", "contacted")
        self.query_one("#passphrase", Input).focus()

    # -- unlocking ------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("passphrase", "key-file"):
            event.stop()
            self.unlock()

    def unlock(self) -> None:

        secret = self.query_one("#passphrase", Input)
        key_file = self.query_one("#key-file", Input).value.strip()
        try:
            self.store = partner.open_store(
                self.office,
                partner.key_source(None if key_file else secret.value, key_file or None),
            )
        except FacilitatorError as err:
            self.query_one("#unlock-message", Static).update(Text(err.message, style="bold"))
            return
        finally:
            secret.value = ""  # never kept in the widget
        self.query_one("#partner-unlock").display = False
        self.query_one("#partner-body").display = True
        self.refresh_tables()
        self.query_one("#partner-due", DataTable).focus()

    def action_lock(self) -> None:
        if self.refused:
            return
        self.store = None
        self.tasks, self.partners = [], []
        for table in ("#partner-due", "#partner-list"):
            self.query_one(table, DataTable).clear()
        self.query_one("#partner-contacts", Static).update("")
        self.query_one("#partner-body").display = False
        self.query_one("#partner-unlock").display = True
        self.query_one("#unlock-message", Static).update("locked")
        self.query_one("#passphrase", Input).focus()

    def on_unmount(self) -> None:
        self.store = None

    # -- showing --------------------------------------------------------------------------
    def refresh_tables(self) -> None:

        if self.store is None:
            return
        try:
            self.tasks = self.store.due()
            self.partners = self.store.partners()
            contacts = self.store.contacts()
        except FacilitatorError as err:
            self.notify(err.message, severity="error", timeout=8)
            return
        last: dict[str, str] = {}
        for c in contacts:
            last[c.partner_id] = max(last.get(c.partner_id, ""), c.date)
        due = self.query_one("#partner-due", DataTable)
        due.clear()
        this_year = clock.today().year
        for t in self.tasks:
            due.add_row(
                ("⚠ OVERDUE " if t.overdue else "") + short_date(t.due_on, this_year),
                t.participant_id,
                t.partner_id or "not known",
                POINT_LABELS.get(t.point, t.point),
                short_date(t.event_date, this_year),
                str(t.attempts or ""),
            )
        listing = self.query_one("#partner-list", DataTable)
        listing.clear()
        for p in self.partners:
            listing.add_row(
                p.id,
                p.participant_id,
                HIDDEN if privacy_on(self.app) else p.name,
                short_date(last[p.id], this_year) if p.id in last else "-",
                key=p.id,
            )
        if self.partners:
            self.show_partner(self.partners[0].id)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if (
            event.data_table.id == "partner-list"
            and event.row_key is not None
            and event.row_key.value
        ):
            self.show_partner(str(event.row_key.value))

    def selected_partner(self) -> str | None:
        table = self.query_one("#partner-list", DataTable)
        if not self.partners or table.cursor_row < 0:
            return None
        return self.partners[min(table.cursor_row, len(self.partners) - 1)].id

    def show_partner(self, partner_id: str) -> None:
        if self.store is None:
            return
        try:
            found = self.store.get_partner(partner_id)
            contacts = self.store.contacts(found.id)
            concerns = self.store.concerns(found.id)
        except FacilitatorError as err:
            self.notify(err.message, severity="error")
            return
        if privacy_on(self.app):
            # Her name, contact details, safety planning and her words never reach a screen
            # the room may see; the worker turns privacy off when she is alone.
            self.query_one("#partner-contacts", Static).update(
                Text(f"{found.id}\nPrivacy mode:\nher details\nare hidden.\nCtrl+T shows them.")
            )
            return
        text = Text()
        text.append(
            f"{found.name} · {found.relationship.replace('_', '-')} of {found.participant_id}\n",
            style="bold",
        )
        for what, value in (
            ("phone", found.phone),
            ("safe contact", found.safe_contact),
            ("notes", found.notes),
        ):
            if value:
                text.append(f"{what}: {value}\n")
        if found.service != "open":
            text.append("NO FURTHER CONTACT (her wish)\n", style="bold reverse")
        for c in reversed(contacts):
            text.append(f"\n{c.date} {c.mode} · {c.outcome} · {c.worker}\n", style="bold")
            for what, value in c.her_words():
                text.append(f"  {what}: {value}\n")
        for r in concerns:
            text.append(
                f"\nconcern {r.date}: {label(r.category)} ({r.severity}) → flag {r.flag_id}\n"
            )
        self.query_one("#partner-contacts", Static).update(text)

    def action_refresh(self) -> None:
        self.refresh_tables()

    # -- recording ------------------------------------------------------------------------
    def action_contact(self) -> None:
        partner_id = self.selected_partner() if self.store else None
        if partner_id is None:
            self.notify("Unlock the store and choose a partner first", severity="warning")
            return
        self.app.push_screen(ContactForm(partner_id), self._save_contact)

    def _save_contact(self, values: dict | None) -> None:
        if not values or self.store is None:
            return
        try:
            saved = self.store.record_contact(**values)
        except FacilitatorError as err:
            self.notify(err.message, severity="error", timeout=8)
            return
        self.notify(f"recorded {saved.id}")
        self.refresh_tables()

    def action_concern(self) -> None:
        partner_id = self.selected_partner() if self.store else None
        if partner_id is None:
            self.notify("Unlock the store and choose a partner first", severity="warning")
            return
        self.app.push_screen(ConcernForm(partner_id), self._raise_concern)

    def _raise_concern(self, values: dict | None) -> None:
        if not values or self.store is None:
            return
        try:
            _, flag = self.store.raise_concern(**values)
        except FacilitatorError as err:
            self.notify(err.message, severity="error", timeout=8)
            return
        self.notify(f"risk flag {flag.id} raised: category and severity only, none of her words")
        self.refresh_tables()

    def action_back(self) -> None:
        self.store = None
        self.app.pop_screen()
