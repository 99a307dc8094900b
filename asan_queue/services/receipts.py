"""Receipt input from a ticket, and a small cache of rendered receipts.

A receipt is immutable once issued: it shows the queue as it was at issue time (people
ahead then, the ETA quoted then), so a reprint or the phone's PDF says the same as the
paper slip, and the rendered bytes can be cached for good.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ..documents import ReceiptData, ReceiptLabels
from ..i18n import pick, t
from ..models import Ticket
from .queue import ticket_eta

ISSUED_FORMAT = "%d.%m.%Y %H:%M"


def people_ahead_at_issue(session: Session, ticket: Ticket) -> int:
    """Tickets of the same service that were waiting ahead of `ticket` when it was issued.

    Rebuilt from stored times (issued, first called, ended) so it never changes later. A
    priority ticket only counts the priority tickets before it, as call-next does.
    """
    issued = ticket.issued_at
    left_queue = func.coalesce(Ticket.first_called_at, Ticket.ended_at)
    conditions = [
        Ticket.center_id == ticket.center_id,
        Ticket.service_id == ticket.service_id,
        Ticket.day == ticket.day,
        Ticket.id != ticket.id,
        or_(Ticket.issued_at < issued, and_(Ticket.issued_at == issued, Ticket.id < ticket.id)),
        # A tie (same instant, e.g. a frozen test clock) counts as still waiting: the call
        # cannot have come before the ticket it would have skipped was even issued.
        or_(left_queue.is_(None), left_queue >= issued),
    ]
    if ticket.priority:
        conditions.append(Ticket.priority.is_not(None))
    return int(session.scalar(select(func.count()).where(*conditions)) or 0)


def receipt_labels(lang: str) -> ReceiptLabels:
    """The receipt's captions in `lang` (from the kiosk catalog)."""
    return ReceiptLabels(
        title=t(lang, "receipt.title"),
        people_ahead=t(lang, "receipt.people_ahead"),
        eta=t(lang, "receipt.eta"),
        minutes=t(lang, "unit.min"),
        scan_hint=t(lang, "receipt.scan_hint"),
        issued=t(lang, "receipt.issued"),
    )


def receipt_data(session: Session, ticket: Ticket, *, base_url: str) -> ReceiptData:
    """Everything printed on `ticket`'s receipt, in the ticket's language.

    `base_url` is the public origin (no trailing slash); the QR encodes
    `<base_url>/t/<token>`, the citizen's ticket page.
    """
    lang = ticket.lang
    center = ticket.center
    service = ticket.service
    issued_local = ticket.issued_at.astimezone(ZoneInfo(center.timezone))
    eta = ticket.quoted_eta_minutes
    if eta is None:  # tickets made outside issue_ticket (check-in) quote no ETA up front
        eta = ticket_eta(session, ticket, ticket.issued_at)[1]
    booked = ticket.appointment_id is not None
    return ReceiptData(
        center_name=pick(center.name, lang),
        agency_name=pick(service.agency.name, lang),
        service_name=pick(service.name, lang),
        number=ticket.number,
        issued_at_local=issued_local.strftime(ISSUED_FORMAT),
        people_ahead=people_ahead_at_issue(session, ticket),
        eta_minutes=eta,
        url=f"{base_url.rstrip('/')}/t/{ticket.token}",
        labels=receipt_labels(lang),
        booked=booked,
        booked_label=t(lang, "receipt.booked") if booked else "",
    )


class DocumentCache:
    """A thread-safe LRU of rendered documents (bytes), bounded by entry count.

    Receipts are immutable, so entries never go stale; the bound only caps memory
    (a receipt PDF is ~20 KB, so 512 entries stay near 10 MB).
    """

    def __init__(self, maxsize: int = 512) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value: bytes) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def get_or_render(self, key: Hashable, render: Callable[[], bytes]) -> bytes:
        """The cached bytes for `key`, rendering (outside the lock) on a miss."""
        value = self.get(key)
        if value is None:
            value = render()
            self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)
