"""A row of choices on as few lines as the width allows: one choice, or several.

Keyboard: a digit picks (or toggles) that choice at once; ←/→ move, Space picks.
Enter never picks: a saved answer is reopened and Enter pressed out of habit must leave it as
it was. The cursor starts on the chosen answer, so the highlight never suggests another one.
The chosen ones carry a symbol (● or [x]), never colour alone.
A line breaks only between two options, so an option's words always stay together.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class ChoiceRow(Widget, can_focus=True):
    BINDINGS = [
        Binding("left", "move(-1)", "Previous", show=False),
        Binding("right", "move(1)", "Next", show=False),
        Binding("space", "pick", "Pick", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, row: ChoiceRow) -> None:
            super().__init__()
            self.row = row

        @property
        def control(self) -> ChoiceRow:
            return self.row

    def __init__(
        self,
        options: list[tuple[str, str]],
        *,
        multiple: bool = False,
        value: str | list[str] | None = None,
        prompt: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.options = options  # (value, label)
        self.prompt = prompt
        self.multiple = multiple
        self._chosen: list[str] = []
        self.value = value if value is not None else ([] if multiple else options[0][0])

    # -- value ---------------------------------------------------------------------------
    @property
    def value(self) -> str | list[str]:
        if self.multiple:
            return [v for v, _ in self.options if v in self._chosen]
        return self._chosen[0] if self._chosen else self.options[0][0]

    @value.setter
    def value(self, value: str | list[str]) -> None:
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        known = {v for v, _ in self.options}
        self._chosen = [v for v in values if v in known]
        if not self.multiple and not self._chosen:
            self._chosen = [self.options[0][0]]
        first = next((i for i, (v, _) in enumerate(self.options) if v in self._chosen), 0)
        self.set_reactive(ChoiceRow.cursor, first)
        self.refresh(layout=True)

    def _pick(self, index: int) -> None:
        if not 0 <= index < len(self.options):
            return
        v = self.options[index][0]
        if self.multiple:
            if v in self._chosen:
                self._chosen.remove(v)
            else:
                self._chosen.append(v)
        else:
            self._chosen = [v]
        self.cursor = index
        self.refresh(layout=True)
        self.post_message(self.Changed(self))

    # -- keys ----------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.options)

    def action_pick(self) -> None:
        self._pick(self.cursor)

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            if index < len(self.options):
                event.stop()
                event.prevent_default()
                self._pick(index)

    def watch_cursor(self) -> None:
        self.refresh()

    # -- drawing -------------------------------------------------------------------------
    def render(self) -> Text:
        return self._laid_out(self.content_size.width)

    def get_content_height(self, container, viewport, width: int) -> int:
        return self._laid_out(width).plain.count("\n") + 1

    def _laid_out(self, width: int) -> Text:
        """The prompt and the options, a line broken only between two options (an option's
        words stay together: "not recorded" is never split over two lines)."""
        text = Text()
        column = 0
        if self.prompt:
            text.append(self.prompt + " ", style="bold" if self.has_focus else "")
            column = len(self.prompt) + 1
        for i, (v, label) in enumerate(self.options):
            chosen = v in self._chosen
            mark = ("[x]" if chosen else "[·]") if self.multiple else ("●" if chosen else "○")
            part = Text(f"{i + 1}{mark}{label}", style="bold" if chosen else "")
            if self.has_focus and i == self.cursor:
                part.stylize("reverse")
            gap = 2 if i else 0  # after the prompt, its own space is the gap
            if width and column and column + gap + part.cell_len > width:
                text.append("\n")
                column, gap = 0, 0
            text.append(" " * gap)
            text.append_text(part)
            column += gap + part.cell_len
        text.no_wrap = True
        return text
