"""Record a follow-up visit (回访) as done: the date, stable or recurring, the parties'
satisfaction. A recurring dispute is reopened by the service in the same save."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select

from policeroom.i18n import _
from policeroom.models.disputes import FollowUpDone, FollowUpOutcome
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import follow_ups
from policeroom.services.disputes.card import DisputeCard, FollowUpRow
from policeroom.services.disputes.follow_ups import FollowUpResult
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField
from policeroom.ui.disputes.dispute_dialog import DialogForm
from policeroom.ui.disputes.dispute_filter import enum_select


def satisfaction_options() -> list[tuple[Text, int]]:
    """Five (most satisfied first) to one, with the words the desk reads out."""
    words = {
        5: _("very satisfied"),
        4: _("satisfied"),
        3: _("acceptable"),
        2: _("dissatisfied"),
        1: _("very dissatisfied"),
    }
    return [(Text(f"{n} — {word}"), n) for n, word in words.items()]


class FollowUpForm(DialogForm[FollowUpResult]):
    """Dismissed with the service's ``FollowUpResult``, or None."""

    def __init__(self, ctx: ServiceContext, card: DisputeCard, follow_up: FollowUpRow) -> None:
        super().__init__(ctx)
        self.card = card
        self.follow_up = follow_up
        self.dialog_title = _("Follow-up of {number}, due {date}").format(
            number=card.number, date=follow_up.due_on.isoformat()
        )

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "done_on",
            _("Done on"),
            DateInput(self.ctx.clock.today(), clock=self.ctx.clock, id="follow-up-done-on"),
        )
        yield FormField(
            "outcome",
            _("Outcome"),
            enum_select(FollowUpOutcome, None, _("stable or recurring?"), "follow-up-outcome"),
            required=True,
            hint=_("Recurring reopens the dispute"),
        )
        yield FormField(
            "satisfaction",
            _("Satisfaction"),
            Select(
                satisfaction_options(),
                prompt=_("ask the parties"),
                compact=True,
                id="follow-up-satisfaction",
            ),
            required=True,
        )
        yield FormField(
            "notes",
            _("Notes"),
            Input(
                placeholder=_("what the parties said; how it flared up"),
                compact=True,
                id="follow-up-notes",
            ),
        )

    def submit(self, values: dict[str, Any]) -> FollowUpResult:
        done_on = self.field("done_on").control
        assert isinstance(done_on, DateInput)
        return follow_ups.done(
            self.ctx,
            self.follow_up.id,
            FollowUpDone(
                done_on=done_on.date,
                outcome=values.get("outcome"),
                satisfaction=values.get("satisfaction"),
                notes=str(values.get("notes") or ""),
            ),
        )
