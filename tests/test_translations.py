"""The gettext catalogues: every word the code and templates ask for exists in Indonesian and English."""

from __future__ import annotations

from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from events import mapper
from events.errors import FieldError, InvalidEvent
from notifications.translations import LOCALE, translator
from service.api.reasons import explain

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "t": None, "N_": None}


def _catalogue(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


@cache
def _asked_for() -> set[str]:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_code_and_templates_ask_for_words_that_is_many():
    assert {"nav.matrix", "tidak_aktif", "form.required", "label.in_force"} <= _asked_for()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_word_asked_for_has_a_translation(lang):
    catalogue = _catalogue(lang)
    missing = sorted(key for key in _asked_for() if key not in catalogue or not catalogue[key].string)
    assert missing == []
    empty = sorted(m.id for m in catalogue if m.id and not m.string)
    assert empty == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_compiled_catalogue_is_the_one_of_the_po_file(lang):
    # The .mo files are committed: one compiled from an older .po would serve stale words.
    fresh = BytesIO()
    write_mo(fresh, _catalogue(lang))
    fresh.seek(0)
    with (LOCALE / lang / "LC_MESSAGES" / "messages.mo").open("rb") as mo:
        kept = read_mo(mo)
    assert {m.id: m.string for m in read_mo(fresh) if m.id} == {m.id: m.string for m in kept if m.id}


def test_a_code_reads_as_words_in_each_language():
    assert translator("id")("tidak_aktif") == "Tidak aktif"
    assert translator("en")("tidak_aktif") == "Dormant"
    assert translator("en")("in_force") == "In force"


def _first_refusal(occurred_on: str, data: dict | None = None) -> FieldError:
    envelope = {"stream": "kota-bandung-seoul", "type": "AgreementSigned", "occurred_on": occurred_on}
    try:
        mapper.from_dict({**envelope, "data": data or {"agreement_id": "a", "document": "MoU"}}, date(2026, 11, 20))
    except InvalidEvent as exc:
        return exc.errors[0]
    raise AssertionError("accepted")


@pytest.mark.parametrize(
    "reason, indonesian, english",
    [
        (_first_refusal(""), "isi tanggal", "enter a date"),
        (_first_refusal("2019-1x"), "“2019-1x” bukan tanggal", "is not a date"),
        (_first_refusal("2019-13"), "“2019-13” tidak ada di kalender", "is not a day of the calendar"),
        (
            _first_refusal("2099-01-01"),
            "1 Jan 2099 masih akan datang (hari ini 20 Nov 2026)",
            "1 Jan 2099 is still to come (today is 20 Nov 2026)",
        ),
        (
            _first_refusal("2020-01-10", {"agreement_id": "a", "document": "MoU", "valid_until": "2019-05"}),
            "Mei 2019 lebih awal dari 10 Jan 2020",
            "May 2019 is before 10 Jan 2020",
        ),
        (
            _first_refusal("2020-01-10", {"agreement_id": "a", "document": "MoU", "term_years": 0}),
            "paling sedikit 1",
            "at least 1",
        ),
        (
            FieldError("x", "something the pages never heard of"),
            "isian tidak sah",
            "something the pages never heard of",
        ),
    ],
)
def test_the_records_reasons_read_in_the_pages_language(reason, indonesian, english):
    assert indonesian in explain(reason, "id")
    assert english in explain(reason, "en")


def test_make_translations_keeps_the_keys_the_code_builds_at_run_time(tmp_path):
    from notifications.catalogue_keep import held_keys, keep

    template = tmp_path / "messages.pot"
    template.write_text('msgid "nav.matrix"\nmsgstr ""\n', encoding="utf-8")
    added = keep(template)
    kept = template.read_text(encoding="utf-8")
    # `"step." ~ s.step` in a template: no extractor sees it, the catalogue keeps it.
    assert 'msgid "step.dprd"' in kept and added == len(held_keys()) - 1
