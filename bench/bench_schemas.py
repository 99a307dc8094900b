"""Issue 9: the cost of validating a ticket request and serialising the ticket answer, per
candidate schema library, measured in one run (interleaved rounds).

Variants, each on the same minimal Flask app and the same request/answer shapes:
- hand:        the hand-written checks this project had (json_body/field/only_fields) and a
               dict built by hand (the baseline);
- ours:        pydantic v2 models with the project's thin contract layer (web/contract.py);
- spectree:    pydantic v2 models with spectree's @validate (request and response);
- marshmallow: marshmallow schemas (what flask-smorest and APIFlask validate with).

Printed: µs per request through Flask's test client (routing, parsing, validation, the
answer as JSON), and µs for validation + serialisation alone (no Flask), CPU time.

    .venv/bin/pip install -r requirements-bench.txt   # (make bench does it)
    .venv/bin/python bench/bench_schemas.py [--requests 3000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Blueprint, Flask, jsonify, request  # noqa: E402

from asan_queue.schemas.tickets import IssueTicket, Ticket  # noqa: E402

BODY = {"service": "passport", "lang": "az", "priority": "elderly"}
RAW = json.dumps(BODY)
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def ticket_fields(body: dict[str, Any]) -> dict[str, Any]:
    name = {"az": "Pasport", "ru": "Паспорт", "en": "Passport"}
    return {
        "token": "t" * 43,
        "number": "P017",
        "center": "baku-1",
        "service": body["service"],
        "service_name": name,
        "agency": "DIN",
        "agency_name": name,
        "status": "waiting",
        "lang": body["lang"],
        "priority": body.get("priority"),
        "booked": False,
        "position": 3,
        "people_ahead": 2,
        "eta_minutes": 22,
        "eta_range": {"low": 16, "high": 28},
        "eta_status": "estimate",
        "counters_open_at": None,
        "counter": None,
        "call_count": 0,
        "issued_at": NOW,
        "called_at": None,
        "started_at": None,
        "finished_at": None,
        "links": {
            "status": "/api/v1/tickets/t",
            "page": "/t/t",
            "receipt_pdf": "/r.pdf",
            "receipt_png": "/r.png",
        },
    }


# --- hand: the checks the project had before issue 9 --------------------------------------


def hand_validate(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError("invalid_body")
    unknown = set(data) - {"service", "lang", "priority", "phone", "override_reason"}
    if unknown:
        raise ValueError("unknown_field")
    out = {}
    for name, required, max_len in (
        ("service", True, 40),
        ("lang", False, 2),
        ("priority", False, 20),
        ("phone", False, 20),
    ):
        value = data.get(name)
        if value is None:
            if required:
                raise ValueError("missing_field")
            out[name] = None
            continue
        if not isinstance(value, str) or isinstance(value, bool):
            raise ValueError("wrong_type")
        value = value.strip()
        if len(value) > max_len:
            raise ValueError("too_long")
        out[name] = value
    if out["lang"] not in (None, "az", "ru", "en"):
        raise ValueError("invalid_lang")
    return out


def hand_answer(body: dict[str, Any]) -> dict[str, Any]:
    fields = ticket_fields(body)
    fields["issued_at"] = fields["issued_at"].isoformat()
    return fields


# --- marshmallow --------------------------------------------------------------------------


def marshmallow_schemas() -> tuple[Any, Any]:
    from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

    class IssueIn(Schema):
        class Meta:
            unknown = RAISE

        service = fields.String(required=True, validate=validate.Length(1, 40))
        lang = fields.String(load_default="az", validate=validate.OneOf(["az", "ru", "en"]))
        priority = fields.String(
            allow_none=True,
            validate=validate.OneOf(["disability", "elderly", "veteran", "pregnancy"]),
        )
        phone = fields.String(allow_none=True, validate=validate.Length(max=20))
        override_reason = fields.String(allow_none=True, validate=validate.Length(max=200))

    class Range(Schema):
        low = fields.Integer()
        high = fields.Integer()

    class Links(Schema):
        status = fields.String()
        page = fields.String()
        receipt_pdf = fields.String()
        receipt_png = fields.String()

    class TicketOut(Schema):
        class Meta:
            unknown = EXCLUDE

        token = fields.String()
        number = fields.String()
        center = fields.String()
        service = fields.String()
        service_name = fields.Dict(keys=fields.String(), values=fields.String())
        agency = fields.String()
        agency_name = fields.Dict(keys=fields.String(), values=fields.String())
        status = fields.String()
        lang = fields.String()
        priority = fields.String(allow_none=True)
        booked = fields.Boolean()
        position = fields.Integer()
        people_ahead = fields.Integer()
        eta_minutes = fields.Integer(allow_none=True)
        eta_range = fields.Nested(Range, allow_none=True)
        eta_status = fields.String(allow_none=True)
        counters_open_at = fields.AwareDateTime(allow_none=True)
        counter = fields.Integer(allow_none=True)
        call_count = fields.Integer()
        issued_at = fields.AwareDateTime()
        called_at = fields.AwareDateTime(allow_none=True)
        started_at = fields.AwareDateTime(allow_none=True)
        finished_at = fields.AwareDateTime(allow_none=True)
        links = fields.Nested(Links)

    return IssueIn(), TicketOut()


# --- the variants -------------------------------------------------------------------------


def pure_variants() -> dict[str, Callable[[], Any]]:
    m_in, m_out = marshmallow_schemas()
    return {
        "hand": lambda: json.dumps(hand_answer(hand_validate(BODY))),
        "ours": lambda: Ticket(
            **ticket_fields(IssueTicket.model_validate_json(RAW).model_dump())
        ).model_dump_json(by_alias=True),
        "spectree": lambda: Ticket(
            **ticket_fields(IssueTicket.model_validate(BODY).model_dump())
        ).model_dump_json(),
        "marshmallow": lambda: json.dumps(m_out.dump(ticket_fields(m_in.load(BODY)))),
    }


def flask_app() -> Flask:
    from spectree import Response as SpecResponse
    from spectree import SpecTree

    from asan_queue.web.contract import Reply, operation

    app = Flask(__name__)
    bp = Blueprint("bench", __name__, url_prefix="/v")
    m_in, m_out = marshmallow_schemas()

    @bp.post("/hand")
    def hand() -> Any:
        data = request.get_json(silent=True)
        response = jsonify(hand_answer(hand_validate(data)))
        response.status_code = 201
        return response

    @operation(
        bp, "POST", "/ours", summary="bench", tag="bench", ok=Ticket, status=201, body=IssueTicket
    )
    def ours(body: IssueTicket) -> Reply:
        return Reply(Ticket(**ticket_fields(body.model_dump())), 201)

    @bp.post("/marshmallow")
    def marsh() -> Any:
        data = m_in.load(request.get_json(silent=True))
        response = jsonify(m_out.dump(ticket_fields(data)))
        response.status_code = 201
        return response

    spec = SpecTree("flask", app=app)

    @bp.post("/spectree")
    @spec.validate(json=IssueTicket, resp=SpecResponse(HTTP_201=Ticket))
    def spectree_view() -> Any:
        body = request.context.json  # type: ignore[attr-defined]
        return Ticket(**ticket_fields(body.model_dump())), 201

    app.register_blueprint(bp)
    return app


def per_call(fn: Callable[[], Any], n: int) -> float:
    start = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - start) / n * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    pure = pure_variants()
    app = flask_app()
    client = app.test_client()
    for name in pure:  # every variant answers the same, correctly, before it is timed
        res = client.post(f"/v/{name}", json=BODY)
        assert res.status_code == 201, (name, res.get_data())
        assert res.get_json()["number"] == "P017"
    http: dict[str, list[float]] = {name: [] for name in pure}
    alone: dict[str, list[float]] = {name: [] for name in pure}
    for _ in range(args.rounds):
        for name, fn in pure.items():
            alone[name].append(per_call(fn, args.requests))
            http[name].append(
                per_call(lambda name=name: client.post(f"/v/{name}", json=BODY), args.requests)
            )
    base = statistics.median(http["hand"])
    print("\nticket issue request -> ticket answer, µs of CPU (median of rounds)")
    print(f"{'variant':<14}{'per request':>14}{'vs hand':>10}{'validate+dump':>16}")
    for name in pure:
        req, val = statistics.median(http[name]), statistics.median(alone[name])
        print(f"{name:<14}{req:>14.0f}{req / base:>10.2f}{val:>16.1f}")


if __name__ == "__main__":
    main()
