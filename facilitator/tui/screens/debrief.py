"""The hook the app opens after a session closes (`app.open_debrief`): the debrief editor on
that session's note, created from the template when it has none yet."""

from __future__ import annotations

from facilitator.tui.screens.debrief_editor import DebriefEditor


class DebriefScreen(DebriefEditor):
    def __init__(self, session_id: str) -> None:
        super().__init__(None, session_id, create=True)
