"""Phone numbers: parsed and validated with phonenumbers, +994 (Azerbaijan) by default."""

from __future__ import annotations

import phonenumbers

from ..domain.errors import ValidationError


def normalise_phone(raw: str, region: str = "AZ") -> str:
    """E.164 form of `raw`. Raises ValidationError if it is not a valid number."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as err:
        raise ValidationError("not a phone number", code="invalid_phone") from err
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("not a valid phone number", code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(phone: str) -> str:
    """What a receipt or screen shows of a phone: the country code and the last two digits
    ("+994 •••••••67"), enough for the citizen to recognise it, too little to copy it."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) < 6:
        return "•" * len(digits)
    return f"+{digits[:3]} {'•' * (len(digits) - 5)}{digits[-2:]}"
