"""Mark that a resident installed the national anti-fraud app (国家反诈中心): when, by whom.

It is recorded as an anti-fraud visit whose checklist says the app was installed; the visit
service then marks the resident with that date and staff member. The visit is the evidence
that the promotion counts rest on, and ``residents.mark_anti_fraud`` has no date to give.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from policeroom.i18n import _
from policeroom.models.people import VisitCreate, VisitPurpose
from policeroom.services.core.context import ServiceContext
from policeroom.services.people import visits
from policeroom.services.people.residents import ResidentCard, ResidentRow
from policeroom.services.people.visits import APP_INSTALLED, VisitRow
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField, FormScreen
from policeroom.ui.common.lookup import Lookup
from policeroom.ui.people.visit_form import staff_choices


class AntiFraudForm(FormScreen[VisitRow]):
    """Dismissed with the anti-fraud visit that recorded the install, or None."""

    def __init__(self, ctx: ServiceContext, resident_id: int, resident_name: str) -> None:
        super().__init__(ctx)
        self.resident_id = resident_id
        self.resident_name = resident_name
        self.form_title = _("Anti-fraud app installed")

    @classmethod
    def for_row(cls, ctx: ServiceContext, row: ResidentRow) -> AntiFraudForm:
        return cls(ctx, row.id, row.name)

    @classmethod
    def for_card(cls, ctx: ServiceContext, card: ResidentCard) -> AntiFraudForm:
        return cls(ctx, card.id, card.name)

    def compose_fields(self) -> ComposeResult:
        yield Static(
            Text(_("Resident: {name}").format(name=self.resident_name)), classes="form-caption"
        )
        yield FormField(
            "visit_date",
            _("Installed on"),
            DateInput(self.ctx.clock.today(), clock=self.ctx.clock),
        )
        yield FormField(
            "staff_id",
            _("Installed by"),
            Lookup(lambda text: staff_choices(self.ctx, text), placeholder=_("name or code")),
            required=True,
        )

    def submit(self, values: dict[str, Any]) -> VisitRow:
        return visits.record(
            self.ctx,
            VisitCreate(
                visit_date=values["visit_date"],
                staff_id=values["staff_id"],
                resident_ids=[self.resident_id],
                purpose=VisitPurpose.ANTI_FRAUD,
                summary=_("Anti-fraud app installed"),
                checklist=[APP_INSTALLED],
            ),
        )
