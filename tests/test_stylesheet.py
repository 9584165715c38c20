"""The one stylesheet parses: every block it opens it closes (a lost brace hides every rule after it)."""

from __future__ import annotations

from pathlib import Path

STYLESHEET = Path(__file__).resolve().parent.parent / "service" / "static" / "pantau.css"


def test_every_block_of_the_stylesheet_is_closed_and_none_nests_past_a_media_query():
    depth, deepest = 0, 0
    for number, line in enumerate(STYLESHEET.read_text(encoding="utf-8").splitlines(), 1):
        for char in line:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, f"line {number} closes a block never opened"
            deepest = max(deepest, depth)
        # A rule inside @media or @page is two deep; three means a block left open above it.
        assert depth <= 2, f"line {number} is {depth} blocks deep: a brace is missing above it"
    assert depth == 0 and deepest == 2
