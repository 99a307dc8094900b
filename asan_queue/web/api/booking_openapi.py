"""OpenAPI paths of the booking area (added to /api/openapi.json on import)."""

from __future__ import annotations

from typing import Any

from ..openapi import add_paths, op, path_param, query_param

OBJ: dict[str, Any] = {"type": "object"}
TICKET = {"$ref": "#/components/schemas/Ticket"}
SLUG, CODE, TOKEN = path_param("slug"), path_param("code"), path_param("token")
APPOINTMENT = {
    "type": "object",
    "required": ["code", "token", "status", "starts_at", "links"],
    "properties": {
        "code": {"type": "string", "examples": ["K7M-4QX"]},
        "token": {"type": "string"},
        "status": {"type": "string", "enum": ["booked", "checked_in", "cancelled", "no_show"]},
        "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {"type": "string", "format": "date-time"},
        "qr_payload": {"type": "string"},
        "links": {
            "type": "object",
            "properties": {
                "manage": {"type": "string"},
                "confirmation_pdf": {"type": "string"},
                "ics": {"type": "string"},
            },
        },
    },
}
SLOTS = {
    "type": "object",
    "properties": {
        "date": {"type": "string", "format": "date"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "start": {"type": "string", "format": "date-time"},
                    "end": {"type": "string", "format": "date-time"},
                    "seats_left": {"type": "integer"},
                },
            },
        },
    },
}
HOURS_BODY = {
    "type": "object",
    "required": ["hours"],
    "properties": {
        "hours": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["weekday", "opens", "closes"],
                "properties": {
                    "weekday": {"type": "integer", "minimum": 0, "maximum": 6},
                    "opens": {"type": "string", "examples": ["09:00"]},
                    "closes": {"type": "string", "examples": ["13:00"]},
                },
            },
        }
    },
}

add_paths(
    {
        "/centers/{slug}/services/{code}/slots": {
            "get": op(
                "Slots of a local day with the seats left",
                tag="booking",
                ok_schema=SLOTS,
                errors=("404", "409", "422"),
                params=[SLUG, CODE, query_param("date", required=True, fmt="date")],
            )
        },
        "/centers/{slug}/services/{code}/days": {
            "get": op(
                "Days of a month that have slots, with free seats (for the calendar)",
                tag="booking",
                ok_schema=OBJ,
                errors=("404", "409", "422"),
                params=[SLUG, CODE, query_param("month", required=True)],
            )
        },
        "/appointments": {
            "post": op(
                "Book a slot (409 slot_full with the nearest free slots; 429 when rate-limited)",
                tag="booking",
                ok="201",
                ok_schema=APPOINTMENT,
                errors=("404", "409", "429"),
                body={
                    "type": "object",
                    "required": ["center", "service", "start", "name"],
                    "additionalProperties": False,
                    "properties": {
                        "center": {"type": "string"},
                        "service": {"type": "string"},
                        "start": {"type": "string", "format": "date-time"},
                        "name": {"type": "string", "maxLength": 120},
                        "phone": {"type": ["string", "null"]},
                        "email": {"type": ["string", "null"]},
                        "lang": {"type": "string", "enum": ["az", "ru", "en"]},
                    },
                },
            )
        },
        "/appointments/{token}": {
            "get": op("A booking", tag="booking", ok_schema=APPOINTMENT, params=[TOKEN])
        },
        "/appointments/{token}/cancel": {
            "post": op(
                "Cancel a booking and free its seat",
                tag="booking",
                ok_schema=APPOINTMENT,
                errors=("404", "409", "429"),
                params=[TOKEN],
            )
        },
        "/appointments/{token}/reschedule": {
            "post": op(
                "Move a booking to another free slot",
                tag="booking",
                ok_schema=APPOINTMENT,
                errors=("404", "409", "429"),
                params=[TOKEN],
                body={
                    "type": "object",
                    "required": ["start"],
                    "properties": {"start": {"type": "string", "format": "date-time"}},
                },
            )
        },
        "/appointments/{token}/confirmation.pdf": {
            "get": op(
                "The confirmation as PDF",
                tag="booking",
                ok_schema={"type": "string", "format": "binary"},
                content_type="application/pdf",
                params=[TOKEN, query_param("lang")],
            )
        },
        "/appointments/{token}/confirmation.ics": {
            "get": op(
                "The booking as an iCalendar file",
                tag="booking",
                ok_schema={"type": "string"},
                content_type="text/calendar",
                params=[TOKEN, query_param("lang")],
            )
        },
        "/centers/{slug}/check-in": {
            "post": op(
                "Check in a booking at the kiosk: 201 with the ticket (booked: true). 409 "
                "checkin_too_early (come_back_at), booking_lapsed, booking_cancelled, "
                "already_checked_in (ticket_token)",
                tag="booking",
                ok="201",
                ok_schema=TICKET,
                errors=("404", "409"),
                params=[SLUG],
                body={
                    "type": "object",
                    "required": ["code"],
                    "properties": {"code": {"type": "string", "examples": ["K7M-4QX"]}},
                },
            )
        },
        "/centers/{slug}/hours": {
            "get": op("Weekly hours and closed days", tag="schedule", params=[SLUG]),
            "put": op(
                "Replace the weekly hours (admin or the center's supervisor)",
                tag="schedule",
                ok_schema=OBJ,
                auth=True,
                params=[SLUG],
                body=HOURS_BODY,
            ),
        },
        "/centers/{slug}/closed-days": {
            "post": op(
                "Add a closed day",
                tag="schedule",
                ok="201",
                ok_schema=OBJ,
                auth=True,
                errors=("404", "409"),
                params=[SLUG],
                body={
                    "type": "object",
                    "required": ["day"],
                    "properties": {
                        "day": {"type": "string", "format": "date"},
                        "reason": {"type": ["string", "object"]},
                    },
                },
            )
        },
        "/centers/{slug}/closed-days/{day}": {
            "delete": op(
                "Remove a closed day",
                tag="schedule",
                ok="204",
                auth=True,
                params=[SLUG, path_param("day")],
            )
        },
        "/notifications": {
            "get": op(
                "The notification outbox (status, attempts, last error)",
                tag="notifications",
                ok_schema=OBJ,
                auth=True,
                errors=("422",),
                params=[query_param("status")],
            )
        },
    }
)
