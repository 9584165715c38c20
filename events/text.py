"""Text a record may hold: no C0 control characters but tab and newline, no lone surrogates, no noncharacters.

Files are written from old rows too (stored before a rule): `writable` makes any text fit them.
"""

from __future__ import annotations

import re

from events.errors import FieldError

# C0 controls but tab (\x09) and newline (\x0a); a carriage return is refused too (forms send
# CRLF, and the pages turn it into a newline before recording).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Unicode's 66 noncharacters (U+FDD0–U+FDEF and the last two code points of every plane): for a
# program's own use, never for interchange; XML, and so .docx and .xlsx, cannot hold U+FFFE/U+FFFF.
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0, 0x110000, 0x10000))
_NONCHARACTER = re.compile(f"[{NONCHARACTERS}]")
# What no file Pantau writes carries: the above, C0 controls but tab, newline and carriage return.
_UNWRITABLE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff{NONCHARACTERS}]")


def _reason(text: str, max_length: int | None) -> tuple[str, str, dict] | None:
    """(code, English reason, parameters) of what the text breaks, or None (docs/refusals.md)."""
    if (found := _SURROGATE.search(text)) is not None:
        code = f"U+{ord(found.group()):04X}"
        return "surrogate", f"contains a lone surrogate ({code}), which is not Unicode text", {"code": code}
    if (found := _NONCHARACTER.search(text)) is not None:
        code = f"U+{ord(found.group()):04X}"
        said = f"contains the noncharacter {code} at {found.start()}, which is not for text that is exchanged"
        return "noncharacter", said, {"code": code, "at": found.start()}
    if (found := _CONTROL.search(text)) is not None:
        code = f"U+{ord(found.group()):04X}"
        said = f"contains the control character {code} at {found.start()}; only tab and newline are allowed"
        return "control", said, {"code": code, "at": found.start()}
    if max_length is not None and len(text) > max_length:
        said = f"is {len(text)} characters long; at most {max_length} are allowed"
        return "text_long", said, {"length": len(text), "n": max_length}
    return None


def text_errors(
    value: object, path: str = "", *, max_length: int | None = None, index: int | None = None
) -> list[FieldError]:
    """Every string in a decoded JSON value (keys included) that breaks the rules, with its path."""
    errors: list[FieldError] = []
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if (found := _reason(item, max_length)) is not None:
                code, reason, params = found
                errors.append(FieldError(where or "body", reason, index, code, params))
        elif isinstance(item, dict):
            for key, inner in item.items():
                name = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and (found := _reason(key, 200)) is not None:
                    name = f"{where}.(a key)" if where else "(a key)"
                    code, reason, params = found
                    errors.append(FieldError(name, "the name " + reason, index, code, {**params, "key": True}))
                    continue
                stack.append((name, inner))
        elif isinstance(item, (list, tuple)):
            stack.extend((f"{where}[{i}]", inner) for i, inner in enumerate(item))
    return sorted(errors, key=lambda e: e.field)


def raw_text_errors(raw: str, decode, prefix: str) -> list[FieldError]:
    """text_errors of a JSON document given as text; skipped when it holds no escape at all.

    A control character or surrogate can only arrive in JSON as an escape (`\\u0000`, `\\b`…), so
    documents without a backslash or a noncharacter (which may come unescaped), the usual case of
    a bulk import, are not decoded twice.
    """
    if "\\" not in raw and (raw.isascii() or _NONCHARACTER.search(raw) is None):  # isascii: O(1) in CPython
        return []
    return text_errors(decode(raw), prefix)


def writable(text: str, replacement: str = "\ufffd") -> str:
    """`text` with what no file may carry (C0 controls but tab, newline and CR; lone surrogates;
    noncharacters) replaced by `replacement`."""
    return _UNWRITABLE.sub(replacement, text)
