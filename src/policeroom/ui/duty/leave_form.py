"""Put an officer on leave (请假). Their shifts in those days turn vacant: the form lists them
before saving, and the week shows them as gaps as soon as it is saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from policeroom.i18n import _, ngettext
from policeroom.labels import choices
from policeroom.models.roster import LeaveCreate, LeaveKind
from policeroom.services.core.context import ServiceContext
from policeroom.services.duty import shifts
from policeroom.services.duty.shifts import LeaveResult, ShiftRow
from policeroom.services.org import staff
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField
from policeroom.ui.common.picker import Picker
from policeroom.ui.common.workers import service_worker
from policeroom.ui.duty import messages
from policeroom.ui.duty.labels import shift_text, staff_options, staff_sorted
from policeroom.ui.duty.roster_form import RosterForm


@dataclass(frozen=True)
class LeaveDraft:
    room_id: int | None
    day: date
    staff_id: int | None = None


class LeaveForm(RosterForm[LeaveResult]):
    """Who, from which day to which day (inclusive), what kind of leave, why."""

    def __init__(self, ctx: ServiceContext, draft: LeaveDraft) -> None:
        super().__init__(ctx)
        self.draft = draft
        self.form_title = _("Put an officer on leave")
        self.vacating: list[ShiftRow] = []

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "staff_id",
            _("Who"),
            Picker[int]([], prompt=_("choose a person"), compact=True, id="leave-staff"),
            required=True,
        )
        yield FormField(
            "starts_on",
            _("First day"),
            DateInput(self.draft.day, clock=self.ctx.clock, id="leave-from"),
        )
        yield FormField(
            "ends_on",
            _("Last day"),
            DateInput(self.draft.day, clock=self.ctx.clock, id="leave-to"),
        )
        yield FormField(
            "kind",
            _("Kind"),
            Select[str](
                [(words, kind.value) for words, kind in choices(LeaveKind)],
                value=LeaveKind.ANNUAL.value,
                allow_blank=False,
                compact=True,
                id="leave-kind",
            ),
        )
        yield FormField("reason", _("Reason"), Input("", compact=True, id="leave-reason"))
        yield Static("", id="leave-preview")

    def on_mount(self) -> None:
        super().on_mount()
        self._load()

    @service_worker(messages.LEAVE_PEOPLE)
    def _load(self) -> messages.LeavePeople:
        found = staff.list_staff(self.ctx, police_room_id=self.draft.room_id, limit=500)
        return messages.LeavePeople(staff_sorted(found))

    @on(messages.LeavePeople)
    def _fill(self, message: messages.LeavePeople) -> None:
        message.stop()
        select: Select[int] = self.query_one("#leave-staff", Select)
        select.set_options(staff_options(message.people))
        if self.draft.staff_id is not None:
            select.value = self.draft.staff_id
            self.mark_clean()
            self.field("starts_on").focus_control()
        self.mark_clean()
        self.preview()

    @on(Select.Changed, "#leave-staff")
    @on(DateInput.Changed)
    def _changed(self) -> None:
        self.preview()

    def preview(self) -> None:
        person = self.field("staff_id").value
        first = self.query_one("#leave-from", DateInput).date
        last = self.query_one("#leave-to", DateInput).date
        if person is None or first is None or last is None or last < first:
            self._show_preview([])
            return
        self._preview(person, first, last)

    @service_worker(messages.LEAVE_PREVIEW)
    def _preview(self, staff_id: int, first: date, last: date) -> messages.LeavePreview:
        return messages.LeavePreview(shifts.leave_vacates(self.ctx, staff_id, first, last))

    @on(messages.LeavePreview)
    def _previewed(self, message: messages.LeavePreview) -> None:
        message.stop()
        self._show_preview(message.shifts)

    def _show_preview(self, found: list[ShiftRow]) -> None:
        self.vacating = found
        preview = self.query_one("#leave-preview", Static)
        if not found:
            preview.update("")
            preview.set_class(False, "-warn")
            return
        text = Text(
            ngettext(
                "{n} shift turns vacant (a gap until someone takes it):",
                "{n} shifts turn vacant (gaps until someone takes them):",
                len(found),
            ).format(n=len(found))
        )
        for row in found:
            text.append("\n  ")
            text.append_text(shift_text(row, with_person=False))
        preview.update(text)
        preview.set_class(True, "-warn")

    def submit(self, values: dict[str, Any]) -> LeaveResult:
        return shifts.add_leave(
            self.ctx,
            LeaveCreate(
                staff_id=values.get("staff_id"),
                starts_on=self.query_one("#leave-from", DateInput).date,
                ends_on=self.query_one("#leave-to", DateInput).date,
                kind=LeaveKind(values.get("kind") or LeaveKind.ANNUAL.value),
                reason=str(values.get("reason") or ""),
            ),
        )
