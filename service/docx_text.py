"""Text a Word document can hold, from whatever the record holds (rows older than the input rules too).

python-docx refuses, with a ValueError, text that XML 1.0 cannot carry (C0 controls, U+FFFE,
U+FFFF, lone surrogates) and a core property longer than 255 characters.
"""

from __future__ import annotations

import dataclasses

from events.text import writable

CORE_PROPERTY_CHARS = 255  # python-docx's (and the OOXML schema's) limit for a core property


def docx_text(text: str) -> str:
    """`text` with what XML cannot carry, and noncharacters, replaced by U+FFFD."""
    return writable(text)


def core_property(text: str) -> str:
    """`text` as a core property (title, subject…): docx_text, cut to 255 characters with an ellipsis."""
    text = docx_text(text)
    return text if len(text) <= CORE_PROPERTY_CHARS else text[: CORE_PROPERTY_CHARS - 1] + "…"


def docx_safe(value):
    """A copy of `value` (dataclasses, lists, tuples, dicts of them) whose every string is docx_text."""
    if isinstance(value, str):
        return docx_text(value)
    if isinstance(value, list):
        return [docx_safe(v) for v in value]
    if isinstance(value, tuple):
        return tuple(docx_safe(v) for v in value)
    if isinstance(value, dict):
        return {docx_safe(k): docx_safe(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: docx_safe(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        )
    return value
