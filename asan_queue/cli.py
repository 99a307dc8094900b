"""`flask` commands. Each calls a use case and prints one line."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

import click
from flask import Flask
from pydantic import BaseModel
from pydantic import ValidationError as SchemaError

from . import cli_booking, cli_simulate
from .clock import now_utc
from .domain.errors import DomainError
from .extensions import db
from .schemas.catalog import Catalog, UserIn
from .services import checkin, day, demo, provisioning
from .web.uow import unit_of_work

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def _read_password() -> str:
    """Asked twice at a terminal; otherwise the first line of standard input."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


def _run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return fn(*args, **kwargs)
    except DomainError as err:
        raise click.ClickException(f"{err} ({err.code})") from None


def _parse(model: type[M], data: dict[str, Any]) -> M:
    try:
        return model.model_validate(data)
    except SchemaError as err:
        first = err.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise click.ClickException(f"{where}: {first.get('msg')}") from None


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the demo centers and users if the database is empty (never in production)."""
        if app.config.get("ENV") == "production":
            raise click.ClickException("ASAN_ENV=production: demo data is never loaded")
        loaded = demo.seed_demo(unit_of_work(), now=now_utc())
        click.echo("demo data loaded" if loaded else "database already has data; nothing loaded")

    @app.cli.command("close-day")
    def close_day() -> None:
        """Close every center's days that are due (the server also does this itself, at
        closing time plus the grace period and at local midnight)."""
        now = now_utc()
        closed = day.close_due_days(unit_of_work(), now=now)
        lapsed = checkin.mark_no_shows(unit_of_work(), now=now)
        expired = sum(c.tickets_expired for c in closed)
        missed = sum(c.bookings_missed for c in closed) + lapsed
        click.echo(f"{expired} ticket(s) expired, {missed} booking(s) marked no-show")

    users = click.Group("users", help="Staff accounts.")
    app.cli.add_command(users)

    @users.command("create")
    @click.argument("username")
    @click.option("--role", type=click.Choice(["admin", "supervisor", "operator"]), required=True)
    @click.option("--center", "center", default=None, help="The center's slug (not for admins).")
    @click.option("--name", "full_name", default="", help="The full name shown at the desk.")
    def create_user(username: str, role: str, center: str | None, full_name: str) -> None:
        """Create a staff account. The password is asked for (or read from standard input when
        it is not a terminal); weak ones are refused."""
        password = _read_password()
        data = _parse(
            UserIn, {"username": username, "role": role, "center": center, "full_name": full_name}
        )
        _run(provisioning.create_user, unit_of_work(), data, password, None, now=now_utc())
        click.echo(f"{role} {username} created" + (f" at {center}" if center else ""))

    @users.command("set-password")
    @click.argument("username")
    def set_password(username: str) -> None:
        """Give a staff user a new password; every session and token of theirs ends."""
        password = _read_password()
        _run(provisioning.set_password, unit_of_work(), username, password, None, now=now_utc())
        click.echo(f"password of {username} changed; their sessions and tokens have ended")

    @users.command("deactivate")
    @click.argument("username")
    def deactivate(username: str) -> None:
        """Deactivate a staff account: it can no longer sign in; its sessions end."""
        _run(provisioning.set_user_active, unit_of_work(), username, False, None, now=now_utc())
        click.echo(f"{username} deactivated; their sessions and tokens have ended")

    catalog = click.Group("catalog", help="Centers, agencies, services, counters and hours.")
    app.cli.add_command(catalog)

    @catalog.command("import")
    @click.argument("path", type=click.File("r", encoding="utf-8"))
    def import_catalog(path: TextIO) -> None:
        """Create or update what a catalogue file describes (idempotent: re-importing the
        same file changes nothing; a changed file updates)."""
        try:
            data = Catalog.model_validate_json(path.read())
        except SchemaError as err:
            first = err.errors()[0]
            where = ".".join(str(x) for x in first.get("loc", ()))
            raise click.ClickException(f"{where}: {first.get('msg')}") from None
        report = _run(provisioning.import_catalog, unit_of_work(), data, None, now=now_utc())
        gone = f"; deactivated {', '.join(report.deactivated)}" if report.deactivated else ""
        click.echo(
            f"imported {', '.join(report.centers) or 'agencies'}: {report.changes} change(s){gone}"
        )

    @catalog.command("export")
    @click.argument("slug")
    def export_catalog(slug: str) -> None:
        """Print center SLUG as a catalogue file (the format `catalog import` reads)."""
        try:
            data = provisioning.export_center(db.session, slug)
        except DomainError as err:
            raise click.ClickException(str(err)) from None
        click.echo(data.model_dump_json(indent=2, exclude_none=True))

    cli_booking.register(app)
    cli_simulate.register(app)
