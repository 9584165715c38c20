"""Adding a person: every check of a new user (name, role, scope, address), then the user, then the invitation."""

from __future__ import annotations

from collections.abc import Callable

from service import auth, passwords, user_scopes
from service.auth import User, UserError
from service.bootstrap import Pantau


def problems(pantau: Pantau, name: str, role: str, desk: str | None, region: str | None, email: str | None):
    """Every field of a new user that is refused, each with its UserError (empty: all fine)."""
    checks: list[tuple[str, Callable[[], object]]] = [
        ("name", lambda: auth.checked_name(name)),
        ("scope", lambda: user_scopes.checked_scope(pantau, role, desk, region)),
        ("email", lambda: auth.checked_email(email)),
    ]
    found: dict[str, UserError] = {}
    for _, check in checks:
        try:
            check()
        except UserError as refused:
            found.setdefault(refused.field, refused)
    return found


def add_person(
    pantau: Pantau,
    name: str,
    role: str,
    *,
    desk: str | None = None,
    region: str | None = None,
    email: str | None = None,
    language: str = "id",
    invite: bool = False,
) -> tuple[User, str]:
    """Add a user for a known desk or region and return it with its token; with `invite`, mail the link."""
    from service.password_mail import send_link

    desk, region = user_scopes.checked_scope(pantau, role, desk, region)
    user, token = auth.add_user(
        pantau.engine, name, role, pantau.clock(), desk=desk, region=region, email=email, language=language
    )
    address = auth.checked_email(email)
    if invite and address:
        send_link(pantau, user, address, language, passwords.INVITE)
    return user, token
