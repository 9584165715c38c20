"""A cell's items: its lines, a bullet (•, -, * …) starting each, a line under a sub-bullet or broken mid-sentence joined back."""

from __future__ import annotations

import re

_BULLET = re.compile(r"^\s*([•●○◦▪■►➢✓·*\-–—]|\d{1,2}[.)](?!\d)|[a-z][.)])\s+")


def bullet_of(line: str) -> str | None:
    """The bullet a line starts with, or None."""
    m = _BULLET.match(line)
    if m is None:
        return None
    mark = m.group(1)
    return "1." if mark[0].isdigit() else ("a." if mark[0].isalpha() else mark)


def strip_bullet(line: str) -> str:
    """The line without its bullet."""
    return _BULLET.sub("", line, count=1).strip()


def items(lines: tuple[str, ...] | list[str]) -> list[str]:
    """The cell's items in order, bullets taken off.

    Each line is an item, except a line marked with another bullet than the cell's first one after
    an item (a sub-point, kept with its item) and a line that carries on a sentence broken by the
    cell's width (it begins in lower case and the line before ends without a stop).
    """
    found: list[str] = []
    first: str | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        mark = bullet_of(line)
        text = strip_bullet(line) if mark else line
        if not text:
            continue
        if mark and first is None:
            first = mark
        sub = mark is not None and mark != first and found
        carried = (
            mark is None and found and text[0].islower() and not found[-1].rstrip().endswith((".", ":", ";", "!", "?"))
        )
        if sub:
            found[-1] = f"{found[-1]} - {text}"
        elif carried:
            found[-1] = f"{found[-1]} {text}"
        else:
            found.append(text)
    return found
