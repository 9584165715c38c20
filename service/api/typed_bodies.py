"""The typed writes' bodies, made from the catalogue: a payload type's own fields and the envelope's.

A typed endpoint (`POST /api/partnerships/{stream}/activities`, …) takes exactly the fields of its
catalogue type (events/catalogue.py) beside the envelope fields it names (`occurred_on`, `stream`),
stores every one it accepts, and refuses a field the catalogue does not declare, at any depth, with
422 naming it (code `unknown_field`). Its OpenAPI body is the catalogue struct's own JSON Schema.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from events.catalogue import PARTIAL_DATE, TYPES
from events.errors import FieldError, InvalidEvent
from events.shape import unknown_fields
from events.vocabulary import STREAM_PATTERN


def ecma(pattern: str) -> str:
    """A catalogue pattern as JSON Schema writes it: its regex has no \\Z, and `$` says the same to its readers."""
    return pattern.replace("\\Z", "$")


# The envelope fields a typed body may carry beside the payload's, as JSON Schema.
ENVELOPE_SCHEMAS = {
    "occurred_on": {"type": "string", "pattern": ecma(PARTIAL_DATE), "description": "YYYY-MM-DD, YYYY-MM or YYYY"},
    "stream": {"type": "string", "pattern": ecma(STREAM_PATTERN), "description": "the partnership id"},
}


@dataclass(frozen=True)
class TypedBody:
    """The body of one typed write: the payload of `type_name` with some envelope fields at its top."""

    type_name: str
    envelope: tuple[str, ...] = ("occurred_on",)  # envelope fields the body may carry
    required: tuple[str, ...] = ()  # of those, the ones it must carry
    made_up: tuple[str, ...] = ()  # payload fields the endpoint fills in when absent

    def split(self, body: object) -> tuple[dict, dict]:
        """(envelope fields, data) of a body; InvalidEvent naming each unknown or missing field."""
        if not isinstance(body, dict):
            raise InvalidEvent([FieldError("body", "expected a JSON object", code="type", params={"type": "object"})])
        outer = {k: body[k] for k in self.envelope if k in body}
        data = {k: v for k, v in body.items() if k not in self.envelope}
        errors = [e.under("data") for e in unknown_fields(data, TYPES[self.type_name])]
        errors += [
            FieldError(name, "required field is missing", code="required")
            for name in self.required
            if name not in outer
        ]
        if errors:
            raise InvalidEvent(errors)
        return outer, data

    def openapi(self) -> dict:
        """The operation's `requestBody`, for `openapi_extra`."""
        schema = _inline(msgspec.json.schema(TYPES[self.type_name]))
        schema["properties"] = {**{k: ENVELOPE_SCHEMAS[k] for k in self.envelope}, **schema["properties"]}
        required = [k for k in (*self.required, *schema.get("required", ())) if k not in self.made_up]
        schema["required"] = required
        schema["description"] = f"the fields of {self.type_name} (docs/events.md)"
        return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _inline(schema: dict) -> dict:
    """msgspec's schema with its `$defs` written in place, closed to unknown keys, in ECMA regex."""
    defs = schema.get("$defs", {})

    def resolve(node: object) -> object:
        if isinstance(node, list):
            return [resolve(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return resolve(defs[node["$ref"].rsplit("/", 1)[1]])
        out = {k: resolve(v) for k, v in node.items() if k not in ("$defs", "title", "properties")}
        if "properties" in node:
            out["properties"] = {name: resolve(field) for name, field in node["properties"].items()}
            out["additionalProperties"] = False
        if "pattern" in out:
            out["pattern"] = ecma(str(out["pattern"]))
        return out

    resolved = resolve(schema)
    assert isinstance(resolved, dict)
    return resolved


REGISTRATION = TypedBody("PartnershipRegistered", ("stream", "occurred_on"), required=("stream",))
ACTIVITY = TypedBody("ActivityLogged", required=("occurred_on",), made_up=("activity_id",))
AGREEMENT = TypedBody("AgreementSigned", required=("occurred_on",))
CONTACT = TypedBody("ContactAssigned")
