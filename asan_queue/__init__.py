"""ASAN Queue: the application factory (wiring only)."""

from __future__ import annotations

from flask import Flask


def create_app(config: object) -> Flask:
    """Build the app from a config object (wsgi.py and the tests pass one in)."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config)

    from . import cli, realtime, web
    from .extensions import csrf, db, login_manager, migrate, socketio
    from .services import notifications
    from .services.uow import MessageBus
    from .web.security import origin_check

    db.init_app(app)
    migrate.init_app(app, db, directory=app.config.get("MIGRATIONS_DIR", "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config.get("REDIS_URL"),
        channel=f"{app.config.get('REDIS_PREFIX', 'asan')}-socketio",
        # Our own pages and ASAN_ALLOWED_ORIGINS ([] would turn the check off).
        cors_allowed_origins=origin_check(app.config.get("ALLOWED_ORIGINS") or ()),
    )
    # The unit of work's handlers, explicitly: the SMS outbox inside each transaction, the
    # realtime fan-out after commit (realtime.register).
    bus = MessageBus()
    if app.config.get("NOTIFY_TICKETS", True):
        bus.in_transaction.append(notifications.queue_ticket_messages)
    app.extensions["asan_bus"] = bus
    web.register(app)  # (security headers, limits, the trusted proxy, metrics)
    realtime.register(app)
    cli.register(app)
    return app
