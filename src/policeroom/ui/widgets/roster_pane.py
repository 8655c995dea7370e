"""The duty-roster pane (值班): who is on duty now and the week of the selected grid's room.

Only a reading view: the roster's own workflows (editing shifts, leave, swaps) are screens of
their own that extend this pane.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from policeroom.i18n import _
from policeroom.services import grids, roster
from policeroom.services.context import ServiceContext
from policeroom.services.coverage import week_of
from policeroom.services.roster import OnDuty, WeekView
from policeroom.ui.widgets.header_bar import WEEKDAYS

READ_GROUP = "roster-read"


@dataclass(frozen=True)
class RosterRead:
    """What one read of the pane found."""

    room_name: str
    on_duty: tuple[OnDuty, ...]
    week: WeekView


def room_of_grid(ctx: ServiceContext, grid_id: int | None) -> int | None:
    """The police room answering for a grid: its own, else the nearest ancestor's."""
    if grid_id is None:
        return None
    node = grids.get(ctx, grid_id)
    if node.police_room_id is not None:
        return node.police_room_id
    ancestors = [int(part) for part in node.path.strip("/").split("/")[:-1] if part]
    for ancestor in reversed(ancestors):
        room = grids.get(ctx, ancestor).police_room_id
        if room is not None:
            return room
    return None


class RosterPane(Vertical):
    """On duty now, then the week by post, for the room of the selected grid (or all)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left_square_bracket",
            "week(-1)",
            _("Week before"),
            tooltip=_("Show the week before"),
            id="roster.previous-week",
        ),
        Binding(
            "right_square_bracket",
            "week(1)",
            _("Week after"),
            tooltip=_("Show the week after"),
            id="roster.next-week",
        ),
        Binding(
            "t", "this_week", _("This week"), tooltip=_("Back to this week"), id="roster.today"
        ),
    ]

    def __init__(self, ctx: ServiceContext, *, id: str | None = "roster") -> None:
        super().__init__(id=id, classes="pane")
        self.ctx = ctx
        self.grid_id: int | None = None
        self.week_start = week_of(ctx.clock.today())
        self.border_title = _("Duty roster")
        self.last_read: RosterRead | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="roster-now")
        yield DataTable(id="roster-week", cursor_type="row", zebra_stripes=False)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#roster-week", DataTable)

    def focus(self, scroll_visible: bool = True) -> RosterPane:
        self.table.focus(scroll_visible)
        return self

    def on_mount(self) -> None:
        self.reload()

    def filter_grid(self, grid_id: int | None) -> None:
        """Show the room of ``grid_id`` (None: every room)."""
        self.grid_id = grid_id
        self.reload()

    def reload(self) -> None:
        if self.last_read is None:
            self.query_one("#roster-now", Static).update(Text(_("Reading …"), style="dim"))
        self._read(self.grid_id, self.week_start)

    @work(thread=True, exclusive=True, group=READ_GROUP, exit_on_error=False)
    def _read(self, grid_id: int | None, week_start: date) -> RosterRead:
        room_id = room_of_grid(self.ctx, grid_id)
        view = roster.week(self.ctx, room_id, week_start)
        on_duty = tuple(roster.on_duty_now(self.ctx, room_id))
        return RosterRead(view.room_name, on_duty, view)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != READ_GROUP or event.worker.node is not self:
            return
        event.stop()
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, RosterRead):
            self._show(event.worker.result)
        elif event.state == WorkerState.ERROR:
            self.query_one("#roster-now", Static).update(
                Text(_("Could not read the roster: {error}").format(error=event.worker.error))
            )

    def _show(self, found: RosterRead) -> None:
        self.last_read = found
        view = found.week
        self.border_subtitle = found.room_name or _("all police rooms")
        now = self.query_one("#roster-now", Static)
        if found.on_duty:
            lines = Text(_("On duty now:"), style="bold")
            for duty in found.on_duty[:4]:
                lines.append("\n")
                lines.append(f"{duty.until:%H:%M} ", style="dim")
                lines.append(Text(f"{duty.post_name} {duty.staff_name} {duty.phone}"))
            if len(found.on_duty) > 4:
                lines.append("\n")
                lines.append(_("and {n} more").format(n=len(found.on_duty) - 4), style="dim")
            now.update(lines)
        else:
            now.update(Text(_("Nobody is on duty now."), style="dim"))
        self.set_class(bool(view.gaps), "-gaps")
        table = self.table
        table.clear(columns=True)
        table.add_column(
            Text(_("Week of {day}").format(day=f"{view.week_start:%m-%d}")), key="post"
        )
        for day in view.days:
            table.add_column(Text(f"{_(WEEKDAYS[day.weekday()])} {day:%d}"), key=day.isoformat())
        for row in view.rows:
            cells = [Text(row.label, no_wrap=True)]
            for cell in row.cells:
                names = "、".join(shift.short_name for shift in cell.shifts)
                cells.append(Text(names or "—", style="reverse" if cell.gap else ""))
            table.add_row(*cells, key=str(row.id))
        if not view.rows:
            table.add_row(Text(_("No posts")), *[Text("") for _day in view.days])

    def action_week(self, step: int) -> None:
        self.week_start = self.week_start + timedelta(days=7 * step)
        self.reload()

    def action_this_week(self) -> None:
        self.week_start = week_of(self.ctx.clock.today())
        self.reload()
