"""Make the shifts of a period from the recurring patterns (生成排班).

Generating is idempotent: a day that already has its shift keeps it (even one changed by
hand), so running it again over a longer period only adds what is missing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError
from policeroom.services.duty import patterns
from policeroom.services.duty.patterns import GenerateResult
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField
from policeroom.ui.duty.roster_form import RosterForm


class GenerateForm(RosterForm[GenerateResult]):
    """From which day to which day, for the room shown (or every room)."""

    def __init__(
        self, ctx: ServiceContext, police_room_id: int | None, room_name: str, first: date
    ) -> None:
        super().__init__(ctx)
        self.police_room_id = police_room_id
        self.room_name = room_name
        self.first = first
        self.form_title = _("Generate shifts from the patterns")

    def compose_fields(self) -> ComposeResult:
        yield Static(
            Text(_("Police room: {room}").format(room=self.room_name or _("every police room"))),
            id="generate-room",
        )
        yield FormField(
            "date_from", _("From"), DateInput(self.first, clock=self.ctx.clock, id="gen-from")
        )
        yield FormField(
            "date_to",
            _("To"),
            DateInput(self.first + timedelta(days=6), clock=self.ctx.clock, id="gen-to"),
            hint=_("Days that already have their shifts keep them; only what is missing is made"),
        )

    def check(self, values: dict[str, Any]) -> list[FieldError]:
        problems = super().check(values)
        first = self.query_one("#gen-from", DateInput).date
        last = self.query_one("#gen-to", DateInput).date
        if first and last and (last - first).days > 92:
            problems.append(FieldError("date_to", _("generate at most three months at a time")))
        return problems

    def submit(self, values: dict[str, Any]) -> GenerateResult:
        first = self.query_one("#gen-from", DateInput).date
        last = self.query_one("#gen-to", DateInput).date
        assert first is not None and last is not None
        return patterns.generate(self.ctx, self.police_room_id, first, last)
