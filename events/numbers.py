"""One way to read a number someone typed: ASCII digits only, in forms, queries, cursors and options.

Python's int(), float() and str.isdigit() also take "²", "①", "٢٠٢٤", "２０２４" and "२०२४"; a
record read by people and spreadsheets keeps numbers in the digits 0-9 (docs/input-limits.md).
"""

from __future__ import annotations

import re

MAX_DIGITS = 18  # beyond any count, year or amount here; int() of 5000 digits is refused by Python itself
_WHOLE = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")
# An amount as written in Indonesia: 150.000.000 or 1.500,50 (dots group thousands, a comma the cents).
_AMOUNT = re.compile(rf"[0-9][0-9.]{{0,{MAX_DIGITS}}}(,[0-9]{{1,6}})?")
_SECONDS = re.compile(r"[0-9]{1,6}(\.[0-9]{1,3})?")
REASON = "must be a whole number written in the digits 0-9"


class NotANumber(ValueError):
    """Text that is not a number in ASCII digits; `field` names where it was typed."""

    def __init__(self, field: str, text: str, reason: str = REASON):
        self.field, self.text, self.reason = field, text, reason
        super().__init__(f"{field}: {text[:40]!r} {reason}")


def is_whole(text: str) -> bool:
    """Whether `text` is a whole number of at least zero in ASCII digits (no sign, space or "_")."""
    return _WHOLE.fullmatch(text) is not None


def whole(text: str, field: str) -> int:
    """The whole number `text` writes in ASCII digits; NotANumber naming `field` otherwise."""
    if not is_whole(text):
        raise NotANumber(field, text)
    return int(text)


def seconds(text: str, field: str) -> float:
    """A duration in seconds written in ASCII digits (`30`, `2.5`); NotANumber naming `field` otherwise."""
    if _SECONDS.fullmatch(text) is None:
        raise NotANumber(field, text, "must be seconds written in the digits 0-9, such as 30 or 2.5")
    return float(text)


def amount(text: str) -> float | None:
    """An amount written with ASCII digits (150.000.000 or 1.500,50), or None when it is not one."""
    if _AMOUNT.fullmatch(text) is None:
        return None
    whole_part, _, cents = text.partition(",")
    return float(whole_part.replace(".", "") + ("." + cents if cents else ""))
