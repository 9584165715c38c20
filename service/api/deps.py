"""Dependencies of the routes, as `Annotated` aliases: the application, the caller, the as-of day."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator

from events.dates import EARLIEST, YEARS_AHEAD, DateError, PartialDate, out_of_range, year_in_range
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


def day_refused(day: date, today: date) -> DateError | None:
    """Why an as-of day lies outside the catalogue's dates (1945 to a century after `today`), or None."""
    return out_of_range(PartialDate(day), today)


def as_of_day(
    pantau: PantauDep,
    as_of: Annotated[date | None, Query(description="YYYY-MM-DD; default today (PANTAU_TIMEZONE)")] = None,
) -> date | None:
    """The as-of day asked, within the catalogue's dates: a day past them would run windows off the calendar."""
    refused = None if as_of is None else day_refused(as_of, pantau.today())
    if refused is not None:
        field = {"field": "as_of", "reason": str(refused), "code": refused.code, "params": refused.params}
        raise ApiError(422, f"as_of: {refused}", fields=[field])
    return as_of


AsOf = Annotated[date | None, Depends(as_of_day)]
MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"  # [0-9]: \d takes any script's digits; the year: month_first


def month_first(month: str, today: date) -> date | None:
    """The first day of `month` (YYYY-MM) when its year is one the catalogue accepts, else None."""
    if not re.match(MONTH, month) or not year_in_range(int(month[:4]), today):
        return None
    return date.fromisoformat(month + "-01")


def month_span(month: str, today: date) -> dict[str, object]:
    """The parameters of refusal `month_range` for `month` (docs/refusals.md)."""
    return {"value": month[:40], "earliest": EARLIEST.year, "latest": today.year + YEARS_AHEAD}


DESK_ID = r"^[a-z0-9][a-z0-9-]{1,79}$"  # the catalogue's desk ids
Desk = Annotated[str | None, Query(pattern=DESK_ID, description="only this desk, e.g. kbri-seoul")]
