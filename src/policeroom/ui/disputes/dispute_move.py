"""Move a dispute to another status: only the moves the rules allow are listed, each move
needs its reason, and a referral says where it goes."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.disputes import DisputeStatus, ReferralTarget, StatusMove
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes.card import DisputeCard
from policeroom.services.disputes.entries import Saved
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField
from policeroom.ui.disputes.dispute_dialog import DialogForm
from policeroom.ui.disputes.dispute_filter import enum_select


class DisputeMoveScreen(DialogForm[Saved]):
    """Dismissed with the service's ``Saved`` once the move is written, or None."""

    def __init__(self, ctx: ServiceContext, card: DisputeCard) -> None:
        super().__init__(ctx)
        self.card = card
        self.moves = list(card.allowed_moves)
        self.dialog_title = _("Move {number} from {status} to …").format(
            number=card.number, status=label(card.status)
        )

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "to_status",
            _("New status"),
            OptionList(
                *[Option(Text(label(s)), id=s.value) for s in self.moves], id="move-choices"
            ),
        )
        yield FormField(
            "referred_to",
            _("Referred to"),
            enum_select(ReferralTarget, None, _("choose where"), "move-referral"),
        )
        yield FormField(
            "reason",
            _("Reason"),
            Input(placeholder=_("why the dispute moves"), compact=True, id="move-reason"),
            required=True,
        )
        yield FormField(
            "on", _("Date"), DateInput(self.ctx.clock.today(), clock=self.ctx.clock, id="move-on")
        )

    def on_mount(self) -> None:
        # Textual runs FormScreen.on_mount as well (handlers of every class in the MRO run)
        choices = self.query_one("#move-choices", OptionList)
        if self.moves:
            choices.highlighted = 0
        self._show_referral()

    @property
    def chosen(self) -> DisputeStatus | None:
        index = self.query_one("#move-choices", OptionList).highlighted
        return self.moves[index] if index is not None and index < len(self.moves) else None

    def _show_referral(self) -> None:
        self.field("referred_to").display = self.chosen is DisputeStatus.REFERRED

    @on(OptionList.OptionHighlighted, "#move-choices")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_referral()

    @on(OptionList.OptionSelected, "#move-choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        # enter on a move goes on to the next field to fill
        self.focus_next()

    def check(self, values: dict[str, Any]) -> list[FieldError]:
        problems = super().check(values)
        if self.chosen is None:
            problems.append(FieldError("to_status", _("choose the new status")))
        return problems

    def submit(self, values: dict[str, Any]) -> Saved:
        to_status = self.chosen
        assert to_status is not None
        on_control = self.field("on").control
        assert isinstance(on_control, DateInput)
        on: date | None = on_control.date
        referral = values.get("referred_to") if to_status is DisputeStatus.REFERRED else None
        return disputes.move(
            self.ctx,
            self.card.id,
            StatusMove(
                to_status=to_status,
                reason=str(values.get("reason") or ""),
                on=on,
                referred_to=referral,
            ),
            self.card.version,
        )
