"""The base of every schema: input models are strict (no "1" taken for 1, no unknown field),
output models reject unknown fields too, so a body the server builds cannot drift from what
the documents say. A field may name the error code its bad values answer with
(`error_code`), e.g. `invalid_lang` for a language outside az/ru/en."""

from __future__ import annotations

import datetime as dt
import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

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


def _integral(value: Any) -> Any:
    """JSON has one number type: 5.0 is the integer 5 (JSON Schema says so too); 5.5, True
    and "5" are not integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# An integer input, strict but for integral floats.
Integer = Annotated[int, BeforeValidator(_integral)]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, str):
        if not _ISO_DATE.match(value):
            raise ValueError("a date is YYYY-MM-DD")
        return dt.date.fromisoformat(value)
    return value


# A calendar date written YYYY-MM-DD (nothing else parsed: not "0", not a timestamp).
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

# Text that must say something: trimmed, then at least one character.
Text = Annotated[str, Field(min_length=1, pattern=r"\S")]

# A password: taken as typed (never trimmed: spaces may be part of it), at least one character.
Secret = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1, max_length=200)]

# A phone number as people write it; the server normalises and checks it (E.164, +994).
PHONE_PATTERN = r"^\+?[0-9][0-9 ()-]{5,24}$"


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
