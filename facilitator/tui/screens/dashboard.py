"""The programme dashboard: the programme report's figures on screen, with terminal
charts. Coordinators only; every figure is the report's own (small counts already suppressed),
so nothing on it identifies a man or a partner.

    ProgrammeDashboardScreen(office=None, start=None, end=None)

Tabs: People, Attendance, Risk, Timeliness, Outcomes, Staff (the report's sections). F5 or
Enter in a date field recomputes; the figures are computed in a worker thread.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, Static, TabbedContent, TabPane

from facilitator.domain import figures as fig
from facilitator.errors import FacilitatorError
from facilitator.services.evaluation.figures import period_of, programme_figures
from facilitator.services.evaluation.report import (
    SECTIONS,
    by_section,
    figure_tables,
    suppression_note,
)
from facilitator.tui import keys
from facilitator.tui.screens.base import FacilitatorScreen

KEYS = [
    keys.Key("f5", "refresh", "Recompute", priority=True),
    keys.Key("escape", "back", "Back", display="esc"),
]
BAR_WIDTH = 30


def bar_lines(
    rows: list[tuple[str, object]], top: float = 0, width: int = BAR_WIDTH, unit: str = ""
) -> Text:
    """Horizontal bars scaled to `top` (or the largest value): █ for a shown figure; one that is
    not shown is written "not shown" with its marker ("<5", "withheld") and no bar at all, since
    a bar of any length would be read as a value."""
    text = Text()
    numbers = [v for _, v in rows if isinstance(v, (int, float)) and not isinstance(v, bool)]
    top = max(numbers + [top, 1])
    label_width = max((len(label) for label, _ in rows), default=0)
    for label, value in rows:
        text.append(f"{label:<{label_width}} ", style="bold")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text.append("█" * max(round(width * value / top), 1 if value else 0), style="cyan")
            text.append(f" {value:g}{unit}\n")
        elif fig.is_suppressed(value):
            text.append(f"not shown ({value})\n", style="dim italic")
        else:
            text.append(" –\n", style="dim")
    return text


def rich_table(t) -> Table:
    table = Table(
        title=t.title, title_justify="left", title_style="bold", show_edge=False, expand=False
    )
    for i, h in enumerate(t.headers):
        table.add_column(h or " ", justify="left" if i == 0 else "right")
    for row in t.rows:
        table.add_row(*row)
    if t.note:
        table.caption = t.note
        table.caption_justify = "left"
    return table


class ProgrammeDashboardScreen(FacilitatorScreen):
    BINDINGS = keys.bindings(KEYS)
    DEFAULT_CSS = """
    ProgrammeDashboardScreen #dash-title { padding: 0 1; text-style: bold; height: auto; }
    ProgrammeDashboardScreen #dash-period { height: auto; padding: 0 1; }
    ProgrammeDashboardScreen #dash-period Label { padding: 1 1 0 0; }
    ProgrammeDashboardScreen #dash-period Input { width: 18; }
    ProgrammeDashboardScreen #dash-status { padding: 0 1; height: auto; color: $text-muted; }
    ProgrammeDashboardScreen #dash-tabs { height: 1fr; }
    ProgrammeDashboardScreen TabPane { height: 1fr; padding: 0 1; }
    ProgrammeDashboardScreen TabPane VerticalScroll { height: 1fr; }
    ProgrammeDashboardScreen .dash-table { height: auto; margin: 0 0 1 0; }
    ProgrammeDashboardScreen .dash-chart-title { text-style: bold; margin: 0 0 0 0; }
    ProgrammeDashboardScreen .dash-bars { height: auto; margin: 0 0 1 0; }
    """

    def __init__(self, office=None, start: str | None = None, end: str | None = None) -> None:
        super().__init__()
        self._office = office
        self.start, self.end = start, end
        self.figures: dict | None = None
        self.loaded = False
        self.refused = False
        self.error = ""

    def compose(self) -> ComposeResult:

        start, end = period_of(self.start, self.end)
        yield Header()
        yield Static("Programme figures", id="dash-title")
        with Horizontal(id="dash-period"):
            yield Label("From")
            yield Input(start.isoformat(), id="dash-from", placeholder="YYYY-MM-DD")
            yield Label(" to")
            yield Input(end.isoformat(), id="dash-to", placeholder="YYYY-MM-DD")
        yield Static("computing…", id="dash-status")
        with TabbedContent(id="dash-tabs"):
            for name in SECTIONS:
                with TabPane(name, id=f"tab-{name.lower()}"):
                    yield VerticalScroll(id=f"dash-{name.lower()}")
        yield Footer()

    def on_mount(self) -> None:
        actor = self.office.actor
        if not actor.has_role("coordinator", "admin"):
            self.refused = True
            self.error = f"{actor.id} may not see programme figures: it needs the role coordinator"
            self.query_one("#dash-status", Static).update(Text(self.error, style="bold red"))
            for field in self.query(Input):
                field.disabled = True
            return
        self.action_refresh()

    # -- computing -------------------------------------------------------------------------
    def action_refresh(self) -> None:
        if self.refused:
            return
        self.loaded = False
        self.query_one("#dash-status", Static).update("computing…")
        self.compute(
            self.query_one("#dash-from", Input).value.strip(),
            self.query_one("#dash-to", Input).value.strip(),
        )

    @on(Input.Submitted)
    def _period_given(self, _event: Input.Submitted) -> None:
        self.action_refresh()

    @work(thread=True, exclusive=True, group="programme-dashboard")
    def compute(self, start: str, end: str) -> None:

        try:
            found = programme_figures(self.office, start or None, end or None)
        except FacilitatorError as err:
            self.app.call_from_thread(self._failed, err.message)
            return
        # Textual runs a coroutine given to call_from_thread; its stubs expect a plain callable.
        self.app.call_from_thread(self._show, found)  # type: ignore[arg-type]

    def _failed(self, message: str) -> None:
        self.error = message
        self.query_one("#dash-status", Static).update(Text(message, style="bold red"))
        self.loaded = True

    async def _show(self, found: dict) -> None:

        self.figures, self.error = found, ""
        p = found["period"]
        self.query_one("#dash-title", Static).update(
            f"Programme figures · {p['from']} to {p['to']} · by {p['by']}"
        )
        self.query_one("#dash-status", Static).update(Text(suppression_note(found), style="dim"))
        for section, tables in by_section(figure_tables(found)):
            box = self.query_one(f"#dash-{section.lower()}", VerticalScroll)
            await box.remove_children()  # before mounting: the charts keep their ids
            await box.mount_all(
                self._charts(section, found)
                + [Static(rich_table(t), classes="dash-table") for t in tables]
            )
        self.loaded = True

    def _charts(self, section: str, f: dict) -> list:
        """Terminal charts for a section, above its tables."""
        s = f["series"]
        if section == "People":
            rows = list(zip(s["labels"], s["starts"]))
            return [
                Label("Starts by " + f["period"]["by"], classes="dash-chart-title"),
                Static(bar_lines(rows), classes="dash-bars", id="dash-bars-starts"),
            ]
        if section == "Attendance":
            rows = list(zip(s["labels"], s["attendance_rate"]))
            return [
                Label(f"Attendance rate by {f['period']['by']}", classes="dash-chart-title"),
                Static(
                    bar_lines(rows, 100, unit="%"), classes="dash-bars", id="dash-bars-attendance"
                ),
            ]
        if section == "Risk":
            fl = f["flags"]
            return [
                Label("Flags by severity", classes="dash-chart-title"),
                Static(
                    bar_lines(list(fl["by_severity"].items())),
                    classes="dash-bars",
                    id="dash-bars-severity",
                ),
                Label("Flags by category", classes="dash-chart-title"),
                Static(
                    bar_lines([(k.replace("_", " "), v) for k, v in fl["by_category"].items()]),
                    classes="dash-bars",
                    id="dash-bars-categories",
                ),
                Label("Flags raised by " + f["period"]["by"], classes="dash-chart-title"),
                Static(
                    bar_lines(list(zip(s["labels"], s["flags"]))),
                    classes="dash-bars",
                    id="dash-bars-flags",
                ),
            ]
        if section == "Timeliness":
            rows = [
                ("risk reviews", f["flags"]["reviewed_on_time_percent"]),
                ("re-assessments", f["reassessments"]["on_time_percent"]),
                ("debriefs signed", f["debriefs"]["on_time_percent"]),
            ]
            return [
                Label("% done on time", classes="dash-chart-title"),
                Static(bar_lines(rows, 100), classes="dash-bars", id="dash-bars-timeliness"),
            ]
        if section == "Outcomes" and f["outcomes"].get("man"):
            out = []
            for scale in f["outcomes"]["man"]["scales"]:
                rows = [(p["label"], p["mean"]) for p in scale["points"]]
                out += [
                    Label(
                        f"{scale['title']}: mean score ({scale['better']} is better)",
                        classes="dash-chart-title",
                    ),
                    Static(bar_lines(rows, scale["range"][1]), classes="dash-bars"),
                ]
            return out
        return []

    def action_back(self) -> None:
        self.app.pop_screen()
