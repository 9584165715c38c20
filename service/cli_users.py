"""`pantau users add|list|revoke|ensure-admin|set-password`: users, their tokens and passwords."""

from __future__ import annotations

from typing import Annotated

import typer

from service.cli_support import context, fail

app = typer.Typer(help="Users, their tokens (printed once; only a hash is kept) and passwords.", no_args_is_help=True)


@app.command("add")
def add(
    name: Annotated[str, typer.Option(help="who the user is, e.g. an e-mail address")],
    role: Annotated[str, typer.Option(help="admin, desk, regional or viewer")],
    desk: Annotated[str | None, typer.Option(help="the desk a desk user follows, e.g. kbri-seoul")] = None,
    region: Annotated[str | None, typer.Option(help="the province of a regional user")] = None,
    email: Annotated[
        str | None, typer.Option(help="the user's address: an invitation to set a password is queued to it")
    ] = None,
    language: Annotated[str, typer.Option(help="the language of the user's mails: id or en")] = "id",
) -> None:
    """Add a user and print its token, alone on the last line (it is not shown again)."""
    from service import auth, people

    if language not in auth.LANGUAGES:
        fail(f"--language: {language!r} is not one of {', '.join(auth.LANGUAGES)}")
    pantau = context()
    try:
        user, token = people.add_person(
            pantau, name, role, desk=desk, region=region, email=email, language=language, invite=True
        )
    except auth.UserError as exc:
        fail(str(exc))
    if email:
        typer.echo(f"an invitation to set a password is queued to {email.strip()}")
    typer.echo(f"added {user.role} {user.name!r}; its token (shown once):")
    typer.echo(token)


@app.command("set-password")
def set_password(
    name: Annotated[str, typer.Argument(help="the user's name")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Set a user's password, read from standard input (never from the command line, where others see it)."""
    import sys

    from service import auth, passwords

    if not password_stdin:
        fail(
            '--password-stdin: give the password on standard input, e.g. printf %s "$PW" | pantau users set-password N --password-stdin'
        )
    password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    pantau = context()
    try:
        user = passwords.set_password(pantau.engine, name, password, pantau.clock())
    except auth.UserError as exc:
        fail(str(exc))
    typer.echo(f"password set for {user.name!r}")


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
    try:
        token = auth.ensure_admin(pantau.engine, pantau.clock(), name)
    except auth.UserError as exc:
        fail(str(exc))
    typer.echo(f"admin {name!r}; its token (shown once, the previous one no longer works):")
    typer.echo(token)
