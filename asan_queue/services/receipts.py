"""Receipt input from a ticket, and a small cache of rendered receipts.

A receipt is immutable once issued: it shows the queue as it was at issue time (the people
ahead and the ETA range the queue model quoted then, stored on the ticket), so a reprint or
the phone's PDF says the same as the paper slip, and the rendered bytes can be cached for
good.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from zoneinfo import ZoneInfo

from ..documents import ReceiptData, ReceiptLabels
from ..i18n import pick, t
from ..models import Ticket
from .phones import mask_phone

ISSUED_FORMAT = "%d.%m.%Y %H:%M"


def receipt_labels(lang: str) -> ReceiptLabels:
    """The receipt's captions in `lang` (from the kiosk catalog)."""
    return ReceiptLabels(
        title=t(lang, "receipt.title"),
        people_ahead=t(lang, "receipt.people_ahead"),
        eta=t(lang, "receipt.eta"),
        scan_hint=t(lang, "receipt.scan_hint"),
        issued=t(lang, "receipt.issued"),
        priority=t(lang, "receipt.priority"),
        sms=t(lang, "receipt.sms"),
    )


def quoted_eta_text(ticket: Ticket, lang: str) -> str:
    """The ETA range quoted at issue, or why none was: no counter serving it was open."""
    low, high = ticket.quoted_eta_low, ticket.quoted_eta_high
    if low is None or high is None:
        return t(lang, "eta.no_counter")
    return t(lang, "eta.range", low=low, high=high)


def receipt_data(ticket: Ticket, *, base_url: str) -> ReceiptData:
    """Everything printed on `ticket`'s receipt, in the ticket's language.

    `base_url` is the public origin (no trailing slash); the QR encodes
    `<base_url>/t/<token>`, the citizen's ticket page.
    """
    lang = ticket.lang
    center = ticket.center
    service = ticket.service
    issued_local = ticket.issued_at.astimezone(ZoneInfo(center.timezone))
    booked = ticket.appointment_id is not None
    return ReceiptData(
        center_name=pick(center.name, lang),
        agency_name=pick(service.agency.name, lang),
        service_name=pick(service.name, lang),
        number=ticket.number,
        issued_at_local=issued_local.strftime(ISSUED_FORMAT),
        people_ahead=ticket.issued_ahead or 0,
        eta_text=quoted_eta_text(ticket, lang),
        url=f"{base_url.rstrip('/')}/t/{ticket.token}",
        labels=receipt_labels(lang),
        booked=booked,
        booked_label=t(lang, "receipt.booked") if booked else "",
        priority_reason=t(lang, f"priority.{ticket.priority}") if ticket.priority else "",
        phone_masked=mask_phone(ticket.phone) if ticket.phone else "",
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
