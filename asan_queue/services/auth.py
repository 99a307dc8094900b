"""Staff authentication: password check, API tokens (random, stored as SHA-256, revocable)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain.errors import Unauthorized, ValidationError
from ..models import ApiToken, User
from .uow import UnitOfWork

# A hash to compare against when the user does not exist, so a wrong username costs the
# same time as a wrong password (no user enumeration by timing).
_DUMMY_HASH = generate_password_hash("not-a-password")


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def _inline(fn: Callable[..., Any], *args: Any) -> Any:
    return fn(*args)


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    run: Callable[..., Any] = _inline,
) -> User:
    """Return the active user with these credentials. Raises Unauthorized. `run(fn, *args)`
    runs the (deliberately slow) hash check: the web layer passes a thread pool, so a flood
    of logins never stalls the event loop that serves kiosks and displays."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        run(check_password_hash, _DUMMY_HASH, password)
        raise Unauthorized("wrong username or password", code="bad_credentials")
    if not run(check_password_hash, user.password_hash, password) or not user.active:
        raise Unauthorized("wrong username or password", code="bad_credentials")
    return user


def end_sessions(uow: UnitOfWork, user_id: int, *, now: datetime) -> None:
    """End every desk session (the session version in their cookies no longer matches) and
    revoke every API token of this user."""
    with uow:
        session = uow.session
        session.execute(
            update(User)
            .where(User.id == user_id)
            .values(session_version=User.session_version + 1)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )


# Passwords people pick first; refused whatever their length.
COMMON_PASSWORDS = frozenset(
    {"password1", "password123", "qwerty123", "1234567890", "admin12345", "asanxidmet1"}
)
MIN_PASSWORD = 10


def check_password_strength(password: str, username: str = "") -> None:
    """The one password rule: at least 10 characters, letters and something else (digits,
    signs), not the username, not a well-known one. Raises ValidationError (weak_password)."""
    lowered = password.lower()
    weak = (
        len(password) < MIN_PASSWORD
        or password.isalpha()
        or not any(ch.isalpha() for ch in password)
        or (username and username.lower() in lowered)
        or lowered in COMMON_PASSWORDS
        or len(set(password)) < 4
    )
    if weak:
        raise ValidationError(
            f"a password needs at least {MIN_PASSWORD} characters, letters and digits or "
            "signs, and not the username",
            code="weak_password",
            details={"field": "password", "min": MIN_PASSWORD},
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(uow: UnitOfWork, user: User, *, now: datetime, ttl_hours: int = 12) -> str:
    """Create an API token for `user`; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    with uow:
        uow.session.add(
            ApiToken(
                user_id=user.id,
                token_hash=_digest(token),
                created_at=now,
                expires_at=now + timedelta(hours=ttl_hours),
            )
        )
    return token


def user_for_token(session: Session, token: str, *, now: datetime) -> User:
    """Resolve a bearer token. Raises Unauthorized for unknown, expired or revoked tokens."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= now or not row.user.active:
        raise Unauthorized("invalid or expired token", code="invalid_token")
    return row.user


def revoke_token(uow: UnitOfWork, token: str, *, now: datetime) -> None:
    """Log out with a token: it and every other session and token of its user end; unknown
    tokens are ignored."""
    with uow:
        row = uow.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
        if row is not None and row.revoked_at is None:
            end_sessions(uow, row.user_id, now=now)
