"""Change one shift (person, times, notes), add one by hand, or fill a gap.

As the person or times are changed, the roster checks run on the draft and are shown under
the fields: a refusal (already on another post, on leave) says what saving would refuse; a
warning (short rest, too many hours a week) says what saving would keep but report. The save
itself goes through ``shifts``, which checks again in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from policeroom.i18n import _
from policeroom.models.roster import ShiftCreate, ShiftUpdate
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError
from policeroom.services.duty import patterns, shifts
from policeroom.services.duty.coverage import Finding
from policeroom.services.duty.roster import CellShift
from policeroom.services.duty.shifts import SavedShift
from policeroom.services.org import staff
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField
from policeroom.ui.common.picker import Picker
from policeroom.ui.common.workers import service_worker
from policeroom.ui.duty import messages
from policeroom.ui.duty.labels import (
    clock_problem,
    clock_text,
    clock_value,
    end_after,
    staff_options,
    staff_sorted,
)
from policeroom.ui.duty.roster_form import RosterForm

STAFF_LIMIT = 500


@dataclass(frozen=True)
class ShiftDraft:
    """What the form opens with: an existing shift, or a new one's post, person, day and times."""

    day: date
    starts: time
    ends: time
    room_id: int | None
    shift: CellShift | None = None
    post_id: int | None = None
    staff_id: int | None = None
    notes: str = ""
    title: str = ""
    hint: str = ""


class ShiftForm(RosterForm[SavedShift]):
    """One shift: its person (blank leaves it vacant), day, start and end, notes."""

    def __init__(self, ctx: ServiceContext, draft: ShiftDraft) -> None:
        super().__init__(ctx)
        self.draft = draft
        self.findings: list[Finding] = []
        shift = draft.shift
        if draft.title:
            self.form_title = draft.title
        elif shift is not None:
            self.form_title = _("Shift: {post} {day}").format(
                post=shift.post_name, day=f"{shift.starts_at:%m-%d}"
            )
        else:
            self.form_title = _("New shift")

    @property
    def editing(self) -> bool:
        return self.draft.shift is not None

    def compose_fields(self) -> ComposeResult:
        draft = self.draft
        if not self.editing:
            yield FormField(
                "post_id",
                _("Post"),
                Picker[int]([], prompt=_("choose a post"), compact=True, id="shift-post"),
                required=True,
            )
        yield FormField(
            "staff_id",
            _("Person"),
            Picker[int]([], prompt=_("(vacant)"), compact=True, id="shift-staff"),
            hint=draft.hint,
        )
        yield FormField("day", _("Day"), DateInput(draft.day, clock=self.ctx.clock, id="shift-day"))
        yield FormField(
            "starts_at",
            _("From"),
            Input(clock_text(draft.starts), compact=True, id="shift-starts"),
            required=True,
        )
        yield FormField(
            "ends_at",
            _("To"),
            Input(clock_text(draft.ends), compact=True, id="shift-ends"),
            required=True,
            hint=_("an end before the start is the next day"),
        )
        yield FormField("notes", _("Notes"), Input(draft.notes, compact=True, id="shift-notes"))
        yield Static("", id="shift-checks")

    def on_mount(self) -> None:
        super().on_mount()
        self._load()

    @service_worker(messages.SHIFT_OPTIONS)
    def _load(self) -> messages.ShiftOptions:
        room = self.draft.room_id
        people = staff_sorted(staff.list_staff(self.ctx, police_room_id=room, limit=STAFF_LIMIT))
        posts = [] if self.editing else patterns.posts(self.ctx, room)
        return messages.ShiftOptions(people, posts)

    @on(messages.ShiftOptions)
    def _fill(self, message: messages.ShiftOptions) -> None:
        message.stop()
        people: Select[int] = self.query_one("#shift-staff", Select)
        people.set_options(staff_options(message.people))
        chosen = self.draft.shift.staff_id if self.draft.shift else self.draft.staff_id
        if chosen is not None and any(row.id == chosen for row in message.people):
            people.value = chosen
        if not self.editing:
            posts: Select[int] = self.query_one("#shift-post", Select)
            posts.set_options((post.name, post.id) for post in message.posts)
            if self.draft.post_id is not None:
                posts.value = self.draft.post_id
        self.mark_clean()
        if self.draft.post_id is not None or self.editing:
            self.field("staff_id").focus_control()
        self.preview()

    # --- checks as the draft changes --------------------------------------------------

    def _draft_times(self) -> tuple[datetime, datetime] | None:
        day = self.query_one(DateInput).date
        starts = clock_value(self.query_one("#shift-starts", Input).value)
        ends = clock_value(self.query_one("#shift-ends", Input).value)
        if day is None or starts is None or ends is None:
            return None
        return end_after(day, starts, ends)

    def _post_id(self) -> int | None:
        if self.draft.shift is not None:
            return self.draft.shift.post_id
        value = self.field("post_id").value
        return value if isinstance(value, int) else None

    @on(Select.Changed)
    @on(Input.Changed)
    @on(DateInput.Changed)
    def _changed(self) -> None:
        # A refusal shown at the fields was about the draft as saved; the checks below now
        # speak for the draft as it is, and a stale message would contradict them.
        if self.field_errors:
            self.clear_errors()
        self.preview()

    def preview(self) -> None:
        times = self._draft_times()
        post_id = self._post_id()
        person = self.field("staff_id").value
        if times is None or post_id is None or person is None:
            self._show_checks([])
            return
        self._preview(post_id, person, times[0], times[1])

    @service_worker(messages.SHIFT_CHECKS)
    def _preview(
        self, post_id: int, staff_id: int, starts_at: datetime, ends_at: datetime
    ) -> messages.ShiftChecks:
        shift_id = self.draft.shift.shift_id if self.draft.shift else None
        return messages.ShiftChecks(
            shifts.preview(self.ctx, post_id, staff_id, starts_at, ends_at, shift_id)
        )

    @on(messages.ShiftChecks)
    def _checked(self, message: messages.ShiftChecks) -> None:
        message.stop()
        self._show_checks(message.findings)

    def _show_checks(self, found: list[Finding]) -> None:
        self.findings = found
        checks = self.query_one("#shift-checks", Static)
        text = Text()
        for finding in found:
            if text:
                text.append("\n")
            mark = "✗ " if finding.refuses else "! "
            text.append(mark + finding.message)
        checks.update(text)
        checks.set_class(any(f.refuses for f in found), "-refuse")
        checks.set_class(bool(found) and not any(f.refuses for f in found), "-warn")

    @property
    def checks_text(self) -> str:
        return "\n".join(f.message for f in self.findings)

    # --- saving -----------------------------------------------------------------------

    def check(self, values: dict[str, Any]) -> list[FieldError]:
        problems = super().check(values)
        for name in ("starts_at", "ends_at"):
            problem = clock_problem(str(values.get(name) or ""))
            if problem and not any(p.field == name for p in problems):
                problems.append(FieldError(name, problem))
        return problems

    def submit(self, values: dict[str, Any]) -> SavedShift:
        day = self.query_one(DateInput).date
        starts = clock_value(str(values["starts_at"]))
        ends = clock_value(str(values["ends_at"]))
        assert day is not None and starts is not None and ends is not None
        starts_at, ends_at = end_after(day, starts, ends)
        person = values.get("staff_id")
        notes = str(values.get("notes") or "")
        shift = self.draft.shift
        if shift is not None:
            return shifts.update_shift(
                self.ctx,
                shift.shift_id,
                ShiftUpdate(staff_id=person, starts_at=starts_at, ends_at=ends_at, notes=notes),
                shift.version,
                confirmed=self.confirmed,
            )
        return shifts.create_shift(
            self.ctx,
            ShiftCreate(
                post_id=values.get("post_id"),
                staff_id=person,
                starts_at=starts_at,
                ends_at=ends_at,
                notes=notes,
            ),
            confirmed=self.confirmed,
        )
