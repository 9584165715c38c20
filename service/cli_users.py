"""`pantau users add|list|revoke|ensure-admin`: API users and their tokens."""

from __future__ import annotations

from typing import Annotated

import typer

from service.cli_support import context, fail

app = typer.Typer(
    help="API users and their tokens (a token is printed once; only its hash is kept).", no_args_is_help=True
)


@app.command("add")
def add(
    name: Annotated[str, typer.Option(help="who the user is, e.g. an e-mail address")],
    role: Annotated[str, typer.Option(help="admin, desk, regional or viewer")],
    desk: Annotated[str | None, typer.Option(help="the desk a desk user follows, e.g. kbri-seoul")] = None,
    region: Annotated[str | None, typer.Option(help="the province of a regional user")] = None,
) -> None:
    """Add a user and print its token, alone on the last line (it is not shown again)."""
    from service import auth

    pantau = context()
    try:
        user, token = auth.add_user(pantau.engine, name, role, pantau.clock(), desk=desk, region=region)
    except auth.UserError as exc:
        fail(str(exc))
    typer.echo(f"added {user.role} {user.name!r}; its token (shown once):")
    typer.echo(token)


@app.command("list")
def list_() -> None:
    """List the users, revoked ones marked."""
    from service import auth

    pantau = context()
    for user in auth.list_users(pantau.engine):
        scope = user.desk or user.region or ""
        typer.echo(f"{user.name}\t{user.role}\t{scope}\t{'revoked' if user.revoked else 'active'}")


@app.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="the user's name")]) -> None:
    """Revoke a user's token at once."""
    from service import auth

    pantau = context()
    if not auth.revoke(pantau.engine, name, pantau.clock()):
        fail(f"{name}: no such active user")
    typer.echo(f"revoked {name!r}")


@app.command("ensure-admin")
def ensure_admin(name: Annotated[str, typer.Option(help="the admin's name")] = "admin") -> None:
    """Create the first admin, or give it a new token; prints the token alone on the last line."""
    from service import auth

    pantau = context()
    token = auth.ensure_admin(pantau.engine, pantau.clock(), name)
    typer.echo(f"admin {name!r}; its token (shown once, the previous one no longer works):")
    typer.echo(token)
