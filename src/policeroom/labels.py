"""The words people read for every enumeration value, in one registry.

The database and the files keep each value's stable English id (``closed_unresolved``); screens,
exports and messages show its words, translated into the interface language when they are
asked for. Every ``StrEnum`` registers its words once, right below its definition, in English
marked with ``N_()`` so that ``make i18n`` extracts them; ``tests/unit/test_labels.py`` proves
that every member of every enumeration has words and a Chinese translation.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from policeroom.i18n import _

E = TypeVar("E", bound=StrEnum)

_WORDS: dict[type[StrEnum], dict[StrEnum, str]] = {}
_SHORT: dict[type[StrEnum], dict[StrEnum, str]] = {}


def register(
    enum: type[E], words: Mapping[E, str], *, short: Mapping[E, str] | None = None
) -> None:
    """Give every member of ``enum`` its words, and some a shorter form for narrow columns.

    The words are keyed by the enumeration itself: members of two enumerations that share a
    value (a visit's ``key_person`` purpose, a resident's ``key_person`` tag) keep their own.
    """
    if enum in _WORDS:
        raise ValueError(f"{enum.__qualname__} has its words already")
    missing = [member.value for member in enum if member not in words]
    if missing:
        raise ValueError(f"{enum.__qualname__} has no words for {', '.join(missing)}")
    _WORDS[enum] = {member: words[member] for member in enum}
    _SHORT[enum] = {member: short[member] for member in enum if short and member in short}


def english(value: StrEnum) -> str:
    """The untranslated words of ``value``; ``LookupError`` if its enumeration has none."""
    try:
        return _WORDS[type(value)][value]
    except KeyError:
        raise LookupError(
            f"{type(value).__qualname__} has no words: register them below its definition"
        ) from None


def label(value: StrEnum | None) -> str:
    """The words of ``value`` in the interface language ("" for None)."""
    if value is None:
        return ""
    return _(english(value))


def short_label(value: StrEnum | None) -> str:
    """The short form of ``value`` where one is registered, else its full words."""
    if value is None:
        return ""
    short = _SHORT.get(type(value), {}).get(value)
    return _(short) if short is not None else label(value)


def choices(enum: type[E]) -> list[tuple[str, E]]:
    """``(words, member)`` for every member in definition order, for a select or a list."""
    return [(label(member), member) for member in enum]


def short_english(value: StrEnum) -> str | None:
    """The untranslated short form of ``value``, None when it has only its full words."""
    return _SHORT.get(type(value), {}).get(value)
