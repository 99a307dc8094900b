"""Input parsing for the JSON API: clear 4xx errors for malformed bodies and wrong types."""

from __future__ import annotations

from typing import Any

from flask import request

from ..domain.errors import ValidationError


def json_body(*, allow_empty: bool = False) -> dict[str, Any]:
    """The request's JSON object. Raises ValidationError for anything else."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if allow_empty:
            return {}
        raise ValidationError("a JSON object body is required", code="body_required")
    if not (request.mimetype or "").endswith("json"):
        raise ValidationError("send Content-Type: application/json", code="unsupported_media")
    data = request.get_json(silent=True)
    if data is None:
        raise ValidationError("the body is not valid JSON", code="malformed_json")
    if not isinstance(data, dict):
        raise ValidationError("the body must be a JSON object", code="invalid_body")
    return data


def field(
    data: dict[str, Any],
    name: str,
    kind: type | tuple[type, ...],
    *,
    required: bool = False,
    max_len: int | None = None,
) -> Any:
    """One field of `data`, type-checked (bool is never accepted as int)."""
    if name not in data or data[name] is None:
        if required:
            raise ValidationError(
                f"{name!r} is required", code="missing_field", details={"field": name}
            )
        return None
    value = data[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise ValidationError(
            f"{name!r} has the wrong type", code="wrong_type", details={"field": name}
        )
    if not isinstance(value, kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise ValidationError(
            f"{name!r} must be of type {names}", code="wrong_type", details={"field": name}
        )
    if isinstance(value, str):
        value = value.strip()
        if max_len is not None and len(value) > max_len:
            raise ValidationError(
                f"{name!r} is longer than {max_len} characters",
                code="too_long",
                details={"field": name, "max": max_len},
            )
        if required and not value:
            raise ValidationError(
                f"{name!r} must not be empty", code="missing_field", details={"field": name}
            )
    return value


def only_fields(data: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationError(f"unknown field(s): {', '.join(unknown)}", code="unknown_field")
