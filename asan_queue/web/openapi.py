"""GET /api/openapi.json: the OpenAPI 3.1 document of the public contract.

Each area adds its paths with `add_paths` when its module is imported, so the document grows
with the code that serves it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__)

_PATHS: dict[str, dict[str, Any]] = {}

ERROR = {"$ref": "#/components/schemas/Error"}


def add_paths(paths: dict[str, dict[str, Any]]) -> None:
    for path, ops in paths.items():
        _PATHS.setdefault(path, {}).update(ops)


def op(
    summary: str,
    *,
    tag: str,
    body: dict[str, Any] | None = None,
    ok: str = "200",
    ok_schema: dict[str, Any] | None = None,
    auth: bool = False,
    params: list[dict[str, Any]] | None = None,
    errors: tuple[str, ...] = ("404",),
    content_type: str = "application/json",
) -> dict[str, Any]:
    """One operation object with the standard error answers."""
    out: dict[str, Any] = {"summary": summary, "tags": [tag], "responses": {}}
    resp: dict[str, Any] = {"description": "OK"}
    if ok_schema is not None:
        resp["content"] = {content_type: {"schema": ok_schema}}
    out["responses"][ok] = resp
    for code in errors + (("401", "403") if auth else ()):
        out["responses"][code] = {
            "description": "error",
            "content": {"application/json": {"schema": ERROR}},
        }
    if body is not None:
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        out["responses"].setdefault(
            "422",
            {"description": "invalid input", "content": {"application/json": {"schema": ERROR}}},
        )
    if auth:
        out["security"] = [{"bearer": []}]
    if params:
        out["parameters"] = params
    return out


def path_param(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def query_param(name: str, *, required: bool = False, fmt: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if fmt:
        schema["format"] = fmt
    return {"name": name, "in": "query", "required": required, "schema": schema}


def spec() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ASAN Queue API",
            "version": "1.0.0",
            "description": "Queue, tickets, counters and bookings of ASAN-style service "
            'centers. Errors answer {"error": {"code", "message"}} with a 4xx status.',
        },
        "servers": [{"url": "/api/v1"}],
        "paths": dict(sorted(_PATHS.items())),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        }
                    },
                },
                "Ticket": {
                    "type": "object",
                    "required": [
                        "token",
                        "number",
                        "service",
                        "status",
                        "position",
                        "eta_minutes",
                        "issued_at",
                        "links",
                    ],
                    "properties": {
                        "token": {"type": "string"},
                        "number": {"type": "string"},
                        "center": {"type": "string"},
                        "service": {"type": "string"},
                        "status": {
                            "type": "string",
                            "enum": [
                                "waiting",
                                "called",
                                "serving",
                                "done",
                                "no_show",
                                "cancelled",
                                "removed",
                                "transferred",
                                "expired",
                            ],
                        },
                        "position": {"type": "integer"},
                        "people_ahead": {"type": "integer"},
                        "eta_minutes": {"type": "integer"},
                        "counter": {"type": ["integer", "null"]},
                        "issued_at": {"type": "string", "format": "date-time"},
                        "links": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                },
            },
        },
    }


@bp.get("/api/openapi.json")
def openapi_json() -> Any:
    return jsonify(spec())


TICKET = {"$ref": "#/components/schemas/Ticket"}
OBJ = {"type": "object"}
ITEMS = {
    "type": "object",
    "required": ["items"],
    "properties": {"items": {"type": "array", "items": OBJ}},
}
C = path_param("counter_id", "integer")

add_paths(
    {
        "/centers": {"get": op("List centers", tag="centers", ok_schema=ITEMS, errors=())},
        "/centers/{slug}": {
            "get": op(
                "A center with its services (waiting, ETA) and counters",
                tag="centers",
                ok_schema=OBJ,
                params=[path_param("slug")],
            )
        },
        "/centers/{slug}/tickets": {
            "post": op(
                "Issue a ticket (Idempotency-Key header makes retries safe)",
                tag="tickets",
                ok="201",
                ok_schema=TICKET,
                errors=("404", "409"),
                params=[
                    path_param("slug"),
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "schema": {"type": "string", "maxLength": 100},
                    },
                ],
                body={
                    "type": "object",
                    "required": ["service"],
                    "additionalProperties": False,
                    "properties": {
                        "service": {"type": "string"},
                        "lang": {"type": "string", "enum": ["az", "ru", "en"]},
                        "priority": {
                            "type": ["string", "null"],
                            "enum": ["disability", "elderly", "veteran", "pregnancy", None],
                        },
                        "phone": {"type": ["string", "null"]},
                    },
                },
            ),
            "get": op(
                "Today's tickets with their events (supervisor)",
                tag="tickets",
                ok_schema=ITEMS,
                auth=True,
                params=[path_param("slug")],
            ),
        },
        "/tickets/{token}": {
            "get": op(
                "A ticket's status, position and ETA",
                tag="tickets",
                ok_schema=TICKET,
                params=[path_param("token")],
            )
        },
        "/tickets/{token}/cancel": {
            "post": op(
                "Cancel a waiting ticket",
                tag="tickets",
                ok_schema=TICKET,
                errors=("404", "409"),
                params=[path_param("token")],
            )
        },
        "/tickets/{token}/feedback": {
            "post": op(
                "Rate a finished visit",
                tag="tickets",
                ok="201",
                ok_schema=OBJ,
                errors=("404", "409"),
                params=[path_param("token")],
                body={
                    "type": "object",
                    "required": ["rating"],
                    "properties": {
                        "rating": {"type": "integer", "minimum": 1, "maximum": 5},
                        "comment": {"type": "string", "maxLength": 1000},
                    },
                },
            )
        },
        "/auth/token": {
            "post": op(
                "Get a staff token",
                tag="auth",
                ok="201",
                ok_schema=OBJ,
                errors=("401",),
                body={
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
                },
            )
        },
        "/auth/revoke": {
            "post": op("Revoke the Bearer token", tag="auth", ok="204", auth=True, errors=())
        },
        "/counters/{counter_id}/open": {
            "post": op(
                "Take and open a counter",
                tag="counters",
                ok_schema=OBJ,
                auth=True,
                errors=("404", "409"),
                params=[C],
            )
        },
        "/counters/{counter_id}/pause": {
            "post": op(
                "Pause a counter with a reason",
                tag="counters",
                ok_schema=OBJ,
                auth=True,
                errors=("404", "409"),
                params=[C],
                body={
                    "type": "object",
                    "required": ["reason"],
                    "properties": {"reason": {"type": "string"}},
                },
            )
        },
        "/counters/{counter_id}/close": {
            "post": op(
                "Close and release a counter",
                tag="counters",
                ok_schema=OBJ,
                auth=True,
                errors=("404", "409"),
                params=[C],
            )
        },
        "/counters/{counter_id}/call-next": {
            "post": op(
                "Call the next ticket by the center's policy (204 when no one waits)",
                tag="counters",
                ok_schema=TICKET,
                auth=True,
                errors=("404", "409"),
                params=[C],
            )
        },
        "/counters/{counter_id}/transfer": {
            "post": op(
                "Move the ticket at the counter to another service's queue",
                tag="counters",
                ok_schema=TICKET,
                auth=True,
                errors=("404", "409"),
                params=[C],
                body={
                    "type": "object",
                    "required": ["service"],
                    "properties": {"service": {"type": "string"}, "first": {"type": "boolean"}},
                },
            )
        },
    }
)
for _action, _summary in (
    ("recall", "Announce the called ticket again"),
    ("start", "Start serving the called ticket"),
    ("finish", "Finish the ticket being served"),
    ("no-show", "Mark the called ticket as not come"),
):
    add_paths(
        {
            f"/counters/{{counter_id}}/{_action}": {
                "post": op(
                    _summary,
                    tag="counters",
                    ok_schema=TICKET,
                    auth=True,
                    errors=("404", "409"),
                    params=[C],
                )
            }
        }
    )
