"""The forms as data: each spec is whole, so adding a form is one entry (docs/forms.md, "Adding a form")."""

from __future__ import annotations

import re

import pytest

from events.catalogue import TYPES
from events.numbers import amount
from service.api.form_specs import FORMS
from service.api.i18n import translator
from service.api.lifecycle_specs import LIFECYCLE_FORMS
from service.api.pages_lifecycle_forms import _read

SPECS = [*FORMS.values(), *LIFECYCLE_FORMS]


@pytest.mark.parametrize("form", SPECS, ids=[f"{f.type}{f.address}" for f in SPECS])
def test_each_form_records_a_catalogue_event_at_its_own_address_in_both_languages(form):
    assert form.type in TYPES
    assert [f.address for f in SPECS].count(form.address) == 1
    ids = set(re.findall(r"\{(\w+)\}", form.address)) - {"stream"}
    assert form.heading_id in ids | {""}
    assert (form.subject is not None) == ("subject" in ids)
    for lang in ("id", "en"):
        t = translator(lang)
        words = [form.title, *(f.label_key for f in form.fields)]
        words += [f.words + c for f in form.fields if f.kind == "choice" for c in f.choices]
        assert [w for w in words if t(w) == w] == [], lang


def test_the_plan_form_stores_its_budget_only_with_an_amount_in_rupiah_unless_told():
    plan = next(f for f in LIFECYCLE_FORMS if f.type == "ActivityPlanned")
    t = translator("id")
    typed = {f.name: "" for f in plan.fields} | {"occurred_on": "2026-01-05", "plan_id": "p", "year": "2026"}
    assert "budget" not in _read(plan, typed | {"currency": "USD", "source": "APBD"}, t)[0]
    data, errors = _read(plan, typed | {"budget": "1.500,50", "source": "APBD"}, t)
    assert errors == {} and data["budget"] == {"amount": 1500.5, "currency": "IDR", "source": "APBD"}
    data, errors = _read(plan, typed | {"year": "", "plan_id": ""}, t)
    assert set(errors) == {"year"} and data["year"] == 0  # still a number for the record's checks; the code is made


@pytest.mark.parametrize(
    ("text", "expected"), [("150.000.000", 150000000.0), ("1.500,50", 1500.5), ("-5", None), ("x", None)]
)
def test_an_amount_is_read_as_written_in_indonesia(text, expected):
    assert amount(text) == expected


def _catalogue_field(type_name: str, path: str):
    """The msgspec type of a (dotted) catalogue field, None when the type has no such field."""
    from msgspec import inspect as mi

    info = mi.type_info(TYPES[type_name])
    for part in path.split("."):
        if isinstance(info, mi.UnionType):
            info = next(t for t in info.types if not isinstance(t, mi.NoneType))
        if not isinstance(info, mi.StructType):
            return None
        info = next((f.type for f in info.fields if f.name == part), None)
        if info is None:
            return None
    return info


@pytest.mark.parametrize("form", SPECS, ids=[f"{f.type}{f.address}" for f in SPECS])
def test_each_form_field_is_a_field_of_its_catalogue_type_with_its_choices(form):
    from msgspec import inspect as mi

    for field in form.fields:
        key = field.key or field.name
        if key in ("occurred_on", "stream"):
            continue  # the envelope's
        found = _catalogue_field(form.type, key)
        assert found is not None, (form.type, key)
        literal = next(
            (
                t
                for t in (found.types if isinstance(found, mi.UnionType) else (found,))
                if isinstance(t, mi.LiteralType)
            ),
            None,
        )
        if field.kind == "choice" and literal is not None:
            assert set(field.choices) == set(literal.values), (form.type, key)
