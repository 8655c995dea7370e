"""The duty-roster pane (值班): the week of a police room, who is on duty now, and the roster's
own work (shifts, leave, swaps, patterns, the 1-3-5 log, printing) a key away.

The pane shows the room of the grid selected in the tree (the nearest room up the tree), or
one chosen with ``r``. It reads in a worker thread; the screens it opens save through the
services and the pane reads again when they close.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from policeroom.i18n import _, ngettext
from policeroom.services.core.context import ServiceContext
from policeroom.services.duty import roster, shifts
from policeroom.services.duty import views as roster_views
from policeroom.services.duty.coverage import week_of
from policeroom.services.duty.roster import OnDuty, RoomRow, WeekBy, WeekCell, WeekRow, WeekView
from policeroom.services.duty.shifts import LeaveRow
from policeroom.services.duty.swaps import SwapRow
from policeroom.services.org import grids
from policeroom.ui.duty import roster_actions
from policeroom.ui.duty.on_duty import OnDutyPanel
from policeroom.ui.duty.week_grid import WeekGrid, cell_detail

READ_GROUP = "roster-read"
# Wide enough for the week in full with the on-duty list beside it (the pane maximised at 200).
BESIDE_WIDTH = 150
# ``[`` and ``]`` share one place in the footer.
WEEK_KEYS = Binding.Group(_("Week"), compact=False)


@dataclass(frozen=True)
class RosterRead:
    """What one read of the pane found."""

    room_id: int | None
    room_name: str
    rooms: tuple[RoomRow, ...]
    on_duty: tuple[OnDuty, ...]
    week: WeekView
    swaps: tuple[SwapRow, ...]
    leaves: tuple[LeaveRow, ...]

    @property
    def swapping(self) -> frozenset[int]:
        return frozenset(
            shift_id for swap in self.swaps for shift_id in (swap.shift_a.id, swap.shift_b.id)
        )

    def room(self, room_id: int | None) -> RoomRow | None:
        return next((room for room in self.rooms if room.id == room_id), None)


@dataclass(frozen=True)
class _Request:
    grid_id: int | None
    follow_grid: bool
    room_id: int | None
    week_start: date
    by: WeekBy


def _binding(key: str, action: str, description: str, tooltip: str, id: str, **kw: Any) -> Binding:
    return Binding(key, action, description, tooltip=tooltip, id=f"roster.{id}", **kw)


class RosterPane(Vertical):
    """The week by post (or person) with gaps marked, on-duty list, and the roster's keys."""

    ALLOW_MAXIMIZE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        # The footer at 80 columns shows the first few keys: the edits come first, as the
        # moving-around keys are also in the help screen and the palette.
        _binding("e", "edit_shift", _("Edit"), _("Change the shift: person or times"), "edit"),
        _binding("n", "new_shift", _("New shift"), _("Add a shift on this day"), "new", show=False),
        _binding("f", "fill_gap", _("Fill gap"), _("Put someone on the gap of this cell"), "fill"),
        _binding("l", "leave", _("Time off"), _("Put an officer on leave"), "leave"),
        _binding("s", "swap", _("Swap"), _("Ask to swap this shift with someone else's"), "swap"),
        _binding(
            "left_square_bracket",
            "week(-1)",
            _("Week before"),
            _("Show the week before"),
            "previous-week",
            group=WEEK_KEYS,
        ),
        _binding(
            "right_square_bracket",
            "week(1)",
            _("Week after"),
            _("Show the week after"),
            "next-week",
            group=WEEK_KEYS,
        ),
        _binding(
            "ctrl+left",
            "week(-1)",
            _("Week before"),
            _("Show the week before"),
            "previous-week-arrow",
            show=False,
        ),
        _binding(
            "ctrl+right",
            "week(1)",
            _("Week after"),
            _("Show the week after"),
            "next-week-arrow",
            show=False,
        ),
        _binding("t", "this_week", _("This week"), _("Back to this week"), "today"),
        _binding("r", "pick_room", _("Room"), _("Show another police room"), "room"),
        _binding(
            "v", "toggle_by", _("Posts/people"), _("Rows by post or by person"), "by", show=False
        ),
        _binding(
            "o", "toggle_now", _("On duty"), _("Who is on duty now, with phone numbers"), "now"
        ),
        _binding("z", "zoom", _("Zoom"), _("Give the roster the whole screen, or back"), "zoom"),
        _binding("w", "swaps", _("Swaps"), _("Swaps waiting for an answer"), "swaps", show=False),
        _binding(
            "a", "alerts", _("Alerts"), _("Under strength in the next 7 days"), "alerts", show=False
        ),
        _binding(
            "c", "checks", _("Checks"), _("Every check of the week shown"), "checks", show=False
        ),
        _binding(
            "g",
            "generate",
            _("Generate"),
            _("Make shifts from the patterns for a period"),
            "generate",
            show=False,
        ),
        _binding(
            "P",
            "patterns",
            _("Patterns"),
            _("Posts and their recurring shifts"),
            "patterns",
            show=False,
        ),
        _binding(
            "5",
            "response_log",
            _("1-3-5 log"),
            _("Calls and the 1-3-5 response times"),
            "response",
            show=False,
        ),
        _binding(
            "p",
            "print",
            _("Print"),
            _("Write the week to a text, HTML or XLSX file"),
            "print",
            show=False,
        ),
    ]

    def __init__(self, ctx: ServiceContext, *, id: str | None = "roster") -> None:
        super().__init__(id=id, classes="pane")
        self.ctx = ctx
        self.grid_id: int | None = None
        self.follow_grid = True
        self.room_id: int | None = ctx.actor.police_room_id
        self.week_start = week_of(ctx.clock.today())
        self.by: WeekBy = "post"
        self.show_now: bool | None = None
        self.border_title = _("Duty roster")
        self.last_read: RosterRead | None = None
        self.row: WeekRow | None = None
        self.cell: WeekCell | None = None
        self._target: tuple[int, date] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="roster-status")
        with Horizontal(id="roster-body"):
            yield WeekGrid(id="roster-grid")
            yield OnDutyPanel(id="roster-on-duty")
        yield Static("", id="roster-detail")

    @property
    def grid(self) -> WeekGrid:
        return self.query_one(WeekGrid)

    @property
    def on_duty(self) -> OnDutyPanel:
        return self.query_one(OnDutyPanel)

    def focus(self, scroll_visible: bool = True) -> RosterPane:
        target = self.on_duty if self.now_alone else self.grid
        # At once rather than on the next message (``Widget.focus``): the main screen calls
        # this after a refresh already, and a key pressed meanwhile must find the grid.
        self.screen.set_focus(target, scroll_visible=scroll_visible)
        return self

    def on_mount(self) -> None:
        self._arrange()
        self.reload()

    # --- what is shown ----------------------------------------------------------------

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

    def _arrange(self) -> None:
        self.set_class(self.beside, "-beside")
        self.set_class(self.now_shown, "-now")
        self.set_class(self.now_alone, "-now-alone")

    def on_resize(self) -> None:
        self._arrange()

    def filter_grid(self, grid_id: int | None) -> None:
        """Show the room of ``grid_id`` (None: the user's own room, or every room for HQ)."""
        self.grid_id = grid_id
        self.follow_grid = True
        self.reload()

    def reload(self) -> None:
        if self.last_read is None:
            self.query_one("#roster-status", Static).update(Text(_("Reading …")))
        self._read(_Request(self.grid_id, self.follow_grid, self.room_id, self.week_start, self.by))

    @work(thread=True, exclusive=True, group=READ_GROUP, exit_on_error=False)
    def _read(self, request: _Request) -> RosterRead:
        room_id = request.room_id
        if request.follow_grid:
            found = grids.room_of_grid(self.ctx, request.grid_id)
            if found is not None:
                room_id = found
            elif request.grid_id is None:
                room_id = self.ctx.actor.police_room_id
        rooms = self.last_read.rooms if self.last_read else tuple(roster_views.rooms_for(self.ctx))
        view = roster.week(self.ctx, room_id, request.week_start, request.by)
        monday = view.week_start
        return RosterRead(
            room_id,
            view.room_name,
            rooms,
            tuple(roster.on_duty_now(self.ctx, room_id)),
            view,
            tuple(roster_views.pending_swaps(self.ctx, room_id)),
            tuple(shifts.leaves(self.ctx, room_id, monday, monday + timedelta(days=6))),
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != READ_GROUP or event.worker.node is not self:
            return
        event.stop()
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, RosterRead):
            self._show(event.worker.result)
        elif event.state == WorkerState.ERROR:
            self.query_one("#roster-status", Static).update(
                Text(_("Could not read the roster: {error}").format(error=event.worker.error))
            )

    def prefixes(self, room_id: int | None) -> tuple[str, ...]:
        """Names a post's name may start with (its room's, its station's), to shorten it."""
        found = self.last_read.room(room_id) if self.last_read else None
        return (found.name, found.station_name) if found else ()

    def _show(self, found: RosterRead) -> None:
        self.last_read = found
        self.room_id = found.room_id
        view = found.week
        self.border_subtitle = found.room_name
        self.set_class(bool(view.gaps), "-gaps")
        self.grid.show_week(
            view,
            today=self.ctx.clock.today(),
            swapping=found.swapping,
            room_names={
                room.id: (f"{room.code} {room.name}", room.name, room.station_name)
                for room in found.rooms
            },
            target=self._target,
        )
        self._target = None
        self.on_duty.show(found.on_duty, self.ctx.clock.now(), self.prefixes(found.room_id))
        self.query_one("#roster-status", Static).update(self.status_text(found))
        self.refresh_bindings()

    def status_text(self, found: RosterRead) -> Text:
        view = found.week
        last = view.days[-1]
        text = Text(f"{view.week_start.month}/{view.week_start.day}–{last.month}/{last.day}")
        if view.week_start == week_of(self.ctx.clock.today()):
            text.append(" " + _("this week"))
        text.append(" · ")
        text.append(_("by post") if view.by == "post" else _("by person"))
        gaps = len(view.gaps)
        if gaps:
            text.append(" · ")
            text.append(ngettext("{n} gap", "{n} gaps", gaps).format(n=gaps), style="bold reverse")
        if found.swaps:
            text.append(" · ")
            text.append(
                ngettext("{n} swap waiting", "{n} swaps waiting", len(found.swaps)).format(
                    n=len(found.swaps)
                ),
                style="bold",
            )
        if found.leaves:
            text.append(" · ")
            text.append(
                ngettext("{n} on leave", "{n} on leave", len(found.leaves)).format(
                    n=len(found.leaves)
                )
            )
        return text

    @on(WeekGrid.CellHighlighted)
    def _cell_moved(self, event: WeekGrid.CellHighlighted) -> None:
        self.row, self.cell = event.row, event.cell
        detail = self.query_one("#roster-detail", Static)
        view = self.last_read.week if self.last_read else None
        if view is None or event.row is None or event.cell is None:
            detail.update("")
        else:
            text = cell_detail(view, event.row, event.cell)
            away = self._leave_on(event.cell.day)
            if away:
                text.append("\n")
                text.append(_("On leave: {names}").format(names="、".join(away)))
            detail.update(text)
        self.refresh_bindings()

    def _leave_on(self, day: date) -> list[str]:
        if self.last_read is None:
            return []
        return [
            leave.staff_name
            for leave in self.last_read.leaves
            if leave.starts_on <= day <= leave.ends_on
        ]

    @on(WeekGrid.CellChosen)
    def _cell_chosen(self, event: WeekGrid.CellChosen) -> None:
        event.stop()
        self.action_edit_shift()

    # --- moving around ----------------------------------------------------------------

    def action_week(self, step: int) -> None:
        self.week_start = self.week_start + timedelta(days=7 * step)
        self._keep_day(step)
        self.reload()

    def _keep_day(self, step: int) -> None:
        if self.row is not None and self.cell is not None:
            self._target = (self.row.id, self.cell.day + timedelta(days=7 * step))

    def action_this_week(self) -> None:
        self.week_start = week_of(self.ctx.clock.today())
        if self.row is not None:
            self._target = (self.row.id, self.ctx.clock.today())
        self.reload()

    def action_toggle_by(self) -> None:
        self.by = "staff" if self.by == "post" else "post"
        self.reload()

    def action_toggle_now(self) -> None:
        self.show_now = not self.now_shown
        self._arrange()
        if self.has_focus_within:
            self.focus()

    def action_zoom(self) -> None:
        screen = self.screen
        if screen.maximized is self:
            screen.minimize()
        else:
            screen.maximize(self, container=False)
        self.call_after_refresh(self.focus)

    def show_room(self, room_id: int | None) -> None:
        """Show ``room_id`` (None: every room) until another grid is selected in the tree."""
        self.room_id = room_id
        self.follow_grid = False
        self.reload()

    def jump(self, room_id: int | None, day: date, row_id: int | None, by: WeekBy = "post") -> None:
        """Show the week of ``day`` in ``room_id``, the cursor on ``row_id`` that day."""
        self.room_id = room_id
        self.follow_grid = False
        self.by = by
        self.week_start = week_of(day)
        self._target = (row_id, day) if row_id is not None else None
        self.reload()

    def action_pick_room(self) -> None:
        roster_actions.pick_room(self)

    # --- the roster's work (screens of their own) -------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        writes = {"edit_shift", "new_shift", "fill_gap", "leave", "swap", "generate"}
        if action in writes and not self.ctx.actor.can_write:
            return None
        cell = self.cell
        if action == "edit_shift":
            return True if cell is not None and cell.shifts else None
        if action == "fill_gap":
            return True if self.by == "post" and cell is not None and cell.gap else None
        if action == "swap":
            now = self.ctx.clock.now()
            takeable = cell is not None and any(
                not s.vacant and s.starts_at > now for s in cell.shifts
            )
            return True if takeable else None
        if action == "new_shift":
            return True if cell is not None else None
        if action == "pick_room":
            return True if self.last_read is None or len(self.last_read.rooms) > 1 else None
        return True

    def action_edit_shift(self) -> None:
        roster_actions.edit_shift(self)

    def action_new_shift(self) -> None:
        roster_actions.new_shift(self)

    def action_fill_gap(self) -> None:
        roster_actions.fill_gap(self)

    def action_leave(self) -> None:
        roster_actions.put_on_leave(self)

    def action_swap(self) -> None:
        roster_actions.request_swap(self)

    def action_swaps(self) -> None:
        roster_actions.answer_swaps(self)

    def action_alerts(self) -> None:
        roster_actions.alerts(self)

    def action_checks(self) -> None:
        roster_actions.week_checks(self)

    def action_generate(self) -> None:
        roster_actions.generate(self)

    def action_patterns(self) -> None:
        roster_actions.patterns(self)

    def action_response_log(self) -> None:
        roster_actions.response_log(self)

    def action_print(self) -> None:
        roster_actions.print_week(self)
