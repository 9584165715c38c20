"""API writes: validate envelopes, stamp the actor, check the caller's scope, append, keep retries safe."""

from __future__ import annotations

import uuid

from events import mapper
from events.errors import FieldError, InvalidEvent
from events.model import Event
from projections.partnership import fold
from projections.status import details
from service import idempotency
from service.api.committer import GroupCommitter, committer_for
from service.api.errors import ApiError
from service.api.reads import state_of
from service.auth import User
from service.bootstrap import Pantau

# Recorded by the service itself once a message is delivered (docs/events.md); never from people.
SERVICE_ONLY = frozenset({"NotificationSent"})
_KEYED_IDS = uuid.UUID("1d3c2a8e-5b7f-4f7a-9c61-7e0f3d2b9a10")


def scope_of(pantau: Pantau, stream: str, batch: list[Event]) -> tuple[str | None, str | None] | None:
    """(desk, province) the stream belongs to today, or None when it is neither stored nor registered here."""
    state = state_of(pantau, stream)
    if state is None:
        registration = next((e for e in batch if e.stream == stream and e.type == "PartnershipRegistered"), None)
        if registration is None:
            return None
        state = fold([registration])
    assert state is not None  # a registration always folds into a state
    info = details(state, pantau.today(), pantau.rules)
    return info.get("desk"), (info.get("indonesia") or {}).get("province")


def authorise(pantau: Pantau, user: User, batch: list[Event]) -> None:
    """403 unless `user` may write every event of the batch."""
    for index, event in enumerate(batch):
        if event.type in SERVICE_ONLY:
            raise ApiError(403, f"{event.type} is recorded by the service itself, not through the API",
                           fields=[{"field": "type", "reason": "recorded by the service only", "index": index}])
    if user.role == "admin":
        return  # may write anywhere: no need to look the streams up
    for stream in sorted({e.stream for e in batch}):
        scope = scope_of(pantau, stream, batch)
        if scope is None:
            continue  # unregistered: the store refuses it with a reason (422)
        if not user.may_write(*scope):
            desk, province = scope
            raise ApiError(403, f"user {user.name!r} ({user.role}) may not write to {stream!r} "
                                f"(desk {desk or '-'}, province {province or '-'})")


def parse(pantau: Pantau, user: User, envelopes: list, key: str | None) -> list[Event]:
    """Validate every envelope (all reasons at once), with meta.actor set from the caller."""
    if not envelopes:
        raise ApiError(422, "no events given", fields=[{"field": "body", "reason": "empty array"}])
    events, errors = [], []
    for index, obj in enumerate(envelopes):
        if not isinstance(obj, dict):
            errors.append(FieldError("event", "must be a JSON object", index))
            continue
        obj = dict(obj)
        meta = obj.get("meta")
        obj["meta"] = {**(meta if isinstance(meta, dict) else {}), "actor": user.name}
        if obj.get("id") is None and key is not None:
            # Ids derived from the key make a retry name the same events, so the store skips them.
            obj["id"] = str(uuid.uuid5(_KEYED_IDS, f"{user.id}:{key}:{index}"))
        try:
            events.append(mapper.from_dict(obj, pantau.today()))
        except InvalidEvent as exc:
            errors.extend(FieldError(e.field, e.reason, index) for e in exc.errors)
    if errors:
        raise InvalidEvent(errors)
    return events


def record(pantau: Pantau, user: User, envelopes: list, *, expected_version: int | None = None,
           key: str | None = None, single: bool = False,
           committer: GroupCommitter | None = None) -> tuple[int, object]:
    """Append the envelopes for `user`; returns (status, body), the first answer again on a retry."""
    print_ = idempotency.fingerprint(envelopes, expected_version, single)
    if key is not None:
        earlier = idempotency.recall(pantau.engine, user.id, key, pantau.clock())
        if earlier is not None:
            if earlier[0] != print_:
                raise ApiError(409, "this Idempotency-Key was used for a different request",
                               code="idempotency_key_reused")
            return earlier[1], earlier[2]
    batch = parse(pantau, user, envelopes, key)
    if expected_version is not None and len({e.stream for e in batch}) > 1:
        raise ApiError(400, "expected_version applies to events of a single stream",
                       fields=[{"field": "expected_version", "reason": "the batch names several streams"}])
    authorise(pantau, user, batch)
    committer = committer or committer_for(pantau.store)
    stored = [mapper.to_wire(e) for e in committer.append(batch, expected_version)]
    body: object = stored[0] if single else stored
    if key is not None:
        _, status, body = idempotency.remember(pantau.engine, user.id, key, print_, 201, body, pantau.clock())
        return status, body
    return 201, body
