"""`flask` commands. Each calls a use case and prints one line."""

from __future__ import annotations

import click
from flask import Flask

from . import cli_booking
from .extensions import db
from .services import checkin, demo, housekeeping
from .web.clock import now_utc


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the demo centers and users if the database is empty."""
        loaded = demo.seed_demo(db.session, now=now_utc())
        click.echo("demo data loaded" if loaded else "database already has data; nothing loaded")

    @app.cli.command("close-day")
    def close_day() -> None:
        """Expire tickets left active from earlier local days (run after closing time)."""
        n = housekeeping.expire_stale_tickets(db.session, now=now_utc())
        m = checkin.mark_no_shows(db.session, now=now_utc())
        click.echo(f"{n} ticket(s) expired, {m} booking(s) marked no-show")

    cli_booking.register(app)
