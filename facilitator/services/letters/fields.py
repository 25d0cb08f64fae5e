"""The placeholders a letter template may use: the one allow-list of what a letter can hold.

Templates are edited by the programme in Word, so a template can ask for anything. It is given
only what is named here, built by context.py from records a letter may carry (his referral,
his group dates, attendance marks without the reasons typed with them, session titles, his
compliance standing, the coordinator's engagement summary, the intake decision's outcome and
reasons). Nothing from partner contact, check-ins, debriefs or risk flags is ever among them.
A placeholder not named here is refused by name (`UnknownPlaceholder`), never left blank.
"""

from __future__ import annotations

from typing import Any

# Each top-level placeholder and the names under it: `{{ man.name }}`, `{{ programme.phone }}`.
FIELDS: dict[str, tuple[str, ...]] = {
    "programme": ("name", "address", "phone", "secure_email", "charity_number"),
    "to": ("name", "organisation", "address", "reference", "salutation"),
    "referrer": ("name", "organisation", "reference"),
    "man": (
        "name",
        "first_name",
        "id",
        "date_of_birth",
        "referrer_reference",
        "referral_source",
        "referred_on",
        "status",
    ),
    "order": ("label", "limits"),
    "letter": ("id", "kind", "title", "date", "date_iso"),
    "standing": ("label", "reason"),
    "attendance": ("held", "attended", "excused", "unexcused", "percent", "longest_run", "rows"),
    "sessions": ("required", "covered_count", "to_do_count", "covered", "to_do"),
    "group": ("name", "weekday", "time", "location", "joined", "left"),
    "engagement": ("text", "by"),
    "signed": ("name", "role"),
    "assessment": ("outcome", "outcome_id", "date", "reasons", "sessions_required", "appointments"),
    "breach": ("what", "on", "due", "task"),
    "warning": ("unexcused", "allowed", "in_a_row", "in_a_row_allowed", "source"),
    "ending": ("status", "status_words", "on", "completed", "statement"),
    "invitation": ("first_session", "time", "group_name", "location"),
}
# Lists whose items have names of their own (`{%tr for r in attendance.rows %}{{ r.date }}`).
ITEMS: dict[str, tuple[str, ...]] = {
    "attendance.rows": ("date", "session", "title", "attendance"),
    "sessions.covered": ("number", "title"),
    "sessions.to_do": ("number", "title"),
}


class Fields:
    """A group of placeholder values that names itself when asked for one it does not hold."""

    def __init__(self, path: str, values: dict[str, Any]):
        self._path = path
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        # Only reached for names not set: the template engine then reports it as undefined.
        raise AttributeError(name)

    def __str__(self) -> str:
        return ""

    def as_dict(self) -> dict[str, Any]:
        return {k: _plain(v) for k, v in self.__dict__.items() if not k.startswith("_")}


def _plain(value: Any) -> Any:
    if isinstance(value, Fields):
        return value.as_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def build(values: dict[str, dict[str, Any]]) -> dict[str, Fields]:
    """The context for a template: exactly the allow-list, every name present (an empty
    string where this letter has nothing for it), anything else dropped."""
    out: dict[str, Fields] = {}
    for top, names in FIELDS.items():
        given = values.get(top, {})
        group: dict[str, Any] = {}
        for name in names:
            value = given.get(name, "")
            path = f"{top}.{name}"
            if path in ITEMS:
                value = [
                    Fields(f"{path} item", {k: row.get(k, "") for k in ITEMS[path]})
                    for row in (value or [])
                ]
            group[name] = value
        out[top] = Fields(top, group)
    return out


def known(path: str) -> bool:
    """Whether `man.name`-style dotted path names an allowed placeholder."""
    top, _, rest = path.partition(".")
    if top not in FIELDS:
        return False
    return not rest or rest in FIELDS[top]
