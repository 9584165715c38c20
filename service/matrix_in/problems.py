"""What is wrong with a matrix or one of its rows: a catalogue key and its values, placed by row and column."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """An error or a warning: `key` in the gettext catalogue, `params` its values, where it stands."""

    key: str
    params: dict = field(default_factory=dict)
    row: int | None = None  # the file's row (sheet row, or table row of the document)
    column: str | None = None  # the column's heading as written in the file
    sheet: str | None = None  # the sheet, in a workbook of several
    # The record's refusal behind the problem (events.errors.FieldError): worded from its code in
    # the reader's language as `params["reason"]`, never shown in the record's English.
    refusal: object | None = None

    def said(self, t) -> str:
        """The problem in words of the translator `t`, its row and column first."""
        params = {**self.params, "reason": _reason(self.refusal, t)} if self.refusal is not None else self.params
        words = t(self.key) % params if params else t(self.key)
        where = []
        if self.sheet:
            where.append(t("mi.where_sheet") % {"sheet": self.sheet})
        if self.row is not None:
            where.append(t("mi.where_row") % {"row": self.row})
        if self.column:
            where.append(t("mi.where_column") % {"column": self.column})
        return f"{', '.join(where)}: {words}" if where else words

    def as_json(self, t) -> dict:
        """The problem as the JSON preview gives it."""
        return {"row": self.row, "column": self.column, "code": self.key, "message": self.said(t)}


def _reason(refusal, t) -> str:
    """A FieldError's words from its code (docs/refusals.md); its English only where no words exist."""
    key = f"reason.{refusal.code}"
    words = t(key)
    if words == key or refusal.code == "invalid":
        return refusal.reason
    try:
        return words % refusal.params
    except (KeyError, TypeError, ValueError):
        return refusal.reason


class MatrixRefused(Exception):
    """The file cannot be read as a matrix at all (wrong kind, too large, no header row …)."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.key)
