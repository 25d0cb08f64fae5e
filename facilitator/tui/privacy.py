"""Whether the room may see what a screen shows: the one place every screen and widget asks.

Privacy mode hides surnames, notes, check-in and flag summaries, excused reasons and everything
on the partner side. It fails closed: an app that cannot say privacy is off (a test harness, a
renamed attribute, a screen shown before the app is ready) is treated as privacy on.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode


def privacy_on(app: object) -> bool:
    """True unless the app says, as a plain False, that privacy mode is off."""
    try:
        value = app.privacy  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - any failure to read it means: hide
        return True
    return value is not False


def follow_privacy(node: DOMNode, apply: Callable[[bool], None]) -> None:
    """Call `apply(privacy_on(app))` now and each time the switch changes. An app with no
    switch to watch still gets the first call, with privacy on."""
    app = node.app
    node._follows_privacy = True  # type: ignore[attr-defined]  # the screen need not redraw too
    apply(privacy_on(app))
    if hasattr(app, "privacy"):
        node.watch(app, "privacy", lambda _value: apply(privacy_on(app)), init=False)
