"""Mainland phone numbers checked through ``phonenumbers``: the format rules of the models.

A value that breaks one raises ``InvalidValue`` (a ``ValueError``, so pydantic reports it as
a ``value_error`` carrying these words) with a message for the person who typed it.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from policeroom.i18n import _


class InvalidValue(ValueError):
    """A value that cannot be accepted; the message is for the person who typed it."""


# What a typed phone number may hold besides digits: a leading +, spaces, dashes, dots,
# brackets and an extension mark. Letters are refused, not read as a keypad (139abcd1234).
_PHONE_CHARACTERS = re.compile(r"[0-9+\-\s().]*")


def _phone_text(raw: str) -> str:
    text = (raw or "").strip()
    if not _PHONE_CHARACTERS.fullmatch(text):
        raise InvalidValue(_("a phone number holds digits only"))
    return text


# Tab and newline are how text is laid out; every other control character (NUL, escapes)
# and every format character (bidi overrides such as U+202E, zero-width marks) only hides
# what a record says.
_LAYOUT = frozenset("\t\n")


def bad_character(text: str) -> str | None:
    """The first character no text may hold, named as U+XXXX; None when there is none."""
    if text.isprintable():
        # Printable excludes every category refused below, in C: a load checks millions.
        return None
    for character in text:
        if character in _LAYOUT:
            continue
        if unicodedata.category(character) in ("Cc", "Cf", "Cs", "Co"):
            return f"U+{ord(character):04X}"
    return None


def check_text(text: str) -> str:
    """Refuse a control or format character (NUL, a right-to-left override…)."""
    found = bad_character(text)
    if found is not None:
        raise InvalidValue(_("holds a hidden control character ({code})").format(code=found))
    return text


def check_mobile(raw: str) -> str:
    """A mainland China mobile number as 11 digits (``+86``, spaces and dashes allowed)."""
    text = _phone_text(raw)
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as error:
        raise InvalidValue(_("not a phone number")) from error
    if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
        raise InvalidValue(_mobile_problem(parsed))
    kind = phonenumbers.number_type(parsed)
    if kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidValue(_("not a mobile number"))
    return str(parsed.national_number)


def _mobile_problem(parsed: phonenumbers.PhoneNumber) -> str:
    """What is wrong with a number that is no mainland mobile: its length, or its prefix."""
    if parsed.country_code != 86:
        return _("not a mainland number (+86)")
    digits = str(parsed.national_number)
    if not digits.startswith("1"):
        return _("a mainland mobile number begins with 1")
    if len(digits) != 11:
        return _("{count} digits; a mainland mobile number has 11").format(count=len(digits))
    return _("no mainland mobile number begins with {prefix}").format(prefix=digits[:3])


def check_phone(raw: str) -> str:
    """A mainland mobile or landline number in its national form (landlines keep the 0)."""
    text = _phone_text(raw)
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
