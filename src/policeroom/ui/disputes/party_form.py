"""Add a party to a dispute after it was registered (a resident, or an outsider by name), or
give a party another role (申请人 applicant, 被申请人 respondent, 第三人 third party, the child
concerned)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.disputes import PartyInput, PartyRole
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes.card import DisputeCard, PartyRow
from policeroom.services.disputes.entries import Saved
from policeroom.services.people import residents
from policeroom.ui.common.form_base import FormField
from policeroom.ui.common.lookup import Choice, Lookup
from policeroom.ui.common.resident_picker import resident_choice
from policeroom.ui.disputes.dispute_dialog import DialogForm
from policeroom.ui.disputes.dispute_filter import enum_select

RESIDENT_LIMIT = 8


class PartyForm(DialogForm[Saved]):
    """Dismissed with the service's ``Saved``, or None. With ``party``, only its role."""

    def __init__(self, ctx: ServiceContext, card: DisputeCard, party: PartyRow | None) -> None:
        super().__init__(ctx)
        self.card = card
        self.party = party
        self.dialog_title = (
            _("Role of {name} in {number}").format(name=party.name, number=card.number)
            if party is not None
            else _("Add a party to {number}").format(number=card.number)
        )

    def compose_fields(self) -> ComposeResult:
        if self.party is None:
            yield FormField(
                "resident_id",
                _("Resident"),
                Lookup(
                    self._residents,
                    placeholder=_("name, pinyin or number tail"),
                    id="party-resident",
                ),
                hint=_("Empty for someone from outside the jurisdiction"),
            )
            yield FormField(
                "name",
                _("Outsider"),
                Input(compact=True, id="party-name"),
                hint=_("The name of someone who is not a resident"),
            )
        role = self.party.role if self.party is not None else PartyRole.RESPONDENT
        yield FormField(
            "role",
            _("Role"),
            enum_select(PartyRole, role, _("role"), "party-role"),
            required=True,
            hint=_("{child}: whose support or custody the dispute is about").format(
                child=label(PartyRole.CHILD)
            ),
        )

    def _residents(self, text: str) -> list[Choice]:
        return [resident_choice(row) for row in residents.search(self.ctx, text, RESIDENT_LIMIT)]

    def submit(self, values: dict[str, Any]) -> Saved:
        role = values.get("role")
        if self.party is not None:
            return disputes.set_party_role(
                self.ctx, self.card.id, self.party.id, role, self.card.version
            )
        party = PartyInput(
            resident_id=values.get("resident_id"),
            name=str(values.get("name") or "").strip(),
            role=role,
        )
        return disputes.add_party(self.ctx, self.card.id, party, self.card.version)
