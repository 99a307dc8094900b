"""Staff authentication: password check, API tokens (random, stored as SHA-256, revocable)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain.errors import Unauthorized
from ..models import ApiToken, User
from .uow import UnitOfWork

# A hash to compare against when the user does not exist, so a wrong username costs the
# same time as a wrong password (no user enumeration by timing).
_DUMMY_HASH = generate_password_hash("not-a-password")


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def authenticate(session: Session, username: str, password: str) -> User:
    """Return the active user with these credentials. Raises Unauthorized."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        raise Unauthorized("wrong username or password", code="bad_credentials")
    if not check_password_hash(user.password_hash, password) or not user.active:
        raise Unauthorized("wrong username or password", code="bad_credentials")
    return user


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
    """Revoke a token (logout); unknown tokens are ignored."""
    with uow:
        row = uow.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
        if row is not None and row.revoked_at is None:
            row.revoked_at = now
