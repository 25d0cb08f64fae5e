"""Home: the groups with their next planned session (a cancellation in the next weeks shown
beside it), the risk queue's state, and what is due.

Enter on a group opens today's session (started if needed). Overdue and critical flags are
said in capitals with a symbol and shown reversed: impossible to miss, never colour alone.
In privacy mode the risk box says only that the queue is hidden (see risk_lines).
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from facilitator import clock
from facilitator.tui import keys, views
from facilitator.tui.privacy import privacy_on
from facilitator.tui.screens.base import FacilitatorScreen
from facilitator.tui.screens.plan import PlanScreen
from facilitator.tui.wrapping import fits, hanging


def risk_lines(
    counts: dict | None, privacy: bool, failed: bool = False, why: str = ""
) -> tuple[Text, bool]:
    """The risk box's text, and whether it must shout."""
    if counts is None and failed:
        # The reason names a file, never a man: it may show in privacy mode too.
        return Text(f"⚠ Risk queue could not be read: {why or 'see Due'}", style="bold"), True
    if counts is None:
        return Text("Risk queue: counting…", style="dim"), False
    if privacy:
        # The room can see this screen. Counts of open, overdue and critical flags (shouted in
        # reverse) tell the men that disclosures are being flagged, and a man who has just
        # spoken may take one as his. Nothing here is for the group's two hours: the risk lead
        # works the queue, a new flag is Ctrl+F in the session whatever this box says, and the
        # title bar's "PRIVACY ON ^t" is the one key that brings the counts back.
        t = Text("Risk queue: hidden\nin privacy mode")
        t.append("\nCtrl+T shows it", style="dim")
        return t, False
    open_ = int(counts.get("open", 0))
    overdue = int(counts.get("overdue", 0))
    critical = int(counts.get("critical", 0))
    t = Text()
    if overdue:
        t.append(f"⚠ {overdue} OVERDUE", style="bold reverse")
        t.append("\n")
    if critical:
        t.append(f"‼ {critical} CRITICAL open", style="bold reverse")
        t.append("\n")
    t.append(f"{open_} open flag{'s' if open_ != 1 else ''}")
    if not (overdue or critical):
        t.append(" · none overdue" if open_ else "")
    t.append("\nr: open the risk queue", style="dim")
    return t, bool(overdue or critical)


class GroupTable(DataTable):
    BINDINGS = keys.bindings(keys.GROUPS)


def one_line(text: Text) -> Text:
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


class HomeScreen(FacilitatorScreen):
    follows_privacy = True  # redraws itself when the switch changes
    BINDINGS = keys.bindings(keys.HOME)
    help_sections = ("Home screen",)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[views.GroupSummary] = []
        self.due: views.DueItems | None = None
        self.hidden = 0
        self.loaded = False
        self.fully_loaded = False  # the due lists too (they take longest on a long history)
        self.titles: dict[str, str] = {}  # group id -> "13 Minimising, …" in full

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static("Groups", classes="pane-title")
            yield GroupTable(id="groups", cursor_type="row", zebra_stripes=False)
            yield Static("", id="group-next")
            with Horizontal(id="home-boxes"):
                with Vertical(id="risk-box", classes="box"):
                    yield Static("Risk flags", classes="pane-title")
                    yield Static("…", id="risk")
                with VerticalScroll(id="due-box", classes="box"):
                    yield Static("Due", classes="pane-title")
                    yield Static("…", id="due")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#groups", DataTable)
        # The title last: at 80 columns it is the one cut short.
        table.add_column("Group", key="id")
        table.add_column("Next session", key="when")
        table.add_column("Men", key="men")
        table.add_column("Today", key="state")
        table.add_column("Session", key="title")
        table.focus()
        self.watch(self.app, "privacy", self._privacy_changed, init=False)
        self.load()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        # Back from a session or the queue: what they changed shows here. (Not on first showing.)
        if getattr(self, "_away", False):
            self._away = False
            self.load()

    # -- data ----------------------------------------------------------------------------
    def load(self) -> None:
        """The groups at once (a few milliseconds), so Enter works from the first moment; the
        session titles and what is due follow from a worker."""
        self.fully_loaded = False
        rows = self.facilitator_app.safely(
            views.home_groups, self.facilitator_app.office, with_titles=False
        )
        if rows is not None:
            self._show_groups(*rows)
        self.load_rest(rows[0] if rows else [])

    @work(thread=True, exclusive=True, group="home-load")
    def load_rest(self, rows: list[views.GroupSummary]) -> None:
        """Titles and the risk counts first (what must never wait), then the longer due lists."""
        office = self.facilitator_app.office
        due = views.DueItems(loading={"debriefs", "compliance", "marac", "supervision"})
        try:
            views.due_items(office, ("risk", "backup"), due)
            self.app.call_from_thread(self._show_boxes_of, due)
            views.add_closed_days(office, rows)  # the holidays library takes ~0.3 s to load
            views.add_titles(office, rows)  # parsing the curriculum takes ~0.1 s
            self.app.call_from_thread(self._show_rest, rows, due, True)
            for part in ("debriefs", "compliance", "marac", "supervision"):
                views.due_items(office, (part,), due)
                due.loading.discard(part)
                self.app.call_from_thread(self._show_boxes)
            self.fully_loaded = True
        except Exception as err:  # one line, never a traceback
            self.app.call_from_thread(self.facilitator_app.report_error, err)

    def _show_groups(self, rows: list[views.GroupSummary], hidden: int) -> None:
        self.rows, self.hidden = rows, hidden
        table = self.query_one("#groups", DataTable)
        # The cursor stays on the group it was on, whatever a closed session changed; on first
        # showing it starts on the acting member's own group that meets today.
        keep = self._selected_group() or self._first_own_today(rows)
        table.clear()
        self.titles = {r.group.id: f"{r.number} {r.title}".strip() for r in rows}
        for r in rows:
            table.add_row(
                f"{r.group.id} {r.group.name}",
                r.when,
                str(r.men),
                r.state,
                Text(self.titles[r.group.id]),
                key=r.group.id,
            )
        self._fit_titles()
        ids = [r.group.id for r in rows]
        if rows:
            table.move_cursor(row=ids.index(keep) if keep in ids else 0, animate=False)
        title = f"Groups ({len(rows)} running"
        title += f"; {hidden} ended or empty not shown)" if hidden else ")"
        self.query_one(".pane-title", Static).update(title)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_titles)
        self.call_after_refresh(self._show_boxes)

    def _fit_titles(self) -> None:
        """Each session title whole in its cell when the room the other columns leave holds it,
        else the session's number alone: the line under the table gives the highlighted
        group's title in full, so no title is ever cut."""
        table = self.query_one("#groups", DataTable)
        width = table.scrollable_content_region.width
        if not width or not table.columns:
            return
        others = sum(
            c.get_render_width(table) for key, c in table.columns.items() if key.value != "title"
        )
        room = max(len("Session"), width - others - 2 * table.cell_padding)
        for gid, title in self.titles.items():
            if gid not in table.rows:
                continue
            cell = title if fits(title, room) else title.split(" ", 1)[0]
            table.update_cell(gid, "title", Text(cell), update_width=True)
        self._show_next()

    def _show_next(self) -> None:
        """The highlighted group's next session, its title whole (wrapped if need be)."""
        gid = self._selected_group()
        title = self.titles.get(gid or "", "")
        line = self.query_one("#group-next", Static)
        if not gid or not title or not title.split(" ", 1)[0].isdigit():
            line.update("")
            return
        number, _, words = title.partition(" ")
        line.update(Text(f"Next for {gid}: session {number}" + (f", {words}" if words else "")))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_next()

    def _first_own_today(self, rows: list[views.GroupSummary]) -> str | None:
        me = views.acting(self.facilitator_app.office)
        today = clock.today().isoformat()
        for r in rows:
            if me in r.group.facilitators and (r.next_day == today or r.today_state):
                return r.group.id
        return None

    def _show_boxes_of(self, due: views.DueItems) -> None:
        self.due = due
        self._show_boxes()

    def _show_rest(self, rows: list[views.GroupSummary], due: views.DueItems, ready: bool) -> None:
        table = self.query_one("#groups", DataTable)
        known = {r.group.id for r in self.rows}
        for r in rows:
            if r.group.id in known:
                table.update_cell(r.group.id, "when", r.when, update_width=True)
                table.update_cell(r.group.id, "state", r.state, update_width=True)
                self.titles[r.group.id] = f"{r.number} {r.title}".strip()
        self._fit_titles()
        self.due = due
        self._show_boxes()
        self.loaded = True
        if ready:
            self.app.post_message(self.facilitator_app.HomeReady())

    def _show_boxes(self) -> None:
        due = self.due
        if due is None:
            return
        privacy = privacy_on(self.app)
        text, shout = risk_lines(due.risk, privacy, due.risk_failed, due.risk_problem)
        risk = self.query_one("#risk", Static)
        risk.update(text)
        self.query_one("#risk-box").set_class(shout, "-alert")
        lines: list[Text] = []
        for p in due.problems:
            lines.append(Text(f"⚠ {p}", style="bold"))
        # Before the lists, which can be long: the box scrolls, but what is never read there
        # first (an old backup) must not fall below its edge.
        if due.backup:
            lines.append(Text(f"Backup: {due.backup}"))
        for what, failed, items, shown in (
            ("Debriefs due", due.debriefs_failed, due.debriefs, 4),
            ("Compliance tasks due", due.compliance_failed, due.compliance, 3),
            ("MARAC due", due.marac_failed, due.marac, 2),
            ("Supervision due", due.supervision_failed, due.supervision, 2),
        ):
            if what.split()[0].lower() in due.loading:
                lines.append(Text(f"{what}: counting…", style="dim"))
                continue
            if failed:
                lines.append(Text(f"{what}: could not be read (see above)", style="bold"))
                continue
            lines.append(Text(f"{what}: {len(items)}", style="bold" if items else ""))
            if not privacy:  # the lines name men and sessions
                for item in items[:shown]:
                    lines.append(Text(f"  • {item}"))
                if len(items) > shown:
                    lines.append(Text(f"  … and {len(items) - shown} more"))
        # Each item whole, wrapped under its own words: the box scrolls rather than cut one.
        box = self.query_one("#due", Static)
        width = box.content_region.width
        t = Text()
        for i, line in enumerate(lines):
            if i:
                t.append("\n")
            indent = 4 if line.plain.startswith("  ") else 2
            t.append_text(hanging(line, width, indent) if width else line)
        box.update(t)

    def _privacy_changed(self, _value: bool) -> None:
        self._show_boxes()

    # -- actions -------------------------------------------------------------------------
    def _selected_group(self) -> str | None:
        table = self.query_one("#groups", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_group()

    def action_open_group(self) -> None:
        gid = self._selected_group()
        if gid:
            self.facilitator_app.open_session(gid)

    def action_group_plan(self) -> None:
        gid = self._selected_group()
        if gid:
            self.app.push_screen(PlanScreen(gid))

    def action_risk_queue(self) -> None:
        self.facilitator_app.action_risk_queue()

    def action_debriefs(self) -> None:
        self.facilitator_app.action_debriefs()

    def action_refresh(self) -> None:
        self.load()

    def action_help(self) -> None:
        self.facilitator_app.action_help()

    def action_quit(self) -> None:
        self.app.exit()
