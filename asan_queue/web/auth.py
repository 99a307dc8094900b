"""Who is calling: a Bearer token (API clients) or the desk's session cookie (with CSRF)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf

from ..clock import now_utc
from ..domain.errors import Forbidden, Unauthorized
from ..domain.statuses import Role
from ..extensions import db, login_manager
from ..models import User
from ..services.auth import authenticate, user_for_token
from . import limits
from .blocking import off_loop

F = TypeVar("F", bound=Callable[..., Any])


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    # "<user id>.<session version>" (User.get_id): a cookie from before the user's last
    # logout or password change names an old version and opens nothing.
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()) or len(user_id) > 12:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def staff_login(username: str, password: str) -> User:
    """Check a staff login within the limits: a locked username or address is refused before
    any hashing, the hash runs off the event loop, and a failure counts toward the lock.
    Raises TooManyRequests, Unauthorized."""
    limits.check_login(username)
    try:
        user = authenticate(db.session, username, password, run=off_loop)
    except Unauthorized:
        limits.login_failed(username)
        raise
    limits.login_succeeded(username)
    return user


def staff_user() -> User:
    """The authenticated staff user of this request. Raises Unauthorized."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("use 'Authorization: Bearer <token>'", code="invalid_token")
        return user_for_token(db.session, token.strip(), now=now_utc())
    if current_user.is_authenticated:
        # A cookie rides along with any request a browser makes, so state changes from the
        # desk must also prove they come from our page.
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except (CSRFError, Exception) as err:
                raise Forbidden("missing or invalid CSRF token", code="csrf_failed") from err
        user: User = current_user._get_current_object()
        return user
    raise Unauthorized("log in or send a Bearer token", code="login_required")


def staff_required(*roles: Role) -> Callable[[F], F]:
    """Require a staff user (of one of `roles`, if given); the user is `g.user`."""

    def decorator(fn: F) -> F:
        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = staff_user()
            if roles and user.role not in roles:
                raise Forbidden("your role does not allow this", code="wrong_role")
            g.user = user
            return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
