"""A matrix row the record refuses is told in the reader's language, from the refusal's code."""

from __future__ import annotations

from datetime import date

import pytest

from events import mapper
from events.errors import InvalidEvent
from notifications.translations import translator
from service.matrix_in.problems import Problem


def _refusal():
    envelope = {"stream": "kota-bandung-seoul", "type": "NoteAdded", "occurred_on": "1944-12-31", "data": {"text": "x"}}
    with pytest.raises(InvalidEvent) as refused:
        mapper.from_dict(envelope, date(2026, 12, 6))
    return refused.value.errors[0]


def test_a_refused_row_reads_in_indonesian_on_an_indonesian_page_and_in_english_on_an_english_one():
    refusal = _refusal()
    problem = Problem("mi.invalid", {"type": "NoteAdded", "field": refusal.field}, row=7, refusal=refusal)
    indonesian, english = problem.said(translator("id")), problem.said(translator("en"))
    assert refusal.reason not in indonesian and "1945" in indonesian and "7" in indonesian
    assert indonesian != english and "1945" in english
