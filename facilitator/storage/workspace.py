"""A workspace: one programme's folder of settings, stores, curricula and debrief notes.

facilitator.toml   programme settings and staff
data/              the JSON stores, the audit log and the write lock
curricula/         the curricula groups run on
session_notes/     debrief notes, one Markdown file per session
"""

from __future__ import annotations

import copy
import getpass
import os
import shutil
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from facilitator.errors import StoreError, WorkspaceError
from facilitator.storage import journal
from facilitator.storage.audit import AuditLog
from facilitator.storage.files import atomic_write_text, ensure_private_dir

SETTINGS_FILE = "facilitator.toml"
ENV_WORKSPACE = "FACILITATOR_WORKSPACE"
LOCK_TIMEOUT_SECONDS = 15

DEFAULT_SETTINGS: dict[str, Any] = {
    "programme": {
        "name": "Unnamed programme",
        "default_user": "",
        "privacy_mode_default": False,
        "session_minutes": 150,
        # Public holidays for working-day deadlines: an ISO 3166 country code and its region
        # (GB: ENG for England and Wales, SCT, NIR); "" for the programme's own days only.
        "country": "GB",
        "subdivision": "ENG",
        # The letterhead of every letter (letters/templates/*.docx): where replies go.
        "address": "",
        "phone": "",
        "secure_email": "",
        "charity_number": "",
    },
    "rules": {
        # Each programme sets its own rules: these are common defaults seen in practice.
        "min_attendance_percent": 80,
        "unexcused_absences_allowed": 4,  # the 5th means a suspension review
        "consecutive_unexcused_allowed": 2,
        "late_minutes_count_as_absence": 30,
        "sessions_required": 0,  # 0: every curriculum session
        "referrer_notice_working_days": 1,
        "min_facilitators": 2,  # who must be named to run a group
        # Compliance (docs/rules.md): the percentage is judged after this many sessions.
        "min_attendance_after_sessions": 6,
        # The programme's own closure days, YYYY-MM-DD, beside the public holidays: notice
        # deadlines skip both.
        "holidays": [],
    },
    "risk": {
        "deadline_hours": {
            "critical": 0,
            "high": 24,
            "medium": 168,
        },  # 0: by the end of the same day
        "working_day_severities": ["high"],  # their hours count Monday to Friday only
        # separation + control + violence within this many days: critical
        "cluster_window_days": 180,
        # category id -> severity, over the rules file's (e.g. animal_harm = "high")
        "severity": {},
        "reassessment_weeks": 8,
        # Who reviews and closes flags (admins always may); facilitators raise and confirm.
        "review_roles": ["coordinator"],
        # A critical flag closed only by someone other than its sole reviewer.
        "critical_close_by_another": False,
    },
    "ui": {
        # The terminal UI's look: "dark", "light" or any Textual theme name (Ctrl+P changes it for a
        # run).
        "theme": "dark",
    },
    "debrief": {
        "due_hours": 48,  # a closed session's debrief is due this long after the session
        # YYYY-MM-DD: sessions before it are never due (when debriefs began in the tool)
        "due_from": "",
    },
    "intake": {
        # Before a man joins a group: what his intake must hold.
        "assessment_sessions_required": 2,
        "agreements": ["programme_agreement", "information_sharing", "partner_contact_consent"],
        "reasons": [
            "denies_any_violence",
            "acute_mental_illness",
            "chaotic_substance_use",
            "not_willing_to_change",
            "needs_not_met_in_a_group",
            "risk_not_manageable_in_a_group",
            "refused_programme_agreement",
            "refused_information_sharing",
            "refused_partner_contact_consent",
            "waiting_for_court_outcome",
            "other",
        ],
        # One-to-one session kinds whose curriculum session counts toward completion.
        "one_to_one_counts_toward_completion": ["catch_up"],
    },
    "partner": {
        # Empty: <workspace>/partner. Another drive keeps it apart from the group side's files.
        "store_path": "",
        # Days partner support has to make contact after each point in his programme.
        "contact_within_days": {
            "intake": 14,
            "not_suitable": 3,
            "exclusion": 3,
            "start": 7,
            "suspension": 3,
            "exit": 3,
            "completion": 14,
            "follow_up": 14,
        },
        "follow_up_weeks": [26],
    },
    "backup": {
        # Empty folder: `facilitator backup` writes where it is run unless given -o.
        "folder": "",
        "keep": 10,  # the newest N archives kept in the folder; 0 keeps all
        "warn_after_days": 7,  # the home screen warns past this; 0 switches the warning off
        "key_file": "",  # a key file instead of a passphrase (made by `backup keygen`)
    },
    "retention": {
        # Years a man's records are kept after his case closed (completed or exited), by kind.
        # Six years: the usual UK limitation-based default. Child-protection concerns longer.
        "action": "delete",  # or "anonymise": keep records for figures, without who or what
        "years": {
            "participant": 6,
            "enrolments": 6,
            "sessions": 6,
            "flags": 6,
            "assessments": 6,
            "intake": 6,
            "notes": 6,
            "compliance": 6,
            "letters": 6,  # letters written about him, and the record of each
            "partner": 6,
            "other": 6,
        },
        "child_protection_years": 25,
        "child_protection_categories": ["child_safeguarding"],
        "child_protection_actions": ["safeguarding_referral"],
    },
    "outcomes": {
        # Time points after the WWP EN IMPACT approach: weeks after an anchor in his
        # programme (intake, start, mid = half the curriculum, end = he left); window_weeks: how
        # long a point stays due before it counts as missed.
        "time_points": [
            {"id": "intake", "label": "Intake", "after": "intake", "weeks": 0, "window_weeks": 6},
            {"id": "mid", "label": "Mid-programme", "after": "mid", "weeks": 0, "window_weeks": 4},
            {
                "id": "end",
                "label": "End of programme",
                "after": "end",
                "weeks": 0,
                "window_weeks": 6,
            },
            {
                "id": "follow_up_6m",
                "label": "6-month follow-up",
                "after": "end",
                "weeks": 26,
                "window_weeks": 8,
                "completers_only": True,
            },
            {
                "id": "follow_up_12m",
                "label": "12-month follow-up",
                "after": "end",
                "weeks": 52,
                "window_weeks": 8,
                "completers_only": True,
            },
        ],
        # empty: <workspace>/questionnaires.toml if present, else the bundled one
        "questionnaires_file": "",
        # partner answers leave the wall only as aggregates over this many
        "partner_min_partners": 5,
    },
    "figures": {
        "min_count": 5,  # programme figures: counts from 1 to this minus one are shown as "<N"
    },
    "quality": {
        # Staff training and supervision. Set to your accreditation's requirements.
        "supervision_interval_weeks": 6,
        "supervised_roles": ["facilitator", "partner_support"],
        "core_training_hours": 30,
        "refresher_months": 12,  # 0: no refresher required
        "training_kinds": ["core", "refresher", "safeguarding", "risk_assessment", "other"],
    },
    "staff": [],
}


def default_workspace_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("facilitator", appauthor=False)) / "workspace"


def resolve_workspace_path(option: str | os.PathLike | None) -> Path:
    if option:
        return Path(option).expanduser()
    env = os.environ.get(ENV_WORKSPACE)
    if env:
        return Path(env).expanduser()
    return default_workspace_path()


def _merge(defaults: dict, given: dict) -> dict:
    # A deep copy: a caller that changes the merged settings (appends to `staff`) must never
    # change the defaults every later read starts from.
    out = copy.deepcopy(defaults)
    for key, value in given.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


class Workspace:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._settings: dict[str, Any] | None = None
        self._settings_stamp: tuple[int, int] | None = None
        self._held = threading.local()  # how deep this thread is in lock()
        self.audit_log: AuditLog | None = None  # the Stores' own, when it has one
        self.last_recovery: journal.Recovery | None = None

    # -- places -------------------------------------------------------------------------
    @property
    def settings_file(self) -> Path:
        return self.path / SETTINGS_FILE

    @property
    def data_dir(self) -> Path:
        return self.path / "data"

    @property
    def curricula_dir(self) -> Path:
        return self.path / "curricula"

    @property
    def notes_dir(self) -> Path:
        return self.path / "session_notes"

    @property
    def audit_file(self) -> Path:
        return self.data_dir / "audit.jsonl"

    def exists(self) -> bool:
        return self.settings_file.is_file()

    def require(self) -> Workspace:
        if not self.exists():
            raise WorkspaceError(
                f"no workspace at {self.path}: create one, or pass --workspace",
                command=f"facilitator init {self.path}",
            )
        return self

    # -- settings -----------------------------------------------------------------------
    @property
    def settings(self) -> dict[str, Any]:
        """The settings, read again whenever the file has changed: a UI left open sees a
        member deactivated, or a rule changed, from another terminal at its next action."""
        try:
            info = self.settings_file.stat()
            stamp: tuple[int, int] | None = (info.st_mtime_ns, info.st_size)
        except OSError:
            stamp = None  # read_settings says what is wrong
        if self._settings is None or stamp is None or stamp != self._settings_stamp:
            self._settings = self.read_settings()
            self._settings_stamp = stamp
        return self._settings

    def read_settings(self) -> dict[str, Any]:
        self.require()
        try:
            given = tomllib.loads(self.settings_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise WorkspaceError(
                f"settings file {self.settings_file} does not parse: {err}"
            ) from None
        for key, default in DEFAULT_SETTINGS.items():
            value = given.get(key)
            if value is None:
                continue
            if isinstance(default, dict) and not isinstance(value, dict):
                raise WorkspaceError(
                    f"settings file {self.settings_file}: '{key}' should be a [{key}] section"
                )
            if key == "staff" and not (
                isinstance(value, list) and all(isinstance(s, dict) for s in value)
            ):
                raise WorkspaceError(
                    f"settings file {self.settings_file}: 'staff' should be a list of "
                    "[[staff]] entries"
                )
        return _merge(DEFAULT_SETTINGS, given)

    def write_settings(self, settings: dict[str, Any]) -> None:
        """Caller holds the lock. Writes atomically; comments in the file are not kept.

        Refused when the file on disk lacks a section or the staff list this tool always
        writes: it has lost part of itself (cut short, or a bad edit), and writing it back
        merged with the defaults would make the loss permanent."""
        import tomli_w

        self._check_complete()
        atomic_write_text(self.settings_file, tomli_w.dumps(settings))
        self._settings = None

    def missing_sections(self) -> list[str]:
        """Top-level sections (and `staff`) every settings file this tool writes has, that the
        file on disk lacks; [] when it is whole or does not exist yet."""
        try:
            given = tomllib.loads(self.settings_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise WorkspaceError(
                f"settings file {self.settings_file} does not parse: {err}; it was not rewritten"
            ) from None
        return [key for key in DEFAULT_SETTINGS if key not in given]

    def _check_complete(self) -> None:
        missing = self.missing_sections()
        if missing:
            what = ", ".join("staff list" if k == "staff" else f"[{k}]" for k in missing)
            raise WorkspaceError(
                f"settings file {self.settings_file} has lost its {what}: restore it from a "
                "backup or put it back by hand; it was not rewritten"
            )

    def setting(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.settings
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    # -- locking ------------------------------------------------------------------------
    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive across processes for every read-modify-write on this workspace.

        The lock is a separate file: the data files are replaced by rename, which would
        swap a lock held on them out from under the holder.
        """
        from filelock import FileLock, Timeout

        depth = getattr(self._held, "depth", 0)
        if depth:
            # Already held by this thread: a second lock file handle would wait for itself.
            self._held.depth = depth + 1
            try:
                yield
            finally:
                self._held.depth = depth
            return
        ensure_private_dir(self.data_dir)
        lock = FileLock(str(self.data_dir / ".lock"), timeout=LOCK_TIMEOUT_SECONDS, mode=0o600)
        try:
            with lock:
                self._held.depth = 1
                try:
                    self._recover()
                    yield
                finally:
                    self._held.depth = 0
        except Timeout:
            raise StoreError(
                f"workspace {self.path} is busy: another facilitator process has held its lock "
                f"for {LOCK_TIMEOUT_SECONDS} s; try again"
            ) from None

    def _recover(self) -> None:
        """Under the lock: finish what a killed process left half-written, and remove the
        temporary files killed writes left."""
        log = self.audit_log or AuditLog(self.audit_file)
        found = journal.recover(self.data_dir, log, settings_dir=self.path)
        if found.replayed or found.temp_removed:
            self.last_recovery = found

    def recover_if_interrupted(self) -> None:
        """For readers: a journal left on disk means an action stopped half way; take the
        lock (which finishes it) before reading. One stat when there is none."""
        if getattr(self._held, "depth", 0):
            return
        if journal.pending(self.data_dir):
            with self.lock():  # taking the lock replays the journal (see lock())
                pass

    def tidy_on_open(self) -> None:
        """On opening: when a killed process left a journal or temporary files (two short
        folder listings to find out), take the lock, which finishes and removes them."""
        if getattr(self._held, "depth", 0):
            return
        if journal.needs_recovery(self.data_dir, self.path):
            with self.lock():  # taking the lock replays the journal and sweeps leftovers
                pass

    # -- creating -----------------------------------------------------------------------
    @classmethod
    def init(
        cls, path: str | os.PathLike, programme_name: str = "", curricula_source: Path | None = None
    ) -> Workspace:
        ws = cls(path)
        if ws.exists():
            raise WorkspaceError(f"{ws.path} is already a workspace; nothing was changed")
        if ws.path.exists() and any(ws.path.iterdir()):
            raise WorkspaceError(
                f"{ws.path} exists and is not empty; choose an empty or new folder"
            )
        ensure_private_dir(ws.path)
        for sub in (ws.data_dir, ws.curricula_dir, ws.notes_dir):
            ensure_private_dir(sub)
        settings = _merge(DEFAULT_SETTINGS, {})
        if programme_name:
            settings["programme"]["name"] = programme_name
        with ws.lock():
            ws.write_settings(settings)
        if curricula_source and curricula_source.is_dir():
            _copy_private(curricula_source, ws.curricula_dir)
        return ws

    def acting_user(self, given: str | None) -> str:
        return given or self.setting("programme.default_user") or getpass.getuser()


def _copy_private(src: Path, dest: Path) -> None:
    for item in sorted(src.rglob("*")):
        rel = item.relative_to(src)
        target = dest / rel
        if item.is_dir():
            ensure_private_dir(target)
        elif item.is_file():
            ensure_private_dir(target.parent)
            shutil.copyfile(item, target)
            os.chmod(target, 0o600)
