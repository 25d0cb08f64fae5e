"""A staff member's own choices for the UI, kept in the workspace settings beside the
programme's (ui.themes.<staff id>), so the theme chosen in the UI is the one the next launch
opens with, for that member only. The programme's ui.theme is the default for everyone else."""

from __future__ import annotations

from facilitator.domain.values import check_choice
from facilitator.errors import FacilitatorError
from facilitator.services.core.office import Office

THEMES = ("dark", "light")


def _member(office: Office) -> str:
    try:
        return office.user or ""
    except FacilitatorError:
        return ""


def theme_for(office: Office) -> str:
    """The acting member's theme, else the programme's default (which may name any theme)."""
    own = (office.setting("ui.themes", {}) or {}).get(_member(office), "")
    return str(own or office.setting("ui.theme", "dark"))


def keep_theme(office: Office, theme: str) -> None:
    """Remember the acting member's theme for the next launch (audited, the name only)."""
    theme = check_choice(theme, THEMES, "theme")
    member = _member(office)
    if not member:
        return
    with office.stores.writing():
        settings = office.ws.read_settings()
        themes = settings.setdefault("ui", {}).setdefault("themes", {})
        if themes.get(member) == theme:
            return
        themes[member] = theme
        office.ws.write_settings(settings)
        office.stores.audit.record(member, "set", "ui_theme", member, theme=theme)
