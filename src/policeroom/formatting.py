"""What a user reads, in the interface language: weekdays, dates, numbers and text tables.

Weekday names and digit grouping come from Babel's CLDR data for the language ``i18n`` has
set (``en`` reads as ``en_US``, ``zh`` as ``zh_CN``), so no word list is kept by hand. The
patterns are explicit rather than Babel's skeletons: CLDR's own ``MEd`` reads ``Mon, 5/2``
and ``5/2周一``, while the desk shows ``Mon 5/2`` and ``周一 5/2`` in both languages alike.

Text tables are Rich tables (Rich measures double-width hanzi), drawn as wide as they need
on a terminal too: Rich neither wraps nor cuts them, so one record stays on one line whether
it is read on the screen, searched with ``grep`` in a pipe or saved to a file (a terminal
narrower than the table folds its long lines, as terminals do). A terminal gets bold
headings; a pipe or a file gets plain text, with no control codes and no trailing spaces.
"""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from typing import TextIO

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from rich.console import Console, RenderableType

from policeroom.i18n import current_language

LOCALES = {"en": "en_US", "zh": "zh_CN"}
# Wide enough that Rich never wraps or cuts a table.
_UNBOUNDED = 100_000


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(LOCALES[language])


def locale() -> Locale:
    """Babel's locale for the interface language."""
    return _locale(current_language())


def weekday(day: date) -> str:
    """``Sun`` / ``周日``."""
    return format_date(day, "EEE", locale=locale())


def weekday_and_day(day: date) -> str:
    """``Sun 1`` / ``周日 1``: a column heading where the month is plain."""
    return format_date(day, "EEE d", locale=locale())


def day_month(day: date) -> str:
    """``Mon 5/2`` / ``周一 5/2``."""
    return format_date(day, "EEE M/d", locale=locale())


def date_and_weekday(day: date) -> str:
    """``2022-05-01 Sun`` / ``2022-05-01 周日``."""
    return format_date(day, "yyyy-MM-dd EEE", locale=locale())


def number(value: int) -> str:
    """``12,000``, grouped as the language groups digits."""
    return format_decimal(value, locale=locale())


def minutes_text(minutes: float | None) -> str:
    """A time to scene as minutes and seconds (``0:52``, ``12:05``); ``—`` when none.

    The 1-3-5 log and the statistics' list of arrivals show it alike: a second is what
    tells a first-minute arrival from a late one, and the same arrival reads the same in both.
    """
    if minutes is None:
        return "—"
    seconds = round(minutes * 60)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _console(stream: TextIO, *, terminal: bool) -> Console:
    # User data (names, descriptions) may hold brackets or colons: never read as markup,
    # emoji codes or something to highlight.
    return Console(
        file=stream,
        width=_UNBOUNDED,
        force_terminal=None if terminal else False,
        color_system="auto" if terminal else None,
        legacy_windows=False,
        markup=False,
        emoji=False,
        highlight=False,
    )


def plain_text(*renderables: RenderableType) -> str:
    """``renderables`` one after another as plain text, each line without trailing spaces."""
    buffer = io.StringIO()
    console = _console(buffer, terminal=False)
    for renderable in renderables:
        console.print(renderable)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def write(stream: TextIO, *renderables: RenderableType) -> None:
    """Print ``renderables`` to a terminal with Rich, or as :func:`plain_text` elsewhere."""
    if stream.isatty():
        console = _console(stream, terminal=True)
        for renderable in renderables:
            console.print(renderable)
    else:
        stream.write(plain_text(*renderables))
