"""Dependencies of the routes, as `Annotated` aliases: the application, the caller, the as-of day."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator, BeforeValidator

from events.numbers import REASON, is_whole
from service.api.errors import ApiError
from service.api.throttle import address_of
from service.auth import User, authenticate, get_user
from service.bootstrap import Pantau

_bearer = HTTPBearer(auto_error=False, description="a token printed by `pantau users add`")


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency on its thread
# pool, and each such hop cost a write more than the dependency itself (bench/api_load.py).
async def get_pantau(request: Request) -> Pantau:
    """The application built by create_app."""
    return request.app.state.pantau


PantauDep = Annotated[Pantau, Depends(get_pantau)]


def _refuse_while_blocked(request: Request) -> None:
    wait = request.app.state.auth_failures.wait(address_of(request))
    if wait is not None:
        raise ApiError(
            429,
            f"too many failed attempts from this address; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )


def current_user(
    request: Request, pantau: PantauDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> User:
    """The caller named by its bearer token; 401 without one or with an unknown or revoked one.

    Refused tokens count against the client's address: past the limit, 429 (service/api/throttle.py).
    """
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "this call needs 'Authorization: Bearer TOKEN'", headers=challenge)
    _refuse_while_blocked(request)
    user = authenticate(pantau.engine, credentials.credentials)
    if user is None:
        request.app.state.auth_failures.failed(address_of(request))
        raise ApiError(401, "unknown or revoked token", headers=challenge)
    return user


UserDep = Annotated[User, Depends(current_user)]


def feed_reader(
    request: Request,
    pantau: PantauDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    key: Annotated[
        str | None,
        Query(
            max_length=200, description="the feed key shown on the expiries page, for calendar apps that send no token"
        ),
    ] = None,
) -> User:
    """The caller of a calendar feed: by bearer token, or by the feed key in the URL.

    A key sits in a URL that calendar apps share and log: it opens only its user's own feed (a
    desk user's key, that desk's; other roles' keys, any desk's as their tokens do).
    """
    if credentials is None and key is not None:
        _refuse_while_blocked(request)
        user_id = request.app.state.feeds.load(key)
        user = get_user(pantau.engine, user_id) if user_id is not None else None
        if user is None:
            request.app.state.auth_failures.failed(address_of(request))
            raise ApiError(401, "unknown feed key, or its user was revoked")
        asked = request.path_params.get("desk")
        if user.role == "desk" and asked != user.desk:
            raise ApiError(
                403,
                f"this feed key opens the calendar of {user.desk} only",
                fields=[{"field": "desk", "reason": f"not {user.desk}"}],
            )
        return user
    return current_user(request, pantau, credentials)


FeedReaderDep = Annotated[User, Depends(feed_reader)]


async def writer(user: UserDep) -> User:
    """The caller, when its role may write at all (viewers only read)."""
    if user.role == "viewer":
        raise ApiError(403, f"user {user.name!r} is a viewer and may only read")
    return user


WriterDep = Annotated[User, Depends(writer)]


async def admin(user: UserDep) -> User:
    """The caller, when it is an administrator."""
    if user.role != "admin":
        raise ApiError(403, "only administrators may do this")
    return user


AdminDep = Annotated[User, Depends(admin)]


def ascii_whole(value: object) -> object:
    """A path or query number in the digits 0-9 only (pydantic alone also takes "+5", " 5", "5_0", "5.0")."""
    if isinstance(value, str):
        if not is_whole(value):
            raise ValueError(REASON)
        return int(value)
    return value


# A whole number of a path or query parameter: ASCII digits, as events/numbers.py reads every number.
Whole = Annotated[int, BeforeValidator(ascii_whole)]


def sensible_day(day: date | None) -> date | None:
    """Refuse days whose windows would run off the calendar (year 1 minus 48 months)."""
    if day is not None and not 1800 <= day.year <= 2999:
        raise ValueError("must be a day between 1800-01-01 and 2999-12-31")
    return day


AsOf = Annotated[
    date | None, AfterValidator(sensible_day), Query(description="YYYY-MM-DD; default today (PANTAU_TIMEZONE)")
]
MONTH = r"^(1[89]|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"  # [0-9]: \d takes any script's digits
DESK_ID = r"^[a-z0-9][a-z0-9-]{1,79}$"  # the catalogue's desk ids
Desk = Annotated[str | None, Query(pattern=DESK_ID, description="only this desk, e.g. kbri-seoul")]
