"""The curriculum pane: timers, the list of segments with their minutes, the current segment's
guidance rendered from Markdown.

Timers read `RunnerClock`, which reads `facilitator.clock`; a pinned clock freezes them.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown, Static

from facilitator.tui.timers import RunnerClock, minutes_of
from facilitator.tui.wrapping import fits, hanging


class TimerBar(Static):
    """Two lines: the segment and its timer, the session and its timer. Overrun is said in words."""

    def show(self, clock: RunnerClock, plan, session_minutes: int) -> None:
        segments = list(plan.segments) if plan is not None else []
        seg_s = clock.segment_elapsed()
        ses_s = clock.session_elapsed()
        text = Text()
        warnings = Text()
        # Numbers first, then the title when there is room for all of it.
        if segments:
            seg = segments[clock.segment]
            planned = (seg.minutes or 0) * 60
            text.append(
                f"{clock.segment + 1}/{len(segments)} · {minutes_of(seg_s)} min of "
                f"{seg.minutes or '?'} ",
                style="bold",
            )
            if planned and seg_s > planned:
                warnings.append(
                    f"⚠ OVERRUN +{minutes_of(seg_s - planned, up=True)}", style="bold reverse"
                )
                text.append_text(warnings)
                text.append(" ")
            # The title only when it fits whole: the list below shows it, wrapped, in full.
            width = self.content_region.width
            if width and fits(text.plain + seg.title, width):
                text.append(seg.title)
        else:
            text.append("No curriculum plan for this session", style="italic")
        total = session_minutes * 60
        line2 = Text()
        line2.append(f"Session {minutes_of(ses_s)} min of {session_minutes} ")
        if total and ses_s > total:
            line2.append(f"⚠ +{minutes_of(ses_s - total, up=True)} ", style="bold reverse")
        line2.append(
            "▶ running" if clock.running else "⏸ PAUSED",
            style="" if clock.running else "bold reverse",
        )
        text.append("\n")
        text.append_text(line2)
        text.no_wrap = True
        text.overflow = "ellipsis"
        self.set_class(bool(warnings.plain) or bool(total and ses_s > total), "-overrun")
        self.set_class(not clock.running, "-paused")
        self.update(text, layout=False)  # always two lines: every second, no layout pass


class SegmentList(Static):
    _shown: tuple | None = None
    _lines = -1
    _current_line = -1
    wide = False

    def on_resize(self) -> None:
        # The first drawing can come before the pane has its width: wrap again once it has.
        if self._shown is not None:
            self.show(*self._shown)

    def show(self, clock: RunnerClock, plan, wide: bool = False) -> None:
        self._shown = (clock, plan, wide)
        if plan is None:
            self.update(Text("(the curriculum for this session could not be read)", style="italic"))
            return
        # Each title whole, wrapped under its own words (the box scrolls when the list is long).
        width = self.content_region.width
        text = Text()
        current_line = lines = 0
        for i, seg in enumerate(plan.segments):
            here = i == clock.segment
            done = i < clock.segment
            mark = "▶" if here else ("✓" if done else " ")
            spent = clock.segment_elapsed(i)
            planned = (seg.minutes or 0) * 60
            over = planned and spent > planned
            line = Text(f"{mark} {i + 1} ", style="bold" if here else "")
            line.append(seg.title, style="bold" if here else ("dim" if done else ""))
            line.append(f" · {seg.minutes or '?'} min")
            if spent:
                line.append(
                    f" · {minutes_of(spent)} min" + (" ⚠ over" if over else ""),
                    style="bold" if over else "dim",
                )
            if i:
                text.append("\n")
            if here:
                current_line = lines
            shown = hanging(line, width, len(f"{mark} {i + 1} ")) if width else line
            lines += shown.plain.count("\n") + 1
            text.append_text(shown)
        # A layout pass only when the number of lines changes (a new width or segment).
        self.update(text, layout=self._lines != lines)
        self._lines = lines
        self.wide = wide
        # What m does from here (widen the plan, or bring the roster back): below the list, so
        # it stays in sight however far the list has scrolled.
        hint = f"]/[ segment · space pause · {'m roster' if wide else 'm wide'}"
        found = self.screen.query("#plan-hint")
        if found and str(found.first(Static).content) != hint:
            found.first(Static).update(Text(hint, style="dim"))
        if current_line != self._current_line:
            self._current_line = current_line
            self.call_after_refresh(self.scroll_to, y=max(0, current_line - 1), animate=False)


class PlanPane(Vertical):
    """Segment list above, the current segment's guidance below (scrolls; focus it to read)."""

    def compose(self) -> ComposeResult:
        yield SegmentList(id="segments")
        yield Static("", id="plan-hint", classes="one-line")
        with VerticalScroll(id="guidance-scroll"):
            yield Markdown("", id="guidance")

    async def show_segment(self, plan, index: int) -> None:
        if plan is None or not plan.segments:
            body = "_No curriculum guidance for this session._"
        else:
            seg = plan.segments[index]
            head = f"## {seg.title} ({seg.minutes or '?'} min)\n\n"
            # The session's title heads every segment's guidance: the header has no room for it.
            intro = f"**{plan.title}**" + (f" — {plan.theme}" if plan.theme else "") + "\n\n"
            body = intro + head + seg.markdown
        await self.query_one("#guidance", Markdown).update(body)
        self.query_one("#guidance-scroll", VerticalScroll).scroll_home(animate=False)
