"""DateInput reads quick entry against the frozen day and says what it understood."""

from __future__ import annotations

from datetime import date

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input

from policeroom.clock import Clock
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.terminal import hold_cursors_steady
from tests.ui.conftest import settle


class DateApp(App[None]):
    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock
        self.changes: list[date | None] = []

    def compose(self) -> ComposeResult:
        yield DateInput(clock=self.clock)
        yield Input(id="after")

    def on_mount(self) -> None:
        hold_cursors_steady(self)

    def on_date_input_changed(self, message: DateInput.Changed) -> None:
        self.changes.append(message.date)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("t", date(2022, 5, 1)),
        ("y", date(2022, 4, 30)),
        ("-3", date(2022, 4, 28)),
        ("5/1", date(2022, 5, 1)),
        ("2022-05-01", date(2022, 5, 1)),
        ("20220229", None),
        ("2/30", None),
        ("soon", None),
    ],
)
async def test_quick_entry(clock: Clock, typed: str, expected: date | None) -> None:
    app = DateApp(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        field = app.query_one(DateInput).focus()
        await pilot.press(*typed)
        await settle(pilot)
        assert field.date == expected
        assert bool(field.error) == (expected is None)
        echo = str(field.query_one(".date-input--echo").render())
        if expected is None:
            assert field.has_class("-invalid")
            assert field.error in echo
        else:
            assert expected.isoformat() in echo
        assert app.changes[-1] == expected


async def test_leaving_the_field_writes_the_date_out(clock: Clock) -> None:
    app = DateApp(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(DateInput).focus()
        await pilot.press("minus", "3", "tab")
        await settle(pilot)
        assert app.query_one(DateInput).value == "2022-04-28"
        assert app.focused is app.query_one("#after")


async def test_an_empty_required_date_is_an_error_but_not_shouted(clock: Clock) -> None:
    app = DateApp(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        field = app.query_one(DateInput)
        await settle(pilot)
        assert field.date is None
        assert field.error
        assert not field.has_class("-invalid")
