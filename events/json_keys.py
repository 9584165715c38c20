"""Repeated keys in a JSON object: refused, since readers disagree on which of the values counts.

The decoders behind the record (msgspec, the json module) keep the last value of a repeated key,
while the stored bytes keep every one and other readers take the first: what was checked and what
is stored would differ. docs/input-limits.md says so for users.
"""

from __future__ import annotations

import json

from events.errors import FieldError


class _Repeated(Exception):
    """Raised inside the decoder at the first object that names a key twice."""


def _pairs(pairs: list[tuple[str, object]]) -> tuple[tuple[str, object], ...]:
    keys = {key for key, _ in pairs}
    if len(keys) != len(pairs):
        raise _Repeated
    return tuple(pairs)


def _surely_unique(text: bytes | str) -> bool:
    """True when no string occurs twice in `text` (so no key can repeat); False says "look closer".

    Without a backslash every double quote of valid JSON opens or closes a string, so the odd
    pieces of a split on it are exactly the strings, keys included; comparing them is done in C,
    which keeps the check cheap on the import's hot path.
    """
    if isinstance(text, bytes):
        if b"\\" in text:
            return False
        pieces: list = text.split(b'"')
    else:
        if "\\" in text:
            return False
        pieces = text.split('"')
    strings = pieces[1::2]
    return len(set(strings)) == len(strings)


def repeated_keys(text: bytes | str) -> list[FieldError]:
    """Every object of the JSON document `text` that names a key twice, as field paths.

    A top-level array names its items by `index` (the API's batches); `text` is expected to be
    valid JSON already (a document that is not is left to the decoder that refuses it).
    """
    if _surely_unique(text):
        return []
    try:
        json.loads(text, object_pairs_hook=_pairs)
        return []
    except _Repeated:
        pass
    except (ValueError, RecursionError):  # not JSON, or not UTF-8: its own decoder says so
        return []
    document = json.loads(text, object_pairs_hook=tuple)
    if isinstance(document, list):
        return [
            _refusal(path, reason, index) for index, item in enumerate(document) for path, reason in _walk(item, "")
        ]
    return [_refusal(path, reason, None) for path, reason in _walk(document, "")]


def _refusal(path: str, reason: str, index: int | None) -> FieldError:
    """A repeated key's refusal, with its code and the key for the words of other languages."""
    return FieldError(path, reason, index, code="repeated_key", params={"key": path.rsplit(".", 1)[-1]})


def _walk(value: object, where: str) -> list[tuple[str, str]]:
    """(path, reason) of every repeated key under `value`, objects being tuples of pairs here."""
    found: list[tuple[str, str]] = []
    if isinstance(value, tuple):
        seen: set[str] = set()
        told: set[str] = set()
        for key, inner in value:
            path = f"{where}.{key}" if where else key
            if key in seen:
                if key not in told:
                    told.add(key)
                    found.append((path, f"the key {key!r} appears more than once in one object"))
                continue
            seen.add(key)
            found.extend(_walk(inner, path))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            found.extend(_walk(inner, f"{where}[{i}]"))
    return found
