"""A kiosk lead's contact details: an Indian mobile number checked with `phonenumbers`, masked for lists."""

from __future__ import annotations

from typing import Any

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from core.record import utc_now

REGION = "IN"
MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


class BadPhoneNumber(ValueError):
    """The number is not a valid Indian mobile number; the message says why in plain words."""


def indian_mobile(text: str) -> str:
    """The number in E.164 (+919876543210); raises BadPhoneNumber for anything else."""
    try:
        number = phonenumbers.parse(text, REGION)
    except NumberParseException as exc:
        raise BadPhoneNumber(f"not a phone number: {text!r}") from exc
    if phonenumbers.region_code_for_number(number) != REGION or not phonenumbers.is_valid_number(number):
        raise BadPhoneNumber(f"not a valid Indian number: {text!r}")
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise BadPhoneNumber(f"not a mobile number: {text!r}")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def mask_phone(e164: str | None) -> str:
    """+91 98••• ••210: enough for staff to match a caller, not enough to call a stranger."""
    if not e164:
        return ""
    digits = e164[-10:]
    return f"+91 {digits[:2]}••• ••{digits[-3:]}"


def reference(call_id: str) -> str:
    """The short reference a visitor quotes at the desk: the call id's first 8 characters (`records show` takes it)."""
    return call_id[:8]


def lead(call_id: str, phone: str | None) -> dict[str, Any]:
    """The `contact` stored with a record: the number given with consent, or a recorded skip."""
    return {
        "phone": phone,
        "consent": phone is not None,
        "skipped": phone is None,
        "reference": reference(call_id),
        "at": utc_now().isoformat(),
    }


def masked(contact: dict[str, Any] | None) -> str:
    """What lists show for a record's contact."""
    if not contact:
        return ""
    return "skipped" if contact.get("skipped") else mask_phone(contact.get("phone"))
