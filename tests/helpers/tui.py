"""Driving the terminal UI in tests: start it on a workspace, wait for a condition, read screens."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def wait_for(
    pilot, condition: Callable[[], bool], timeout: float = 5.0, what: str = "condition"
) -> None:
    """Poll (never sleep blindly): the UI works in its own time, workers included."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


def make_app(
    office, group_id: str | None = None, privacy: bool | None = None, theme: str | None = None
):
    from facilitator.tui.app import FacilitatorApp

    return FacilitatorApp(office, group_id, privacy=privacy, theme=theme)


async def open_session(pilot, app) -> None:
    from facilitator.tui.screens.session import SessionScreen

    await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen), what="the session screen")
    await pilot.pause()


def screen_text(app) -> str:
    """What the terminal shows right now (the top screen, dialogs included), as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


def widget_words(app) -> list[str]:
    """The words each widget on the top screen shows, its wrapped lines joined into one line:
    a phrase wrapped over two lines of its box is found whole, however the panes beside it
    fill the rest of each terminal row."""
    compositor = app.screen._compositor
    strips = compositor.render_strips()
    out = []
    for geometry in compositor.full_map.values():
        region = geometry.region.intersection(geometry.clip)
        if not region.area:
            continue
        rows = [
            strips[y].crop(region.x, region.x + region.width).text
            for y in range(region.y, min(region.y + region.height, len(strips)))
        ]
        words = " ".join(" ".join(rows).split())
        if words:
            out.append(words)
    return out


def roster_lines(app) -> dict[str, str]:
    """participant id -> the roster row as text."""
    from facilitator.tui.widgets.roster import Roster

    roster = app.screen.query_one(Roster)
    return {pid: roster.row_text(pid) for pid in roster.order}


async def burst(pilot, *keys: str) -> None:
    """Send keys the way a paste or a lagging machine delivers them: all queued at once, none
    handled before the next arrives, then wait until the app has handled them all."""
    from textual import events

    app = pilot.app
    for key in keys:
        char = key if len(key) == 1 else (" " if key == "space" else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()
