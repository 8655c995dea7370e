"""Record a mediation session (调解): date, place, method, mediators, parties present, result
and the agreement's text. A first session moves a registered or investigating dispute to
mediating (the service does it)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, TextArea

from policeroom.i18n import _
from policeroom.models.disputes import MediationCreate, MediationMethod, MediationResult
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import mediation
from policeroom.services.disputes.card import DisputeCard, MediationRow
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField
from policeroom.ui.disputes.dispute_dialog import LedgerForm
from policeroom.ui.disputes.dispute_filter import enum_select


class MediationForm(LedgerForm[MediationRow]):
    """Dismissed with the recorded session, or None."""

    def __init__(self, ctx: ServiceContext, card: DisputeCard) -> None:
        super().__init__(ctx)
        self.card = card
        self.form_title = _("Mediation of {number}").format(number=card.number)
        # The date is today's and most sessions are recorded the day they are held: the
        # place is the first thing to type (typing into the date replaced it).
        self.first_field = "place"

    def compose_fields(self) -> ComposeResult:
        card = self.card
        yield FormField(
            "held_on",
            _("Date"),
            DateInput(self.ctx.clock.today(), clock=self.ctx.clock, id="mediation-held-on"),
        )
        yield FormField(
            "place",
            _("Place"),
            Input(placeholder=_("e.g. the police room"), compact=True, id="mediation-place"),
            required=True,
        )
        yield FormField(
            "method",
            _("Method"),
            enum_select(MediationMethod, MediationMethod.NEGOTIATION, _("how"), "mediation-method"),
            required=True,
        )
        yield FormField(
            "mediators",
            _("Mediators"),
            Input(card.assignee_name, compact=True, id="mediation-mediators"),
            required=True,
            hint=_("Who mediated, separated by 、"),
        )
        yield FormField(
            "parties_present",
            _("Present"),
            Input(card.parties_text, compact=True, id="mediation-present"),
        )
        yield FormField(
            "result",
            _("Result"),
            enum_select(MediationResult, None, _("what came of it"), "mediation-result"),
            required=True,
        )
        yield FormField(
            "agreement",
            _("Agreement terms"),
            TextArea(compact=True, soft_wrap=True, tab_behavior="focus", id="mediation-agreement"),
            hint=_("What the parties agreed, as written in the agreement"),
        )

    def submit(self, values: dict[str, Any]) -> MediationRow:
        held_on = self.field("held_on").control
        assert isinstance(held_on, DateInput)
        agreement = self.query_one("#mediation-agreement", TextArea).text
        return mediation.record(
            self.ctx,
            self.card.id,
            MediationCreate(
                held_on=held_on.date,
                place=str(values.get("place") or ""),
                method=values.get("method"),
                mediators=str(values.get("mediators") or ""),
                parties_present=str(values.get("parties_present") or ""),
                result=values.get("result"),
                agreement=agreement,
            ),
        )
