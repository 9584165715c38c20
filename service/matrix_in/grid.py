"""The neutral form every matrix file is read into: title lines and grid rows of multi-line cells."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """A line of text outside any table cell grid (a title, "PER 27 DESEMBER 2021", "Sumber: …")."""

    text: str
    source: int  # the paragraph or row it was read from, 1-based


@dataclass(frozen=True)
class GridRow:
    """One row of a table: each cell its lines (paragraphs), bullets kept as written."""

    cells: tuple[tuple[str, ...], ...]
    source: int  # the row of the sheet, or the row within the document's tables, 1-based
    sheet: str = ""  # the sheet's name, in a workbook of several

    def texts(self) -> list[str]:
        """Each cell as one string (its lines joined by a space)."""
        return [" ".join(line for line in cell if line).strip() for cell in self.cells]

    def filled(self) -> list[str]:
        """The cells that hold text, in order."""
        return [text for text in self.texts() if text]


Block = Line | GridRow


@dataclass(frozen=True)
class Grid:
    """A file as read: its blocks in document order, and the file kind (docx, xlsx, csv)."""

    blocks: tuple[Block, ...]
    kind: str
