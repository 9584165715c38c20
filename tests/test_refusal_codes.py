"""Every constraint of the catalogue refuses with a code, and every code has words in both languages."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from msgspec import inspect as mi

from events import mapper
from events.catalogue import TYPES
from events.errors import FieldError, InvalidEvent
from service.api.errors import _PYDANTIC_CODES
from service.api.i18n import translations
from service.api.reasons import said

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 23)
_WRONG_KIND = {"str": 12, "int": "x", "float": "x", "bool": "x", "object": "x", "array": "x"}


def _kind(t: mi.Type) -> str | None:
    if isinstance(t, mi.LiteralType):
        return "str" if isinstance(t.values[0], str) else "int"
    names = {mi.StrType: "str", mi.IntType: "int", mi.FloatType: "float", mi.BoolType: "bool"}
    names |= {mi.StructType: "object", mi.VarTupleType: "array"}
    return names.get(type(t))


def _broken(t: mi.Type) -> list[tuple[object, str]]:
    """(a value that breaks one constraint of `t`, the code it must be refused with)."""
    out = []
    if (kind := _kind(t)) is not None:
        out.append((_WRONG_KIND[kind], "type"))
    if isinstance(t, mi.StrType):
        if t.min_length:
            out.append(("", "required" if t.min_length == 1 else "too_short"))
        if t.max_length is not None:
            out.append(("x" * (t.max_length + 1), "too_long"))
        if t.pattern is not None:
            out.append(("?", "pattern"))
    if isinstance(t, (mi.IntType, mi.FloatType)):
        if t.ge is not None:
            out.append((t.ge - 1, "at_least"))
        if t.le is not None:
            out.append((t.le + 1, "at_most"))
    if isinstance(t, mi.LiteralType):
        out.append(("no-such-choice", "choice"))
    return out


def _cases(info: mi.StructType, path: str = "data") -> list[tuple[dict, str, str]]:
    """(data, the field refused, its code) for every constraint of every field, nested ones too."""
    cases = []
    for field in info.fields:
        where = f"{path}.{field.name}"
        members = field.type.types if isinstance(field.type, mi.UnionType) else (field.type,)
        for t in (m for m in members if not isinstance(m, mi.NoneType)):
            cases += [({field.name: value}, where, code) for value, code in _broken(t)]
            if isinstance(t, mi.StructType):
                cases += [({field.name: inner}, at, code) for inner, at, code in _cases(t, where)]
        if field.required:
            cases.append(({}, where, "required"))
    return cases


CASES = [
    (type_name, data, where, code)
    for type_name, cls in TYPES.items()
    for data, where, code in _cases(mi.type_info(cls))
]


def _refusals(type_name: str, data: dict) -> list[FieldError]:
    envelope = {"stream": "kota-bandung-seoul", "type": type_name, "occurred_on": "2026-01-01", "data": data}
    try:
        mapper.from_dict(envelope, TODAY)
    except InvalidEvent as exc:
        return exc.errors
    raise AssertionError(f"accepted: {data}")


def test_the_catalogue_has_constraints_of_every_kind():
    assert {code for *_, code in CASES} == {"type", "required", "too_long", "pattern", "at_least", "at_most", "choice"}
    assert len(CASES) > 150


@pytest.mark.parametrize(("type_name", "data", "where", "code"), CASES, ids=lambda x: str(x)[:40])
def test_each_constraint_of_the_catalogue_refuses_with_a_code_said_in_both_languages(type_name, data, where, code):
    found = [e for e in _refusals(type_name, data) if e.field == where]
    assert [e.code for e in found] == [code], found
    for lang in ("id", "en"):
        words = said(code, found[0].params, lang)
        assert words != translations(lang).gettext("reason.invalid") and "%(" not in words, (lang, words)


def _codes_in_source() -> set[str]:
    """Every refusal code written in the record, the API and its pages."""
    found = set()
    for package in ("events", "service"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            found |= set(re.findall(r"code=\"(\w+)\"", text)) | set(re.findall(r"\"code\": \"(\w+)\"", text))
            found |= set(re.findall(r"_refuse\(\w+, \"(\w+)\"", text))  # events/shape.py
    # Codes returned with their reasons rather than named as code=: dates, texts, ids.
    found |= {"date_form", "date_missing", "not_a_date", "not_a_day", "too_early", "too_late"}
    found |= {"surrogate", "control", "text_long", "known_id", "closed_id", "unknown_id"}
    found |= {code for code, _ in _PYDANTIC_CODES.values()}
    return found - {"idempotency_key_reused", "idempotency_key_in_use"}  # whole-request codes, not a field's


def test_every_refusal_code_has_words_in_both_languages_and_is_documented():
    codes = _codes_in_source()
    assert {"not_a_day", "plan_taken", "unknown_field", "too_early", "digest_empty"} <= codes
    documented = (ROOT / "docs" / "refusals.md").read_text(encoding="utf-8")
    for code in sorted(codes):
        for lang in ("id", "en"):
            assert translations(lang).gettext(f"reason.{code}") != f"reason.{code}", (lang, code)
        assert f"`{code}`" in documented, code
