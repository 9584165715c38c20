"""JSON request bodies: one that names a key twice in an object is refused before any route reads it."""

from __future__ import annotations

import email.message

from fastapi import Request

from events.json_keys import repeated_keys
from service.api.errors import ApiError, field_list


def _is_json(content_type: str | None) -> bool:
    """Whether FastAPI reads a body of this type as JSON (application/json, application/*+json)."""
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


async def refuse_repeated_keys(request: Request) -> None:
    """422 naming every repeated key of a JSON body: FastAPI would keep the last value unseen."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not _is_json(request.headers.get("content-type")):
        return
    errors = repeated_keys(await request.body())
    if errors:
        raise ApiError(
            422,
            "; ".join(str(e) for e in errors),
            code="repeated_key",
            fields=field_list(errors),
        )
