"""`flask` commands of the booking area: send due notifications, list failed ones, purge
personal data after its retention period."""

from __future__ import annotations

import click
from flask import Flask, current_app

from .clock import now_utc
from .extensions import db
from .services import retention
from .services.channels import mask_recipient
from .services.notifications import list_notifications
from .web.notify import send_once
from .web.uow import unit_of_work


def register(app: Flask) -> None:
    @app.cli.command("notify-send")
    def notify_send() -> None:
        """Send the notifications that are due (once; the app's worker does it continuously)."""
        report = send_once(current_app._get_current_object())  # type: ignore[attr-defined]
        click.echo(
            f"{report.sent} sent, {report.logged} logged only (no gateway), "
            f"{report.retrying} to retry, {report.failed} failed"
        )

    @app.cli.command("notify-failed")
    def notify_failed() -> None:
        """List notifications that could not be delivered (recipients masked)."""
        rows = list_notifications(db.session, status="failed", center_id=None)
        for n in rows:
            click.echo(
                f"#{n.id} {n.kind} via {n.channel} to {mask_recipient(n.recipient)}: "
                f"{n.attempts} attempts, {n.last_error}"
            )
        click.echo(f"{len(rows)} failed notification(s)")

    @app.cli.command("purge-personal-data")
    @click.option(
        "--older-than-days",
        type=click.IntRange(min=0),
        help="one period for visits and bookings (default: the configured retention)",
    )
    def purge_personal_data(older_than_days: int | None) -> None:
        """Blank personal data past its retention (the server also does this itself)."""
        keep = retention.configured(app.config)
        if older_than_days is not None:
            keep = retention.Retention(older_than_days, older_than_days)
        purged = retention.purge_personal_data(unit_of_work(), keep, now=now_utc())
        click.echo(
            f"purged {purged.appointments} booking(s), {purged.tickets} ticket(s), "
            f"{purged.notifications} notification(s), {purged.comments} comment(s)"
        )
