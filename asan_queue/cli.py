"""`flask` commands. Each calls a use case and prints one line."""

from __future__ import annotations

import click
from flask import Flask

from . import cli_booking, cli_simulate
from .clock import now_utc
from .domain.errors import DomainError
from .services import auth, checkin, day, demo, rollup
from .web.uow import unit_of_work


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the demo centers and users if the database is empty."""
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

    stats = click.Group("stats", help="Reports' daily rollups.")
    app.cli.add_command(stats)

    @stats.command("backfill")
    def backfill() -> None:
        """Write the daily rollups of every closed day (history kept before rollups existed,
        or after a restore); rerunning gives the same rows."""
        uow = unit_of_work()
        with uow:
            days = rollup.backfill_all(uow.session, now=now_utc())
        click.echo(f"{days} closed day(s) rolled up")

    users = click.Group("users", help="Staff accounts.")
    app.cli.add_command(users)

    @users.command("set-password")
    @click.argument("username")
    @click.password_option()
    def set_password(username: str, password: str) -> None:
        """Give a staff user a new password; every session and token of theirs ends."""
        try:
            auth.set_password(unit_of_work(), username, password, now=now_utc())
        except DomainError as err:
            raise click.ClickException(str(err)) from None
        click.echo(f"password of {username} changed; their sessions and tokens have ended")

    cli_booking.register(app)
    cli_simulate.register(app)
