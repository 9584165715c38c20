"""/api/users for administrators: add a user (its token answered once, an invitation mailed) and list them."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from service import auth, people
from service.api.deps import AdminDep, PantauDep
from service.api.errors import ApiError

router = APIRouter(prefix="/api", tags=["users"])


class NewUser(BaseModel):
    """A user to add: desk and region are among those the rules and the record know."""

    name: str = Field(max_length=400)
    role: Literal["admin", "desk", "regional", "viewer"]
    desk: str | None = Field(default=None, max_length=200)
    region: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=400, description="an invitation to set a password goes here")
    language: Literal["id", "en"] = "id"


def _refused(found: dict[str, auth.UserError]) -> ApiError:
    fields = [{"field": field, "reason": refused.words} for field, refused in sorted(found.items())]
    return ApiError(
        422, "the user was not added: " + "; ".join(f"{f['field']} {f['reason']}" for f in fields), fields=fields
    )


@router.post("/users", status_code=201)
def add_user(body: NewUser, pantau: PantauDep, _admin: AdminDep) -> JSONResponse:
    """Add a user; the answer carries its token, the only time it is shown."""
    found = people.problems(pantau, body.name, body.role, body.desk, body.region, body.email)
    if found:
        raise _refused(found)
    try:
        user, token = people.add_person(
            pantau,
            body.name,
            body.role,
            desk=body.desk,
            region=body.region,
            email=body.email,
            language=body.language,
            invite=True,
        )
    except auth.UserError as refused:
        raise _refused({refused.field: refused}) from None
    answer = {"name": user.name, "role": user.role, "desk": user.desk, "region": user.region, "token": token}
    return JSONResponse(answer, status_code=201)


@router.get("/users")
def list_users(pantau: PantauDep, _admin: AdminDep) -> JSONResponse:
    """Every user, revoked ones included, by name (never a token or a password)."""
    return JSONResponse(
        [
            {"name": u.name, "role": u.role, "desk": u.desk, "region": u.region, "revoked": u.revoked}
            for u in auth.list_users(pantau.engine)
        ]
    )
