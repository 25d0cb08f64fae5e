"""Turning domain dataclasses into the plain dicts the stores hold, and back."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

from facilitator.errors import RecordDamaged

T = TypeVar("T", bound="Record")


class Record:
    """Mixin for dataclasses stored as JSON: dates are kept as ISO strings already."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        # Ignore keys a newer version may have added, so old code can still read.
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        names = {f.name for f in fields}
        missing = [
            f.name
            for f in fields
            if f.name not in data
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
            and f.init
        ]
        if missing:
            kind = re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()
            ident = data.get("id") or data.get("participant_id") or "without an id"
            raise RecordDamaged(
                f"a {kind} record ({ident}) is missing its {', '.join(missing)}: the file was "
                "edited or damaged; restore it from a backup"
            )
        return cls(**{k: v for k, v in dict(data).items() if k in names})
