"""What a search box's text means for a person's name, one rule for every list and picker.

Residents are searched through index columns (``services.people.residents``); staff, a few
thousand people at most, through the same keys computed per name. Either way 张三 is found by
张三, by 三, by ``zs`` and by ``zhangsan``, and a number by its last digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from policeroom.i18n import N_
from policeroom.labels import register
from policeroom.models.formats import InvalidValue, check_text
from policeroom.services.core.errors import ValidationError
from policeroom.services.core.name_keys import name_keys

__all__ = ["MIN_DIGITS", "ParsedSearch", "SearchKind", "name_matches", "parse_search"]


class SearchKind(StrEnum):
    ALL = "all"
    GRAM = "gram"
    GRAM_LIKE = "gram_like"
    LETTERS = "letters"
    DIGITS = "digits"
    NOTHING = "nothing"


register(
    SearchKind,
    {
        SearchKind.ALL: N_("everyone"),
        SearchKind.GRAM: N_("part of a name"),
        SearchKind.GRAM_LIKE: N_("part of a longer name"),
        SearchKind.LETTERS: N_("pinyin"),
        SearchKind.DIGITS: N_("phone or ID number digits"),
        SearchKind.NOTHING: N_("nothing to search for"),
    },
)


@dataclass(frozen=True)
class ParsedSearch:
    kind: SearchKind
    key: str = ""


_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DIGITS = re.compile(r"\d{4,18}|\d{3,17}X")
MIN_DIGITS = 4


def parse_search(text: str) -> ParsedSearch:
    """Which kind of search ``text`` is, and its normalised key (a hidden control character
    is refused with the field named, by the rule every form and fixture uses)."""
    try:
        check_text(text or "")
    except InvalidValue as error:
        raise ValidationError.single("text", str(error)) from error
    compact = "".join((text or "").split())
    if not compact:
        return ParsedSearch(SearchKind.ALL)
    if _HANZI.search(compact):
        kind = SearchKind.GRAM if len(compact) <= 2 else SearchKind.GRAM_LIKE
        return ParsedSearch(kind, compact)
    letters = compact.lower().replace("ü", "v")
    if letters.isascii() and letters.isalpha():
        return ParsedSearch(SearchKind.LETTERS, letters)
    digits = compact.replace("-", "").upper()
    if _DIGITS.fullmatch(digits):
        return ParsedSearch(SearchKind.DIGITS, digits)
    return ParsedSearch(SearchKind.NOTHING, compact)


def name_matches(parsed: ParsedSearch, name: str) -> bool:
    """Whether ``name`` answers a name search as the residents' index would: a piece of the
    name, or the start of its pinyin or of its initials."""
    if parsed.kind is SearchKind.ALL:
        return True
    if parsed.kind in (SearchKind.GRAM, SearchKind.GRAM_LIKE):
        return parsed.key in "".join(name.split())
    if parsed.kind is SearchKind.LETTERS:
        keys = name_keys(name)
        return keys.pinyin.startswith(parsed.key) or keys.initials.startswith(parsed.key)
    return False
