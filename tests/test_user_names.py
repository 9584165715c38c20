"""User names: one spelling per person (NFKC, without case) and no character a reader cannot see."""

from __future__ import annotations

import pytest

from service.user_names import name_key, name_problem, normalise


@pytest.mark.parametrize(
    "typed, same_as",
    [
        ("ADMIN1", "admin1"),
        ("ａｄｍｉｎ１", "admin1"),  # full-width
        ("Admin\u00a01", "admin 1"),  # a no-break space is a space
        ("  admin1 ", "admin1"),
        ("Straße", "STRASSE"),
    ],
)
def test_look_alike_names_share_one_key(typed, same_as):
    assert name_key(typed) == name_key(same_as)


def test_different_names_keep_different_keys():
    assert name_key("admin1") != name_key("admin2") and name_key("Dewi") != name_key("Dewi L")


@pytest.mark.parametrize(
    "char",
    [
        "\x00",
        "\x01",
        "\t",
        "\x7f",
        "\x85",  # C0 and C1 controls
        "\u200b",
        "\u200d",
        "\u2066",
        "\ufeff",
        "\u00ad",  # format characters
        "\ud800",  # a lone surrogate
        "\ue000",  # private use
        "\ufffe",
        "\uffff",
        "\ufdd0",
        "\U0010ffff",  # noncharacters
        "\u0378",  # unassigned
        "\u2028",
        "\u2029",  # line and paragraph separators
    ],
)
def test_a_name_holding_an_invisible_or_unusable_character_is_refused(char):
    problem = name_problem(normalise(f"dewi{char}lestari"))
    assert problem is not None and problem[0] == "users.err.name_char" and f"U+{ord(char):04X}" in problem[1]


@pytest.mark.parametrize("name", ["dewi@kbri-seoul.example", "Dewi Lestari", "Nguyễn Thị Mai", "김민준", "o'brien"])
def test_ordinary_names_are_taken_as_typed(name):
    assert name_problem(normalise(name)) is None and normalise(name) == name


def test_an_empty_or_overlong_name_is_refused():
    assert name_problem(normalise("   "))[0] == "users.err.name_empty"
    assert name_problem("x" * 201)[0] == "users.err.name_long" and name_problem("x" * 200) is None
