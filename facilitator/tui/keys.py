"""Every key the UI answers to, in one table: the bindings, the footer, the help screen and
the command palette are all made from it, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    keys: str  # Textual key names, comma-separated for alternatives
    action: str
    description: str
    show: bool = True  # in the footer
    priority: bool = False  # works even while typing in a text field
    display: str | None = None  # how the footer shows the key


# Anywhere in the app.
APP = [
    Key("f1", "help", "Help", priority=True),
    # Not in the footer (room at 80 columns): the header always says "privacy … ^t".
    Key("ctrl+t", "toggle_privacy", "Privacy mode on/off", show=False, priority=True, display="^t"),
    Key("ctrl+q", "quit", "Quit (everything is already saved)", show=False, priority=True),
]

# On the groups table (Enter there opens today's session).
GROUPS = [
    Key("enter", "select_cursor", "Open session", display="⏎"),
]

HOME = [
    Key("r", "risk_queue", "Risk queue"),
    Key("d", "debriefs", "Debriefs"),
    # Not in the footer (room at 80 columns): in help and the command palette.
    Key("g", "group_plan", "Group's plan (cancel, move, cover)", show=False),
    Key("f5", "refresh", "Refresh", show=False),
    Key("question_mark", "help", "Help", show=False, display="?"),
    Key("q", "quit", "Quit", show=False),
]

# On the roster, when it has the focus. Priority: handled as each key arrives, so a key typed
# straight after one that opens a form or a question goes there, never to the roster.
ROSTER = [
    Key("p", "mark('present')", "Present", priority=True),
    Key("l", "mark('late')", "Late", priority=True),
    Key("o", "mark('left_early')", "Left early", show=False, priority=True),
    Key("e", "mark('excused')", "Excused", priority=True),
    Key("u", "mark('unexcused')", "Unexcused", priority=True),
    Key("enter,c", "checkin", "Check-in", display="⏎", priority=True),
    Key("home", "first", "First man", show=False),
    Key("end", "last", "Last man", show=False),
]

# Tab and Shift+Tab on the session screen (help lists them under BUILT_IN). Priority: focus
# moves before the next key is handed on, so keys typed fast after Tab land in the new field.
FOCUS_AT_ONCE = [
    Key("tab", "app.focus_next", "Next field", show=False, priority=True),
    Key("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
]

# Anywhere on the session screen.
SESSION = [
    Key("ctrl+f", "flag", "Flag", priority=True, display="^f"),
    Key("ctrl+e", "close_session", "End", priority=True, display="^e"),
    Key("ctrl+r", "correct", "Correct a closed session", priority=True, show=False, display="^r"),
    Key("right_square_bracket", "next_segment", "Next segment", show=False, display="]"),
    Key("left_square_bracket", "previous_segment", "Previous segment", show=False, display="["),
    Key("space", "pause", "Pause / resume timers", show=False),
    Key("m", "toggle_plan", "Plan full width / with roster", show=False),
    Key("escape", "back", "Back", show=False, display="esc", priority=True),
    Key("question_mark", "help", "Help", show=False, display="?"),
]

# In the check-in form.
FORM = [
    # Priority: it saves while the summary or a text field has the focus too.
    Key("ctrl+s", "screen.save_checkin", "Save check-in", display="^s", priority=True),
    Key("escape", "screen.back", "Roster (draft kept)", display="esc"),
]

QUEUE_TABLE = [
    Key("enter", "select_cursor", "Details", display="⏎"),
]

RISK_QUEUE = [
    Key("v", "review_flag", "Review"),
    Key("x", "close_flag", "Close"),
    Key("s", "suggestions", "Suggestions"),
    Key("m", "marac", "MARAC"),
    Key("a", "toggle_all", "Open / all"),
    Key("escape", "back", "Back", display="esc"),
]

# Risk suggestions waiting for a decision (tui/screens/suggestions.py), from the risk queue.
SUGGESTIONS = [
    Key("enter,y", "confirm", "Confirm as flag", display="⏎"),
    Key("d", "dismiss_suggestion", "Dismiss"),
    Key("f5", "refresh", "Refresh", show=False),
    Key("escape", "back", "Back", display="esc"),
]

# MARAC prompts and actions (tui/screens/marac.py), opened from the risk queue.
MARAC = [
    Key("r", "refer", "Refer"),
    Key("d", "done", "Action done"),
    Key("a", "toggle_all", "Due / all"),
    Key("f5", "refresh", "Refresh", show=False),
    Key("escape", "back", "Back", display="esc"),
]

# The debrief editor (tui/debrief_editor.py): the text area has the focus, so most are priority.
DEBRIEF = [
    Key("ctrl+s", "save", "Save", priority=True, display="^s"),  # a signed note: adds the amendment
    Key("ctrl+g", "sign", "Sign", priority=True, display="^g"),
    Key("f2", "layout", "Layout"),  # editor, preview, both
    Key("f3", "scan", "Risk check"),
    Key("escape", "back", "Back", priority=True, display="esc"),
]

DEBRIEF_LIST = [
    Key("enter", "open_note", "Open", display="⏎"),
    Key("f5", "refresh", "Refresh", show=False),
    Key("escape", "back", "Back", display="esc"),
]

# The debriefs list's table: its own Enter (select the row) would hide the screen's from the
# footer, so the table says it too.
DEBRIEF_ROWS = [
    Key("enter", "select_cursor", "Open", display="⏎"),
]

# A group's plan (tui/screens/plan.py): changing it is a coordinator's.
PLAN = [
    Key("c", "cancel_session", "Cancel session"),
    Key("m", "move_session", "Move"),
    Key("v", "cover_session", "Cover"),
    Key("f5", "refresh", "Refresh", show=False),
    Key("escape", "back", "Back", display="esc"),
]

# A man's case file (tui/screens/case_file.py): his details, agencies, children, case notes.
# Priority: a key that opens a form is acted on as it arrives, so words typed straight after it
# go into the form (the screen itself has no field to type in).
CASE_FILE = [
    Key("e", "edit_details", "Details", priority=True),
    Key("n", "new_note", "Note", priority=True),
    Key("a", "amend_note", "Amend", priority=True),
    Key("c", "correct_note", "Correct note (writer, first 24 h)", show=False, priority=True),
    Key("y", "confirm_suggestion", "Flag it", priority=True),
    Key("d", "dismiss_suggestion", "Dismiss", priority=True),
    Key("t", "timeline", "Timeline", priority=True),
    Key("f5", "refresh", "Refresh", show=False),
    Key("escape", "back", "Back", display="esc"),
]

# The case file's forms. Not priority: Ctrl+S typed straight after words waits its turn
# behind them, so what was typed last is saved too.
CASE_FILE_DIALOG = [
    Key("ctrl+s", "save", "Save", display="^s"),
    Key("escape", "cancel", "Cancel", display="esc"),
]

# Shown in help only: what Textual itself provides.
BUILT_IN = [
    Key("ctrl+p", "command_palette", "Command palette: every other action"),
    Key("tab,shift+tab", "focus_next", "Move between panes and fields"),
]


def bindings(table: list[Key]) -> list[BindingType]:
    return [
        Binding(
            k.keys, k.action, k.description, show=k.show, priority=k.priority, key_display=k.display
        )
        for k in table
    ]


def label(k: Key) -> str:
    """The keys as a person would type them: 'ctrl+f' -> 'Ctrl+F', 'right_square_bracket' -> ']'."""
    names = {
        "right_square_bracket": "]",
        "left_square_bracket": "[",
        "question_mark": "?",
        "enter": "Enter",
        "escape": "Esc",
        "space": "Space",
        "tab": "Tab",
        "shift+tab": "Shift+Tab",
    }
    out = []
    for key in k.keys.split(","):
        key = key.strip()
        if key in names:
            out.append(names[key])
        elif key.startswith("ctrl+"):
            out.append("Ctrl+" + key[5:].upper())
        elif key.startswith("f") and key[1:].isdigit():
            out.append(key.upper())
        else:
            out.append(key)
    return " / ".join(out)


HELP_SECTIONS: list[tuple[str, list[Key]]] = [
    ("Anywhere", APP + BUILT_IN),
    ("Home screen", GROUPS + HOME),
    ("Session: roster (attendance round)", ROSTER),
    ("Session: anywhere on the screen", SESSION),
    ("Session: check-in form", FORM),
    ("Risk queue", QUEUE_TABLE + RISK_QUEUE),
    ("Risk suggestions", SUGGESTIONS),
    ("MARAC", MARAC),
    ("Debriefs", DEBRIEF_LIST),
    ("A group's plan", PLAN),
    ("A man's case file", CASE_FILE),
    ("Case file forms", CASE_FILE_DIALOG),
    ("Debrief editor", DEBRIEF),
]
