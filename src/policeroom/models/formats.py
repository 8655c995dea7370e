"""Mainland phone numbers checked through ``phonenumbers``: the format rules of the models.

A value that breaks one raises ``InvalidValue`` (a ``ValueError``, so pydantic reports it as
a ``value_error`` carrying these words) with a message for the person who typed it.
"""

from __future__ import annotations

import phonenumbers

from policeroom.i18n import _


class InvalidValue(ValueError):
    """A value that cannot be accepted; the message is for the person who typed it."""


def check_mobile(raw: str) -> str:
    """A mainland China mobile number as 11 digits (``+86``, spaces and dashes allowed)."""
    text = (raw or "").strip()
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as error:
        raise InvalidValue(_("not a phone number")) from error
    if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
        raise InvalidValue(_("not a valid mainland mobile number (11 digits, starting with 1)"))
    kind = phonenumbers.number_type(parsed)
    if kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidValue(_("not a mobile number"))
    return str(parsed.national_number)


def check_phone(raw: str) -> str:
    """A mainland mobile or landline number in its national form (landlines keep the 0)."""
    text = (raw or "").strip()
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as error:
        raise InvalidValue(_("not a phone number")) from error
    if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
        raise InvalidValue(_("not a valid phone number"))
    kind = phonenumbers.number_type(parsed)
    if kind == phonenumbers.PhoneNumberType.MOBILE:
        return str(parsed.national_number)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL).replace(
        " ", ""
    )
