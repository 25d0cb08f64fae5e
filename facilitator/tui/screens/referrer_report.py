"""A man's progress report for his referrer, from the UI: the coordinator writes the engagement
summary, previews the report (exactly what `facilitator report participant` writes) and saves
it as Markdown or HTML.

Ctrl+S keeps the engagement summary for later reports; Ctrl+W writes the report to the file
(HTML or Markdown by its extension). Coordinators only. Privacy mode hides the preview: the
report names him and his referrer.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, Markdown, Static, TextArea

from facilitator import clock
from facilitator.errors import FacilitatorError
from facilitator.services.reporting.referrer_report import (
    engagement_of,
    participant_report,
    render_markdown,
    report_data,
    set_engagement,
)
from facilitator.storage.files import atomic_write_text, existing_folder
from facilitator.tui import keys
from facilitator.tui.dialogs.attendance_export import make_default_folder
from facilitator.tui.screens.base import FacilitatorScreen

KEYS = [
    keys.Key("ctrl+s", "save_engagement", "Keep summary", priority=True, display="^s"),
    keys.Key("ctrl+w", "write_report", "Write report", priority=True, display="^w"),
    keys.Key("f5", "refresh", "Preview again", show=False),
    keys.Key("escape", "back", "Back", display="esc"),
]


def default_folder() -> Path:
    return Path.home() / "facilitator-reports"


def default_path(participant_id: str) -> Path:
    return default_folder() / f"report-{participant_id}-{clock.today().isoformat()}.html"


class ReferrerReportScreen(FacilitatorScreen):
    BINDINGS = keys.bindings(KEYS)
    DEFAULT_CSS = """
    ReferrerReportScreen #report-title { padding: 0 1; text-style: bold; height: auto; }
    ReferrerReportScreen #report-engagement { height: 5; }
    ReferrerReportScreen .row { height: auto; }
    ReferrerReportScreen .row Label { padding: 1 1 0 1; }
    ReferrerReportScreen #report-path { width: 1fr; }
    ReferrerReportScreen #report-status { padding: 0 1; height: auto; }
    ReferrerReportScreen #report-preview-box { height: 1fr; border-top: solid $accent; }
    """

    def __init__(self, participant_id: str, office=None) -> None:
        super().__init__()
        self.participant_id = participant_id.strip().upper()
        self._office = office
        self.markdown = ""
        self.loaded = False
        self.saved_text = ""
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Referrer report · {self.participant_id}", id="report-title")
        yield Label(" Engagement summary (what the referrer reads about how he takes part):")
        yield TextArea("", id="report-engagement", soft_wrap=True)
        with Horizontal(classes="row"):
            yield Label("File")
            yield Input(str(default_path(self.participant_id)), id="report-path")
        yield Static("", id="report-status")
        with VerticalScroll(id="report-preview-box"):
            yield Markdown("", id="report-preview")
        yield Footer()

    def on_mount(self) -> None:
        actor = self.office.actor
        if not actor.has_role("coordinator", "admin"):
            self._status(
                f"{actor.id} may not make referrer reports: it needs the role coordinator",
                error=True,
            )
            self.query_one("#report-engagement", TextArea).disabled = True
            return

        note = (
            self.app.safely(engagement_of, self.office, self.participant_id)
            if hasattr(self.app, "safely")
            else engagement_of(self.office, self.participant_id)
        )
        self.saved_text = note.text if note else ""
        self.query_one("#report-engagement", TextArea).text = self.saved_text
        self.preview()

    def engagement_text(self) -> str:
        return self.query_one("#report-engagement", TextArea).text.strip()

    @work(thread=True, exclusive=True, group="referrer-report")
    def preview(self, engagement: str | None = None) -> None:
        """The Markdown the report will hold, without writing or auditing anything."""

        try:
            text = render_markdown(report_data(self.office, self.participant_id, engagement))
        except FacilitatorError as err:
            self.app.call_from_thread(self._status, err.message, True)
            return
        self.app.call_from_thread(self._previewed, text)

    def _previewed(self, text: str) -> None:
        self.markdown = text
        shown = "*Privacy mode is on: the report is hidden (Ctrl+T).*" if self.privacy else text
        self.query_one("#report-preview", Markdown).update(shown)
        first = text.splitlines()[0].lstrip("# ") if text and not self.privacy else ""
        # The report's own title names him: with privacy on, his id only.
        self.query_one("#report-title", Static).update(
            first or f"Referrer report · {self.participant_id}"
        )
        self.loaded = True

    # -- actions -------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.loaded = False
        text = self.engagement_text()
        self.preview(text if text and text != self.saved_text else None)

    def action_save_engagement(self) -> None:

        text = self.engagement_text()
        try:
            set_engagement(self.office, self.participant_id, text)
        except FacilitatorError as err:
            self._status(err.message, error=True)
            return
        self.saved_text = text
        self._status("Engagement summary kept for his reports.")
        self.action_refresh()

    def action_write_report(self) -> None:

        path = Path(self.query_one("#report-path", Input).value.strip()).expanduser()
        fmt = "html" if path.suffix.lower() in (".html", ".htm") else "md"
        text = self.engagement_text()
        try:
            make_default_folder(path, default_folder())
            report = participant_report(
                self.office,
                self.participant_id,
                fmt,
                text if text and text != self.saved_text else None,
            )
            atomic_write_text(existing_folder(path), report)  # 0600: it names a man
        except FacilitatorError as err:
            self._status(err.message, error=True)
            return
        except OSError as err:
            self._status(f"{err.strerror or err} ({path})", error=True)
            return
        self.written = path
        self._status(f"Wrote {path}")
        self.app.notify(f"Report written: {path}", title="Referrer report", timeout=8)

    def _status(self, text: str, error: bool = False) -> None:
        self.query_one("#report-status", Static).update(
            Text(f"✗ {text}", style="bold red") if error else Text(text)
        )
