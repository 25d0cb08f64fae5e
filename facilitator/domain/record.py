"""Turning domain dataclasses into the plain dicts the stores hold, and back."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T", bound="Record")


class Record:
    """Mixin for dataclasses stored as JSON: dates are kept as ISO strings already."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        # Ignore keys a newer version may have added, so old code can still read.
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in dict(data).items() if k in names})
