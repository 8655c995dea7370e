"""A grid's targets for a period (目标管理), set or changed by its supervisor from the
statistics screen (``t`` on a grid's row): the period, then visits, anti-fraud installs and
disputes resolved. The targets already set for a period that overlaps the one shown are
opened for editing (optimistically locked); otherwise new ones are made."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from policeroom.i18n import N_, _
from policeroom.services.core.context import ServiceContext
from policeroom.services.reports import targets
from policeroom.services.reports.targets import TargetRow
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField, FormScreen
from policeroom.ui.common.workers import service_worker
from policeroom.ui.stats import messages

FIGURES = (
    ("visits", N_("Visits")),
    ("app_installs", N_("Anti-fraud installs")),
    ("disputes_resolved", N_("Disputes resolved")),
)


def overlapping(found: list[TargetRow], start: date, end: date) -> TargetRow | None:
    """The grid's targets whose period shares a day with ``start``–``end`` (at most one: the
    service refuses overlapping periods)."""
    return next((t for t in found if t.period_start <= end and t.period_end >= start), None)


class TargetForm(FormScreen[TargetRow]):
    """Dismissed with the saved ``TargetRow``, or None."""

    first_field = "visits"

    def __init__(
        self, ctx: ServiceContext, grid_id: int, grid_name: str, start: date, end: date
    ) -> None:
        super().__init__(ctx)
        self.grid_id = grid_id
        self.start, self.end = start, end
        self.target: TargetRow | None = None
        self.form_title = _("Targets of {grid}").format(grid=grid_name)

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "period_start",
            _("From"),
            DateInput(self.start, clock=self.ctx.clock, id="target-start"),
            required=True,
        )
        yield FormField(
            "period_end",
            _("To"),
            DateInput(self.end, clock=self.ctx.clock, id="target-end"),
            required=True,
        )
        for name, words in FIGURES:
            yield FormField(
                name,
                _(words),
                Input("0", type="integer", compact=True, id=f"target-{name}"),
                required=True,
            )

    def on_mount(self) -> None:
        super().on_mount()
        self._load()

    @service_worker(messages.TARGETS)
    def _load(self) -> messages.TargetsRead:
        return messages.TargetsRead(targets.of_grid(self.ctx, self.grid_id))

    @on(messages.TargetsRead)
    def _fill(self, message: messages.TargetsRead) -> None:
        message.stop()
        self.target = overlapping(message.found, self.start, self.end)
        if self.target is None:
            self.notice(_("No targets for this period yet: new ones are made"))
            return
        found = self.target
        self.query_one("#target-start", DateInput).set_date(found.period_start)
        self.query_one("#target-end", DateInput).set_date(found.period_end)
        for name, _words in FIGURES:
            self.query_one(f"#target-{name}", Input).value = str(getattr(found, name))
        self.notice(
            _("Targets set for {start} – {end}: saving changes them").format(
                start=f"{found.period_start:%Y-%m-%d}", end=f"{found.period_end:%Y-%m-%d}"
            )
        )
        focused = self.focused
        if isinstance(focused, Input):
            # the figure shown is the program's: the first key types over it (as on entry)
            focused.select_all()
        self.call_after_refresh(self.mark_clean)

    def submit(self, values: dict[str, Any]) -> TargetRow:
        start, end = values.get("period_start"), values.get("period_end")
        figures = {name: values.get(name) for name, _words in FIGURES}
        if self.target is None:
            return targets.set_target(self.ctx, self.grid_id, start, end, figures)
        return targets.update_target(
            self.ctx, self.target.id, self.target.version, start, end, figures
        )
