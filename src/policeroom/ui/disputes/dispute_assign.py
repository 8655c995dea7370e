"""Assign the officer handling a dispute and the leader who owns the case (包案领导)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from policeroom.i18n import _
from policeroom.models.disputes import DisputeUpdate
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes.card import DisputeCard
from policeroom.services.disputes.entries import Saved
from policeroom.services.org import staff
from policeroom.services.org.staff import StaffRow
from policeroom.ui.common.form_base import FormField
from policeroom.ui.common.lookup import Choice, Lookup
from policeroom.ui.disputes.dispute_dialog import DialogForm

STAFF_LIMIT = 8


def staff_choice(person: StaffRow) -> Choice:
    return Choice(
        person.id, f"{person.name} ({person.code}) {person.police_room_name}".strip(), person.code
    )


class DisputeAssignForm(DialogForm[Saved]):
    """Dismissed with the service's ``Saved``, or None. An emptied field clears the person."""

    def __init__(self, ctx: ServiceContext, card: DisputeCard) -> None:
        super().__init__(ctx)
        self.card = card
        self.dialog_title = _("Who handles {number}").format(number=card.number)

    def compose_fields(self) -> ComposeResult:
        card = self.card
        officer = Choice(card.assignee_id, card.assignee_name) if card.assignee_id else None
        leader = Choice(card.leader_id, card.leader_name) if card.leader_id else None
        yield FormField(
            "assignee_id",
            _("Officer"),
            Lookup(self._staff, value=officer, placeholder=_("name or code"), id="assign-officer"),
            hint=_("The officer handling the dispute"),
        )
        yield FormField(
            "leader_id",
            _("Leader (包案)"),
            Lookup(self._staff, value=leader, placeholder=_("name or code"), id="assign-leader"),
            hint=_("The leader who owns the case until it is settled"),
        )

    def _staff(self, text: str) -> list[Choice]:
        found = staff.list_staff(self.ctx, text=text, limit=STAFF_LIMIT)
        return [staff_choice(person) for person in found]

    def submit(self, values: dict[str, Any]) -> Saved:
        return disputes.update(
            self.ctx,
            self.card.id,
            DisputeUpdate(assignee_id=values.get("assignee_id"), leader_id=values.get("leader_id")),
            self.card.version,
        )
