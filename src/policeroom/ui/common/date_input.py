"""A date field with quick entry, showing beside it the date it understood or what is wrong."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from policeroom.clock import SYSTEM_CLOCK, Clock
from policeroom.formatting import weekday
from policeroom.i18n import _
from policeroom.services.core.validation import InvalidValue, parse_date


class DateInput(Horizontal):
    """Type ``t`` today, ``y`` yesterday, ``-3`` three days ago, ``5/1`` or ``2022-05-01``.

    Leaving the field rewrites a date it understood as ``2022-05-01``.
    """

    class Changed(Message):
        """The text changed: ``date`` is what it means now (None if empty or wrong)."""

        def __init__(self, date_input: DateInput, value: dt.date | None, error: str) -> None:
            super().__init__()
            self.date_input = date_input
            self.date = value
            self.error = error

        @property
        def control(self) -> DateInput:
            return self.date_input

    def __init__(
        self,
        value: dt.date | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        required: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.clock = clock
        self.required = required
        self._initial = value.isoformat() if value else ""
        self._date: dt.date | None = None
        self._error = ""
        self._read(self._initial)

    def compose(self) -> ComposeResult:
        yield Input(
            self._initial,
            placeholder=_("t, y, -3, 5/1"),
            compact=True,
            classes="date-input--text",
        )
        yield Static(self._echo(), classes="date-input--echo")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        """The text as typed."""
        return self.input.value if self.is_mounted else self._initial

    @property
    def date(self) -> dt.date | None:
        """The date the text means, or None when it is empty or wrong."""
        return self._date

    @property
    def error(self) -> str:
        """Why the text is not a date ("" when it is one, or is empty and not required)."""
        return self._error

    def set_date(self, value: dt.date | None) -> None:
        self.input.value = value.isoformat() if value else ""

    def focus(self, scroll_visible: bool = True) -> DateInput:
        self.input.focus(scroll_visible)
        return self

    def _read(self, text: str) -> None:
        self._date, self._error = None, ""
        if not text.strip():
            if self.required:
                self._error = _("a date is needed")
            return
        try:
            self._date = parse_date(text, self.clock.today())
        except InvalidValue as error:
            self._error = str(error)

    def _echo(self) -> Text:
        if self._date is not None:
            return Text(f"{self._date.isoformat()} {weekday(self._date)}")
        if self._error and self.is_mounted and self.input.value.strip():
            return Text(self._error, style="bold")
        return Text("")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._read(event.value)
        self.set_class(bool(self._error) and bool(event.value.strip()), "-invalid")
        self.query_one(".date-input--echo", Static).update(self._echo())
        self.post_message(self.Changed(self, self._date, self._error))

    @on(Input.Blurred)
    def _normalise(self, event: Input.Blurred) -> None:
        if self._date is not None and event.value != self._date.isoformat():
            self.input.value = self._date.isoformat()
