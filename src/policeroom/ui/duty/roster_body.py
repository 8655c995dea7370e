"""The week grid and who is on duty now: side by side when the pane is wide enough (the pane
maximised at 200 columns), else the week alone, or the on-duty list alone when asked for."""

from __future__ import annotations

from datetime import date, datetime

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import var
from textual.widget import Widget

from policeroom.services.duty.roster import WeekRow
from policeroom.ui.duty.messages import RoomWeek
from policeroom.ui.duty.on_duty import OnDutyPanel
from policeroom.ui.duty.week_grid import WeekGrid

# Wide enough for the week in full with the on-duty list beside it (the pane maximised at 200).
BESIDE_WIDTH = 150


class RosterBody(Horizontal):
    """``WeekGrid`` and ``OnDutyPanel``; ``show_now`` says whether the list is shown."""

    show_now: var[bool | None] = var(None, init=False)
    """Who is on duty now is shown (None: when there is room for it beside the week)."""

    def compose(self) -> ComposeResult:
        yield WeekGrid(id="roster-grid")
        yield OnDutyPanel(id="roster-on-duty")

    @property
    def grid(self) -> WeekGrid:
        return self.query_one(WeekGrid)

    @property
    def on_duty(self) -> OnDutyPanel:
        return self.query_one(OnDutyPanel)

    @property
    def focus_target(self) -> Widget:
        """What takes the focus: the week, or the on-duty list when it stands alone."""
        return self.on_duty if self.now_alone else self.grid

    @property
    def beside(self) -> bool:
        return self.size.width >= BESIDE_WIDTH

    @property
    def now_shown(self) -> bool:
        return self.beside if self.show_now is None else self.show_now

    @property
    def now_alone(self) -> bool:
        """The on-duty list fills the pane (asked for in a pane too narrow to show both)."""
        return self.now_shown and not self.beside

    def on_mount(self) -> None:
        self._arrange()

    def watch_show_now(self) -> None:
        self._arrange()

    def on_resize(self) -> None:
        self._arrange()

    def _arrange(self) -> None:
        self.set_class(self.beside, "-beside")
        self.set_class(self.now_shown, "-now")
        self.set_class(self.now_alone, "-now-alone")

    def show(
        self, found: RoomWeek, *, today: date, now: datetime, target: tuple[int, date] | None
    ) -> None:
        """Draw the week read, the cursor on ``target`` (else where it was), and who is on
        duty ``now``, posts named without their room's or station's name."""
        self.grid.show_week(
            found.week,
            today=today,
            swapping=found.swapping,
            room_names={
                room.id: (f"{room.code} {room.name}", room.name, room.station_name)
                for room in found.rooms
            },
            target=target,
        )
        room = found.room(found.room_id)
        prefixes = (room.name, room.station_name) if room else ()
        self.on_duty.show(found.on_duty, now, prefixes)

    def show_more(self, found: RoomWeek, added: tuple[WeekRow, ...], *, now: datetime) -> None:
        """The next page of rooms of the all-rooms week read: its rows added below the week
        shown, its people on duty to the list."""
        self.grid.show_more(found.week, added)
        self.on_duty.show(found.on_duty, now, ())
