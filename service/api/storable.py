"""Every path, query and form value checked once, at the edge: text a database can hold and compare.

PostgreSQL cannot hold NUL in text (and answers an error to a query comparing with it), a lone
surrogate is not Unicode text for any database, and no identifier or filter runs to thousands of
characters. Such a value is refused with 422 naming the parameter before any route reads it, on
every database alike (docs/input-limits.md, "Parameters").
"""

from __future__ import annotations

from fastapi import Request

from service.api.errors import ApiError

MAX_PARAMETER = 1000  # characters of one path or query value: ids, filters and cursors are far shorter
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class UnfitValue(ApiError):
    """A path, query or form value no database can hold: 422 naming it (a page shows it as a page)."""

    def __init__(self, name: str, where: str, kind: str, longest: int):
        self.name, self.kind, self.longest = name, kind, longest
        reason = REASONS[kind].format(longest=longest)
        super().__init__(422, f"{name}: {reason}", fields=[{"field": name, "reason": reason, "in": where}])


# The API's reasons; a page says them from the catalogue's `unfit.<kind>` entries.
REASONS = {
    "nul": "holds a NUL character (U+0000), which cannot be stored",
    "long": "is longer than {longest} characters",
    "surrogate": "holds a lone surrogate (U+D800 to U+DFFF), which is not Unicode text",
}


def unfit(value: str, longest: int) -> str | None:
    """The kind of reason `value` cannot be stored or compared (a key of REASONS), or None when it can."""
    if "\x00" in value:
        return "nul"
    if len(value) > longest:
        return "long"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "surrogate"
    return None


def _check(items, where: str, longest: int) -> None:
    for name, value in items:
        if isinstance(value, str) and (kind := unfit(value, longest)) is not None:
            # A name that is itself unfit is not repeated in the answer.
            raise UnfitValue(name if unfit(name, 100) is None else "?", where, kind, longest)


# Pages for people outside the government (docs/partner.md) refuse over-long text themselves, in
# the partner's language; the edge still refuses there what no database can hold (NUL, surrogates).
_OWN_WORDS = ("/mitra/",)


async def storable(request: Request) -> None:
    """Refuse (UnfitValue) a path, query or form value that no database can hold."""
    _check(request.path_params.items(), "path", MAX_PARAMETER)
    _check(request.query_params.multi_items(), "query", MAX_PARAMETER)
    if request.method in ("POST", "PUT", "PATCH") and request.headers.get("content-type", "").startswith(_FORMS):
        longest = request.app.state.pantau.settings.max_text_length
        if request.url.path.startswith(_OWN_WORDS):
            longest = request.app.state.pantau.settings.max_body_bytes  # its own limits, in its reader's words
        _check((await request.form()).multi_items(), "form", longest)
