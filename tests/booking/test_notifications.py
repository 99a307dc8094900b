"""The notification outbox: queued by bookings and ticket events, sent by the worker via the
log channel, retried with backoff against a failing (local, fake) SMS gateway, listed."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from asan_queue.extensions import db
from asan_queue.models import Notification
from asan_queue.services.channels import LogChannel, SmsGateway, mask_recipient
from asan_queue.services.notifications import send_due
from tests.factories import token_for
from tests.sms_gateway import StubGateway

from .conftest import local


@pytest.fixture
def gateway() -> Iterator[StubGateway]:
    g = StubGateway([503, 500])
    yield g
    g.close()


def rows(session: Any, **filters: Any) -> list[Notification]:
    session.expire_all()
    return session.query(Notification).filter_by(**filters).order_by(Notification.id).all()


def test_booking_queues_confirmation_now_and_reminder_before_the_slot(
    client: Any, world: Any, book: Any, session: Any, app: Any
) -> None:
    app.config["NOTIFY_REMINDER_MINUTES"] = 120
    res = book(local(2026, 12, 1, 11), email="aysel@example.az")
    kinds = {(n.kind, n.channel): n for n in rows(session)}
    assert set(kinds) == {
        ("booking_confirmation", "sms"),
        ("booking_reminder", "sms"),
        ("booking_confirmation", "email"),
        ("booking_reminder", "email"),
    }
    reminder = kinds[("booking_reminder", "sms")]
    assert reminder.next_attempt_at == local(2026, 12, 1, 9)
    assert res.get_json()["code"] in kinds[("booking_confirmation", "sms")].body
    assert "Aysel" not in kinds[("booking_confirmation", "sms")].body  # no name in messages
    client.post(f"/api/v1/appointments/{res.get_json()['token']}/cancel")
    assert {n.status for n in rows(session, kind="booking_reminder")} == {"cancelled"}


def test_log_channel_sends_due_messages_without_the_phone_in_clear(
    world: Any, book: Any, session: Any, app: Any, runner: Any, caplog: Any
) -> None:
    log_channel = LogChannel("sms")
    app.extensions["notify_channels"] = {"sms": log_channel, "email": log_channel}
    book(local(2026, 12, 1, 11))
    with caplog.at_level(logging.INFO):
        result = runner.invoke(args=["notify-send"])
    # The reminder is not due yet; with no gateway the confirmation only reached the log, so
    # it is not counted (or recorded) as sent.
    assert result.output.strip() == "0 sent, 1 logged only (no gateway), 0 to retry, 0 failed"
    assert [r for r, _ in log_channel.sent] == ["+994501234567"]
    assert "+994501234567" not in caplog.text and "501234567" not in caplog.text
    assert mask_recipient("+994501234567") in caplog.text
    assert [n.status for n in rows(session, kind="booking_confirmation")] == ["logged"]


def test_gateway_failures_retry_with_backoff_then_succeed(
    world: Any, book: Any, session: Any, clock: Any, gateway: StubGateway
) -> None:
    channels = {"sms": SmsGateway(gateway.url, "k-123")}
    book(local(2026, 12, 1, 11))
    now = clock.now
    first = send_due(db.session, channels, now=now)
    assert (first.sent, first.retrying) == (0, 1)
    (note,) = rows(session, kind="booking_confirmation")
    assert (note.status, note.attempts) == ("pending", 1)
    assert note.last_error == "ChannelError: SMS gateway answered 503"
    assert note.next_attempt_at == now + timedelta(seconds=30)
    assert send_due(db.session, channels, now=now + timedelta(seconds=29)).retrying == 0
    second = send_due(db.session, channels, now=now + timedelta(seconds=30))
    assert second.retrying == 1
    (note,) = rows(session, kind="booking_confirmation")
    assert note.next_attempt_at == now + timedelta(seconds=90)  # 30 s, then 60 s
    third = send_due(db.session, channels, now=now + timedelta(seconds=90))
    assert third.sent == 1
    assert rows(session, kind="booking_confirmation")[0].status == "sent"
    assert gateway.received[-1]["to"] == "+994501234567"
    assert gateway.received[-1]["id"] == f"asan-{note.id}"  # one id through every retry
    assert gateway.auth[-1] == "Bearer k-123"


def test_failures_are_listed_for_supervisors(
    client: Any, world: Any, book: Any, session: Any, clock: Any, runner: Any
) -> None:
    down = {"sms": SmsGateway("http://127.0.0.1:9/unreachable", None, timeout=1)}
    book(local(2026, 12, 1, 11))
    send_due(db.session, down, now=clock.now, max_attempts=1)
    res = client.get("/api/v1/notifications?status=failed", headers=token_for(client, "super"))
    assert res.status_code == 200
    (item,) = res.get_json()["items"]
    assert item["status"] == "failed" and item["attempts"] == 1
    assert "unreachable" in item["last_error"]
    assert item["recipient"] == mask_recipient("+994501234567")
    foreign = client.get("/api/v1/notifications", headers=token_for(client, "foreign"))
    assert foreign.status_code == 403
    assert client.get("/api/v1/notifications").status_code == 401
    out = runner.invoke(args=["notify-failed"]).output
    assert "1 failed notification(s)" in out and "+994501234567" not in out


def test_third_in_line_and_called_messages_for_tickets_with_a_phone(
    client: Any, world: Any, session: Any, sms: StubGateway
) -> None:
    phones = ["0501110001", None, "0501110003", "0501110004"]
    tickets = []
    for phone in phones:
        body = {"service": "passport", **({"phone": phone} if phone else {})}
        tickets.append(client.post("/api/v1/centers/test-1/tickets", json=body).get_json())
    third = rows(session, kind="ticket_third")
    assert [n.recipient for n in third] == ["+994501110003"]
    assert tickets[2]["number"] in third[0].body
    auth = token_for(client, "op1")
    counter = world.counters[0].id
    client.post(f"/api/v1/counters/{counter}/open", headers=auth)
    client.post(f"/api/v1/counters/{counter}/call-next", headers=auth)
    called = rows(session, kind="ticket_called")
    assert [n.recipient for n in called] == ["+994501110001"]
    assert "masaya" in called[0].body and " 1 " in called[0].body
    # The queue moved: the 4th ticket is now 3rd in line.
    assert [n.recipient for n in rows(session, kind="ticket_third")] == [
        "+994501110003",
        "+994501110004",
    ]
    client.post(f"/api/v1/counters/{counter}/recall", headers=auth)
    assert len(rows(session, kind="ticket_called")) == 1  # deduplicated


def test_masking() -> None:
    assert mask_recipient("+994501234567") == "+99450*****67"
    assert mask_recipient("aysel@example.az") == "a***@example.az"
