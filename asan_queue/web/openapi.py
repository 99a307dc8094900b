"""GET /api/openapi.json and GET /api/asyncapi.json: the documents of the public contract,
generated from the operations declared in web/contract.py and the schemas in
asan_queue/schemas (so they cannot drift from what the server checks and answers)."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from flask import Blueprint, jsonify
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ..schemas import events as ev
from ..schemas.errors import Error
from ..schemas.stats import DashboardSnapshot
from .contract import OPERATIONS, Binary, Operation

bp = Blueprint("openapi", __name__)

REF = "#/components/schemas/{model}"
Mode = Literal["validation", "serialization"]
DESCRIPTION = (
    "Queue, tickets, counters and bookings of ASAN-style service centers. Errors answer "
    '{"error": {"code", "message", ...details}} with a 4xx (or 503) status; the message '
    "is in the request's language (Accept-Language: az, ru, en). Times are ISO 8601 with "
    "the center's offset. Staff calls take Authorization: Bearer <token> (POST /auth/token) "
    "or the desk's session cookie with its X-CSRFToken header."
)


def _schemas(pairs: list[tuple[type[BaseModel], Mode]]) -> tuple[dict[Any, Any], dict[str, Any]]:
    unique = list(dict.fromkeys(pairs))
    refs, defs = models_json_schema(unique, ref_template=REF)
    return dict(refs), dict(defs.get("$defs", {}))


def _parameters(model: type[BaseModel] | None, where: str) -> list[dict[str, Any]]:
    if model is None:
        return []
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", ()))
    out = []
    for name, prop in schema.get("properties", {}).items():
        prop = {k: v for k, v in prop.items() if k not in ("title", "x-error-code")}
        param: dict[str, Any] = {
            "name": name,
            "in": where,
            "required": where == "path" or name in required,
            "schema": prop,
        }
        if "description" in prop:
            param["description"] = prop.pop("description")
        out.append(param)
    return out


def _answer(op: Operation, status: int, refs: dict[Any, Any]) -> dict[str, Any]:
    answer = op.responses[status]
    if answer is None:
        return {"description": "No content" if status == 204 else "Not modified"}
    if isinstance(answer, Binary):
        media = {"schema": {"type": "string", "contentMediaType": answer.media_type}}
        return {"description": answer.description, "content": {answer.media_type: media}}
    out: dict[str, Any] = {
        "description": "OK" if status < 300 else "Error",
        "content": {
            "application/json": {"schema": refs[(answer, "serialization")]},
            **(
                {"text/csv": {"schema": {"type": "string", "contentMediaType": "text/csv"}}}
                if op.csv and 200 <= status < 300
                else {}
            ),
        },
    }
    if status == 429:
        out["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before trying again",
                "schema": {"type": "integer", "minimum": 0},
            }
        }
    if status == 201 and op.responses.get(201) is not None:
        out["headers"] = {"Location": {"schema": {"type": "string"}}}
    if status in op.links:
        out["links"] = dict(op.links[status])
    return out


def _operation(op: Operation, refs: dict[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operationId": op.endpoint.split(".")[-1],
        "summary": op.summary,
        "tags": [op.tag],
        "responses": {str(s): _answer(op, s, refs) for s in sorted(op.responses)},
    }
    if op.description:
        out["description"] = op.description
    params = _parameters(op.path, "path") + _parameters(op.query, "query")
    params += [
        {
            "name": h.name,
            "in": "header",
            "required": False,
            "description": h.description,
            "schema": {"type": "string", "minLength": h.min_length, "maxLength": h.max_length}
            if h.max_length
            else {"type": "string", "minLength": h.min_length},
        }
        for h in op.headers
    ]
    if params:
        out["parameters"] = params
    if op.body is not None:
        out["requestBody"] = {
            "required": op.body_required,
            "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
        }
    if op.staff is not None:
        out["security"] = [{"bearer": []}, {"desk": []}]
    elif op.optional_staff:
        out["security"] = [{}, {"bearer": []}]
    return out


@cache
def openapi_document() -> dict[str, Any]:
    pairs: list[tuple[type[BaseModel], Mode]] = [(Error, "serialization")]
    for op in OPERATIONS:
        if op.body is not None:
            pairs.append((op.body, "validation"))
        for answer in op.responses.values():
            if isinstance(answer, type):
                pairs.append((answer, "serialization"))
    refs, defs = _schemas(pairs)
    paths: dict[str, dict[str, Any]] = {}
    for op in sorted(OPERATIONS, key=lambda o: (o.openapi_path, o.method)):
        paths.setdefault(op.openapi_path, {})[op.method.lower()] = _operation(op, refs)
    return {
        "openapi": "3.1.0",
        "info": {"title": "ASAN Queue API", "version": "1.1.0", "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": defs,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "desk": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "The operator desk's session; writes need X-CSRFToken",
                },
            },
        },
    }


# --- the socket events ---------------------------------------------------------------------

ROOMS = {
    "center": (
        "center:{slug}",
        "A center's hall: displays, kiosks",
        {"snapshot": ev.CenterSnapshot, "ticket_called": ev.TicketCalledMessage},
        {"queue": ev.QueueMessage},
    ),
    "counter": (
        "counter:{counter_id}",
        "An operator desk's counter (desk login, own center)",
        {"snapshot": ev.CounterSnapshot, "ticket_called": ev.TicketCalledMessage},
        {"counter": ev.CounterMessage},
    ),
    "ticket": (
        "ticket:{token}",
        "A citizen's own ticket (its phone page)",
        {"snapshot": ev.TicketSnapshot},
        {"ticket": ev.TicketMessage},
    ),
    "supervise": (
        "supervise:{slug}",
        "A center's supervisor dashboard (supervisor of the center, or admin)",
        {"snapshot": DashboardSnapshot},
        {"dashboard": DashboardSnapshot},
    ),
}
PARAMETERS = {
    "center": {"slug": {"description": "The center's slug"}},
    "counter": {"counter_id": {"description": "The counter's id"}},
    "ticket": {"token": {"description": "The ticket's unguessable token"}},
    "supervise": {"slug": {"description": "The center's slug"}},
}


@cache
def asyncapi_document() -> dict[str, Any]:
    pairs: list[tuple[type[BaseModel], Mode]] = [
        (ev.Subscribe, "validation"),
        (ev.SubscribeAck, "serialization"),
        (Error, "serialization"),
    ]
    for _, _, first, then in ROOMS.values():
        pairs += [(m, "serialization") for m in (*first.values(), *then.values())]
    refs, defs = _schemas(pairs)
    messages: dict[str, Any] = {
        "subscribe": {
            "name": "subscribe",
            "summary": "Join one room: exactly one of center, counter or ticket",
            "payload": refs[(ev.Subscribe, "validation")],
        },
        "subscribed": {
            "name": "subscribe",
            "summary": "The ack: {ok, room}, or an error",
            "payload": {
                "oneOf": [
                    refs[(ev.SubscribeAck, "serialization")],
                    refs[(Error, "serialization")],
                ]
            },
        },
    }
    channels: dict[str, Any] = {
        "subscribe": {
            "address": "subscribe",
            "description": "The one message a client sends (with an acknowledgement)",
            "messages": {"subscribe": {"$ref": "#/components/messages/subscribe"}},
        }
    }
    operations: dict[str, Any] = {
        "subscribe": {
            "action": "receive",
            "channel": {"$ref": "#/channels/subscribe"},
            "summary": "A client joins a room; the server answers with the room's snapshot",
            "reply": {
                "channel": {"$ref": "#/channels/subscribe"},
                "messages": [{"$ref": "#/channels/subscribe/messages/subscribed"}],
            },
        }
    }
    channels["subscribe"]["messages"]["subscribed"] = {"$ref": "#/components/messages/subscribed"}
    for room, (address, description, first, then) in ROOMS.items():
        names = {**first, **then}
        channel_messages = {}
        for event, model in names.items():
            key = f"{room}_{event}"
            messages[key] = {
                "name": event,
                "title": f"{event} ({room} room)",
                "summary": (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else "",
                "payload": refs[(model, "serialization")],
            }
            channel_messages[event] = {"$ref": f"#/components/messages/{key}"}
        channels[room] = {
            "address": address,
            "description": description,
            "parameters": PARAMETERS[room],
            "messages": channel_messages,
        }
        operations[f"send_{room}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{room}"},
            "summary": f"Messages to the {room} room, each with the room and its sequence",
            "messages": [{"$ref": f"#/channels/{room}/messages/{e}"} for e in names],
        }
    return {
        "asyncapi": "3.1.0",
        "info": {
            "title": "ASAN Queue live events",
            "version": "1.1.0",
            "description": (ev.__doc__ or "").strip(),
        },
        "defaultContentType": "application/json",
        "servers": {
            "socketio": {
                "host": "localhost:5000",
                "pathname": "/socket.io",
                "protocol": "ws",
                "description": "Socket.IO (Engine.IO 4) on the server's own origin",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"schemas": defs, "messages": messages},
    }


@bp.get("/api/openapi.json")
def openapi_json() -> Any:
    return jsonify(openapi_document())


@bp.get("/api/asyncapi.json")
def asyncapi_json() -> Any:
    return jsonify(asyncapi_document())
