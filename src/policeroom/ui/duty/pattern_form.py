"""Add or change a recurring shift pattern: a post, maybe a person, a rule and the hours.

The rule is an RFC 5545 RRULE; the presets fill in the common ones ("every day 08:00–20:00",
"Monday, Wednesday, Friday night patrol"), and a rule typed by hand is checked by the patterns
service as it is typed, with the next shifts it would make shown under it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from policeroom.i18n import _
from policeroom.models.roster import PatternCreate
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError
from policeroom.services.duty import patterns
from policeroom.services.duty.patterns import PatternRow
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
    day_text,
    staff_options,
    staff_sorted,
)
from policeroom.ui.duty.pattern_presets import PRESETS, duration_minutes, preset_of
from policeroom.ui.duty.roster_form import RosterForm

CUSTOM = "custom"
PREVIEW_SHIFTS = 4


class PatternForm(RosterForm[PatternRow]):
    """A new pattern of the room's posts, or ``pattern`` to change."""

    def __init__(
        self,
        ctx: ServiceContext,
        police_room_id: int | None,
        *,
        pattern: PatternRow | None = None,
        post_id: int | None = None,
    ) -> None:
        super().__init__(ctx)
        self.police_room_id = police_room_id
        self.pattern = pattern
        self.post_id = pattern.post_id if pattern else post_id
        self.form_title = _("Change the pattern") if pattern else _("New recurring shift")

    def compose_fields(self) -> ComposeResult:
        pattern = self.pattern
        today = self.ctx.clock.today()
        starts = pattern.starts_at if pattern else PRESETS[0].starts
        ends = (
            (
                datetime.combine(today, pattern.starts_at)
                + timedelta(minutes=pattern.duration_minutes)
            ).time()
            if pattern
            else PRESETS[0].ends
        )
        rule = pattern.rrule if pattern else PRESETS[0].rrule
        preset = preset_of(rule, starts, duration_minutes(starts, ends))
        yield FormField(
            "post_id",
            _("Post"),
            Picker[int]([], prompt=_("choose a post"), compact=True, id="pattern-post"),
            required=True,
        )
        yield FormField(
            "staff_id",
            _("Person"),
            Picker[int]([], prompt=_("(nobody: vacant shifts)"), compact=True, id="pattern-staff"),
        )
        yield FormField(
            "preset",
            _("Preset"),
            Select[str](
                [(_(p.label), p.key) for p in PRESETS] + [(_("Your own rule"), CUSTOM)],
                value=preset.key if preset else CUSTOM,
                allow_blank=False,
                compact=True,
                id="pattern-preset",
            ),
        )
        yield FormField(
            "rrule",
            _("Rule (RRULE)"),
            Input(rule, compact=True, id="pattern-rule"),
            required=True,
            hint=_("e.g. FREQ=DAILY or FREQ=WEEKLY;BYDAY=MO,WE,FR (no DTSTART)"),
        )
        yield FormField(
            "starts_at", _("From"), Input(clock_text(starts), compact=True, id="pattern-starts")
        )
        yield FormField(
            "ends_at",
            _("To"),
            Input(clock_text(ends), compact=True, id="pattern-ends"),
            hint=_("an end before the start is the next day"),
        )
        yield FormField(
            "valid_from",
            _("Valid from"),
            DateInput(pattern.valid_from if pattern else today, clock=self.ctx.clock, id="p-from"),
        )
        yield FormField(
            "valid_until",
            _("Valid until"),
            DateInput(
                pattern.valid_until if pattern else None,
                clock=self.ctx.clock,
                required=False,
                id="p-until",
            ),
            hint=_("empty: no end"),
        )
        yield Static("", id="pattern-preview")

    def on_mount(self) -> None:
        super().on_mount()
        self._load()
        self.preview()

    @service_worker(messages.PATTERN_OPTIONS)
    def _load(self) -> messages.PatternOptions:
        return messages.PatternOptions(
            patterns.posts(self.ctx, self.police_room_id),
            staff_sorted(staff.list_staff(self.ctx, police_room_id=self.police_room_id, limit=500)),
        )

    @on(messages.PatternOptions)
    def _fill(self, message: messages.PatternOptions) -> None:
        message.stop()
        posts: Select[int] = self.query_one("#pattern-post", Select)
        posts.set_options((post.name, post.id) for post in message.posts)
        if self.post_id is not None and any(p.id == self.post_id for p in message.posts):
            posts.value = self.post_id
        people: Select[int] = self.query_one("#pattern-staff", Select)
        people.set_options(staff_options(message.people))
        chosen = self.pattern.staff_id if self.pattern else None
        if chosen is not None and any(row.id == chosen for row in message.people):
            people.value = chosen
        self.mark_clean()

    # --- presets and the preview ------------------------------------------------------

    @on(Select.Changed, "#pattern-preset")
    def _preset(self, event: Select.Changed) -> None:
        preset = next((p for p in PRESETS if p.key == event.value), None)
        if preset is None:
            return
        self.query_one("#pattern-rule", Input).value = preset.rrule
        self.query_one("#pattern-starts", Input).value = clock_text(preset.starts)
        self.query_one("#pattern-ends", Input).value = clock_text(preset.ends)

    @on(Input.Changed)
    @on(DateInput.Changed)
    def _typed(self) -> None:
        self.preview()

    def preview(self) -> None:
        """The rule's problem, or the next shifts it would make."""
        box = self.query_one("#pattern-preview", Static)
        rule = self.query_one("#pattern-rule", Input).value
        problem = patterns.rule_problem(rule)
        starts = clock_value(self.query_one("#pattern-starts", Input).value)
        ends = clock_value(self.query_one("#pattern-ends", Input).value)
        first = self.query_one("#p-from", DateInput).date
        until = self.query_one("#p-until", DateInput).date
        box.set_class(bool(problem), "-refuse")
        if problem:
            box.update(Text(problem))
            return
        if starts is None or ends is None or first is None:
            box.update("")
            return
        now = max(self.ctx.clock.now(), datetime.combine(first, time(0)))
        found = patterns.occurrences(rule, starts, first, until, now, now + timedelta(days=62))[
            :PREVIEW_SHIFTS
        ]
        length = timedelta(minutes=duration_minutes(starts, ends))
        text = Text(_("Next shifts:") + " ")
        text.append(
            "; ".join(f"{day_text(m.date())} {m:%H:%M}–{m + length:%H:%M}" for m in found)
            or _("none in the next two months")
        )
        box.update(text)

    # --- saving -----------------------------------------------------------------------

    def check(self, values: dict[str, Any]) -> list[FieldError]:
        problems = super().check(values)
        for name in ("starts_at", "ends_at"):
            problem = clock_problem(str(values.get(name) or ""))
            if problem:
                problems.append(FieldError(name, problem))
        return problems

    def show_errors(self, problems: list[FieldError]) -> None:
        # The length of a shift is typed as its end.
        super().show_errors(
            [
                FieldError("ends_at", p.message) if p.field == "duration_minutes" else p
                for p in problems
            ]
        )

    def submit(self, values: dict[str, Any]) -> PatternRow:
        starts = clock_value(str(values["starts_at"]))
        ends = clock_value(str(values["ends_at"]))
        assert starts is not None and ends is not None
        data = PatternCreate(
            post_id=values.get("post_id"),
            staff_id=values.get("staff_id"),
            rrule=str(values.get("rrule") or ""),
            starts_at=starts,
            duration_minutes=duration_minutes(starts, ends),
            valid_from=self.query_one("#p-from", DateInput).date,
            valid_until=self.query_one("#p-until", DateInput).date,
        )
        if self.pattern is not None:
            return patterns.update_pattern(self.ctx, self.pattern.id, data, self.pattern.version)
        return patterns.create_pattern(self.ctx, data)
