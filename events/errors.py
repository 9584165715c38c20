"""Errors the record raises: bad input names its field and reason; conflicts name what clashed."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _default
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldError:
    """One reason an event was refused: the field it concerns and why.

    `reason` is the English the API and the CLI print; `code` and `params` say the same for
    whoever words it in another language (service/api/reasons.py: the gettext key `reason.<code>`),
    so that nothing ever reads the English back. Codes are listed in docs/refusals.md.
    """

    field: str
    reason: str
    index: int | None = None  # position of the event in its batch (0-based), when in a batch
    code: str = "invalid"
    params: dict[str, Any] = _default(default_factory=dict)

    def at(self, index: int | None) -> FieldError:
        """The same refusal, said of the event at `index` of a batch."""
        return FieldError(self.field, self.reason, index, self.code, self.params)

    def under(self, prefix: str) -> FieldError:
        """The same refusal, its field named under `prefix` ("data")."""
        return FieldError(f"{prefix}.{self.field}", self.reason, self.index, self.code, self.params)

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class InvalidEvent(ValueError):
    """One or more events break the catalogue; nothing was written."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


class Conflict(Exception):
    """The write clashes with what is stored (stale expected version, reused id); nothing was written."""

    def __init__(
        self, message: str, *, stream: str | None = None, event_id: str | None = None, index: int | None = None
    ):
        self.stream, self.event_id, self.index = stream, event_id, index
        super().__init__(message)
