"""Confirm a police room's weekly dispute sweep (排查): the disputes found, or a nil report
(零报告). The form reads the rooms itself and names those that have not confirmed the week
that is due."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select, Static

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError
from policeroom.services.disputes import sweeps
from policeroom.services.disputes.sweeps import RoomBrief, SweepRow
from policeroom.services.org import structure as org
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField
from policeroom.ui.common.workers import service_worker
from policeroom.ui.disputes import messages
from policeroom.ui.disputes.dispute_dialog import LedgerForm


def missing_text(week: date, missing: list[RoomBrief]) -> Text:
    if not missing:
        return Text(
            _("Every police room has confirmed the week of {d}.").format(d=week.isoformat())
        )
    names = "、".join(room.name for room in missing)
    return Text(
        _("Not yet confirmed for the week of {d}: {rooms}").format(d=week.isoformat(), rooms=names)
    )


def confirmed_text(row: SweepRow) -> str:
    """What the desk says once a sweep is confirmed."""
    return _("Sweep of the week of {d} confirmed for {room}.").format(
        d=row.week_start.isoformat(), room=row.police_room_name
    )


class SweepForm(LedgerForm[SweepRow]):
    """Dismissed with the confirmed sweep, or None. ``police_room_id`` preselects a room,
    ``week_start`` a week (else the last one that has fully passed)."""

    def __init__(
        self,
        ctx: ServiceContext,
        police_room_id: int | None = None,
        week_start: date | None = None,
    ) -> None:
        super().__init__(ctx)
        self.police_room_id = police_room_id or ctx.actor.police_room_id
        self.week_start = week_start or sweeps.last_completed_week(ctx.clock.today())
        self.form_title = _("Weekly dispute sweep")

    def compose_fields(self) -> ComposeResult:
        yield Static("", id="sweep-missing")
        yield FormField(
            "police_room_id",
            _("Police room"),
            Select[int]([], prompt=_("choose the room"), compact=True, id="sweep-room"),
            required=True,
        )
        yield FormField(
            "week_start",
            _("Week of"),
            DateInput(
                self.week_start,
                clock=self.ctx.clock,
                id="sweep-week",
            ),
            hint=_("The Monday the week starts"),
        )
        yield FormField(
            "nil_report",
            _("Nil report"),
            Checkbox(_("no disputes were found (零报告)"), compact=True, id="sweep-nil"),
        )
        yield FormField(
            "disputes_found",
            _("Found"),
            Input("0", type="integer", compact=True, id="sweep-found"),
            hint=_("How many disputes the sweep found"),
        )
        yield FormField("notes", _("Notes"), Input(compact=True, id="sweep-notes"))

    def on_mount(self) -> None:
        self._load()

    @service_worker(messages.SWEEP_LOAD)
    def _load(self) -> messages.SweepsRead:
        week, missing = sweeps.missing_rooms(self.ctx)
        return messages.SweepsRead(org.list_rooms(self.ctx), week, missing)

    @on(messages.SweepsRead)
    def _fill(self, loaded: messages.SweepsRead) -> None:
        loaded.stop()
        select: Select[int] = self.query_one("#sweep-room", Select)
        select.set_options((Text(f"{room.code} {room.name}"), room.id) for room in loaded.rooms)
        wanted = self.police_room_id
        if wanted is None and loaded.missing:
            wanted = loaded.missing[0].id
        if wanted is not None:
            select.value = wanted
        self.query_one("#sweep-missing", Static).update(missing_text(loaded.week, loaded.missing))
        self.mark_clean()

    @on(Checkbox.Changed, "#sweep-nil")
    def _nil(self, event: Checkbox.Changed) -> None:
        if event.value:
            self.query_one("#sweep-found", Input).value = "0"
        self.field("disputes_found").display = not event.value

    def check(self, values: dict[str, Any]) -> list[FieldError]:
        problems = super().check(values)
        found = str(values.get("disputes_found") or "0").strip()
        if not found.isdigit():
            problems.append(FieldError("disputes_found", _("a whole number, 0 or more")))
        return problems

    def submit(self, values: dict[str, Any]) -> SweepRow:
        week = self.field("week_start").control
        assert isinstance(week, DateInput) and week.date is not None
        return sweeps.confirm_sweep(
            self.ctx,
            values["police_room_id"],
            week.date,
            disputes_found=int(str(values.get("disputes_found") or "0").strip() or 0),
            nil_report=bool(values.get("nil_report")),
            notes=str(values.get("notes") or ""),
        )
