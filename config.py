"""Configuration objects. The package never imports this module: wsgi.py and the tests pass
a config in (STYLE.md rule 1). Every setting can be overridden by an ASAN_* environment variable."""

from __future__ import annotations

import os
from pathlib import Path

from asan_queue.web.security import DEV_SECRET_KEY

ROOT = Path(__file__).resolve().parent


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"ASAN_{name}", default)


class Config:
    ENV = _env("ENV", "development") or "development"  # production: see README
    # Outside development the server refuses to start with this fallback or a short key
    # (asan_queue/web/security.py).
    SECRET_KEY = _env("SECRET_KEY") or DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL") or f"sqlite:///{ROOT / 'instance' / 'asan.db'}"
    # Database errors that reach a log must not carry the statement's values (phones, names).
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"hide_parameters": True}
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    # Production runs behind HTTPS (README): cookies only ever travel encrypted.
    SESSION_COOKIE_SECURE = ENV == "production"
    REMEMBER_COOKIE_SECURE = ENV == "production"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REDIS_URL = _env("REDIS_URL")
    # Every Redis key and the Socket.IO channel start with this, so two installations (or two
    # test runs) sharing one Redis never see each other's events, sequences or limits.
    REDIS_PREFIX = _env("REDIS_PREFIX", "asan") or "asan"
    PUBLIC_URL = _env("PUBLIC_URL")
    # gevent: thousands of sockets in one thread; measured faster than threading for both
    # ticket issuing (bench/bench_issue.py) and call fan-out (bench/bench_realtime.py).
    ASYNC_MODE = _env("ASYNC_MODE", "gevent")
    FONT_DIR = _env("FONT_DIR") or str(ROOT / "node_modules" / "dejavu-fonts-ttf" / "ttf")
    NODE_MODULES = str(ROOT / "node_modules")
    MIGRATIONS_DIR = str(ROOT / "migrations")
    # Rendered hall announcements (WAV), one file per voice and text.
    SPEECH_CACHE_DIR = _env("SPEECH_CACHE_DIR") or str(ROOT / "instance" / "speech")
    MAX_CONTENT_LENGTH = 64 * 1024
    TOKEN_TTL_HOURS = int(_env("TOKEN_TTL_HOURS", "12") or 12)
    RATELIMIT_BOOKING = _env("RATELIMIT_BOOKING", "30/minute")
    WTF_CSRF_TIME_LIMIT = None
    # Abuse limits (asan_queue/web/limits.py; the README explains the sizes). In Redis when
    # ASAN_REDIS_URL is set, so every server process shares them.
    LOGIN_FREE_FAILURES_USER = int(_env("LOGIN_FREE_FAILURES_USER", "5") or 5)
    LOGIN_FREE_FAILURES_ADDRESS = int(_env("LOGIN_FREE_FAILURES_ADDRESS", "30") or 30)
    LOGIN_WINDOW_SECONDS = int(_env("LOGIN_WINDOW_SECONDS", "900") or 900)
    LOGIN_MAX_DELAY_SECONDS = int(_env("LOGIN_MAX_DELAY_SECONDS", "900") or 900)
    LIMIT_TICKETS_KIOSK = _env("LIMIT_TICKETS_KIOSK", "12/minute;400/hour")
    LIMIT_TICKETS_ADDRESS = _env("LIMIT_TICKETS_ADDRESS", "5/minute;30/hour")
    LIMIT_CHECKIN_KIOSK = _env("LIMIT_CHECKIN_KIOSK", "20/minute")
    LIMIT_CHECKIN_ADDRESS = _env("LIMIT_CHECKIN_ADDRESS", "10/10minutes")
    # Kiosks identify themselves with an X-Kiosk-Key header: "name=key,name=key".
    KIOSK_KEYS = {
        key: name
        for name, _, key in (
            pair.strip().partition("=") for pair in (_env("KIOSK_KEYS", "") or "").split(",")
        )
        if name and key
    }
    # Socket.IO: subscribes one connection may make per minute; the origins (scheme://host)
    # whose pages may connect (same origin only when unset).
    SUBSCRIBES_PER_MINUTE = int(_env("SUBSCRIBES_PER_MINUTE", "30") or 30)
    ALLOWED_ORIGINS = [o.strip() for o in (_env("ALLOWED_ORIGINS", "") or "").split(",") if o]
    # Proxies in front of the server whose X-Forwarded-* headers are believed: how many hops,
    # and from which addresses (comma-separated; loopback when unset).
    TRUSTED_PROXY_COUNT = int(_env("TRUSTED_PROXY_COUNT", "0") or 0)
    TRUSTED_PROXY_ADDRESSES = [
        a.strip() for a in (_env("TRUSTED_PROXY_ADDRESSES", "127.0.0.1,::1") or "").split(",")
    ]
    NOTIFY_SMS_URL = _env("SMS_URL")
    NOTIFY_SMS_KEY = _env("SMS_KEY")
    NOTIFY_SMTP_HOST = _env("SMTP_HOST")
    NOTIFY_SMTP_PORT = int(_env("SMTP_PORT", "25") or 25)
    NOTIFY_SMTP_FROM = _env("SMTP_FROM", "noreply@asan.local")
    NOTIFY_WORKER = (_env("NOTIFY_WORKER", "1") or "1") == "1"
    NOTIFY_INTERVAL_SECONDS = float(_env("NOTIFY_INTERVAL_SECONDS", "5") or 5)
    # How often each server process looks for a center's day to close.
    DAY_CLOSE_INTERVAL_SECONDS = float(_env("DAY_CLOSE_INTERVAL_SECONDS", "30") or 30)
    # Personal data kept this many days (visits: ticket phones, feedback comments, messages;
    # bookings: names, phones, e-mails, from the slot), purged by the server every hour.
    RETENTION_VISIT_DAYS = int(_env("RETENTION_VISIT_DAYS", "30") or 30)
    RETENTION_BOOKING_DAYS = int(_env("RETENTION_BOOKING_DAYS", "90") or 90)
    PURGE_INTERVAL_SECONDS = float(_env("PURGE_INTERVAL_SECONDS", "3600") or 3600)
    # Logs: JSON lines on stderr (asan_queue/web/ops.py), this level and above.
    LOG_LEVEL = _env("LOG_LEVEL", "INFO") or "INFO"
    # Compressed answers: brotli for browsers that take it, gzip for the rest.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "deflate"]
    # A file holding the current instant, for end-to-end tests of real server processes
    # across midnight or closing time; never honoured in production.
    CLOCK_FILE = _env("CLOCK_FILE") if ENV != "production" else None
    TESTING = False


class TestConfig(Config):
    TESTING = True
    # Emit Socket.IO messages before the request returns, so test clients see them at once.
    REALTIME_SYNC = True
    ASYNC_MODE = "threading"  # flask_socketio's test client runs in the test's own threads
    SECRET_KEY = "test-secret"  # noqa: S105 - tests only
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = True
    LIMITS_STORAGE_URI = "memory://"
    # Tests make many tickets from one address; the limit tests set the real sizes.
    LIMIT_TICKETS_ADDRESS = "100000/minute"
    LIMIT_CHECKIN_ADDRESS = "100000/minute"
    LOGIN_FREE_FAILURES_USER = 1000
    LOGIN_FREE_FAILURES_ADDRESS = 1000
    # Every answer in the test suite is checked against its declared schema (web/contract.py).
    VALIDATE_RESPONSES = True
    NOTIFY_WORKER = False
    REDIS_URL = None
