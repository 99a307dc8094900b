"""The unit of work of a request or a command: the app's session and its message bus."""

from __future__ import annotations

from flask import current_app

from ..extensions import db
from ..services.uow import UnitOfWork


def unit_of_work() -> UnitOfWork:
    return UnitOfWork(db.session, current_app.extensions["asan_bus"])
