"""Pinyin keys of Chinese names: surnames read as surnames, initials, pieces, tails."""

from __future__ import annotations

import pytest

from policeroom.services.core.name_keys import (
    name_grams,
    name_keys,
    prefix_upper_bound,
    reversed_digits,
    syllables,
)


def test_zhang_san() -> None:
    keys = name_keys("张三")
    assert (keys.pinyin, keys.initials) == ("zhangsan", "zs")
    assert keys.grams == frozenset({"张", "三", "张三"})


@pytest.mark.parametrize(
    ("name", "pinyin", "initials"),
    [
        ("曾国藩", "zengguofan", "zgf"),  # not ceng
        ("单田芳", "shantianfang", "stf"),  # not dan
        ("解缙", "xiejin", "xj"),
        ("仇英", "qiuying", "qy"),
        ("欧阳修", "ouyangxiu", "oyx"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("吕小娟", "lvxiaojuan", "lxj"),
        ("张 三", "zhangsan", "zs"),
    ],
)
def test_surnames_read_as_surnames(name: str, pinyin: str, initials: str) -> None:
    keys = name_keys(name)
    assert (keys.pinyin, keys.initials) == (pinyin, initials)


def test_only_the_surname_takes_the_surname_reading() -> None:
    # 曾 inside a given name keeps its everyday reading.
    assert syllables("王曾") == ["wang", "ceng"]


def test_grams_are_every_one_and_two_character_piece() -> None:
    assert name_grams("欧阳明") == frozenset({"欧", "阳", "明", "欧阳", "阳明"})


def test_reversed_digits_and_prefix_bounds() -> None:
    assert reversed_digits("11010519491231002x") == "X20013219491501011"
    assert prefix_upper_bound("zs") == "zt"
    assert prefix_upper_bound("/3/17/") == "/3/170"
    assert "zsf" < prefix_upper_bound("zs") and "zt" >= prefix_upper_bound("zs")
