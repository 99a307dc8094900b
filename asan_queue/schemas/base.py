"""The base of every schema: input models are strict (no "1" taken for 1, no unknown field),
output models reject unknown fields too, so a body the server builds cannot drift from what
the documents say. A field may name the error code its bad values answer with
(`error_code`), e.g. `invalid_lang` for a language outside az/ru/en."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# A name in az/ru/en (any subset; az is the fallback).
Localized = Annotated[
    dict[str, str],
    Field(description="Texts by language code (az, ru, en)", examples=[{"az": "...", "en": "..."}]),
]


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("times carry their offset")
    return value


# Every time in an answer is ISO 8601 with the center's offset.
Instant = Annotated[datetime, AfterValidator(_aware)]


def coded(code: str, **field: Any) -> Any:
    """A Field whose invalid values answer with error `code` (instead of the generic one)."""
    extra = dict(field.pop("json_schema_extra", None) or {})
    return Field(json_schema_extra={**extra, "x-error-code": code}, **field)


class In(BaseModel):
    """A request body, query or path: strict types, no unknown fields, strings trimmed."""

    model_config = ConfigDict(strict=True, extra="forbid", str_strip_whitespace=True)


class Loose(In):
    """Query and path parameters arrive as text: their values are parsed (dates, numbers)."""

    model_config = ConfigDict(strict=False, extra="forbid", str_strip_whitespace=True)


class Out(BaseModel):
    """An answer body or a socket message."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def field_error_code(model: type[BaseModel], name: str) -> str | None:
    """The error code a field of `model` declares for its bad values, if any."""
    info = model.model_fields.get(name)
    extra = info.json_schema_extra if info is not None else None
    if isinstance(extra, dict):
        code = extra.get("x-error-code")
        return code if isinstance(code, str) else None
    return None


def dump(model: BaseModel) -> Any:
    """A schema instance as JSON-ready primitives (times ISO 8601, aliases such as "from")."""
    return model.model_dump(mode="json", by_alias=True)
