"""The accountability check-in for one man, in the order the round asks it.

The form only holds the fields; the session screen saves them (Ctrl+S), keeps them as a
draft while they are typed, and scans the words for risk.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Static, TextArea

from facilitator.domain.checkin import NOT_RECORDED
from facilitator.tui import keys
from facilitator.tui.widgets.choice_row import ChoiceRow
from facilitator.tui.widgets.suggestions import SuggestionList

DISCLOSED = [
    ("no", "no"),
    ("yes", "yes"),
    ("declined", "declined"),
    (NOT_RECORDED, "not recorded"),
]
FORMS = [
    ("physical", "physical"),
    ("sexual", "sexual"),
    ("psychological", "psychological"),
    ("economic", "economic"),
    ("coercive_control", "coercive control"),
    ("threats", "threats"),
    ("harassment_stalking", "stalking/harassment"),
    ("towards_children", "towards children"),
]
TOWARDS = [
    ("partner", "partner"),
    ("ex_partner", "ex-partner"),
    ("children", "children"),
    ("others", "others"),
]
STANCES = [
    ("responsible", "responsible"),
    ("minimising", "minimises"),
    ("denying", "denies"),
    ("blaming", "blames others"),
    (NOT_RECORDED, "not recorded"),
]
CHANGES = [
    ("separation", "separation"),
    ("new_partner", "new partner"),
    ("child_contact", "child contact"),
    ("court_date", "court date"),
    ("bail_or_order", "bail/order"),
    ("housing", "housing"),
    ("work", "work"),
]
HOMEWORK = [
    ("done", "done"),
    ("partly", "partly"),
    ("not_done", "not done"),
    ("none_set", "none set"),
]

CHOICES = {
    "disclosed": (DISCLOSED, False),
    "forms": (FORMS, True),
    "towards": (TOWARDS, True),
    "stance": (STANCES, False),
    "circumstance_changes": (CHANGES, True),
    "homework": (HOMEWORK, False),
}
TEXTS = ("alternatives_used", "circumstances_note", "substance_use")


def empty_fields() -> dict[str, Any]:
    return {
        "disclosed": NOT_RECORDED,  # unasked is never saved as a "no"
        "forms": [],
        "towards": [],
        "summary": "",
        "stance": NOT_RECORDED,
        "alternatives_used": "",
        "circumstance_changes": [],
        "circumstances_note": "",
        "substance_use": "",
        "homework": "none_set",
    }


class CheckInForm(Vertical):
    # Shown in the footer while the form has the focus; the screen does the work.
    BINDINGS = keys.bindings(keys.FORM)

    class Changed(Message):
        """Any field changed: the screen saves a draft and scans the words (both debounced)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pid: str | None = None
        self._last: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Static(
            "", id="ci-title"
        )  # whose check-in it is stays in sight while the fields scroll
        with VerticalScroll(id="ci-fields"):
            yield from self._fields()
        # Pinned below the fields: the scanner's suggestions stay in sight while he is heard.
        yield SuggestionList(id="suggestions")

    def _fields(self) -> ComposeResult:
        yield ChoiceRow(DISCLOSED, id="disclosed", prompt="Any abuse since last time?")
        yield ChoiceRow(FORMS, multiple=True, id="forms", prompt="What:")
        yield ChoiceRow(TOWARDS, multiple=True, id="towards", prompt="Towards:")
        yield Label("Summary in your own words")
        yield TextArea(
            "", id="summary", soft_wrap=True, tab_behavior="focus", show_line_numbers=False
        )
        yield Input(
            id="alternatives_used",
            placeholder="Did instead: time-out, safety plan",
            compact=True,
        )
        yield ChoiceRow(CHANGES, multiple=True, id="circumstance_changes", prompt="Changes:")
        yield Input(id="circumstances_note", placeholder="Details of the changes", compact=True)
        yield Input(id="substance_use", placeholder="Alcohol or drugs", compact=True)
        yield ChoiceRow(HOMEWORK, id="homework", prompt="Homework:")
        yield ChoiceRow(STANCES, id="stance", prompt="Stance:")
        yield Static(
            "Ctrl+S saves (then ⏎ confirms a risk suggestion) · Esc roster, draft kept · "
            "Tab next field · digits pick",
            id="ci-keys",
        )

    def on_mount(self) -> None:
        self.query_one(SuggestionList).show_items([])

    # -- the fields ----------------------------------------------------------------------
    def load(self, pid: str, title: str, fields: dict[str, Any] | None) -> None:
        self.pid = pid
        values = empty_fields() | dict(fields or {})
        self.query_one("#ci-title", Static).update(title)
        for name in CHOICES:
            self.query_one(f"#{name}", ChoiceRow).value = values[name]
        summary = self.query_one("#summary", TextArea)
        summary.load_text(values["summary"] or "")
        summary.move_cursor(summary.document.end)  # go on writing where it stopped
        for name in TEXTS:
            self.query_one(f"#{name}", Input).value = values[name] or ""
        # Change events from loading arrive later: they are recognised by the fields not differing.
        self._last = self.fields()
        self.query_one("#ci-fields", VerticalScroll).scroll_home(animate=False)

    def fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            name: self.query_one(f"#{name}", ChoiceRow).value for name in CHOICES
        }
        out["summary"] = self.query_one("#summary", TextArea).text
        for name in TEXTS:
            out[name] = self.query_one(f"#{name}", Input).value
        return out

    @property
    def last_fields(self) -> dict[str, Any]:
        """The fields as of the last change: still there once the form's widgets are gone
        (a screen's own widgets are removed before it hears it is unmounted)."""
        return dict(self._last)

    def text_for_scanning(self) -> str:
        f = self.fields()
        return "\n".join(
            t
            for t in (
                f["summary"],
                f["alternatives_used"],
                f["circumstances_note"],
                f["substance_use"],
            )
            if t
        )

    def set_title(self, title: str) -> None:
        self.query_one("#ci-title", Static).update(title)

    # -- changes -------------------------------------------------------------------------
    def _changed(self) -> None:
        if not self.pid:
            return
        now = self.fields()
        if now != self._last:
            self._last = now
            self.post_message(self.Changed())

    def on_choice_row_changed(self, event: ChoiceRow.Changed) -> None:
        event.stop()
        if event.row.id == "forms" and event.row.value:
            # Naming a form of behaviour means he disclosed something.
            self.query_one("#disclosed", ChoiceRow).value = "yes"
        self._changed()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._changed()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed()

    def focus_first(self) -> None:
        # At once, not after a refresh (as .focus() does): keys typed straight after opening
        # the form are already on their way and must land here.
        self.screen.set_focus(self.query_one("#disclosed", ChoiceRow))
