"""Export attendance from the UI: the same export as `facilitator export attendance`, with its
filters and formats, run in a worker with a progress bar per group.

`ExportScreen(group_id=None, participant_id=None, office=None)` is a dialog; it dismisses with
the ExportResult when the file is written, or None when cancelled.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, ProgressBar, Select, Static

from facilitator import clock
from facilitator.errors import FacilitatorError
from facilitator.services.reporting.exports import ExportFilter, export_attendance, plan_export
from facilitator.storage.files import ensure_private_dir
from facilitator.tui import keys
from facilitator.tui.screens.base import FacilitatorModal

KEYS = [
    keys.Key("ctrl+s", "export", "Export", display="^s"),
    keys.Key("escape", "cancel", "Cancel", display="esc"),
]
FORMATS = [
    ("CSV (one row per man per session)", "csv"),
    ("XLSX (rows + summary sheet)", "xlsx"),
    ("JSON", "json"),
]


def default_folder() -> Path:
    """A private folder in the user's home: exports name men, so not the desktop or /tmp."""
    return Path.home() / "facilitator-exports"


def default_path(scope: str, fmt: str) -> Path:
    return default_folder() / f"attendance-{scope}-{clock.today().isoformat()}.{fmt}"


def make_default_folder(path: Path, folder: Path) -> None:
    """The tool's own default folder is made (private) on first use; any other folder must
    exist already, so a typo or a drive not plugged in is said rather than made."""
    if path.parent == folder:
        ensure_private_dir(folder)


class ExportScreen(FacilitatorModal):
    BINDINGS = keys.bindings(KEYS)
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen #export-box {
        width: 76; height: auto; max-height: 22; border: round $accent; padding: 0 1;
    }
    ExportScreen Input { width: 1fr; }
    ExportScreen .row { height: auto; }
    ExportScreen .row Label { width: 8; padding: 1 0 0 0; }
    ExportScreen #export-status { height: auto; }
    ExportScreen #export-keys { color: $text-muted; height: 1; }
    """

    def __init__(
        self, group_id: str | None = None, participant_id: str | None = None, office=None
    ) -> None:
        super().__init__()
        self.group_id = group_id
        self.participant_id = participant_id
        self._office = office
        self.result = None
        self.running = False

    @property
    def scope(self) -> str:
        return self.participant_id or self.group_id or "all-groups"

    def compose(self) -> ComposeResult:
        what = (
            f"participant {self.participant_id}"
            if self.participant_id
            else f"group {self.group_id}"
            if self.group_id
            else "every group"
        )
        with Vertical(id="export-box"):
            yield Static(f"[b]Export attendance[/b] · {what}")
            yield Select(FORMATS, value="csv", allow_blank=False, id="export-format")
            with Horizontal(classes="row"):
                yield Label("File")
                yield Input(str(default_path(self.scope, "csv")), id="export-path")
            with Horizontal(classes="row"):
                yield Label("From")
                yield Input(placeholder="YYYY-MM-DD (optional)", id="export-from")
                yield Label("  To")
                yield Input(placeholder="YYYY-MM-DD (optional)", id="export-to")
            with Horizontal(classes="row"):
                yield Checkbox("Summary: one row per man", id="export-summary")
                yield Checkbox("Pseudonymise", id="export-pseudo")
            yield ProgressBar(total=None, show_eta=False, id="export-progress")
            yield Static("", id="export-status")
            yield Static("Ctrl+S export · Esc cancel", id="export-keys")

    def on_select_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        current = Path(path.value)
        if current.suffix.lstrip(".") in ("csv", "xlsx", "json"):
            path.value = str(current.with_suffix(f".{event.value}"))

    def action_cancel(self) -> None:
        if not self.running:
            self.dismiss(None)

    def action_export(self) -> None:
        if self.running:
            return

        typed = self.query_one("#export-path", Input).value.strip()
        if not typed:
            self._status("Give the file to write.", error=True)
            return
        wanted = ExportFilter(
            groups=[self.group_id] if self.group_id else [],
            participant=self.participant_id,
            since=self.query_one("#export-from", Input).value.strip() or None,
            until=self.query_one("#export-to", Input).value.strip() or None,
        )
        fmt = str(self.query_one("#export-format", Select).value)
        summary = self.query_one("#export-summary", Checkbox).value
        pseudo = self.query_one("#export-pseudo", Checkbox).value
        path = Path(typed).expanduser()
        try:
            make_default_folder(path, default_folder())
        except OSError as err:
            self._status(f"{err.strerror or err} ({path.parent})", error=True)
            return
        self.running = True
        self._status("Exporting…")
        self.run_export(
            wanted, fmt, path, summary, pseudo, self.query_one("#export-progress", ProgressBar)
        )

    @work(thread=True, exclusive=True, group="attendance-export")
    def run_export(
        self, wanted, fmt: str, path: Path, summary: bool, pseudo: bool, bar: ProgressBar
    ) -> None:
        # A thread: the bar is only ever touched through call_from_thread.

        try:
            plan = plan_export(self.office, wanted)
            self.app.call_from_thread(bar.update, total=max(len(plan.groups), 1), progress=0)
            result = export_attendance(
                self.office,
                wanted,
                fmt,
                path,
                summary,
                pseudo,
                on_group=lambda _g: self.app.call_from_thread(bar.advance, 1),
                plan=plan,
            )
        except FacilitatorError as err:
            self.app.call_from_thread(self._failed, err.message)
            return
        except OSError as err:
            self.app.call_from_thread(self._failed, f"{err.strerror or err} ({path})")
            return
        self.app.call_from_thread(self._done, result)

    def _failed(self, message: str) -> None:
        self.running = False
        self._status(message, error=True)

    def _done(self, result) -> None:
        self.running = False
        self.result = result
        self.app.notify(
            f"Wrote {result.path}: {result.rows} rows, {result.men} men", title="Export", timeout=8
        )
        self.dismiss(result)

    def _status(self, text: str, error: bool = False) -> None:
        self.query_one("#export-status", Static).update(
            Text(f"✗ {text}", style="bold red") if error else Text(text)
        )
