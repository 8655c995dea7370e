"""One police room's week as the roster pane shows it (周排班表): a status line, the week grid
with who is on duty now beside it or instead of it, and the cell under the cursor in words.

The room, the week and the rows (by post or by person) are reactives: whatever changes them,
the week is read again in a worker, once for everything one key changed. This widget's keys
open the lists and tools of the room and week shown: waiting swaps, alerts, checks,
generating shifts, recurring patterns, the 1-3-5 log and printing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import Static

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.duty import roster, shifts
from policeroom.services.duty import views as roster_views
from policeroom.services.duty.coverage import Finding, week_of
from policeroom.services.duty.patterns import GenerateResult
from policeroom.services.duty.roster import RoomRow, WeekBy, WeekCell, WeekRow
from policeroom.services.duty.views import Printed
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.duty import messages, roster_notes
from policeroom.ui.duty.generate_form import GenerateForm
from policeroom.ui.duty.response_log import ResponseLogScreen
from policeroom.ui.duty.roster_body import RosterBody
from policeroom.ui.duty.roster_checks import RosterChecksScreen, finding_day
from policeroom.ui.duty.roster_keys import ROOM_BINDINGS
from policeroom.ui.duty.roster_patterns import PatternsScreen
from policeroom.ui.duty.roster_print import PrintForm
from policeroom.ui.duty.roster_status import detail_text, status_text
from policeroom.ui.duty.swap_list import SwapsScreen
from policeroom.ui.duty.week_grid import WeekGrid

# The all-rooms week of a branch (58 rooms) is read a page of this many rooms at a time, the
# size of a small station: a key waits for a screenful, not for the branch, and the grid
# reads the next page as its cursor or scroll comes within a screen of the rows read.
FIRST_ROOMS = 4


def first_page(ids: list[int], near: int | None) -> tuple[list[int], tuple[int, ...]]:
    """The rooms (by id, the view's order) the all-rooms week reads first, and the rest: a
    page, or the pages as far as ``near``, the room of the row the cursor stays on (a week
    on or back)."""
    count = FIRST_ROOMS
    if near is not None and near in ids:
        count = max(count, (ids.index(near) // FIRST_ROOMS + 1) * FIRST_ROOMS)
    return ids[:count], tuple(ids[count:])


class RosterWeek(Vertical):
    """The week of ``room_id`` from ``week_start``, rows ``by`` post or person, as last read."""

    BINDINGS: ClassVar[list[BindingType]] = ROOM_BINDINGS

    room_id: var[int | None] = var(None, init=False)
    """The police room shown (None: every room)."""
    week_start: var[date] = var(date.min, init=False)
    """The Monday of the week shown."""
    by: var[WeekBy] = var("post", init=False)
    """Rows by post, or by person."""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.set_reactive(RosterWeek.room_id, ctx.actor.police_room_id)
        self.set_reactive(RosterWeek.week_start, week_of(ctx.clock.today()))
        self.found: messages.RoomWeek | None = None
        self.row: WeekRow | None = None
        self.cell: WeekCell | None = None
        self.target: tuple[int, date] | None = None
        """Where the cursor goes when the next read is shown (row id, day)."""
        self._read_due = False
        # The week (Monday, rows by) whose next page of rooms is being read, if one is.
        self._paging: tuple[date, WeekBy] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="roster-status")
        yield RosterBody(id="roster-body")
        yield Static("", id="roster-detail")

    @property
    def body(self) -> RosterBody:
        return self.query_one(RosterBody)

    @property
    def grid(self) -> WeekGrid:
        return self.body.grid

    # --- reading ----------------------------------------------------------------------

    def watch_room_id(self) -> None:
        self.reload()

    def watch_week_start(self) -> None:
        self.reload()

    def watch_by(self) -> None:
        self.reload()

    def jump(self, room_id: int | None, day: date, row_id: int | None, by: WeekBy = "post") -> None:
        """Show the week of ``day`` in ``room_id``, the cursor on ``row_id`` that day."""
        self.target = (row_id, day) if row_id is not None else None
        self.room_id, self.by, self.week_start = room_id, by, week_of(day)
        self.reload()  # a jump follows a change: read even when the week shown is the same

    def reload(self) -> None:
        """Read the week again, once for whatever one key changed (a jump: room, rows, week).

        Nothing reads it at mount: the pane asks once it is told which grid it shows, which a
        pane hidden behind its tab is told only when it is shown."""
        if not self._read_due:
            self._read_due = True
            self.call_later(self._read_now)

    def _read_now(self) -> None:
        self._read_due = False
        self._paging = None  # a page on its way belongs to the week shown until now
        if self.found is None:
            self.query_one("#roster-status", Static).update(Text(_("Reading …")))
        rooms = self.found.rooms if self.found else None
        self._read(self.room_id, self.week_start, self.by, rooms, self._target_room())

    def _target_room(self) -> int | None:
        """The room of the row the cursor goes back to, when the week shown has it."""
        found, target = self.found, self.target
        if found is None or target is None or found.week.by != self.by:
            return None
        row = next((row for row in found.week.rows if row.id == target[0]), None)
        return row.police_room_id if row is not None else None

    @service_worker(messages.WEEK)
    def _read(
        self,
        room_id: int | None,
        week_start: date,
        by: WeekBy,
        rooms: tuple[RoomRow, ...] | None,
        near: int | None = None,
    ) -> messages.WeekRead:
        if rooms is None:
            rooms = tuple(roster_views.rooms_for(self.ctx))
        only: list[int] | None = None
        unread: tuple[int, ...] = ()
        if room_id is None and len(rooms) > FIRST_ROOMS:
            only, unread = first_page(sorted(room.id for room in rooms), near)
        view = roster.week(self.ctx, room_id, week_start, by, only)
        monday = view.week_start
        return messages.WeekRead(
            messages.RoomWeek(
                room_id,
                view.room_name,
                rooms,
                tuple(roster.on_duty_now(self.ctx, room_id, only)),
                view,
                tuple(roster_views.pending_swaps(self.ctx, room_id)),
                tuple(shifts.leaves(self.ctx, room_id, monday, monday + timedelta(days=6))),
                unread,
            )
        )

    @on(WeekGrid.NearEnd)
    def _near_end(self, event: WeekGrid.NearEnd) -> None:
        event.stop()
        self._read_next()

    def _read_next(self) -> None:
        """Read the next page of rooms of the all-rooms week, unless one is on its way."""
        found = self.found
        if found is None or found.complete or self._paging is not None or self._read_due:
            return
        self._paging = (found.week.week_start, found.week.by)
        self._read_page(self._paging, found.unread[:FIRST_ROOMS])

    @service_worker(messages.WEEK_PAGE)
    def _read_page(self, week: tuple[date, WeekBy], rooms: tuple[int, ...]) -> messages.WeekPage:
        view = roster.week(self.ctx, None, week[0], week[1], rooms)
        on_duty = tuple(roster.on_duty_now(self.ctx, None, rooms))
        part = messages.RoomWeek(None, view.room_name, (), on_duty, view, (), ())
        return messages.WeekPage(week, rooms, part)

    @on(messages.WeekPage)
    def _page_read(self, message: messages.WeekPage) -> None:
        message.stop()
        found = self.found
        if (
            found is None
            or self._paging != message.week
            or (found.week.week_start, found.week.by) != message.week
            or found.unread[: len(message.rooms)] != message.rooms
        ):
            return  # another week, or rooms, came meanwhile
        self._paging = None
        merged, added = found.with_page(message.rooms, message.part)
        self.found = merged  # at once: the grid may ask for the page after it before the read
        self.post_message(messages.WeekRead(merged, added))

    @on(messages.WeekRead)
    def _show(self, message: messages.WeekRead) -> None:
        # Not stopped: the pane puts the room's name on its border.
        found = self.found = message.found
        today, now = self.ctx.clock.today(), self.ctx.clock.now()
        target = self.target
        if message.added is None:
            self._paging = None
            self.body.show(found, today=today, now=now, target=target)
            rows = found.week.rows
        else:
            self.body.show_more(found, message.added, now=now)
            rows = message.added
            if target is not None and any(row.id == target[0] for row in rows):
                self.grid.go_to(*target)
        if target is not None and not found.complete and all(row.id != target[0] for row in rows):
            self._read_next()  # a jump's row is further down the all-rooms week: read on to it
        else:
            self.target = None
        status = status_text(found, today)
        self.query_one("#roster-status", Static).update(status)
        self.refresh_bindings()

    @on(ServiceFailed)
    def _not_read(self, message: ServiceFailed) -> None:
        if message.group not in (messages.WEEK, messages.WEEK_PAGE):
            return
        message.stop()
        if message.group == messages.WEEK_PAGE:
            self._paging = None  # the grid asks again as its cursor moves on
        self.query_one("#roster-status", Static).update(
            Text(_("Could not read the roster: {error}").format(error=messages.reason(message)))
        )

    @on(WeekGrid.CellHighlighted)
    def _cell_moved(self, event: WeekGrid.CellHighlighted) -> None:
        self.row, self.cell = event.row, event.cell
        detail = detail_text(self.found, event.row, event.cell)
        self.query_one("#roster-detail", Static).update(detail)
        self.refresh_bindings()

    # --- the room's lists and tools ---------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "generate" and not self.ctx.actor.can_write:
            return None
        return True

    def action_swaps(self) -> None:
        self.app.push_screen(SwapsScreen(self.ctx, self.room_id), callback=self._list_closed)

    def action_alerts(self) -> None:
        """Under strength anywhere the user looks after, in the next 7 days."""
        scope = self.ctx.actor.police_room_id
        alerts = RosterChecksScreen(self.ctx, scope, "alerts", room_names=self._room_names())
        self.app.push_screen(alerts, callback=self._finding_chosen)

    def action_checks(self) -> None:
        checks = RosterChecksScreen(
            self.ctx, self.room_id, "week", self.week_start, room_names=self._room_names()
        )
        self.app.push_screen(checks, callback=self._finding_chosen)

    def action_generate(self) -> None:
        form = GenerateForm(self.ctx, self.room_id, self._room_name(), self.week_start)
        self.app.push_screen(form, callback=self._generated)

    def action_patterns(self) -> None:
        patterns = PatternsScreen(self.ctx, self.room_id, self._room_name())
        self.app.push_screen(patterns, callback=self._list_closed)

    def action_response_log(self) -> None:
        self.app.push_screen(ResponseLogScreen(self.ctx, self.room_id, self._room_name()))

    def action_print(self) -> None:
        found = self.found
        room = found.room(self.room_id) if found else None
        form = PrintForm(
            self.ctx,
            self.room_id,
            room.code if room else "",
            room.name if room else "",
            found.week.week_start if found else self.week_start,
        )
        self.app.push_screen(form, callback=self._printed)

    def _list_closed(self, _changed: object) -> None:
        self.reload()

    def _finding_chosen(self, finding: Finding | bool | None) -> None:
        """Back to the week at the finding's day and post (or person)."""
        if not isinstance(finding, Finding):
            self.reload()
            return
        day = finding_day(finding) or self.ctx.clock.today()
        room = finding.police_room_id if finding.police_room_id is not None else self.room_id
        if finding.post_id is not None:
            self.jump(room, day, finding.post_id)
        elif finding.staff_id is not None:
            self.jump(room, day, finding.staff_id, by="staff")
        else:
            self.jump(room, day, None)

    def _generated(self, result: GenerateResult | None) -> None:
        if result is not None:
            self.notify(roster_notes.generated(result), timeout=8)
            self.reload()

    def _printed(self, printed: Printed | None) -> None:
        if printed is not None:
            self.notify(roster_notes.printed(printed), timeout=10)

    def _room_names(self) -> dict[int, str]:
        return {room.id: room.name for room in self.found.rooms} if self.found else {}

    def _room_name(self) -> str:
        return self.found.room_name if self.found and self.room_id is not None else ""
