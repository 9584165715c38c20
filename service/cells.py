"""Spreadsheet cells that are safe to open: no formulas from stored text, no characters a file refuses."""

from __future__ import annotations

from events.text import writable

# OWASP "CSV Injection": a cell beginning with one of these is read as a formula by spreadsheet
# programs; a leading apostrophe makes it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A CSV export begins with a UTF-8 byte order mark: without one Excel reads the file as the
# machine's ANSI code page ("â€œ" for a quote); csv readers take it with encoding="utf-8-sig".
CSV_BOM = "\ufeff"
# A date cell of an XLSX export: a real date (sortable, filterable), written the ISO way.
XLSX_DATE_FORMAT = "yyyy-mm-dd"
# Excel's limit of characters in one cell: a longer one makes it "repair" the file and cut it anyway.
XLSX_CELL_CHARS = 32_767


def csv_cell(value):
    """The value for a CSV cell: what UTF-8 or a spreadsheet cannot hold replaced by U+FFFD (a lone
    surrogate would stop the file mid-way), and text that would start a formula behind an apostrophe."""
    if not isinstance(value, str):
        return value
    value = writable(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def xml_text(value: str) -> str:
    """Text an XLSX cell (XML 1.0) can hold: C0 controls but tab, newline and CR, lone surrogates and
    noncharacters (U+FFFE, U+FFFF among them) replaced by U+FFFD, cut to the characters Excel takes."""
    value = writable(value)
    return value if len(value) <= XLSX_CELL_CHARS else value[: XLSX_CELL_CHARS - 1] + "…"
