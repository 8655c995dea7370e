"""No error message prints a full ID number or phone."""

from __future__ import annotations

from policeroom.services.core.redact import redact


def test_id_numbers_and_phones_are_masked_but_for_four_digits() -> None:
    text = "row (110101199003071234, 13912345678, 11010119900307123X, 010-88881234)"
    assert redact(text) == "row (**************1234, *******5678, **************123X, 010-****1234)"


def test_dates_counts_and_codes_stay_readable() -> None:
    text = "--from 2022-13-01: 1234 disputes in WD02, record 42"
    assert redact(text) == text
