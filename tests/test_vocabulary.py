"""One vocabulary, declared once: the rules' keys, the pages' lists and the words are tied to it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import get_args

import pytest

from events import catalogue, vocabulary
from events.dates import EARLIEST, YEARS_AHEAD, year_in_range
from notifications.translations import translator
from projections import agreements, pipeline, status
from projections.rules import DEFAULT_TERMS, INDICATORS, STALL_DAYS, Rules

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    p for package in ("events", "projections", "notifications", "service") for p in (ROOT / package).rglob("*.py")
]


def test_the_indicators_rate_every_activity_kind_and_nothing_else():
    assert set(INDICATORS) == set(vocabulary.ACTIVITY_KINDS)


def test_every_document_has_a_default_term_or_none_declared():
    assert set(DEFAULT_TERMS) == set(vocabulary.DOCUMENTS)


def test_every_step_a_draft_can_wait_for_has_its_own_stall_limit_and_there_is_no_hidden_default():
    assert set(STALL_DAYS) == set(vocabulary.PIPELINE_STEPS)
    waited_for = {pipeline.next_step(step) for step in ("opened", *catalogue.APPROVAL_PATH)}
    assert waited_for == set(vocabulary.PIPELINE_STEPS)
    with pytest.raises(KeyError):
        Rules().stall_limit("governor")


def test_the_approval_path_is_the_catalogue_steps_in_order():
    assert get_args(catalogue.ApprovalStep)[:-1] == catalogue.APPROVAL_PATH
    assert catalogue.APPROVAL_PATH[0] == "kajian" and catalogue.APPROVAL_PATH[-1] == "full_powers"


def test_the_projections_words_are_the_vocabulary():
    assert (status.EXPLORING, status.INTENT, status.FORMAL, status.STAGE_LAPSED, status.ENDED) == vocabulary.STAGES
    states = (agreements.PENDING, agreements.IN_FORCE, agreements.LAPSED, agreements.TERMINATED)
    assert states == vocabulary.AGREEMENT_STATES
    assert (*vocabulary.ACTIVENESS, vocabulary.PENJAJAKAN) == vocabulary.STATUSES


def test_the_service_lists_follow_the_vocabulary():
    from service import report
    from service.api import matrix_rows, pages

    assert set(report._STATE) == set(vocabulary.AGREEMENT_STATES)
    assert set(matrix_rows._STATUS_ORDER) == set(vocabulary.STATUSES)
    assert pages.STATUSES == vocabulary.STATUSES and pages.STAGES == vocabulary.STAGES


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_word_of_the_vocabulary_reads_in_each_language(lang):
    t = translator(lang)
    by_value = (*vocabulary.STATUSES, *vocabulary.STAGES, *vocabulary.AGREEMENT_STATES, *vocabulary.ACTIVITY_KINDS)
    keyed = [f"step.{s}" for s in (*vocabulary.PIPELINE_STEPS, "other")] + [f"doc.{d}" for d in vocabulary.DOCUMENTS]
    missing = [word for word in (*by_value, *keyed) if t(word) == word]
    assert missing == []


def test_the_stream_pattern_is_written_once():
    written = [p.relative_to(ROOT) for p in SOURCES if "[a-z0-9-]{2,79}" in p.read_text(encoding="utf-8")]
    assert [str(p) for p in written] == ["events/catalogue.py"]


def test_one_year_bound_the_catalogues_1945_to_a_century_ahead():
    written = [
        str(p.relative_to(ROOT)) for p in SOURCES if re.search(r"\b(1800|2999)\b", p.read_text(encoding="utf-8"))
    ]
    assert written == []
    words = [p.name for p in (ROOT / "notifications" / "locale").rglob("*.po") if "1800" in p.read_text("utf-8")]
    assert words == []
    today = date(2026, 11, 23)
    assert (EARLIEST.year, YEARS_AHEAD) == (1945, 100)
    assert year_in_range(1945, today) and year_in_range(2126, today)
    assert not year_in_range(1944, today) and not year_in_range(2127, today)


def test_the_matrix_files_status_words_name_every_status_and_only_those():
    from service.matrix_in import export, rows

    assert set(export.STATUS_WORDS) == set(vocabulary.STATUSES)
    assert {status for _, status in rows.STATUS_WORDS} == set(vocabulary.STATUSES)


def test_no_module_writes_a_stage_or_an_agreement_state_as_a_literal_beside_the_vocabulary():
    # A comparison with a quoted word ("in_force", "ended", "penjajakan") is a second declaration.
    words = "|".join(w for w in (*vocabulary.STAGES, *vocabulary.AGREEMENT_STATES, vocabulary.PENJAJAKAN))
    compared = re.compile(rf"""(==|!=|\bin\b)\s*\(?\s*["']({words})["']""")
    written = [str(p.relative_to(ROOT)) for p in SOURCES if compared.search(p.read_text(encoding="utf-8"))]
    assert written == []
