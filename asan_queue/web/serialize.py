"""Shapes of the public JSON answers: moved to services/serialize.py so that realtime/ (below
web/ in the layers) emits the very same bodies; re-exported here for the views."""

from __future__ import annotations

from ..services.serialize import (
    center_summary,
    counter_json,
    iso,
    service_json,
    ticket_json,
    ticket_links,
)

__all__ = ["center_summary", "counter_json", "iso", "service_json", "ticket_json", "ticket_links"]
