"""Staff members and the roles that decide what they may open."""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitator.domain.record import Record
from facilitator.domain.values import check_choices, require_text
from facilitator.errors import InvalidInput

ROLES = ("facilitator", "coordinator", "partner_support", "admin")


@dataclass
class Staff(Record):
    id: str
    name: str
    roles: list[str] = field(default_factory=lambda: ["facilitator"])
    # A member who has left is kept, so records still name who did what, but can no longer act.
    deactivated_on: str = ""
    deactivated_reason: str = ""

    def __post_init__(self) -> None:
        self.name = require_text(self.name, "staff name")
        self.id = require_text(self.id, "staff id").lower()
        if not self.id.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise InvalidInput(
                f"staff id '{self.id}' may use only letters, digits, '-', '_' and '.'"
            )
        self.roles = check_choices(self.roles or [], ROLES, "role")
        if not self.roles:
            raise InvalidInput(
                f"staff member {self.name} needs at least one role: {', '.join(ROLES)}"
            )

    @property
    def is_active(self) -> bool:
        return not self.deactivated_on

    def has_role(self, *roles: str) -> bool:
        return self.is_active and any(r in self.roles for r in roles)
