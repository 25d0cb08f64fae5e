"""Every key, from the one table in keys.py: the keys of the screen help was opened on first,
then those that work anywhere, then every other screen's."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from facilitator.tui import keys

Section = tuple[str, list[keys.Key]]


def own_sections(screen: Screen | None) -> list[Section]:
    """The help sections of the screen help was opened on (its `help_sections`, a tuple of
    section titles or a method giving one); for a screen without any, its own shown bindings."""
    if screen is None:
        return []
    named = getattr(screen, "help_sections", ())
    titles = named() if callable(named) else named
    found = [sec for t in titles for sec in keys.HELP_SECTIONS if sec[0] == t]
    if found:
        return found
    rows = [
        keys.Key(str(b.key), b.action, b.description, display=b.key_display)
        for b in screen.BINDINGS
        if isinstance(b, Binding) and b.description
    ]
    return [("This screen", rows)] if rows else []


def ordered_sections(screen: Screen | None) -> list[Section]:
    own = own_sections(screen)
    anywhere = [sec for sec in keys.HELP_SECTIONS if sec[0] == "Anywhere"]
    rest = [sec for sec in keys.HELP_SECTIONS if sec not in own and sec not in anywhere]
    return own + anywhere + rest


def help_table(screen: Screen | None = None) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, min_width=14)
    table.add_column(ratio=1)
    sections = ordered_sections(screen)
    own = len(own_sections(screen))
    for i, (title, rows) in enumerate(sections):
        if i < own:
            title = f"{title} (this screen)"
        table.add_row(Text(title, style="bold underline"), "")
        seen = set()
        for k in rows:
            if (k.keys, k.description) in seen:
                continue
            seen.add((k.keys, k.description))
            table.add_row(Text(keys.label(k), style="bold"), k.description)
        table.add_row("", "")
    table.add_row(Text("Also", style="bold underline"), "")
    table.add_row(
        Text("digits", style="bold"), "in a row of choices: pick choice N (←/→ and Space work too)"
    )
    table.add_row(Text("late / excused", style="bold"), "asks the minutes late / the reason")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q,question_mark", "close", "Close")]

    def __init__(self, over: Screen | None = None) -> None:
        super().__init__()
        self.over = over  # the screen help was opened on: its keys come first

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(Text("Keys  (Esc closes · ↑/↓ scroll)", style="bold"))
            yield Static(help_table(self.over))

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss(None)
