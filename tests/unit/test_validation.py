"""ID numbers, mobile numbers and quick dates, as a desk officer types them."""

from __future__ import annotations

from datetime import date

import pytest

from policeroom.services.core.validation import (
    InvalidValue,
    check_id_number,
    check_mobile,
    check_phone,
    parse_date,
)
from tests.unit.people_world import make_id

TODAY = date(2022, 5, 1)


def test_a_good_id_number_gives_birth_date_and_gender() -> None:
    checked = check_id_number("11010519491231002X", TODAY)
    assert checked.birth_date == date(1949, 12, 31)
    assert not checked.is_male
    assert checked.warnings == ()
    assert check_id_number(" 11010519491231002x ", TODAY).number == "11010519491231002X"


def test_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(InvalidValue, match="check digit"):
        check_id_number("110105194912310021", TODAY)


def test_30_february_is_refused() -> None:
    body = "41040219900230123"
    from stdnum.cn import ric

    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(InvalidValue, match="does not exist"):
        check_id_number(number, TODAY)


def test_a_future_birth_date_is_refused() -> None:
    with pytest.raises(InvalidValue, match="future"):
        check_id_number(make_id(date(2022, 5, 2)), TODAY)
    assert check_id_number(make_id(date(2022, 5, 1)), TODAY).birth_date == TODAY


def test_an_unknown_region_is_only_a_warning() -> None:
    checked = check_id_number("110115197101010011", TODAY)
    assert checked.birth_date == date(1971, 1, 1)
    assert checked.warnings and "110115" in checked.warnings[0]


@pytest.mark.parametrize("raw", ["1101051949123100", "11010519491231002Y", ""])
def test_wrong_length_or_characters(raw: str) -> None:
    with pytest.raises(InvalidValue):
        check_id_number(raw, TODAY)


def test_mobile_numbers() -> None:
    assert check_mobile("13800138000") == "13800138000"
    assert check_mobile("+86 138-0013-8000") == "13800138000"
    with pytest.raises(InvalidValue):
        check_mobile("1380013800")  # ten digits
    with pytest.raises(InvalidValue):
        check_mobile("0375-2961234")  # a landline is not a mobile
    assert check_phone("0375-2961234") == "03752961234"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("12345678901", "no mainland mobile number begins with 123"),
        ("1380013800", "10 digits; a mainland mobile number has 11"),
        ("138001380001", "12 digits; a mainland mobile number has 11"),
        ("23800138000", "a mainland mobile number begins with 1"),
    ],
)
def test_a_refused_mobile_number_is_told_what_is_wrong(typed: str, said: str) -> None:
    """Issue 13, defect 11: 12345678901 was told it needs "11 digits, starting with 1"."""
    with pytest.raises(InvalidValue) as caught:
        check_mobile(typed)
    assert str(caught.value) == said


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("t", date(2022, 5, 1)),
        ("y", date(2022, 4, 30)),
        ("-3", date(2022, 4, 28)),
        ("5/1", date(2022, 5, 1)),
        ("2022-05-01", date(2022, 5, 1)),
        ("2022/5/1", date(2022, 5, 1)),
        ("20220501", date(2022, 5, 1)),
        ("今天", date(2022, 5, 1)),
    ],
)
def test_quick_dates(typed: str, expected: date) -> None:
    assert parse_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["2/30", "2022-02-30", "", "next week", "13/1"])
def test_dates_that_do_not_exist_are_refused(typed: str) -> None:
    with pytest.raises(InvalidValue):
        parse_date(typed, TODAY)
