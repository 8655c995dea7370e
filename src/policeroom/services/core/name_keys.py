"""Search keys of Chinese names: full pinyin, initials and one/two-character pieces.

``pypinyin`` costs a quarter of a second and 65 MB to import, so it is imported only when a
name is written, and readings are cached per character (names repeat characters a lot).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

# Surnames whose reading differs from the character's everyday reading; pypinyin reads
# 曾 as ceng and 单 as dan, but as surnames they are zeng and shan.
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"),
    "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
    "欧阳": ("ou", "yang"),
    "上官": ("shang", "guan"),
    "诸葛": ("zhu", "ge"),
    "皇甫": ("huang", "fu"),
    "司马": ("si", "ma"),
}
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "盖": "ge",
    "乐": "yue",
    "缪": "miao",
    "种": "chong",
    "覃": "qin",
    "尉": "wei",
    "繁": "po",
    "召": "shao",
    "员": "yun",
    "句": "gou",
    "秘": "bi",
    "翟": "zhai",
    "宁": "ning",
    "重": "chong",
    "折": "she",
    "谌": "chen",
    "牟": "mou",
    "卜": "bu",
    "薄": "bo",
    "宿": "su",
    "阚": "kan",
    "隗": "wei",
    "都": "du",
    "万": "wan",
    "朝": "chao",
    "贲": "ben",
    "冼": "xian",
    "芮": "rui",
    "蕃": "pi",
    "黑": "he",
    "石": "shi",
    "沈": "shen",
    "任": "ren",
    "华": "hua",
    "纪": "ji",
    "相": "xiang",
    "燕": "yan",
    "叶": "ye",
    "长": "chang",
    "藏": "zang",
    "参": "shen",
}


@cache
def _reading(character: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(character, style=Style.NORMAL, errors="default")).lower()


def syllables(name: str) -> list[str]:
    """One lower-case pinyin syllable per character, surname read as a surname.

    Characters without a reading (Latin letters, digits) stand for themselves.
    """
    text = "".join(name.split())
    result: list[str] = []
    rest = text
    for compound, reading in COMPOUND_SURNAMES.items():
        if text.startswith(compound):
            result.extend(reading)
            rest = text[len(compound) :]
            break
    else:
        if text and text[0] in SURNAME_READINGS:
            result.append(SURNAME_READINGS[text[0]])
            rest = text[1:]
    result.extend(_reading(character) for character in rest)
    return [syllable for syllable in result if syllable]


@dataclass(frozen=True)
class NameKeys:
    """``pinyin`` = ``zhangsan``, ``initials`` = ``zs``, ``grams`` = 张, 三, 张三."""

    pinyin: str
    initials: str
    grams: frozenset[str]


def name_keys(name: str) -> NameKeys:
    parts = syllables(name)
    return NameKeys(
        pinyin="".join(parts)[:200],
        initials="".join(part[0] for part in parts)[:50],
        grams=name_grams(name),
    )


def name_grams(name: str) -> frozenset[str]:
    """Every one- and two-character piece of ``name`` (spaces dropped)."""
    text = "".join(name.split())
    grams = set(text)
    grams.update(text[i : i + 2] for i in range(len(text) - 1))
    return frozenset(grams)


def reversed_digits(value: str) -> str:
    """The key for "ends with" searches on phone and ID numbers: the value backwards."""
    return value[::-1].upper()


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``.

    ``key >= prefix AND key < bound`` is an index range, unlike ``LIKE prefix || '%'``.
    """
    return prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "\uffff"
