"""Small helpers shared by use cases."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import NotFound, ValidationError
from ..models import Center, Service, Ticket
from .catalog_cache import load_hall as load_hall  # the hall's read, where callers look

LANGS = ("az", "ru", "en")


def new_token() -> str:
    """An unguessable public token (256 bits of randomness, URL-safe)."""
    return secrets.token_urlsafe(32)


def require_aware(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now


def check_lang(lang: str | None) -> str:
    lang = lang or "az"
    if lang not in LANGS:
        raise ValidationError(f"lang must be one of {', '.join(LANGS)}", code="invalid_lang")
    return lang


def get_center(session: Session, slug: str) -> Center:
    center = session.scalar(select(Center).where(Center.slug == slug))
    if center is None:
        raise NotFound(f"no center {slug!r}", code="center_not_found")
    return center


def get_service(session: Session, center: Center, code: str) -> Service:
    service = session.scalar(
        select(Service).where(Service.center_id == center.id, Service.code == code)
    )
    if service is None or not service.active:
        raise NotFound(f"no service {code!r} at {center.slug}", code="service_not_found")
    return service


def get_ticket(session: Session, token: str, *, for_update: bool = False) -> Ticket:
    stmt = select(Ticket).where(Ticket.token == token)
    if for_update:
        stmt = stmt.with_for_update()
    ticket = session.scalar(stmt)
    if ticket is None:
        raise NotFound("no such ticket", code="ticket_not_found")
    return ticket
