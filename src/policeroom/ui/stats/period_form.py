"""A period of the officer's choosing for the statistics (``c``): from one day to another,
typed as every date in the program is (``0401``, ``4-1``, ``-7`` …)."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ValidationError
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField, FormScreen


class PeriodForm(FormScreen[tuple[date, date]]):
    """Dismissed with (first day, last day), or None."""

    def __init__(self, ctx: ServiceContext, start: date, end: date) -> None:
        super().__init__(ctx)
        self.start, self.end = start, end
        self.form_title = _("Statistics for a period of your choosing")

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "date_from",
            _("From"),
            DateInput(self.start, clock=self.ctx.clock, id="period-from"),
            required=True,
        )
        yield FormField(
            "date_to",
            _("To"),
            DateInput(self.end, clock=self.ctx.clock, id="period-to"),
            required=True,
            hint=_("The figures are those up to the end of this day"),
        )

    def submit(self, values: dict[str, Any]) -> tuple[date, date]:
        start, end = values["date_from"], values["date_to"]
        if end < start:
            raise ValidationError.single("date_to", _("the period ends before it starts"))
        return start, end
