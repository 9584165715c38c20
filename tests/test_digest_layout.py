"""The monthly digest leads with what needs action, then what was recorded, then the matrix."""

from __future__ import annotations

import re
from datetime import date

import pytest

from events.jsonl import import_events
from notifications.alert_rules import AlertRules
from notifications.digest import build
from notifications.render import render
from projections.readmodel import load_states
from tests.conftest import SAMPLE

HEADINGS = {
    "id": ("Perlu tindakan", "Yang dicatat bulan ini", "Matriks kerja sama"),
    "en": ("Needs action", "Recorded this month", "Partnership matrix"),
}


@pytest.fixture
def december(pantau):
    with SAMPLE.open("rb") as source:
        import_events(pantau.store, source, pantau.today())
    pantau.runner.run()
    context = build(load_states(pantau.engine), "kbri-seoul", date(2021, 12, 1), pantau.rules, AlertRules())
    return {**context, "key": "digest:kbri-seoul:2021-12"}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_action_section_comes_before_the_news_and_the_matrix(december, lang):
    assert december["lapsed"] and december["dormant"] and december["rows"]
    mail = render("digest", lang, december)
    action, recorded, matrix = HEADINGS[lang]
    for body in (
        mail.html,
        mail.text.replace(action.upper(), action).replace(recorded.upper(), recorded).replace(matrix.upper(), matrix),
    ):
        assert body.index(action) < body.index(recorded) < body.index(matrix)
    # the first lapsed agreement is read before the first line of the matrix
    first_lapsed = december["lapsed"][0]["name"]
    first_row = december["rows"][0]["indonesia"]
    html = mail.html
    assert html.index(first_lapsed) < html.index(matrix) < html.rindex(first_row)


def test_the_digest_shows_no_code_raw(december):
    text = render("digest", "id", december).text
    words = re.sub(r"https?://\S+", "", text).replace("digest:kbri-seoul", "")  # addresses may hold ids
    for code in ("tidak_aktif", "in_force", "kurang_aktif", "kbri-seoul"):
        assert code not in words
