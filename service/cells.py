"""Spreadsheet cells that are safe to open: no formulas from stored text, no characters a file refuses."""

from __future__ import annotations

import re

# OWASP "CSV Injection": a cell beginning with one of these is read as a formula by spreadsheet
# programs; a leading apostrophe makes it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What the XLSX format (XML 1.0) cannot hold: C0 controls but tab, newline and CR, and lone
# surrogates. openpyxl raises IllegalCharacterError on them; stored text may still hold some.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def csv_cell(value):
    """The value for a CSV cell: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def xml_text(value: str) -> str:
    """Text with the characters XML cannot carry replaced by U+FFFD."""
    return _ILLEGAL_XML.sub("\ufffd", value)
