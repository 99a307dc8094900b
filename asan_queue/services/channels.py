"""Notification channels: SMS over an HTTP gateway, SMTP email, and a log channel.

A channel's `send` returns on success and raises ChannelError (or anything else) on failure;
the outbox worker turns failures into retries. The log channel is for development and tests
and never writes a phone number or email address in clear."""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any, Protocol

import requests

log = logging.getLogger("asan_queue.notify")


class ChannelError(Exception):
    """A send failed; the message must not contain the recipient in clear."""


class Channel(Protocol):
    def send(self, recipient: str, body: str, *, subject: str, message_id: str) -> None: ...


def mask_recipient(value: str) -> str:
    """`+994501234567` -> `+99450*****67`; `ali@example.az` -> `a***@example.az`."""
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = re.sub(r"\D", "", value)
    if len(digits) <= 4:
        return "*" * len(digits)
    plus = "+" if value.strip().startswith("+") else ""
    return f"{plus}{digits[:5]}{'*' * (len(digits) - 7)}{digits[-2:]}"


def scrub(text: str, recipient: str) -> str:
    """Error text with the recipient masked (an SMTP refusal quotes the address)."""
    return text.replace(recipient, mask_recipient(recipient)) if recipient else text


class LogChannel:
    """Writes the message to the log instead of sending it (development, tests)."""

    def __init__(self, name: str = "log") -> None:
        self.name = name
        self.sent: list[tuple[str, str]] = []

    def send(self, recipient: str, body: str, *, subject: str, message_id: str = "") -> None:
        self.sent.append((recipient, body))
        log.info("[%s] to %s: %s", self.name, mask_recipient(recipient), body)


class SmsGateway:
    """POSTs {"id", "to", "text"} as JSON to the gateway with `Authorization: Bearer <key>`
    and `Idempotency-Key: <id>` (a retried message keeps its id, so the gateway can drop the
    repeat); any answer other than 2xx (or no answer within the timeout) is a failure."""

    def __init__(self, url: str, key: str | None, timeout: float = 5.0) -> None:
        self.url = url
        self.key = key
        self.timeout = timeout

    def send(self, recipient: str, body: str, *, subject: str, message_id: str = "") -> None:
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        if message_id:
            headers["Idempotency-Key"] = message_id
        try:
            res = requests.post(
                self.url,
                json={"id": message_id, "to": recipient, "text": body},
                headers=headers,
                timeout=self.timeout,
            )
        except requests.RequestException as err:
            raise ChannelError(f"SMS gateway unreachable: {type(err).__name__}") from None
        if not 200 <= res.status_code < 300:
            raise ChannelError(f"SMS gateway answered {res.status_code}")


class SmtpEmail:
    def __init__(self, host: str, port: int, sender: str, timeout: float = 10.0) -> None:
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout

    def send(self, recipient: str, body: str, *, subject: str, message_id: str = "") -> None:
        msg = EmailMessage()
        if message_id:
            msg["Message-ID"] = f"<{message_id}@asan-queue>"
        msg["From"] = self.sender
        msg["To"] = recipient
        msg["Subject"] = subject
        msg.set_content(body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as err:
            raise ChannelError(scrub(f"SMTP: {type(err).__name__}: {err}", recipient)) from None


def channels_from_config(config: Mapping[str, Any]) -> dict[str, Channel]:
    """sms/email go to the real gateway/server when configured, else to the log channel."""
    sms_url = config.get("NOTIFY_SMS_URL")
    smtp_host = config.get("NOTIFY_SMTP_HOST")
    return {
        "sms": SmsGateway(sms_url, config.get("NOTIFY_SMS_KEY")) if sms_url else LogChannel("sms"),
        "email": (
            SmtpEmail(
                smtp_host,
                int(config.get("NOTIFY_SMTP_PORT") or 25),
                str(config.get("NOTIFY_SMTP_FROM") or "noreply@asan.local"),
            )
            if smtp_host
            else LogChannel("email")
        ),
        "log": LogChannel("log"),
    }
