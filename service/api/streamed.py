"""Long JSON answers sent a part at a time: what a process holds is a part, not the whole answer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain

from fastapi.responses import Response, StreamingResponse

PART_BYTES = 1 << 18  # about this much of the answer per part sent


def array_parts(items: Iterable[bytes], head: bytes = b"[", tail: bytes = b"]") -> Iterator[bytes]:
    """`head + b",".join(items) + tail`, in parts of about PART_BYTES, reading `items` as it goes."""
    size, part, held, separator = PART_BYTES, [head], len(head), b""
    for item in items:
        part += (separator, item)
        held += len(item) + 1
        separator = b","
        if held >= size:
            yield b"".join(part)
            part, held = [], 0
    part.append(tail)
    yield b"".join(part)


def streamed_json(parts: Iterator[bytes]) -> Response:
    """A 200 sending `parts` as they come; the first two are made here, before the answer starts.

    A streamed answer cannot change its status once sent: reading the first part first lets a
    database that cannot be reached still answer 503 (service/api/guards.py), not a cut answer.
    An answer of one part is sent whole, with its length, as any short answer.
    """
    first = next(parts)
    second = next(parts, None)
    if second is None:
        return Response(first, media_type="application/json")
    return StreamingResponse(chain((first, second), parts), media_type="application/json")
