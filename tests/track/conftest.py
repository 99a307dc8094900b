"""Browser fixtures for the ticket page: the live demo server, open whatever the real clock says."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.kiosk.live_hours import set_hours


@pytest.fixture(scope="module")
def kiosk_server(live_server: Any) -> Iterator[Any]:
    set_hours(live_server, open_all_day=True)
    yield live_server
