"""Operations declared once: `@operation(bp, "POST", "/centers/<slug>/tickets", ...)` names
the path, query and body schemas and every answer of a JSON API view. From the declaration:

- the view gets its inputs parsed and validated (`path=`, `query=`, `body=` keyword
  arguments), a bad value answering the usual 4xx `{"error": {code, message}}` with the
  field named (the codes of the hand-written checks this replaces: missing_field,
  wrong_type, too_long, unknown_field, body_required, malformed_json, ...);
- the view returns a schema instance (or a Reply with another status or headers, None for
  204, or a Response for binary bodies) and it is dumped as the answer;
- with VALIDATE_RESPONSES (tests), every answer is checked against its declaration:
  documented status, content type and body schema;
- the OpenAPI document is generated from the registry (web/openapi.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, request
from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as SchemaError

from ..domain.errors import NotFound, ValidationError
from ..domain.statuses import Role
from ..schemas.base import field_error_code
from ..schemas.errors import Error
from . import limits
from .auth import staff_required


@dataclass(frozen=True)
class Binary:
    """A non-JSON answer (PDF, PNG, calendar file...)."""

    media_type: str
    description: str


@dataclass(frozen=True)
class Header:
    name: str
    description: str
    max_length: int | None = None
    min_length: int = 1


# Kiosks send it so their walk-in tickets and check-ins count against the kiosk's own limit,
# not the hall's shared address (web/limits.py); empty or unknown: no kiosk.
KIOSK_KEY_HEADER = Header(
    "X-Kiosk-Key",
    "The kiosk's key (ASAN_KIOSK_KEYS): limits count per kiosk, not per address (empty: none)",
    max_length=200,  # web/limits.py KIOSK_KEY_MAX
    min_length=0,
)


@dataclass(frozen=True)
class Reply:
    """A schema answer with a status other than the operation's success, or headers."""

    body: BaseModel | None
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)


Answer = type[BaseModel] | Binary | None  # None: no content (204)
JSON = "application/json"
CSV = "text/csv"

# Statuses any operation may answer, whatever it declares (the database is busy).
ALWAYS = (503,)


@dataclass
class Operation:
    endpoint: str
    method: str
    rule: str
    summary: str
    tag: str
    responses: dict[int, Answer]
    path: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    body_required: bool = True
    staff: tuple[Role, ...] | None = None  # None: public; () any staff; else these roles
    optional_staff: bool = False  # public, but a staff token changes what it may do
    headers: Sequence[Header] = ()
    limited: bool = False  # rate-limited: may answer 429 with Retry-After
    links: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)
    description: str = ""
    csv: bool = False  # the success answer may also be text/csv (`format=csv`)

    @property
    def openapi_path(self) -> str:
        """The rule in OpenAPI's form, relative to the server URL /api/v1."""
        out = self.rule
        while "<" in out:
            start, end = out.index("<"), out.index(">")
            name = out[start + 1 : end].split(":")[-1]
            out = f"{out[:start]}{{{name}}}{out[end + 1 :]}"
        return out


OPERATIONS: list[Operation] = []
_BY_ENDPOINT: dict[tuple[str, str], Operation] = {}


def _problem(error: SchemaError, model: type[BaseModel], where: str) -> ValidationError:
    """The first problem of a schema error, as the API's error codes have always said it."""
    return problem_of(error.errors()[0], model, where)


def problem_of(first: Any, model: type[BaseModel], where: str) -> ValidationError:
    """One problem of a schema error (pydantic's error dict) as a coded ValidationError whose
    details name the field (the back office shows each next to its field)."""
    loc = [str(x) for x in first.get("loc", ()) if not isinstance(x, int)]
    name = loc[0] if loc else where
    label = ".".join(loc) or where
    kind = first.get("type", "")
    ctx = first.get("ctx") or {}
    details = {"field": label}
    nested_code = field_error_code(model, name) if len(loc) > 1 else None
    if nested_code is not None:
        # Whatever is wrong inside a field that names its code (e.g. one of the hours).
        return ValidationError(
            f"{label!r}: {first.get('msg', 'invalid')}", code=nested_code, details=details
        )
    if kind == "missing":
        # A missing query value answers like a bad one (e.g. `date` -> invalid_date).
        code = field_error_code(model, name) if where == "query" else None
        return ValidationError(
            f"{label!r} is required", code=code or "missing_field", details=details
        )
    if kind == "extra_forbidden":
        return ValidationError(f"unknown field(s): {label}", code="unknown_field", details=details)
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return ValidationError(
            f"{label!r} is longer than {limit} characters",
            code="too_long",
            details={**details, "limit": limit},
        )
    if kind in ("string_too_short", "too_short"):  # an empty text or list
        return ValidationError(
            f"{label!r} must not be empty", code="missing_field", details=details
        )
    code = field_error_code(model, name)
    structural = kind.endswith("_type") or kind in ("model_type", "model_attributes_type")
    if structural and code is None:
        return ValidationError(f"{label!r} has the wrong type", code="wrong_type", details=details)
    return ValidationError(
        f"{label!r}: {first.get('msg', 'invalid value')}",
        code=code or ("wrong_type" if structural else "invalid_value"),
        details=details,
    )


def _parse(model: type[BaseModel], data: Any, where: str) -> BaseModel:
    try:
        return model.model_validate(data)
    except SchemaError as err:
        raise _problem(err, model, where) from None


def parse_path(model: type[BaseModel], values: Mapping[str, Any]) -> BaseModel:
    """A path value that cannot name anything answers that resource's 404."""
    try:
        return model.model_validate(dict(values))
    except SchemaError as err:
        problem = _problem(err, model, "path")
        raise NotFound("no such resource", code=problem.code) from None


def parse_query(model: type[BaseModel]) -> BaseModel:
    data = {k: v for k, v in request.args.items() if v != ""}
    return _parse(model, data, "query")


def parse_body(model: type[BaseModel], *, required: bool) -> BaseModel:
    """The request's JSON object, validated by `model`."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise ValidationError("a JSON object body is required", code="body_required")
        if raw and (request.mimetype or "").endswith("json"):
            # Blanks said to be JSON are not JSON (an optional body is absent, or an object).
            raise ValidationError("the body is not valid JSON", code="malformed_json")
        return _parse(model, {}, "body")
    if not (request.mimetype or "").endswith("json"):
        raise ValidationError("send Content-Type: application/json", code="unsupported_media")
    try:  # parsed and validated in one pass by pydantic's own JSON reader
        return model.model_validate_json(raw)
    except SchemaError as err:
        first = err.errors()[0]
        if first.get("type") == "json_invalid":
            raise ValidationError("the body is not valid JSON", code="malformed_json") from None
        if not first.get("loc") and first.get("type") in ("model_type", "model_attributes_type"):
            raise ValidationError("the body must be a JSON object", code="invalid_body") from None
        raise _problem(err, model, "body") from None


def _respond(op: Operation, result: Any) -> Any:
    if isinstance(result, Response):
        return result
    if result is None:
        return "", 204
    status, headers = next(s for s, a in op.responses.items() if 200 <= s < 300), {}
    if isinstance(result, Reply):
        status, headers, result = result.status, dict(result.headers), result.body
        if result is None:
            return "", status, headers
    # pydantic writes the JSON itself (in Rust): no detour through Python objects.
    response = Response(result.model_dump_json(by_alias=True), status, mimetype=JSON)
    response.headers.update(headers)
    return response


def operation(
    bp: Blueprint,
    method: str,
    rule: str,
    *,
    summary: str,
    tag: str,
    ok: Answer,
    status: int = 200,
    path: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    body_required: bool = True,
    errors: Sequence[int] = (),
    staff: tuple[Role, ...] | None = None,
    optional_staff: bool = False,
    headers: Sequence[Header] = (),
    limited: bool = False,
    limit: str | None = None,
    links: Mapping[int, Mapping[str, Any]] | None = None,
    more: Mapping[int, Answer] | None = None,
    description: str = "",
    csv: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare and register one API operation on `bp` (see the module docstring).
    `limit` names a budget of web/limits.py taken before the request is read; `limited`
    declares a 429 that the view takes itself (limits.take)."""
    limited = limited or limit is not None

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        codes = set(errors) | set(ALWAYS)
        if path is not None:
            codes.add(404)
        if query is not None or body is not None:
            codes.add(422)
        if body is not None:
            codes.add(413)
        if staff is not None or optional_staff:
            codes |= {401, 403}
        if limited:
            codes.add(429)
        responses: dict[int, Answer] = {status: ok, **dict(more or {})}
        responses.update({code: Error for code in sorted(codes)})
        op = Operation(
            endpoint=f"{bp.name}.{fn.__name__}",
            method=method.upper(),
            rule=rule,
            summary=summary,
            tag=tag,
            responses=responses,
            path=path,
            query=query,
            body=body,
            body_required=body_required,
            staff=staff,
            optional_staff=optional_staff,
            headers=headers,
            limited=limited,
            links=links or {},
            description=description or (fn.__doc__ or "").strip(),
            csv=csv,
        )

        @wraps(fn)
        def view(**values: Any) -> Any:
            if limit is not None:
                limits.take(limit)
            kwargs: dict[str, Any] = {}
            if path is not None:
                kwargs["path"] = parse_path(path, values)
            if query is not None:
                kwargs["query"] = parse_query(query)
            if body is not None:
                kwargs["body"] = parse_body(body, required=body_required)
            return _respond(op, fn(**kwargs))

        wrapped = staff_required(*staff)(view) if staff is not None else view
        bp.add_url_rule(rule, endpoint=fn.__name__, view_func=wrapped, methods=[op.method])
        OPERATIONS.append(op)
        _BY_ENDPOINT[(op.endpoint, op.method)] = op
        return wrapped

    return decorator


def operation_of_request() -> Operation | None:
    endpoint = request.endpoint
    return _BY_ENDPOINT.get((endpoint, request.method)) if endpoint else None


_ADAPTERS: dict[type[BaseModel], TypeAdapter[Any]] = {}


def check_answer(response: Response) -> Response:
    """VALIDATE_RESPONSES: the answer is documented (status, content type, body schema).
    Raises AssertionError, which fails the test that made the request."""
    op = operation_of_request()
    if op is None or not current_app.config.get("VALIDATE_RESPONSES"):
        return response
    status = response.status_code
    assert status in op.responses, f"{op.method} {op.rule} answered undocumented {status}"
    answer = op.responses[status]
    if answer is None:
        # (A 304 keeps its body object; Werkzeug never sends it.)
        assert status == 304 or not response.get_data(), f"{op.rule} {status} has a body"
    elif isinstance(answer, Binary):
        assert response.mimetype == answer.media_type, (op.rule, response.mimetype)
    elif op.csv and 200 <= status < 300 and response.mimetype == CSV:
        response.get_data().decode("utf-8")  # CSV is text in UTF-8
    elif response.status_code != 304:
        assert response.mimetype == "application/json", (op.rule, response.mimetype)
        adapter = _ADAPTERS.setdefault(answer, TypeAdapter(answer))
        adapter.validate_json(response.get_data())
    return response
