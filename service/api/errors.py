"""Errors as JSON `{"error": {"code", "message", "fields"}}`, with the HTTP status that fits."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from events.errors import Conflict, FieldError, InvalidEvent

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    503: "unavailable",
}


class ApiError(Exception):
    """A refusal the API answers with its own status, code, message and field reasons."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        fields: list[dict] | None = None,
        headers: dict | None = None,
    ):
        self.status, self.message, self.fields, self.headers = status, message, fields, headers
        self.code = code or _CODES.get(status, "error")
        super().__init__(message)


def field_list(errors: list[FieldError]) -> list[dict]:
    """Field reasons as JSON objects with their code and its parameters; `index` names the event of a batch."""
    return [
        {
            "field": e.field,
            "reason": e.reason,
            "code": e.code,
            "params": e.params,
            **({"index": e.index} if e.index is not None else {}),
        }
        for e in errors
    ]


def body(code: str, message: str, fields: list[dict] | None = None) -> dict:
    """The error document."""
    return {"error": {"code": code, "message": message, "fields": fields or []}}


def respond(error: ApiError) -> JSONResponse:
    """The JSON response of an ApiError; a field given without a code carries the error's own."""
    fields = [{"code": error.code, "params": {}, **f} for f in error.fields or ()]
    return JSONResponse(body(error.code, error.message, fields), status_code=error.status, headers=error.headers)


# A request parameter's refusal by pydantic, coded by the error's structure (its `type` and `ctx`),
# never by its message: (code, the parameters taken from ctx or the input).
_PYDANTIC_TYPES = {"string": "str", "int": "int", "float": "float", "bool": "bool", "dict": "object", "list": "array"}
_PYDANTIC_CODES: dict[str, tuple[str, tuple[str, ...]]] = {
    "missing": ("required", ()),
    "extra_forbidden": ("unknown_field", ()),
    "string_pattern_mismatch": ("pattern", ("input",)),
    "string_too_long": ("too_long", ("max_length",)),
    "string_too_short": ("too_short", ("min_length",)),
    "greater_than_equal": ("at_least", ("ge",)),
    "less_than_equal": ("at_most", ("le",)),
    "literal_error": ("choice", ("input",)),
    "enum": ("choice", ("input",)),
    "json_invalid": ("not_json", ()),
}
_PARAM_NAMES = {"input": "value", "max_length": "n", "min_length": "n", "ge": "n", "le": "n"}


def _coded(item: dict, name: str) -> tuple[str, dict]:
    """(code, params) of one pydantic error (docs/refusals.md)."""
    kind = str(item.get("type", ""))
    if kind in _PYDANTIC_CODES:
        code, taken = _PYDANTIC_CODES[kind]
        source = {**(item.get("ctx") or {}), "input": item.get("input")}
        params = {_PARAM_NAMES[k]: source.get(k) for k in taken}
        if code == "unknown_field":
            params = {"name": name.rsplit(".", 1)[-1]}
        return code, {k: v if isinstance(v, (str, int, float, bool)) else str(v) for k, v in params.items()}
    for prefix, json_kind in _PYDANTIC_TYPES.items():
        if kind.startswith(prefix + "_"):  # string_type, int_parsing, dict_type, …
            return "type", {"type": json_kind}
    return "invalid", {}


def _validation_fields(exc: RequestValidationError) -> tuple[int, list[dict]]:
    fields, status, seen = [], 422, set()
    for item in exc.errors():
        # Union members appear in the location as their type names ("dict[str,any]"): not a field.
        loc = [str(part) for part in item.get("loc", ()) if "[" not in str(part)]
        where = loc[0] if loc else ""
        if item.get("type") == "json_invalid" or (
            where == "body" and isinstance(item.get("input"), (bytes, str)) and len(loc) == 1
        ):
            status = 400  # not JSON at all: a malformed request rather than a bad value
            item = {**item, "msg": "the body must be JSON (Content-Type: application/json)"}
        name = ".".join(loc[1:]) or where or "body"
        if (name, where) in seen:
            continue
        seen.add((name, where))
        code, params = ("not_json", {}) if status == 400 else _coded(item, name)
        fields.append(
            {"field": name, "reason": item.get("msg", "invalid"), "code": code, "params": params, "in": where}
        )
    return status, fields


def install(app: FastAPI) -> None:
    """Register the handlers that turn every refusal into the error document."""

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError):
        return respond(exc)

    @app.exception_handler(InvalidEvent)
    async def invalid_event(_request: Request, exc: InvalidEvent):
        return JSONResponse(body("invalid_event", str(exc), field_list(exc.errors)), status_code=422)

    @app.exception_handler(Conflict)
    async def conflict(_request: Request, exc: Conflict):
        return JSONResponse(body("conflict", str(exc)), status_code=409)

    @app.exception_handler(RequestValidationError)
    async def validation(_request: Request, exc: RequestValidationError):
        status, fields = _validation_fields(exc)
        message = "; ".join(f"{f['field']}: {f['reason']}" for f in fields) or "invalid request"
        return JSONResponse(body(_CODES[status], message, fields), status_code=status)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException):
        return JSONResponse(
            body(_CODES.get(exc.status_code, "error"), str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    # A failure no handler answers becomes a 500 in service/api/guards.py's ServerError, inside the
    # security headers and with Connection: close; Starlette's own 500 answer would have neither.
