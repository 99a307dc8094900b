"""The `app` fixture keeps one app context pushed for the whole test, so `g` (where
Flask-Login caches the current user) would outlive a request; in production every request has
its own. Clear the cache per request so two test clients are two different desks."""

from __future__ import annotations

from typing import Any

import pytest
from flask import g


@pytest.fixture(autouse=True)
def fresh_login_per_request(app: Any) -> None:
    def forget() -> None:
        g.pop("_login_user", None)
        g.pop("csrf_token", None)  # Flask-WTF caches the token there too

    app.before_request(forget)
