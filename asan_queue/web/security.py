"""What every answer carries and what the server refuses to start without: a strong secret
key outside development, secure cookies in production, and the security headers (a CSP that
allows no inline script or style: every page's scripts and styles are files)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response

# The fallback of config.py for development; a session signed with it must never open a
# production desk, so outside development the server refuses to start with it.
DEV_SECRET_KEY = "dev-only-secret-change-me"  # noqa: S105 - the value refused below
MIN_SECRET_LENGTH = 32

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src 'self'",  # the kiosk prints its receipt from a same-origin frame
        "frame-ancestors 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)


class InsecureConfig(RuntimeError):
    """The server would run with settings anyone could abuse."""


def check_secret(app: Flask) -> None:
    """Refuse to start outside development (and tests) without a strong ASAN_SECRET_KEY.
    Raises InsecureConfig."""
    if app.config.get("ENV", "development") == "development" or app.testing:
        return
    key = str(app.config.get("SECRET_KEY") or "")
    if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_LENGTH:
        raise InsecureConfig(
            f"ASAN_SECRET_KEY must be set to a random value of at least {MIN_SECRET_LENGTH} "
            "characters outside development (e.g. python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'); the development key is refused"
        )


def origin_check(allowed: Iterable[str]) -> Callable[[str | None, dict[str, Any]], bool]:
    """Socket.IO's Origin check: our own pages (the request's scheme and Host, which only a
    trusted proxy may rewrite: web/proxy.py) and the origins of ASAN_ALLOWED_ORIGINS. Clients
    that send no Origin (not a browser: python-socketio, a kiosk app) are not a page of
    another site and pass; the page's Origin cannot be forged by a script."""
    extra = {o.rstrip("/") for o in allowed if o}

    def check(origin: str | None, environ: dict[str, Any]) -> bool:
        if not origin:
            return True
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        return origin.rstrip("/") in extra | {own}

    return check


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def _hsts(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def register(app: Flask) -> None:
    check_secret(app)
    app.after_request(_headers)
    if app.config.get("ENV") == "production":
        app.after_request(_hsts)
