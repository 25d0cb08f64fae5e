"""Every key, from the one table in keys.py."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from facilitator.tui import keys


def help_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, min_width=14)
    table.add_column(ratio=1)
    for title, rows in keys.HELP_SECTIONS:
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

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(Text("Keys  (Esc closes · ↑/↓ scroll)", style="bold"))
            yield Static(help_table())

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss(None)
