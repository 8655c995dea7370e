"""Log a call under the 1-3-5 mechanism with each tier's dispatch and arrival, or set one
tier's times afterwards.

Times are typed as a clock time (``09:13:20``; the next one after the call) or as minutes
after the call (``+0:50``, ``+3``), which is how a desk officer reads them off the radio log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select

from policeroom.i18n import _
from policeroom.models.roster import ArrivalInput, CallCreate
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import FieldError
from policeroom.services.duty import response
from policeroom.services.duty.response import CallRow, TierRow
from policeroom.services.duty.roster import RoomRow
from policeroom.ui.common.date_input import DateInput
from policeroom.ui.common.form_base import FormField
from policeroom.ui.duty.labels import clock_problem, clock_text, clock_value, moment_after
from policeroom.ui.duty.roster_form import RosterForm

TIME_HINT = "+M:SS / 09:13:20"


def tier_name(tier: TierRow) -> str:
    """``1 min (police room)``."""
    return _("{minutes} min ({force})").format(
        minutes=tier.minutes, force=response.force_label(tier.force)
    )


def _moment_problem(raw: str) -> str:
    if not raw.strip() or moment_after(raw, datetime(2000, 1, 1)) is not None:
        return ""
    return _("write +M:SS after the call, or a time like 09:13:20")


class CallForm(RosterForm[CallRow]):
    """A new call: when, where, what, and per tier when it was sent and on scene."""

    def __init__(
        self,
        ctx: ServiceContext,
        tiers: list[TierRow],
        *,
        police_room_id: int | None,
        rooms: list[RoomRow],
    ) -> None:
        super().__init__(ctx)
        self.tiers = tiers
        self.police_room_id = police_room_id
        self.rooms = rooms
        self.sent: list[int] = []
        self.form_title = _("Log a 1-3-5 call")

    def compose_fields(self) -> ComposeResult:
        now = self.ctx.clock.now()
        yield FormField("day", _("Day"), DateInput(now.date(), clock=self.ctx.clock, id="call-day"))
        yield FormField(
            "called_at",
            _("Called at"),
            Input(clock_text(now.time().replace(microsecond=0)), compact=True, id="call-time"),
            required=True,
        )
        yield FormField(
            "police_room_id",
            _("Police room"),
            Select[int](
                [(f"{room.code} {room.name}", room.id) for room in self.rooms],
                value=self.police_room_id if self.police_room_id is not None else Select.NULL,
                prompt=_("(none)"),
                compact=True,
                id="call-room",
            ),
        )
        yield FormField("summary", _("What"), Input("", compact=True, id="call-summary"))
        for index, tier in enumerate(self.tiers):
            yield FormField(
                f"arrivals-{index}-dispatched_at",
                _("{tier} sent").format(tier=f"{tier.minutes}′"),
                Input("", placeholder=TIME_HINT, compact=True),
            )
            yield FormField(
                f"arrivals-{index}-arrived_at",
                _("{tier} on scene").format(tier=f"{tier.minutes}′"),
                Input("", placeholder=TIME_HINT, compact=True),
            )

    def on_mount(self) -> None:
        super().on_mount()
        # The call is logged as it is taken: now is its time, so the summary comes first.
        self.call_after_refresh(self.field("summary").focus_control)

    def _called_at(self, values: dict[str, Any]) -> datetime | None:
        day = self.query_one("#call-day", DateInput).date
        clock = clock_value(str(values.get("called_at") or ""))
        return datetime.combine(day, clock) if day and clock else None

    def check(self, values: dict[str, Any]) -> list[FieldError]:
        problems = super().check(values)
        problem = clock_problem(str(values.get("called_at") or ""))
        if problem:
            problems.append(FieldError("called_at", problem))
        for name, value in values.items():
            if name.startswith("arrivals-"):
                problem = _moment_problem(str(value or ""))
                if problem:
                    problems.append(FieldError(name, problem))
        return problems

    def submit(self, values: dict[str, Any]) -> CallRow:
        called_at = self._called_at(values)
        assert called_at is not None
        arrivals = []
        sent = []
        for index, tier in enumerate(self.tiers):
            dispatched = str(values.get(f"arrivals-{index}-dispatched_at") or "")
            arrived = str(values.get(f"arrivals-{index}-arrived_at") or "")
            if not (dispatched.strip() or arrived.strip()):
                continue
            sent.append(index)
            arrivals.append(
                ArrivalInput(
                    tier_id=tier.id,
                    dispatched_at=moment_after(dispatched, called_at),
                    arrived_at=moment_after(arrived, called_at),
                )
            )
        self.sent = sent
        return response.log_call(
            self.ctx,
            CallCreate(
                police_room_id=values.get("police_room_id"),
                called_at=called_at,
                summary=str(values.get("summary") or ""),
                arrivals=arrivals,
            ),
        )

    def show_errors(self, problems: list[FieldError]) -> None:
        # The service numbers arrivals as sent (``arrivals.0.arrived_at``); fields are per tier.
        moved = []
        for problem in problems:
            parts = problem.field.split(".")
            if len(parts) == 3 and parts[0] == "arrivals" and parts[1].isdigit():
                position = int(parts[1])
                index = self.sent[position] if position < len(self.sent) else position
                moved.append(FieldError(f"arrivals-{index}-{parts[2]}", problem.message))
            else:
                moved.append(problem)
        super().show_errors(moved)


class ArrivalForm(RosterForm[CallRow]):
    """One tier's dispatch and arrival for a logged call (set, or corrected)."""

    def __init__(self, ctx: ServiceContext, call: CallRow, tiers: list[TierRow]) -> None:
        super().__init__(ctx)
        self.call = call
        self.tiers = tiers
        self.form_title = _("Call at {time}: a tier's times").format(
            time=f"{call.called_at:%m-%d %H:%M:%S}"
        )

    def _first_open(self) -> TierRow | None:
        done = {a.tier_id for a in self.call.arrivals if a.arrived_at is not None}
        return next(
            (t for t in self.tiers if t.id not in done), self.tiers[0] if self.tiers else None
        )

    def compose_fields(self) -> ComposeResult:
        first = self._first_open()
        yield FormField(
            "tier_id",
            _("Tier"),
            Select[int](
                [(tier_name(tier), tier.id) for tier in self.tiers],
                value=first.id if first else Select.NULL,
                allow_blank=first is None,
                compact=True,
                id="arrival-tier",
            ),
            required=True,
        )
        yield FormField(
            "dispatched_at",
            _("Sent"),
            Input("", placeholder=TIME_HINT, compact=True, id="arrival-sent"),
        )
        yield FormField(
            "arrived_at",
            _("On scene"),
            Input("", placeholder=TIME_HINT, compact=True, id="arrival-on-scene"),
        )

    def on_mount(self) -> None:
        super().on_mount()
        self._show_tier(self.field("tier_id").value)
        self.mark_clean()
        self.field("arrived_at").focus_control()

    @on(Select.Changed, "#arrival-tier")
    def _tier_changed(self, event: Select.Changed) -> None:
        self._show_tier(event.value)

    def _show_tier(self, tier_id: object) -> None:
        found = next((a for a in self.call.arrivals if a.tier_id == tier_id), None)
        sent = self.query_one("#arrival-sent", Input)
        on_scene = self.query_one("#arrival-on-scene", Input)
        sent.value = f"{found.dispatched_at:%H:%M:%S}" if found and found.dispatched_at else ""
        on_scene.value = f"{found.arrived_at:%H:%M:%S}" if found and found.arrived_at else ""

    def check(self, values: dict[str, Any]) -> list[FieldError]:
        problems = super().check(values)
        for name in ("dispatched_at", "arrived_at"):
            problem = _moment_problem(str(values.get(name) or ""))
            if problem:
                problems.append(FieldError(name, problem))
        return problems

    def submit(self, values: dict[str, Any]) -> CallRow:
        base = self.call.called_at
        return response.record_arrival(
            self.ctx,
            self.call.id,
            ArrivalInput(
                tier_id=values.get("tier_id"),
                dispatched_at=moment_after(str(values.get("dispatched_at") or ""), base),
                arrived_at=moment_after(str(values.get("arrived_at") or ""), base),
            ),
            self.call.version,
        )
