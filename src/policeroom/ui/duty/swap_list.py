"""Swaps waiting for an answer in the police room: both officers see them here and on the
week (marked ⇄); ``a`` agrees (the two shifts exchange people), ``d`` declines, ``c``
withdraws the request. Only the person asked may agree or decline, from their own login; a
swap that breaks a post's requirements asks them to confirm."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType

from policeroom.i18n import _, ngettext
from policeroom.services.core.context import ServiceContext
from policeroom.services.duty import swaps
from policeroom.services.duty import views as roster_views
from policeroom.services.duty.coverage import NeedsConfirmation
from policeroom.services.duty.swaps import SwapRow
from policeroom.ui.common.confirm import ConfirmScreen
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.duty import messages
from policeroom.ui.duty.labels import shift_text
from policeroom.ui.duty.roster_form import requirement_question
from policeroom.ui.duty.roster_list import REST, RosterListScreen


class SwapsScreen(RosterListScreen[SwapRow]):
    """The waiting swaps of one police room (None: every room)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "answer('agree')",
            _("Agree"),
            tooltip=_("Agree: exchange the two shifts"),
            id="swaps.agree",
        ),
        Binding(
            "d",
            "answer('decline')",
            _("Decline"),
            tooltip=_("Decline: both shifts stay"),
            id="swaps.decline",
        ),
        Binding(
            "c",
            "answer('cancel')",
            _("Withdraw"),
            tooltip=_("Withdraw the request"),
            id="swaps.withdraw",
        ),
    ]
    empty_text = ""

    def __init__(self, ctx: ServiceContext, police_room_id: int | None) -> None:
        super().__init__(ctx)
        self.police_room_id = police_room_id
        self.list_title = _("Swaps waiting for an answer")
        self.empty_text = _("No swap is waiting for an answer.")

    def read(self) -> Sequence[SwapRow]:
        return roster_views.pending_swaps(self.ctx, self.police_room_id)

    def columns(self) -> Sequence[tuple[str, int | None]]:
        return [(_("Asked by"), None), (_("Gives"), None), (_("Takes"), REST)]

    def cells(self, item: SwapRow) -> Sequence[Text]:
        return [
            Text(item.shift_a.staff_name or item.requested_by),
            shift_text(item.shift_a, with_person=False),
            shift_text(item.shift_b),
        ]

    def status_text(self) -> Text:
        count = len(self.items)
        return Text(
            ngettext("{n} swap waiting", "{n} swaps waiting", count).format(n=count)
            + " · "
            + _("a agree · d decline · c withdraw")
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            return True if self.current is not None and self.ctx.actor.can_write else None
        return True

    def chosen(self, item: SwapRow) -> None:
        self.action_answer("agree")

    def action_answer(self, answer: str) -> None:
        swap = self.current
        if swap is None:
            return
        if answer != "agree":
            self._answer(swap, answer)
            return
        question = _("{b} takes {a_shift}; {a} takes {b_shift}. Agree to this swap?").format(
            a=swap.shift_a.staff_name,
            b=swap.shift_b.staff_name,
            a_shift=shift_text(swap.shift_a, with_person=False).plain,
            b_shift=shift_text(swap.shift_b, with_person=False).plain,
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._answer(swap, "agree")

        self.app.push_screen(
            ConfirmScreen(question, yes=_("y = agree"), no=_("n = not now")), answered
        )

    @service_worker(messages.SWAP_ANSWER)
    def _answer(self, swap: SwapRow, answer: str, confirmed: bool = False) -> messages.SwapAnswered:
        if answer == "agree":
            result = swaps.agree_swap(self.ctx, swap.id, swap.version, confirmed=confirmed)
            notes = [f.message for f in result.warnings]
            text = "\n".join([_("Swap agreed: the two shifts changed hands."), *notes])
        elif answer == "decline":
            swaps.decline_swap(self.ctx, swap.id, swap.version)
            text = _("Swap declined: both shifts stay.")
        else:
            swaps.cancel_swap(self.ctx, swap.id, swap.version)
            text = _("Swap request withdrawn.")
        return messages.SwapAnswered(text)

    @on(messages.SwapAnswered)
    def _answered(self, message: messages.SwapAnswered) -> None:
        message.stop()
        self.changed = True
        self.notify(message.text)
        self.reload()

    @on(ServiceFailed)
    def _not_answered(self, message: ServiceFailed) -> None:
        # Someone else answered first, or the shifts changed since: say so, and show the list
        # as it is now.
        if message.group != messages.SWAP_ANSWER:
            return
        message.stop()
        swap = self.current
        if isinstance(message.error, NeedsConfirmation) and swap is not None:
            # The swap puts someone on a post that needs another kind of person: the person
            # agreeing reads why and says yes again, or it stays waiting.
            def answered(yes: bool | None) -> None:
                if yes:
                    self._answer(swap, "agree", True)

            self.app.push_screen(
                ConfirmScreen(
                    requirement_question(message.error), yes=_("y = agree"), no=_("n = not now")
                ),
                answered,
            )
            return
        self.notify(
            _("Not done: {error}").format(error=messages.reason(message)),
            severity="error",
            timeout=10,
        )
        self.reload()
