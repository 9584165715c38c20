"""An import checks a text its file repeats once, and still refuses every wrong line on its own."""

from __future__ import annotations

import gc
import json
from datetime import date

import pytest

from events import mapper
from events.errors import InvalidEvent
from events.jsonl import decode_lines, fewer_collections

TODAY = date(2026, 11, 23)
S = "kota-bandung-seoul"


def _line(n: int, stream: str = S, on: str = "2021-03-01", meta: dict | None = None, **data) -> bytes:
    envelope = {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "stream": stream,
        "type": "ActivityLogged",
        "occurred_on": on,
        "data": {"activity_id": f"a{n}", "kind": "visit", "title": "Kunjungan", **data},
        "meta": {"source": "test"} if meta is None else meta,
    }
    return json.dumps(envelope).encode()


def _reasons(lines: list[bytes]) -> dict[int, list[str]]:
    return {n: [e.field for e in problems] for n, _, problems in decode_lines(lines, TODAY) if problems}


def test_a_line_repeating_a_checked_stream_date_and_meta_is_the_event_a_lone_decode_makes():
    lines = [_line(1), _line(2)]
    events = [event for _, event, _ in decode_lines(lines, TODAY)]
    assert events == [mapper.decode(line, TODAY) for line in lines]


def test_wrong_texts_are_refused_on_every_line_that_repeats_them():
    lines = [
        _line(1),
        _line(2, stream="Kota Bandung"),
        _line(3, stream="Kota Bandung"),
        _line(4, on="2031-01-01"),
        _line(5, on="2031-01-01"),
        _line(6, meta={"source": "\u0001"}),
        _line(7, meta={"source": "\u0001"}),
        _line(8, ends_on="2020-01-01"),  # a checked stream, date and meta: the payload is still checked
    ]
    assert _reasons(lines) == {
        2: ["stream"],
        3: ["stream"],
        4: ["occurred_on"],
        5: ["occurred_on"],
        6: ["meta.source"],
        7: ["meta.source"],
        8: ["data.ends_on"],
    }


def test_a_date_checked_for_one_recording_day_is_checked_again_for_another():
    checked = mapper.Checked(TODAY)
    mapper.decode(_line(1, on="2026-11-23"), TODAY, checked=checked)
    with pytest.raises(InvalidEvent) as refused:
        mapper.decode(_line(2, on="2026-11-23"), date(2026, 11, 22), checked=checked)
    assert [e.code for e in refused.value.errors] == ["future"]


def test_the_collectors_thresholds_are_put_back_after_an_import():
    before = gc.get_threshold()
    with fewer_collections(9_000):
        assert gc.get_threshold()[0] == 9_000
    assert gc.get_threshold() == before
