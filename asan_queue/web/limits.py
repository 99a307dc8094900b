"""Abuse limits where abuse hurts a hall, sized in the README ("Limits"). The counters live in
Redis when ASAN_REDIS_URL is set (every server process shares them), in memory otherwise.

- staff logins: failures per username and per client address; past the free failures each
  further one doubles a lock (2 s, 4 s, ... at most LOGIN_MAX_DELAY) during which logins
  are answered 429 with Retry-After before any password is hashed;
- walk-in tickets and check-ins: per kiosk when the request carries a known `X-Kiosk-Key`
  (so a whole hall behind one address is not one budget), per client address otherwise;
- public booking changes (book, cancel, reschedule): one budget per client address shared by
  the three, taken before the request is even read, so malformed floods count too.

This is the one limit mechanism: an API operation names its budget with
`@operation(limit=...)` (web/contract.py) or takes it with `take()`.

The client address is the connection's, or the one a configured trusted proxy forwarded
(web/proxy.py)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from ..domain.errors import TooManyRequests, ValidationError

KIOSK_HEADER = "X-Kiosk-Key"
KIOSK_KEY_MAX = 200  # as documented (web/contract.py KIOSK_KEY_HEADER)


@dataclass
class Limits:
    storage: Storage
    prefix: str

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, "limit", *parts))


def init_limits(app: Flask) -> None:
    uri = app.config.get("LIMITS_STORAGE_URI") or app.config.get("REDIS_URL") or "memory://"
    prefix = str(app.config.get("REDIS_PREFIX", "asan"))
    app.extensions["asan_limits"] = Limits(storage_from_string(uri), prefix)


def _limits() -> Limits:
    limits: Limits = current_app.extensions["asan_limits"]
    return limits


def client_address() -> str:
    return request.remote_addr or "unknown"


def _refuse(code: str, message: str, retry_after: float) -> TooManyRequests:
    seconds = max(1, math.ceil(retry_after))
    return TooManyRequests(message, code=code, details={"retry_after": seconds})


# -- staff logins -------------------------------------------------------------------------


def _login_keys(username: str) -> list[tuple[str, int]]:
    cfg = current_app.config
    return [
        (f"user:{username.strip().lower()[:80]}", int(cfg["LOGIN_FREE_FAILURES_USER"])),
        (f"address:{client_address()}", int(cfg["LOGIN_FREE_FAILURES_ADDRESS"])),
    ]


def login_locks(who: str) -> list[str]:
    """The two lock keys of a username or address. A failure past the free ones writes the
    lock of its parity afresh (clear, then set with the doubled delay) while the other still
    holds: no instant in which a concurrent login finds no lock at all."""
    limits = _limits()
    return [limits.key("login-lock", who, parity) for parity in ("0", "1")]


def check_login(username: str) -> None:
    """Before the password is checked: refuse while this username or address is locked.
    Raises TooManyRequests (429, Retry-After)."""
    limits = _limits()
    for who, _ in _login_keys(username):
        held = [lock for lock in login_locks(who) if limits.storage.get(lock) > 0]
        if held:
            wait = max(limits.storage.get_expiry(lock) for lock in held) - time.time()
            raise _refuse("too_many_logins", "too many failed logins; wait and try again", wait)


def login_failed(username: str) -> None:
    """Count a failed login; past the free failures, lock for a doubling delay."""
    limits = _limits()
    window = int(current_app.config["LOGIN_WINDOW_SECONDS"])
    longest = int(current_app.config["LOGIN_MAX_DELAY_SECONDS"])
    for who, free in _login_keys(username):
        failures = limits.storage.incr(limits.key("login-fail", who), window)
        if failures > free:
            delay = min(2 ** min(failures - free, 20), longest)
            lock = login_locks(who)[failures % 2]
            limits.storage.clear(lock)
            limits.storage.incr(lock, delay)


def login_succeeded(username: str) -> None:
    """A right password clears the user's failures (the address keeps its count)."""
    limits = _limits()
    who = _login_keys(username)[0][0]
    limits.storage.clear(limits.key("login-fail", who))


# -- budgets per kiosk or address ---------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    address: str  # the setting with this budget's limits per client address
    kiosk: str | None  # the setting per identified kiosk (None: per address only)
    code: str  # the error code of a refusal


BUDGETS = {
    "tickets": Budget("LIMIT_TICKETS_ADDRESS", "LIMIT_TICKETS_KIOSK", "too_many_tickets"),
    "checkin": Budget("LIMIT_CHECKIN_ADDRESS", "LIMIT_CHECKIN_KIOSK", "too_many_checkin"),
    "booking": Budget("RATELIMIT_BOOKING", None, "too_many_requests"),
}


def kiosk_id() -> str | None:
    """The kiosk this request comes from, if it sent a configured key (empty or unknown
    keys count as none)."""
    key = request.headers.get(KIOSK_HEADER, "").strip()
    if len(key) > KIOSK_KEY_MAX:  # (any other odd key is simply no configured kiosk's)
        raise ValidationError(
            f"{KIOSK_HEADER} must be at most {KIOSK_KEY_MAX} characters",
            code="invalid_kiosk_key",
        )
    keys = current_app.config.get("KIOSK_KEYS") or {}
    return keys.get(key) if key else None


def take(scope: str) -> None:
    """One more request of budget `scope` (BUDGETS) from this kiosk or address.
    Raises TooManyRequests (429, Retry-After)."""
    budget = BUDGETS[scope]
    kiosk = (
        kiosk_id() if budget.kiosk else None
    )  # (a malformed key is refused even with limits off)
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    who, setting = (
        (f"kiosk:{kiosk}", budget.kiosk)
        if kiosk and budget.kiosk
        else (f"address:{client_address()}", budget.address)
    )
    limits = _limits()
    window = FixedWindowRateLimiter(limits.storage)
    items: list[RateLimitItem] = parse_many(str(current_app.config[setting]))
    for item in items:
        if not window.hit(item, limits.prefix, scope, who):
            reset = window.get_window_stats(item, limits.prefix, scope, who).reset_time
            wait = reset - time.time()
            raise _refuse(budget.code, "too many requests; try again later", wait)
