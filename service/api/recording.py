"""API writes: validate envelopes, stamp the actor, check the caller's scope, append, keep retries safe."""

from __future__ import annotations

import time
import uuid
from datetime import date

from events import mapper
from events.errors import FieldError, InvalidEvent
from events.model import Event
from events.text import text_errors
from projections.partnership import PartnershipState, fold
from projections.status import details
from service import idempotency
from service.api.committer import GroupCommitter, committer_for
from service.api.errors import ApiError
from service.api.reads import state_of
from service.auth import User
from service.bootstrap import Pantau

# Recorded by the service itself once a message is delivered (docs/events.md); never from people.
SERVICE_ONLY = frozenset({"NotificationSent"})
# Whether the public registry shows a partnership: an administrator's or its own desk's call
# (docs/registry.md), not a region's or a viewer's.
DESK_ONLY = frozenset({"PublicationWithheld", "PublicationRestored"})
CLAIM_WAIT = 10.0  # seconds a retry waits for a concurrent first request with the same key
_KEYED_IDS = uuid.UUID("1d3c2a8e-5b7f-4f7a-9c61-7e0f3d2b9a10")


def _scope(state: PartnershipState, pantau: Pantau, day: date | None = None) -> tuple[str | None, str | None]:
    """(desk, province) a partnership state belongs to on `day` (default today)."""
    info = details(state, day or pantau.today(), pantau.rules)
    return info.get("desk"), (info.get("indonesia") or {}).get("province")


def _moves(pantau: Pantau, before, after, event: Event) -> bool:
    """Whether the event moves the partnership to another desk or province, today or on its own date."""
    if before is None or after is None:
        return False
    days = (None, event.occurred_on.first)
    return any(_scope(before, pantau, day) != _scope(after, pantau, day) for day in days)


def _refuse(user: User, stream: str, scope: tuple[str | None, str | None], index: int, why: str) -> ApiError:
    desk, province = scope
    return ApiError(
        403,
        f"user {user.name!r} ({user.role}) may not write to {stream!r} "
        f"(desk {desk or '-'}, province {province or '-'}): {why}",
        fields=[{"field": "stream", "reason": why, "code": "forbidden", "params": {"value": stream}, "index": index}],
    )


def authorise(pantau: Pantau, user: User, batch: list[Event]) -> None:
    """403 unless `user` may write every event of the batch, judged before and after each event.

    Scope holds event by event: a batch that registers a partnership in the user's scope and then
    moves it elsewhere is refused, and moving a partnership to another desk or province (a desk,
    a province, or a partner country that picks the desk) is an administrator's act.
    """
    for index, event in enumerate(batch):
        if event.type in SERVICE_ONLY:
            raise ApiError(
                403,
                f"{event.type} is recorded by the service itself, not through the API",
                fields=[
                    {
                        "field": "type",
                        "reason": "recorded by the service only",
                        "code": "service_only",
                        "params": {"value": event.type},
                        "index": index,
                    }
                ],
            )
    if user.role == "admin":
        return  # may write anywhere: no need to look the streams up
    for index, event in enumerate(batch):
        if event.type in DESK_ONLY and user.role != "desk":
            raise ApiError(
                403,
                f"{event.type} is recorded by an administrator or the partnership's desk",
                fields=[{"field": "type", "reason": "an administrator or the partnership's desk only", "index": index}],
            )
    states: dict[str, PartnershipState | None] = {}
    for index, event in enumerate(batch):
        stream = event.stream
        before = states[stream] if stream in states else state_of(pantau, stream)
        if before is not None:
            scope = _scope(before, pantau)
            if not user.may_write(*scope):
                raise _refuse(user, stream, scope, index, "outside the user's scope")
        elif event.type != "PartnershipRegistered":
            states[stream] = None
            continue  # unregistered: the store refuses it with a reason (422)
        after = fold([event], before)
        states[stream] = after
        if before is not None and _moves(pantau, before, after, event):
            raise _refuse(
                user,
                stream,
                _scope(before, pantau),
                index,
                "only an administrator may move a partnership to another desk or province",
            )
        if after is not None:
            scope = _scope(after, pantau)
            if not user.may_write(*scope):
                raise _refuse(
                    user, stream, scope, index, "the write would leave the partnership outside the user's scope"
                )


def check_request(pantau: Pantau, envelopes: list) -> None:
    """413 past the events-per-request limit; 422 naming every string with a control character,
    a lone surrogate, or more characters than the limit (docs/input-limits.md)."""
    settings = pantau.settings
    if len(envelopes) > settings.max_events:
        raise ApiError(
            413,
            f"{len(envelopes)} events in one request; at most {settings.max_events} "
            "(PANTAU_MAX_EVENTS); send them in several requests or use `pantau import`",
            code="too_many_events",
            fields=[
                {
                    "field": "body",
                    "reason": f"more than {settings.max_events} events",
                    "code": "too_many_events",
                    "params": {"n": settings.max_events},
                }
            ],
        )
    errors = [
        e
        for index, obj in enumerate(envelopes)
        for e in text_errors(obj, max_length=settings.max_text_length, index=index)
    ]
    if errors:
        raise InvalidEvent(errors)


def parse(pantau: Pantau, user: User, envelopes: list, key: str | None) -> list[Event]:
    """Validate every envelope (all reasons at once), with meta.actor set from the caller."""
    if not envelopes:
        raise ApiError(
            422,
            "no events given",
            fields=[{"field": "body", "reason": "empty array", "code": "required", "params": {}}],
        )
    events, errors = [], []
    for index, obj in enumerate(envelopes):
        if not isinstance(obj, dict):
            errors.append(FieldError("event", "must be a JSON object", index, "type", {"type": "object"}))
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
            errors.extend(e.at(index) for e in exc.errors)
    if errors:
        raise InvalidEvent(errors)
    return events


def record(
    pantau: Pantau,
    user: User,
    envelopes: list,
    *,
    expected_version: int | None = None,
    key: str | None = None,
    single: bool = False,
    committer: GroupCommitter | None = None,
) -> tuple[int, object]:
    """Append the envelopes for `user`; returns (status, body), the first answer again on a retry."""
    check_request(pantau, envelopes)  # before anything encodes the body: a lone surrogate cannot
    print_ = idempotency.fingerprint(envelopes, expected_version, single)
    if key is not None:
        earlier = _claim(pantau, user, key, print_)
        if earlier is not None:
            return earlier
        try:
            status, body = _append(pantau, user, envelopes, expected_version, key, single, committer)
        except BaseException:
            idempotency.release(pantau.engine, user.id, key)
            raise
        idempotency.remember(pantau.engine, user.id, key, status, body)
        return status, body
    return _append(pantau, user, envelopes, expected_version, key, single, committer)


def _claim(pantau: Pantau, user: User, key: str, print_: str) -> tuple[int, object] | None:
    """None when this request holds the key now; else the first answer under it (409 when it differs).

    A concurrent request with the same key and body is waited for, so both get one answer.
    """
    deadline = time.monotonic() + CLAIM_WAIT
    while True:
        earlier = idempotency.claim(pantau.engine, user.id, key, print_, pantau.clock())
        if earlier is None:
            return None
        if earlier[0] != print_:
            raise ApiError(409, "this Idempotency-Key was used for a different request", code="idempotency_key_reused")
        if earlier[1] != idempotency.PENDING:
            return earlier[1], earlier[2]
        if time.monotonic() > deadline:
            # Still pending after the wait: its request is slow, or its process stopped mid-way and
            # the claim is given up only when it is STALE. Retry-After says when that will be.
            wait = earlier.free_in(pantau.clock())
            raise ApiError(
                409,
                f"a request with this Idempotency-Key is still being answered, or the process answering it "
                f"stopped; retry in {wait} s, when a claim left unanswered for "
                f"{int(idempotency.STALE.total_seconds())} s is given up",
                code="idempotency_key_in_use",
                headers={"Retry-After": str(wait)},
            )
        time.sleep(0.02)  # the first request is writing: its answer comes within milliseconds


def _append(
    pantau: Pantau,
    user: User,
    envelopes: list,
    expected_version: int | None,
    key: str | None,
    single: bool,
    committer: GroupCommitter | None,
) -> tuple[int, object]:
    batch = parse(pantau, user, envelopes, key)
    if expected_version is not None and len({e.stream for e in batch}) > 1:
        raise ApiError(
            400,
            "expected_version applies to events of a single stream",
            fields=[
                {
                    "field": "expected_version",
                    "reason": "the batch names several streams",
                    "code": "one_stream",
                    "params": {},
                }
            ],
        )
    authorise(pantau, user, batch)
    committer = committer or committer_for(pantau)
    stored = [mapper.to_wire(e) for e in committer.append(batch, expected_version)]
    return 201, stored[0] if single else stored
