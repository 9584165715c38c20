"""What a JSON value breaks of a catalogue type, as coded refusals read from the type's declaration.

msgspec decodes fast and stops at the first fault, wording it in its own English. When it refuses,
this walk over the same type (msgspec.inspect) names every fault with a code and its parameters
(docs/refusals.md), so that no one ever reads msgspec's message. With `strict`, an object key the
type does not declare is a fault too: the typed API writes take exactly the catalogue's fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from msgspec import inspect as mi

from events.errors import FieldError

# The JSON kind each msgspec type takes, named as msgspec and docs/refusals.md name it.
_KIND: dict[type, str] = {
    mi.StrType: "str",
    mi.IntType: "int",
    mi.FloatType: "float",
    mi.BoolType: "bool",
    mi.StructType: "object",
    mi.DictType: "object",
    mi.VarTupleType: "array",
    mi.TupleType: "array",
    mi.ListType: "array",
    mi.NoneType: "null",
}


def type_of(cls: Any) -> mi.Type:
    """The msgspec description of a catalogue type (~0.6 ms: asked only on a refusal or a typed write)."""
    return mi.type_info(cls)


def refusals(value: object, cls: Any, prefix: str = "", *, strict: bool = False) -> list[FieldError]:
    """Every way `value` (decoded JSON) breaks the type `cls`, each field named under `prefix`."""
    return list(_walk(value, type_of(cls), prefix, strict))


def unknown_fields(value: object, cls: Any, prefix: str = "") -> list[FieldError]:
    """The keys of `value`, at any depth, that the type `cls` does not declare."""
    return [e for e in refusals(value, cls, prefix, strict=True) if e.code == "unknown_field"]


def _refuse(path: str, code: str, reason: str, **params: object) -> FieldError:
    return FieldError(path or "event", reason, code=code, params=params)


def _fits(value: object, t: mi.Type) -> bool:
    """Whether `value` is of the JSON kind `t` takes (bool is no number in JSON)."""
    kind = "str" if isinstance(t, mi.LiteralType) and isinstance(t.values[0], str) else _KIND.get(type(t))
    if kind is None and isinstance(t, mi.LiteralType):
        kind = "int"
    checks = {
        "str": lambda: isinstance(value, str),
        "int": lambda: isinstance(value, int) and not isinstance(value, bool),
        "float": lambda: isinstance(value, (int, float)) and not isinstance(value, bool),
        "bool": lambda: isinstance(value, bool),
        "object": lambda: isinstance(value, dict),
        "array": lambda: isinstance(value, list),
        "null": lambda: value is None,
    }
    return kind is None or checks[kind]()


def _kind_name(t: mi.Type) -> str:
    if isinstance(t, mi.LiteralType):
        return "str" if isinstance(t.values[0], str) else "int"
    return _KIND.get(type(t), "any")


def _json_kind(value: object) -> str:
    for kind, types in (("null", type(None)), ("bool", bool), ("int", int), ("float", float), ("str", str)):
        if isinstance(value, types):
            return kind
    return "array" if isinstance(value, list) else "object"


def _walk(value: object, t: mi.Type, path: str, strict: bool) -> Iterator[FieldError]:
    if isinstance(t, mi.Metadata):
        yield from _walk(value, t.type, path, strict)
        return
    if isinstance(t, mi.UnionType):
        members = [m for m in t.types if not isinstance(m, mi.NoneType)]
        if value is None and len(members) < len(t.types):
            return
        t = next((m for m in members if _fits(value, m)), members[0])
    if isinstance(t, (mi.AnyType, mi.RawType)):
        return
    if not _fits(value, t):
        kind = _kind_name(t)
        yield _refuse(path, "type", f"expected `{kind}`, got `{_json_kind(value)}`", type=kind)
        return
    walk = _WALKS.get(type(t))
    if walk is not None:
        yield from walk(value, t, path, strict)


def _text(value: Any, t: mi.StrType, path: str, _strict: bool) -> Iterator[FieldError]:
    if t.min_length is not None and len(value) < t.min_length:
        if t.min_length == 1:
            yield _refuse(path, "required", "must not be empty")
        else:
            yield _refuse(path, "too_short", f"at least {t.min_length} characters", n=t.min_length)
    if t.max_length is not None and len(value) > t.max_length:
        yield _refuse(path, "too_long", f"at most {t.max_length} characters", n=t.max_length)
    if t.pattern is not None and re.search(t.pattern, value) is None:
        yield _refuse(path, "pattern", f"{value!r} is not in the expected form ({t.pattern})", value=value)


def _number(value: Any, t: mi.IntType | mi.FloatType, path: str, _strict: bool) -> Iterator[FieldError]:
    def n(bound: float) -> int | float:
        return int(bound) if float(bound).is_integer() else bound

    step = 1 if isinstance(t, mi.IntType) else 0
    low = t.ge if t.ge is not None else (t.gt + step if t.gt is not None and step else t.gt)
    high = t.le if t.le is not None else (t.lt - step if t.lt is not None and step else t.lt)
    if low is not None and (value < low or (t.ge is None and not step and value <= low)):
        yield _refuse(path, "at_least", f"must be at least {n(low)}", n=n(low))
    if high is not None and (value > high or (t.le is None and not step and value >= high)):
        yield _refuse(path, "at_most", f"must be at most {n(high)}", n=n(high))


def _choice(value: Any, t: mi.LiteralType, path: str, _strict: bool) -> Iterator[FieldError]:
    if value not in t.values:
        choices = ", ".join(map(str, sorted(t.values, key=str)))
        yield _refuse(path, "choice", f"{value!r} is not one of: {choices}", value=value, choices=choices)


def _object(value: Any, t: mi.StructType, path: str, strict: bool) -> Iterator[FieldError]:
    known = {f.encode_name: f for f in t.fields}
    for name, field in known.items():
        where = f"{path}.{name}" if path else name
        if name in value:
            yield from _walk(value[name], field.type, where, strict)
        elif field.required:
            yield _refuse(where, "required", "required field is missing")
    if strict or t.forbid_unknown_fields:
        for name in value:
            if name not in known:
                where = f"{path}.{name}" if path else str(name)
                yield _refuse(where, "unknown_field", f"unknown field {name!r}", name=name)


def _array(value: Any, t: Any, path: str, strict: bool) -> Iterator[FieldError]:
    items = t.item_types if isinstance(t, mi.TupleType) else [t.item_type] * len(value)
    if isinstance(t, mi.TupleType) and len(items) != len(value):
        yield _refuse(path, "length", f"expected {len(items)} items", n=len(items))
        return
    for index, (item, item_type) in enumerate(zip(value, items, strict=False)):
        yield from _walk(item, item_type, f"{path}[{index}]", strict)


def _mapping(value: Any, t: mi.DictType, path: str, strict: bool) -> Iterator[FieldError]:
    for key, item in value.items():
        yield from _walk(item, t.value_type, f"{path}.{key}" if path else str(key), strict)


_WALKS: dict[type, Any] = {
    mi.StrType: _text,
    mi.IntType: _number,
    mi.FloatType: _number,
    mi.LiteralType: _choice,
    mi.StructType: _object,
    mi.VarTupleType: _array,
    mi.TupleType: _array,
    mi.ListType: _array,
    mi.DictType: _mapping,
}
