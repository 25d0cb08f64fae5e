"""The session screen: roster, curriculum pane with timers, check-in form, flags, close.

Every mark and check-in is saved through the services the moment it is made (a few
milliseconds); a half-written check-in is saved as a draft shortly after each change; where
the runner is (segment, timers, the form that was open) is saved on every change, so closing
the laptop or a crash loses nothing and reopening resumes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Footer, Header, Static

from facilitator import clock
from facilitator.detector.categories import label
from facilitator.domain.checkin import CheckIn
from facilitator.errors import FacilitatorError, InvalidInput
from facilitator.services.core import session_store as session_store
from facilitator.services.groupwork import drafts
from facilitator.services.groupwork import sessions as session_service
from facilitator.services.risk import flags as risk_flags
from facilitator.services.risk import settings as risk_settings
from facilitator.services.risk import suggestions as risk_suggestions
from facilitator.tui import keys
from facilitator.tui.dates import short_date
from facilitator.tui.dialogs.ask import AskScreen, minutes_check, optional_minutes_check
from facilitator.tui.dialogs.confirm import ConfirmScreen
from facilitator.tui.dialogs.confirm_categories import CategoryChoice, ConfirmCategoriesDialog
from facilitator.tui.dialogs.flag import FlagDialog, FlagRequest
from facilitator.tui.privacy import privacy_on
from facilitator.tui.screens.base import FacilitatorScreen
from facilitator.tui.screens.case_file import CaseFileScreen
from facilitator.tui.screens.intake_checklist import IntakeChecklistScreen
from facilitator.tui.timers import RunnerClock
from facilitator.tui.views import SessionView
from facilitator.tui.widgets.checkin_form import CheckInForm
from facilitator.tui.widgets.plan import PlanPane, SegmentList, TimerBar
from facilitator.tui.widgets.roster import Roster, RosterRow
from facilitator.tui.widgets.suggestions import SuggestionItem, SuggestionList

DEBOUNCE_SECONDS = 0.4


class SessionScreen(FacilitatorScreen):
    follows_privacy = True  # redraws itself when the switch changes
    BINDINGS = keys.bindings(keys.SESSION + keys.FOCUS_AT_ONCE)

    def help_sections(self) -> tuple[str, ...]:
        """The form's keys first while a check-in is open, else the roster's."""
        roster, anywhere, form = (
            "Session: roster (attendance round)",
            "Session: anywhere on the screen",
            "Session: check-in form",
        )
        showing = self.form_pid and self.query_one(ContentSwitcher).current == "checkin"
        return (form, anywhere, roster) if showing else (roster, anywhere, form)

    def __init__(self, view: SessionView) -> None:
        super().__init__()
        self.view = view
        self.clock = RunnerClock.start(0)
        self.form_pid: str | None = None
        self._debounce: Timer | None = None
        self._flag_counts: dict[str, int] = {}
        self._ticking: Timer | None = None
        # A closed session is read-only until the facilitator asks to correct it (Ctrl+R):
        # a key pressed out of habit must not start a correction.
        self.correcting = False

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="session-body"):
            with Vertical(id="roster-pane"):
                yield Static("", id="roster-title", classes="pane-title")
                yield Roster(id="roster")
            with Vertical(id="right-pane"):
                yield TimerBar(id="timers")
                with ContentSwitcher(initial="plan", id="right"):
                    yield PlanPane(id="plan")
                    yield CheckInForm(id="checkin")
                    yield Static(
                        "Check-in hidden: privacy mode is on.\n"
                        "Ctrl+T shows it again; the draft is kept.",
                        id="privacy-cover",
                    )
        yield Footer(compact=True, show_command_palette=False)

    @property
    def sid(self) -> str:
        return self.view.sid

    @property
    def session(self):
        return self.view.record.session

    @property
    def roster(self) -> Roster:
        return self.query_one(Roster)

    @property
    def form(self) -> CheckInForm:
        return self.query_one(CheckInForm)

    @property
    def plan(self):
        return self.view.plan

    @property
    def segments(self) -> int:
        return len(self.plan.segments) if self.plan is not None else 0

    async def on_mount(self) -> None:
        state = self.view.runner
        if self.session.is_closed:
            self.clock = RunnerClock.start(self.segments)
            self.clock.running, self.clock.resumed_at = False, ""  # nothing runs once closed
        elif state.get("segment_seconds") is not None and "segment" in state:
            self.clock = RunnerClock.from_dict(state, self.segments)
        else:
            self.clock = RunnerClock.start(self.segments)
            self._save_runner()
        self._set_titles()
        self._checkin_form = self.form  # kept: on_unmount comes after the widgets are removed
        self._flag_counts = (
            self._safe(
                risk_flags.open_flag_counts,
                self.office,
                [e.participant.id for e in self.view.roster],
            )
            or {}
        )
        self.roster.privacy = privacy_on(self.app)
        self.roster.on_mark = self.attendance_key
        self.roster.on_open = self.open_checkin
        self.roster.set_rows([self._row(e.participant.id) for e in self.view.roster])
        self._update_roster_title()
        await self.query_one(PlanPane).show_segment(self.plan, self.clock.segment)
        self._tick()
        if not self.session.is_closed:
            self._ticking = self.set_interval(1.0, self._tick)
        self.watch(self.app, "privacy", self._privacy_changed, init=False)
        self.roster.focus()
        self._restore()

    def _restore(self) -> None:
        """Reopened after a close or a crash: say what was kept, reopen the form that was open."""
        if self.view.drafts:
            names = [self._who(pid) for pid in self.view.drafts]
            self.notify(f"Unsaved check-in draft kept for {', '.join(names)}", title="Restored")
        pid = self.view.runner.get("open_form")
        if pid and (pid in self.view.drafts) and not self.session.is_closed:
            self.roster.select_pid(pid)
            self.open_checkin(pid)

    def _set_titles(self) -> None:
        s = self.session
        # Who, privacy, CLOSED, the group and the session's number: what fits in 80 columns
        # beside the acting user. The session's title is the plan's own heading, shown whole.
        state = "CLOSED, read-only · " if s.is_closed else ""
        self.sub_title = (
            f"{state}{self.view.group.id} · {short_date(s.date)} · session {s.curriculum_session}"
        )

    # -- helpers -------------------------------------------------------------------------
    def _safe(self, fn, *args, **kwargs) -> Any:
        """Call a service; a refusal or bad input becomes a notification, never a traceback."""
        return self.facilitator_app.safely(fn, *args, **kwargs)

    def _entry(self, pid: str):
        return next(e for e in self.view.roster if e.participant.id == pid)

    def _who(self, pid: str) -> str:
        p = self._entry(pid).participant
        return p.first_name if privacy_on(self.app) else p.name

    def _row(self, pid: str) -> RosterRow:
        p = self._entry(pid).participant
        mark = self.view.record.attendance.get(pid)
        if pid in self.view.drafts:
            ci = "draft"
        elif pid in self.view.record.checkins:
            ci = "done"
        else:
            ci = ""
        return RosterRow(
            pid=pid,
            name=p.name,
            first_name=p.first_name,
            status=mark.status if mark else None,
            minutes_late=mark.minutes_late if mark else 0,
            checkin=ci,
            flags=self._flag_counts.get(pid, 0),
            in_room=bool(mark and mark.in_room),
        )

    def _refresh_row(self, pid: str) -> None:
        self.roster.update_row(self._row(pid))
        self._update_roster_title()

    def _update_roster_title(self) -> None:
        men = [e.participant.id for e in self.view.roster]
        marked = sum(1 for p in men if p in self.view.record.attendance)
        in_room = [p for p in men if (m := self.view.record.attendance.get(p)) and m.in_room]
        done = sum(1 for p in in_room if p in self.view.record.checkins)
        if self.session.is_closed:
            lock = "CORRECTING" if self.correcting else "CLOSED"
            self.query_one("#roster-title", Static).update(
                f"{lock} · {marked}/{len(men)} marked · {done}/{len(in_room)} check-ins",
                layout=False,
            )
            return
        # One line that never changes size: no layout pass (that would redo the whole screen).
        self.query_one("#roster-title", Static).update(
            f"Roster · {marked}/{len(men)} marked · {done}/{len(in_room)} check-ins", layout=False
        )

    def _save_runner(self) -> None:
        state = self.clock.to_dict() | {"open_form": self.form_pid or ""}
        self._safe(drafts.save_runner_state, self.office, self.sid, state)

    def _tick(self) -> None:
        # The curriculum session's own length, else the programme's usual one.
        minutes = getattr(self.plan, "minutes", 0) or int(
            self.office.setting("programme.session_minutes", 150)
        )
        self.query_one(TimerBar).show(self.clock, self.plan, minutes)
        wide = not self.query_one("#roster-pane").display
        self.query_one(SegmentList).show(self.clock, self.plan, wide)

    def _read_only(self) -> bool:
        """True (and said) when the session is closed and no correction was asked for."""
        if self.session.is_closed and not self.correcting:
            self.notify(
                "This session is closed: it is read-only. Ctrl+R makes a correction "
                "(you will be asked why).",
                title="CLOSED",
                severity="warning",
            )
            return True
        return False

    def action_correct(self) -> None:
        if not self.session.is_closed:
            self.notify("The session is open: changes need no correction", severity="warning")
            return
        self.correcting = not self.correcting
        if self.correcting:
            if self.query_one("#roster-pane").display:
                self.roster.focus()  # corrections are made on the roster's rows: its keys show
            self.notify(
                "Correcting a closed session: each change asks why and is kept. "
                "Ctrl+R again to stop."
            )
        else:
            self.notify("Read-only again")
        self._update_roster_title()
        self.refresh_bindings()

    def _correction(self, what: str, then) -> None:
        """A closed session changes only with a reason, which is kept with the change. The
        question names the man and the change: the cursor may have moved on since the key."""
        if not self.session.is_closed:
            then(None)
            return
        self.app.push_screen(
            AskScreen(f"Correction to closed session {self.sid}: {what}. Why?"),
            lambda reason: reason and then(reason),
        )

    # -- attendance ----------------------------------------------------------------------
    def on_roster_mark(self, event: Roster.Mark) -> None:
        event.stop()
        self.attendance_key(event.pid, event.status)

    def attendance_key(self, pid: str, status: str) -> None:
        """A status key on the roster: save at once, or ask the minutes or the reason first."""
        if self._read_only():
            return
        name = self._who(pid)

        def then(mark: Callable[[str], Any]) -> Callable[[str | None], None]:
            def answered(answer: str | None) -> None:
                if answer is None:  # cancelled: back to him, the round goes on from here
                    self.roster.select_pid(pid)
                else:
                    mark(answer)

            return answered

        if status == "late":
            current = self.view.record.attendance.get(pid)
            default = str(current.minutes_late) if current and current.minutes_late else "10"
            self.app.push_screen(
                AskScreen(
                    f"How many minutes late was {name}?", default, check=minutes_check, numbers=True
                ),
                then(lambda m: self.mark(pid, "late", minutes_late=int(m))),
            )
        elif status == "excused":
            self.app.push_screen(
                AskScreen(f"Reason for {name}'s excused absence?"),
                then(lambda r: self.mark(pid, "excused", reason=r)),
            )
        elif status == "left_early":
            self.app.push_screen(
                AskScreen(
                    f"{name} left early: minutes of the session he missed? (optional)",
                    check=optional_minutes_check,
                    numbers=True,
                ),
                then(lambda m: self.mark(pid, "left_early", minutes_missed=int(m or 0))),
            )
        else:
            self.mark(pid, status)

    def mark(
        self,
        pid: str,
        status: str,
        minutes_late: int = 0,
        minutes_missed: int = 0,
        reason: str = "",
    ) -> None:
        def save(correction: str | None) -> None:
            saved = self._safe(
                session_service.mark_attendance,
                self.office,
                self.sid,
                pid,
                status,
                minutes_late,
                minutes_missed,
                reason,
                correction,
            )
            if saved is None:
                return
            self.view.record.attendance[pid] = saved
            self._refresh_row(pid)

        late = f" ({minutes_late} min)" if status == "late" else ""
        self._correction(f"{self._who(pid)}'s attendance to {status.replace('_', ' ')}{late}", save)

    # -- check-in ------------------------------------------------------------------------
    def on_roster_open_check_in(self, event: Roster.OpenCheckIn) -> None:
        event.stop()
        self.open_checkin(event.pid)

    def open_checkin(self, pid: str) -> None:
        if self._read_only():
            return
        mark = self.view.record.attendance.get(pid)
        if mark is None or not mark.in_room:
            state = mark.status if mark else "not marked yet"
            self.notify(
                f"{self._who(pid)} is {state}: mark him present (p) or late (l) before his "
                "check-in",
                severity="warning",
            )
            return
        if self.form_pid and self.form_pid != pid and not self._flush_draft():
            return  # the open form is not saved: it stays rather than give way to another man's
        fields = None
        if pid in self.view.drafts:
            fields = self.view.drafts[pid]
        elif pid in self.view.record.checkins:
            fields = self.view.record.checkins[pid].to_dict()
        self.form_pid = pid
        self.form.load(pid, self._form_title(pid), fields)
        self._save_runner()
        if privacy_on(self.app):
            self.query_one(ContentSwitcher).current = "privacy-cover"
            return
        self.query_one(ContentSwitcher).current = "checkin"
        self.form.focus_first()
        self._refresh_suggestions()

    def _form_title(self, pid: str) -> str:
        p = self._entry(pid).participant
        title = f"Check-in: {self._who(pid)} ({p.id})"
        if pid in self.view.drafts:
            title += "\n✎ draft restored: Ctrl+S saves it"
        elif pid in self.view.record.checkins:
            title += "\n✔ saved; a change needs Ctrl+S again"
        return title

    def on_check_in_form_changed(self, event: CheckInForm.Changed) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self._after_typing)

    def _after_typing(self) -> None:
        self._debounce = None
        self._flush_draft()
        self._refresh_suggestions()

    def _flush_draft(self, leaving: bool = False) -> bool:
        """Save what is on the form as his draft; a failure is said. False when it failed:
        then the form must stay open, since it is the only place his words still are.
        `leaving`: the screen is being removed, so the fields come from the form's last change
        and nothing on screen is updated."""
        pid = self.form_pid
        if not pid:
            return True
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        fields = self._checkin_form.last_fields if leaving else self.form.fields()
        saved = self.view.record.checkins.get(pid)
        if saved is not None and all(saved.to_dict().get(k) == v for k, v in fields.items()):
            return True  # nothing changed since it was saved
        if self.view.drafts.get(pid) == fields:
            return True
        try:
            drafts.save_checkin_draft(self.office, self.sid, pid, fields)
        except Exception as err:  # noqa: BLE001 - never a traceback, never silence: say it
            self._draft_not_saved(pid, err, leaving)
            return False
        self.view.drafts[pid] = fields
        if not leaving:
            self._refresh_row(pid)
        return True

    def _draft_not_saved(self, pid: str, err: Exception, leaving: bool) -> None:
        """Say which man's check-in was not saved (his id, never his words). While the screen is
        open the form still holds it; when leaving it is lost, so the loss is also audited and
        kept for the app to repeat on the terminal once the UI has closed."""
        reason = (
            err.message if isinstance(err, FacilitatorError) else f"{type(err).__name__}: {err}"
        )
        if not leaving:
            self.notify(
                f"Check-in draft for {pid} NOT saved: {reason}", severity="error", timeout=10
            )
            return
        message = (
            f"Check-in draft for {pid} in session {self.sid} was NOT saved when the screen closed "
            f"({reason}): write his check-in again from your notes"
        )
        try:
            drafts.record_not_saved(self.office, self.sid, pid, type(err).__name__)
        except Exception:  # noqa: BLE001 - the workspace may be what failed: the message still goes out
            message += " (the audit log could not record this either)"
        self.notify(message, title="Check-in lost", severity="error", timeout=30)
        self.facilitator_app.not_saved.append(message)

    def action_save_checkin(self) -> None:
        pid = self.form_pid
        if not pid or self.query_one(ContentSwitcher).current != "checkin":
            self.notify(
                "Open a man's check-in first: Enter on his row in the roster", severity="warning"
            )
            return
        self.save_checkin()

    def save_checkin(self, then=None) -> None:
        pid = self.form_pid
        if pid is None:
            return  # no form open: nothing to save
        fields = self.form.fields()
        try:
            entry = CheckIn(participant_id=pid, **fields)
        except InvalidInput as err:
            self.notify(err.message, severity="error", timeout=8)
            return

        def save(correction: str | None) -> None:
            recorded = self._safe(
                session_service.record_checkin, self.office, self.sid, entry, correction
            )
            if recorded is None:
                return
            saved = recorded.checkin
            self.view.record.checkins[pid] = saved
            self.view.drafts.pop(pid, None)
            self._safe(drafts.discard_checkin_draft, self.office, self.sid, pid)
            self._refresh_row(pid)
            self.form.set_title(self._form_title(pid))
            items = self._refresh_suggestions()
            if then is not None:
                then()
                return
            if any(i.open for i in items):
                # Said in the form's title, not a toast: a toast would cover the suggestions
                # just when they must be read.
                self.form.set_title(
                    f"Check-in: {self._who(pid)} ({pid})\n✔ saved · now Enter confirms or d "
                    "dismisses each risk suggestion"
                )
                self.query_one(SuggestionList).focus()
                return
            self.notify(f"Saved {self._who(pid)}'s check-in")
            self.leave_form()

        self._correction(f"{self._who(pid)}'s check-in", save)

    def leave_form(self) -> None:
        if not self._flush_draft():
            return  # not saved: the form stays, with his words, until it can be saved
        pid, self.form_pid = self.form_pid, None
        self._save_runner()
        self.query_one(ContentSwitcher).current = "plan"
        self.roster.focus()
        if pid and pid in self.view.record.checkins and pid not in self.view.drafts:
            # His is done: the cursor goes on to the next man still to check in.
            nxt = self.roster.next_pid(pid, lambda r: r.in_room and r.checkin != "done")
            if nxt:
                self.roster.select_pid(nxt)

    # -- risk suggestions ----------------------------------------------------------------
    def _refresh_suggestions(self) -> list[SuggestionItem]:
        pid = self.form_pid
        if not pid:
            return []
        items: list[SuggestionItem] = []
        covered: set[str] = set()
        for s in self._safe(risk_suggestions.suggestions_for, self.office, self.sid, pid) or []:
            covered.update(s.categories)
            items.append(
                SuggestionItem(
                    key=s.id,
                    categories=list(s.categories),
                    severity=s.severity,
                    matches=[m.get("match", "") for m in s.matches],
                    status=s.status or "pending",
                    suggestion_id=s.id,
                    flag_id=s.flag_id or "",
                    reason=s.reason or "",
                )
            )
        draft = self._draft_checkin(pid)
        for ind in self._safe(risk_suggestions.checkin_indicators, self.office, draft) or []:
            if ind["category"] not in covered:
                items.append(
                    SuggestionItem(
                        key=f"live-{ind['category']}",
                        categories=[ind["category"]],
                        severity=ind["severity"],
                        matches=[ind["match"]],
                    )
                )
        self.query_one(SuggestionList).show_items(items)
        return items

    def _draft_checkin(self, pid: str) -> CheckIn:
        """The form as a check-in, to scan while it is written: its answers when they hold
        together, else its words alone (the saved one is checked in full)."""
        fields = self.form.fields()
        try:
            return CheckIn(participant_id=pid, **fields)
        except InvalidInput:
            words = {
                k: fields.get(k, "")
                for k in ("summary", "alternatives_used", "circumstances_note", "substance_use")
            }
            return CheckIn(participant_id=pid, **words)

    def on_suggestion_list_decide(self, event: SuggestionList.Decide) -> None:
        event.stop()
        item = event.item
        if item.status == "live":
            # A suggestion is kept with the saved check-in: save it first, then decide.
            self.save_checkin(then=lambda: self._decide_live(item, event.confirm))
            return
        self._decide(item, event.confirm)

    def _decide_live(self, item: SuggestionItem, confirm: bool) -> None:
        items = self._refresh_suggestions()
        stored = next(
            (
                i
                for i in items
                if i.suggestion_id and i.open and set(item.categories) & set(i.categories)
            ),
            None,
        )
        if stored is not None:
            self._decide(stored, confirm)
        elif confirm and self.form_pid is not None:
            self._raise(
                FlagRequest(self.form_pid, item.categories[0], item.severity, self._flag_summary())
            )
        else:
            self.notify(
                "Nothing to dismiss: the saved check-in raised no suggestion for this",
                severity="warning",
            )

    def _decide(self, item: SuggestionItem, confirm: bool) -> None:
        if confirm and len(item.categories) > 1:
            # Several categories: the facilitator says which go into the flag (all, by default).
            def chosen(choice: CategoryChoice | None) -> None:
                if choice is not None:
                    self._confirm(item, choice.categories, choice.reason)

            self.app.push_screen(ConfirmCategoriesDialog(item.categories, item.matches), chosen)
            return
        if confirm:
            self._confirm(item)
            return

        def dismissed(reason: str | None) -> None:
            if (
                reason
                and self._safe(
                    risk_suggestions.dismiss_suggestion, self.office, item.suggestion_id, reason
                )
                is not None
            ):
                self.notify("Suggestion dismissed; the reason is kept")
                self._refresh_suggestions()

        self.app.push_screen(
            AskScreen("Why is this not a risk? (kept with the dismissal)"), dismissed
        )

    def _confirm(
        self, item: SuggestionItem, categories: list[str] | None = None, reason: str = ""
    ) -> None:
        flag = self._safe(
            risk_suggestions.confirm_suggestion,
            self.office,
            item.suggestion_id,
            summary=self._flag_summary(),
            categories=categories,
            reason=reason or None,
        )
        if flag is not None:
            self._announce(flag)
            self._after_flag(self.form_pid)

    def _flag_summary(self) -> str:
        summary = self.form.fields().get("summary", "").strip() if self.form_pid else ""
        return (
            summary or f"Disclosed in the group session of {self.session.date}; details at review"
        )

    def _after_flag(self, pid: str | None) -> None:
        if pid:
            self._flag_counts[pid] = self._flag_counts.get(pid, 0) + 1
            self._refresh_row(pid)
        if self.form_pid:
            self._refresh_suggestions()

    # -- flags by hand -------------------------------------------------------------------
    def action_flag(self) -> None:
        if not self.view.roster:
            self.notify("No men on this group's roster", severity="warning")
            return
        men = [
            (self._who(e.participant.id) + f" ({e.participant.id})", e.participant.id)
            for e in self.view.roster
        ]
        selected = self.form_pid or self.roster.selected_pid
        # What the form already says about him is the best first summary; else a plain line.
        summary = self._flag_summary()
        categories = self._safe(risk_settings.categories_by_severity, self.office) or []
        self.app.push_screen(FlagDialog(men, selected, categories, summary), self._raise)

    def _raise(self, request: FlagRequest | None) -> None:
        if request is None:
            return
        flag = self._safe(
            risk_flags.raise_flag,
            self.office,
            request.participant_id,
            [request.category],
            request.summary,
            severity=request.severity,
            session_id=self.sid,
        )
        if flag is None:
            return
        self._announce(flag)
        self._after_flag(request.participant_id)

    def _announce(self, flag) -> None:
        """Say the flag is in the queue, and by when it must be reviewed (not in privacy mode)."""
        if privacy_on(self.app):
            self.notify(f"Flag {flag.id} recorded", title="Flag raised")
            return
        due = flag.deadline[:16].replace("T", " ")
        if flag.deadline[:10] == clock.today().isoformat():
            due = "today " + flag.deadline[11:16]
        cats = ", ".join(label(c) for c in flag.categories)
        self.notify(
            f"{flag.id}: {cats} ({flag.severity.upper()}); review by {due}. It is in the risk "
            "queue.",
            title="Flag raised",
            timeout=8,
        )

    # -- curriculum ----------------------------------------------------------------------
    async def _go(self, step: int) -> None:
        if not self.segments:
            return
        if self.clock.go_to(self.clock.segment + step):
            self._save_runner()
            await self.query_one(PlanPane).show_segment(self.plan, self.clock.segment)
            self._tick()

    async def action_next_segment(self) -> None:
        await self._go(1)

    async def action_previous_segment(self) -> None:
        await self._go(-1)

    def action_pause(self) -> None:
        if self.session.is_closed:
            self.notify("This session is closed: its timers are stopped", severity="warning")
            return
        running = self.clock.toggle_pause()
        self._save_runner()
        self._tick()
        self.notify("Timers running" if running else "Timers paused (space resumes)")

    def action_toggle_plan(self) -> None:
        pane = self.query_one("#roster-pane")
        pane.display = not pane.display
        self._tick()  # the hint says what m does now
        if not pane.display and self.query_one(ContentSwitcher).current == "plan":
            self.query_one("#guidance-scroll").focus()
        elif pane.display:
            self.roster.focus()

    # -- privacy -------------------------------------------------------------------------
    def _privacy_changed(self, privacy: bool) -> None:
        self.roster.set_privacy(privacy)
        switcher = self.query_one(ContentSwitcher)
        if self.form_pid:
            if privacy:
                self._flush_draft()
                switcher.current = "privacy-cover"
                self.roster.focus()
            else:
                self.form.set_title(self._form_title(self.form_pid))
                switcher.current = "checkin"

    # -- leaving and closing -------------------------------------------------------------
    def action_back(self) -> None:
        if self.form_pid and self.query_one(ContentSwitcher).current in (
            "checkin",
            "privacy-cover",
        ):
            self.leave_form()
            return
        if not self._flush_draft():
            return
        self._save_runner()
        self.app.pop_screen()

    def on_unmount(self) -> None:
        # Leaving by quitting: what is on the form goes to the draft, or the failure is said
        # (and audited): a check-in is never lost in silence.
        self._flush_draft(leaving=True)

    def action_close_session(self) -> None:
        if self.session.is_closed:
            self.notify(f"Session {self.sid} is already closed", severity="warning")
            return
        if not self._flush_draft():
            return  # a check-in that cannot be saved holds the session open
        record = self._safe(session_store.get_session, self.office, self.sid)
        if record is None:
            return
        self.view.record = record
        missing = self._safe(session_service.missing_before_close, self.office, record) or []
        if privacy_on(self.app):
            for e in self.view.roster:
                missing = [m.replace(e.participant.name, e.participant.first_name) for m in missing]
        missing += [f"{self._who(pid)}: check-in draft not saved" for pid in self.view.drafts]
        title = f"Close session {self.sid}?"
        if missing:
            title += f"  {len(missing)} thing(s) missing:"
        self.app.push_screen(
            ConfirmScreen(
                title,
                missing,
                yes="y: close anyway" if missing else "y: close and lock it",
                no="n / Esc: go back",
                enter_is_yes=False,
            ),
            self._close_confirmed,
        )

    def _close_confirmed(self, yes: bool | None) -> None:
        if not yes:
            return
        result = self._safe(session_service.close_session, self.office, self.sid, True)
        if result is None:
            return
        session, _missing = result
        self.view.record.session = session
        self.form_pid = None
        if self._ticking is not None:
            self._ticking.stop()
        if self.clock.running:
            self.clock.toggle_pause()
        self._tick()
        self._safe(drafts.remove_drafts, self.office, self.sid)
        self.view.drafts.clear()
        self.query_one(ContentSwitcher).current = "plan"
        self._set_titles()
        for e in self.view.roster:
            self._refresh_row(e.participant.id)
        self.notify(f"Session {self.sid} closed and locked")
        self.refresh_bindings()
        self.app.push_screen(
            ConfirmScreen(
                "Session closed. Write the debrief now?",
                [],
                yes="y / Enter: write it now",
                no="n / Esc: later (it shows as due at home)",
            ),
            self._debrief_answer,
        )

    def _debrief_answer(self, now: bool | None) -> None:
        if now:
            self.facilitator_app.open_debrief(self.sid, after=self.app.pop_screen)
        else:
            self.app.pop_screen()

    def action_help(self) -> None:
        self.facilitator_app.action_help()

    # -- for the command palette ---------------------------------------------------------
    def palette_commands(self):
        yield ("Flag a disclosure", "Raise a risk flag for a man, now", self.action_flag)
        yield (
            "Close the session",
            "Close and lock this session, then offer the debrief",
            self.action_close_session,
        )
        yield ("Next segment", "Move the plan to the next segment", self.action_next_segment)
        yield ("Previous segment", "Move the plan back a segment", self.action_previous_segment)
        yield ("Pause or resume the timers", "Segment and session timers", self.action_pause)
        yield ("Plan full width", "Hide or show the roster", self.action_toggle_plan)
        yield ("Back to home", "The session stays open; everything is saved", self.action_back)
        pid = self.roster.selected_pid
        if pid:
            yield (
                f"Intake checklist: {self._who(pid)}",
                "His intake steps, done or not",
                lambda: self.app.push_screen(IntakeChecklistScreen(pid)),
            )
            yield (
                f"Case file: {self._who(pid)}",
                "His details, agencies, children and case notes",
                lambda: self.app.push_screen(CaseFileScreen(pid)),
            )
