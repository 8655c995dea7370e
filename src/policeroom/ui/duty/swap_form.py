"""Ask for a swap (换班): this shift for another person's shift in the same police room.

Nothing moves until the other person agrees (on the waiting-swaps screen, ``w``); asking
already runs the checks for both people in their new places and refuses what would clash.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Select, Static

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError
from policeroom.services.duty import swaps
from policeroom.services.duty import views as roster_views
from policeroom.services.duty.roster import CellShift
from policeroom.services.duty.shifts import ShiftRow
from policeroom.services.duty.swaps import SwapResult
from policeroom.ui.common.form_base import FormField
from policeroom.ui.common.workers import service_worker
from policeroom.ui.duty import messages
from policeroom.ui.duty.labels import shift_text, span_text
from policeroom.ui.duty.roster_form import RosterForm


class SwapForm(RosterForm[SwapResult]):
    """The shift being given away is fixed; choose the shift taken in exchange."""

    def __init__(self, ctx: ServiceContext, shift: CellShift) -> None:
        super().__init__(ctx)
        self.shift = shift
        self.form_title = _("Ask {name} to swap …").format(name=shift.staff_name)
        self.candidates: list[ShiftRow] = []

    def compose_fields(self) -> ComposeResult:
        shift = self.shift
        given = Text(span_text(shift.starts_at, shift.ends_at) + " ")
        given.append(shift.post_name)
        given.append(" ")
        given.append(shift.staff_name, style="bold")
        yield Static(given, id="swap-given")
        yield FormField(
            "shift_b_id",
            _("Swap with"),
            Select[int]([], prompt=_("choose a shift"), compact=True, id="swap-other"),
            required=True,
            hint=_("Another person's shift in the same police room, within two weeks"),
        )

    def on_mount(self) -> None:
        super().on_mount()
        self._load()

    @service_worker(messages.SWAP_CANDIDATES)
    def _load(self) -> messages.SwapCandidates:
        return messages.SwapCandidates(roster_views.swap_candidates(self.ctx, self.shift.shift_id))

    @on(messages.SwapCandidates)
    def _fill(self, message: messages.SwapCandidates) -> None:
        message.stop()
        self.candidates = message.shifts
        select: Select[int] = self.query_one("#swap-other", Select)
        select.set_options((shift_text(row), row.id) for row in self.candidates)
        self.mark_clean()

    def submit(self, values: dict[str, Any]) -> SwapResult:
        return swaps.request_swap(
            self.ctx, self.shift.shift_id, values["shift_b_id"], confirmed=self.confirmed
        )

    def show_errors(self, problems: list[FieldError]) -> None:
        # The service names the asking shift ``shift_a_id``; it has no field here, so its
        # message goes under the one field there is.
        moved = [
            FieldError("shift_b_id", p.message) if p.field != "shift_b_id" else p for p in problems
        ]
        super().show_errors(moved)
