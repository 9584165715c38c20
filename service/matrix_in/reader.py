"""Open a matrix file (.docx, .xlsx or .csv) into a Grid, within a size limit; nothing in it is ever run."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from service.matrix_in.grid import Block, Grid, GridRow, Line
from service.matrix_in.problems import MatrixRefused, Problem

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files, and password-protected new ones
_KINDS = {".docx": "docx", ".xlsx": "xlsx", ".csv": "csv", ".txt": "csv"}
_OLD = {".doc", ".xls", ".rtf", ".odt", ".ods", ".pdf"}
# How much a .docx or .xlsx may unpack to, per byte of file: a zip bomb is refused before reading.
UNPACK_RATIO = 40


def read_file(path: Path, max_bytes: int) -> Grid:
    """The grid of the file at `path`, or MatrixRefused saying why it cannot be read."""
    size = path.stat().st_size
    if size > max_bytes:
        raise MatrixRefused(Problem("mi.too_large", {"mb": _mb(size), "max": _mb(max_bytes)}))
    return read_bytes(path.read_bytes(), path.name, max_bytes)


def read_bytes(content: bytes, name: str, max_bytes: int) -> Grid:
    """The grid of a file's bytes; `name` gives its kind by its ending."""
    if len(content) > max_bytes:
        raise MatrixRefused(Problem("mi.too_large", {"mb": _mb(len(content)), "max": _mb(max_bytes)}))
    suffix = Path(name).suffix.lower()
    if suffix in _OLD:
        raise MatrixRefused(Problem("mi.old_format", {"ending": suffix}))
    kind = _KINDS.get(suffix)
    if kind is None:
        raise MatrixRefused(Problem("mi.unknown_format", {"ending": suffix or "?"}))
    if content.startswith(_OLE):
        protected = b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in content
        raise MatrixRefused(Problem("mi.password" if protected else "mi.old_format", {"ending": suffix}))
    if not content.strip():
        raise MatrixRefused(Problem("mi.empty_file"))
    if kind != "csv":
        _check_zip(content, max_bytes)
    try:
        if kind == "csv":
            blocks = _csv_blocks(content)
        else:
            blocks = _docx_blocks(content) if kind == "docx" else _xlsx_blocks(content)
    except MatrixRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file: the libraries raise many kinds
        raise MatrixRefused(Problem("mi.damaged", {"ending": suffix, "reason": type(exc).__name__})) from exc
    return Grid(tuple(blocks), kind)


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f}"


def _check_zip(content: bytes, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise MatrixRefused(Problem("mi.damaged", {"ending": "zip", "reason": "BadZipFile"})) from None
    if unpacked > max_bytes * UNPACK_RATIO:
        raise MatrixRefused(Problem("mi.too_large", {"mb": _mb(unpacked), "max": _mb(max_bytes * UNPACK_RATIO)}))


# -- Word ------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_blocks(content: bytes) -> list[Block]:
    import docx

    document = docx.Document(io.BytesIO(content))
    blocks: list[Block] = []
    lines = rows = 0
    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}p":
            lines += 1
            text = " ".join(_paragraph_lines(element))
            if text:
                blocks.append(Line(text, lines))
        elif element.tag == f"{_W}tbl":
            for cells in _table_rows(element):
                rows += 1
                blocks.append(GridRow(cells, rows))
    return blocks


def _paragraph_lines(p) -> list[str]:
    """A paragraph's lines (a manual line break starts one), a list paragraph marked with a bullet."""
    parts: list[str] = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        parts.append(node.text or "" if node.tag == f"{_W}t" else (" " if node.tag == f"{_W}tab" else "\n"))
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    lines = [line for line in lines if line]
    if lines and p.find(f"{_W}pPr/{_W}numPr") is not None and lines[0][0] not in "•-*·▪►–":
        lines[0] = "• " + lines[0]
    return lines


def _table_rows(tbl) -> list[tuple[tuple[str, ...], ...]]:
    """Each row's cells on the table's grid: a span's text in its first column, a vertical merge repeated."""
    rows: list[tuple[tuple[str, ...], ...]] = []
    above: dict[int, tuple[str, ...]] = {}
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells: list[tuple[str, ...]] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span = 1
            merge = None
            if props is not None:
                grid_span = props.find(f"{_W}gridSpan")
                span = int(grid_span.get(f"{_W}val", "1")) if grid_span is not None else 1
                v_merge = props.find(f"{_W}vMerge")
                merge = None if v_merge is None else (v_merge.get(f"{_W}val") or "continue")
            column = len(cells)
            if merge == "continue":
                lines = above.get(column, ())
            else:
                lines = tuple(line for p in tc.iterchildren(f"{_W}p") for line in _paragraph_lines(p))
            above[column] = lines
            cells.append(lines)
            cells.extend(() for _ in range(span - 1))
        rows.append(tuple(cells))
    return rows


# -- Excel -----------------------------------------------------------------------------------


def _xlsx_blocks(content: bytes) -> list[Block]:
    import openpyxl

    # data_only: the values last computed, never a formula evaluated here; no macros are loaded.
    book = openpyxl.load_workbook(io.BytesIO(content), data_only=True, keep_vba=False, keep_links=False)
    blocks: list[Block] = []
    visible = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]
    for sheet in visible:
        label = sheet.title if len(visible) > 1 else ""
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top = values[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(values) else None
            for r in range(merged.min_row + 1, min(merged.max_row, len(values)) + 1):
                values[r - 1][merged.min_col - 1] = top  # a cell merged down: every row holds it
        for number, row in enumerate(values, start=1):
            blocks.append(_grid_or_line([_cell_lines(v) for v in row], number, label))
    return blocks


def _cell_lines(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return (value.isoformat(),)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return tuple(" ".join(line.split()) for line in str(value).splitlines() if line.strip())


def _grid_or_line(cells: list[tuple[str, ...]], number: int, sheet: str = "") -> Block:
    """A row with text in its first cell only is a line of text (a title); else a grid row."""
    filled = [c for c in cells if c]
    if len(filled) == 1 and cells and cells[0] and not any(cells[1:]):
        return Line(" ".join(cells[0]), number)
    return GridRow(tuple(cells), number, sheet)


# -- CSV -------------------------------------------------------------------------------------


def _csv_blocks(content: bytes) -> list[Block]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    blocks: list[Block] = []
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        blocks.append(_grid_or_line([_cell_lines(v) for v in row], number))
    return blocks
