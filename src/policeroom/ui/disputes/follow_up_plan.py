"""Plan a follow-up visit (回访) of a resolved dispute on a day the officer chooses, beside
the automatic ones that resolving scheduled."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from textual.app import ComposeResult

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import follow_ups
from policeroom.services.disputes.card import DisputeCard
from policeroom.services.disputes.follow_ups import FollowUpResult
from policeroom.services.org import staff
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField
from policeroom.ui.common.lookup import Choice, Lookup
from policeroom.ui.disputes.dispute_assign import STAFF_LIMIT, staff_choice
from policeroom.ui.disputes.dispute_dialog import DialogForm

PROPOSED_DAYS = 7
"""The day the form proposes: a week from today (or the first free day after it), which
the officer changes at will."""


def proposed_day(card: DisputeCard, today: date) -> date:
    """A week from today, moved on past days that already have a follow-up to do."""
    taken = {f.due_on for f in card.follow_ups if f.done_on is None}
    day = today + timedelta(days=PROPOSED_DAYS)
    while day in taken:
        day += timedelta(days=1)
    return day


class FollowUpPlanForm(DialogForm[FollowUpResult]):
    """Dismissed with the service's ``FollowUpResult``, or None."""

    def __init__(self, ctx: ServiceContext, card: DisputeCard) -> None:
        super().__init__(ctx)
        self.card = card
        self.dialog_title = _("Plan a follow-up of {number}").format(number=card.number)

    def compose_fields(self) -> ComposeResult:
        card = self.card
        officer = Choice(card.assignee_id, card.assignee_name) if card.assignee_id else None
        proposed = proposed_day(card, self.ctx.clock.today())
        yield FormField(
            "due_on",
            _("Due on"),
            DateInput(proposed, clock=self.ctx.clock, id="follow-up-plan-due-on"),
            required=True,
            hint=_("Any day from today on"),
        )
        yield FormField(
            "staff_id",
            _("Officer"),
            Lookup(
                self._staff,
                value=officer,
                placeholder=_("name or code"),
                id="follow-up-plan-officer",
            ),
            hint=_("Empty: the dispute's officer"),
        )

    def _staff(self, text: str) -> list[Choice]:
        found = staff.list_staff(self.ctx, text=text, limit=STAFF_LIMIT)
        return [staff_choice(person) for person in found]

    def submit(self, values: dict[str, Any]) -> FollowUpResult:
        due_on = self.field("due_on").control
        assert isinstance(due_on, DateInput)
        return follow_ups.plan(
            self.ctx, self.card.id, due_on.date, values.get("staff_id"), self.card.version
        )
