"""Weekdays, dates and numbers from Babel in the interface language; tables as plain text."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from rich.table import Table

from policeroom import formatting, i18n

MONDAY = date(2022, 5, 2)
WEEK = [MONDAY + timedelta(days=n) for n in range(7)]


@pytest.fixture(params=["en", "zh"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n.set_language(request.param)
    try:
        yield request.param
    finally:
        i18n.set_language("en")


# What the desk showed before Babel, word for word: the snapshots rely on it.
WEEKDAYS = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "zh": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
}


def test_weekdays_and_dates_read_as_they_always_did(language: str) -> None:
    names = WEEKDAYS[language]
    assert [formatting.weekday(day) for day in WEEK] == names
    assert [formatting.day_month(day) for day in WEEK] == [
        f"{name} 5/{day.day}" for name, day in zip(names, WEEK, strict=True)
    ]
    assert formatting.weekday_and_day(date(2022, 5, 1)) == f"{names[6]} 1"
    assert formatting.date_and_weekday(date(2022, 5, 1)) == f"2022-05-01 {names[6]}"
    assert formatting.day_month(date(2022, 12, 25)) == f"{names[6]} 12/25"


def test_numbers_are_grouped_by_thousands(language: str) -> None:
    assert formatting.number(7) == "7"
    assert formatting.number(12000) == "12,000"
    assert formatting.number(1_234_567) == "1,234,567"


def test_the_language_follows_the_interface() -> None:
    i18n.set_language("zh")
    try:
        assert formatting.weekday(MONDAY) == "周一"
    finally:
        i18n.set_language("en")
    assert formatting.weekday(MONDAY) == "Mon"


def _table(*rows: tuple[str, str]) -> Table:
    table = Table(box=None, pad_edge=False)
    table.add_column("Name")
    table.add_column("Note")
    for row in rows:
        table.add_row(*row)
    return table


def test_plain_text_keeps_a_wide_row_on_one_line_without_codes() -> None:
    long_note = "纠纷" * 150
    text = formatting.plain_text(_table(("[bold]王[/bold]", long_note), ("李:smile:", "x")))
    header, first, second = text.splitlines()
    assert text.endswith("\n") and "\x1b" not in text
    # User data is printed as typed, never read as markup or emoji codes.
    assert first.startswith("[bold]王[/bold]") and first.endswith(long_note)
    assert second.startswith("李:smile:")
    assert all(line == line.rstrip() for line in (header, first, second))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_write_styles_headings_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    table = _table(("王", "x"))
    piped, terminal = io.StringIO(), _Terminal()
    formatting.write(piped, table)
    formatting.write(terminal, table)
    assert piped.getvalue() == formatting.plain_text(table)
    assert "\x1b[" in terminal.getvalue() and "Name" in terminal.getvalue()


def test_a_time_to_scene_reads_as_minutes_and_seconds() -> None:
    """The 1-3-5 log and the statistics' arrivals write it with this one function."""
    assert formatting.minutes_text(None) == "—"  # not on scene
    assert formatting.minutes_text(0) == "0:00"
    assert formatting.minutes_text(52 / 60) == "0:52"
    assert formatting.minutes_text(1) == "1:00"
    assert formatting.minutes_text(3 + 40 / 60) == "3:40"
    assert formatting.minutes_text(12.5) == "12:30"
    # to the nearest second, carried into the minute when it rounds to 60
    assert formatting.minutes_text(0.999) == "1:00"
    assert formatting.minutes_text(2 + 0.4 / 60) == "2:00"
