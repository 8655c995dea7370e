"""The duty-roster pane (值班): the week of a police room, who is on duty now, and the roster's
own work (shifts, leave, swaps, patterns, the 1-3-5 log, printing) a key away.

The pane shows the room of the grid selected in the tree (the nearest room up the tree), or
one chosen with ``r``. Its keys move between weeks and rooms and change the shift under the
cursor; the ``RosterWeek`` inside it reads and shows what they ask for, and holds the keys
of the room's lists. The screens save through the services; the week is read again when
they close.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.duty.coverage import week_of
from policeroom.services.duty.roster import CellShift
from policeroom.services.duty.shifts import LeaveResult, SavedShift
from policeroom.services.duty.swaps import SwapResult
from policeroom.services.org import grids
from policeroom.ui.common.workers import service_worker
from policeroom.ui.duty import messages, roster_notes
from policeroom.ui.duty.cell_edits import edit_draft, gap_draft, new_draft, room_of_row, swappable
from policeroom.ui.duty.leave_form import LeaveDraft, LeaveForm
from policeroom.ui.duty.roster_choice import ChoiceScreen, RoomPick, room_choices, shift_choices
from policeroom.ui.duty.roster_keys import PANE_BINDINGS
from policeroom.ui.duty.roster_week import RosterWeek
from policeroom.ui.duty.shift_form import ShiftDraft, ShiftForm
from policeroom.ui.duty.swap_form import SwapForm
from policeroom.ui.duty.week_grid import WeekGrid


class RosterPane(Vertical):
    """The week by post (or person) with gaps marked, on-duty list, and the roster's keys."""

    ALLOW_MAXIMIZE = True
    BINDINGS: ClassVar[list[BindingType]] = PANE_BINDINGS

    def __init__(self, ctx: ServiceContext, *, id: str | None = "roster") -> None:
        super().__init__(id=id, classes="pane")
        self.ctx = ctx
        self.grid_id: int | None = None
        """The grid selected in the tree (None: every grid)."""
        self.week = RosterWeek(ctx)
        self.border_title = _("Duty roster")

    def compose(self) -> ComposeResult:
        yield self.week

    @property
    def last_read(self) -> messages.RoomWeek | None:
        """The week as last read: what the pane shows."""
        return self.week.found

    def focus(self, scroll_visible: bool = True) -> RosterPane:
        # At once rather than on the next message (``Widget.focus``): the main screen calls
        # this after a refresh already, and a key pressed meanwhile must find the grid.
        self.screen.set_focus(self.week.body.focus_target, scroll_visible=scroll_visible)
        return self

    # --- the room of the grid selected in the tree ------------------------------------

    def filter_grid(self, grid_id: int | None) -> None:
        """Show the room of ``grid_id`` (None: the user's own room, or every room for HQ)."""
        self.grid_id = grid_id
        self._follow(grid_id)

    def reload(self) -> None:
        """Read the week on show again."""
        self.week.reload()

    @service_worker(messages.FOLLOW)
    def _follow(self, grid_id: int | None) -> messages.RoomFollowed:
        return messages.RoomFollowed(grid_id, grids.room_of_grid(self.ctx, grid_id))

    @on(messages.RoomFollowed)
    def _room_followed(self, message: messages.RoomFollowed) -> None:
        message.stop()
        if message.room_id is not None:
            self.week.room_id = message.room_id
        elif message.grid_id is None:
            self.week.room_id = self.ctx.actor.police_room_id
        # A grid with no room up the tree leaves the room shown as it is.
        if self.week.found is None:
            self.week.reload()  # the first grid told: the room may be the one set at start

    @on(messages.WeekRead)
    def _week_read(self, message: messages.WeekRead) -> None:
        message.stop()
        self.border_subtitle = message.found.room_name
        self.set_class(bool(message.found.week.gaps), "-gaps")

    # --- moving around ----------------------------------------------------------------

    def action_week(self, step: int) -> None:
        week = self.week
        if week.row is not None and week.cell is not None:
            week.target = (week.row.id, week.cell.day + timedelta(days=7 * step))
        week.week_start += timedelta(days=7 * step)

    def action_days(self, step: int) -> None:
        self.week.grid.move_days(step)

    def action_this_week(self) -> None:
        week, today = self.week, self.ctx.clock.today()
        if week.row is not None:
            week.target = (week.row.id, today)
        week.week_start = week_of(today)
        week.reload()  # this week already: the cursor still goes back to today

    def action_toggle_by(self) -> None:
        self.week.by = "staff" if self.week.by == "post" else "post"

    def action_toggle_now(self) -> None:
        body = self.week.body
        body.show_now = not body.now_shown
        if self.has_focus_within:
            self.focus()

    def action_zoom(self) -> None:
        screen = self.screen
        if screen.maximized is self:
            screen.minimize()
        else:
            screen.maximize(self, container=False)
        self.call_after_refresh(self.focus)

    def action_pick_room(self) -> None:
        found = self.week.found
        if found is None:
            return
        choices = room_choices(found.rooms, every_room=self.ctx.actor.police_room_id is None)
        shown = next((i for i, c in enumerate(choices) if c.value.room_id == self.week.room_id), 0)
        # One room (a desk officer's) still opens the picker: a key that did nothing left
        # the room code typed after it to act on the week (``1`` went to the tree).
        note = _("Your login sees this police room only") if len(choices) == 1 else ""
        picker = ChoiceScreen(_("Police room"), choices, highlight=shown, typed=True, note=note)
        self.app.push_screen(picker, callback=self._room_chosen)

    def _room_chosen(self, pick: RoomPick | None) -> None:
        if pick is not None:
            self.week.room_id = pick.room_id

    # --- changing the cell under the cursor -------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        writes = {"edit_shift", "new_shift", "fill_gap", "leave", "swap"}
        if action in writes and not self.ctx.actor.can_write:
            return None
        week, cell = self.week, self.week.cell
        if action == "edit_shift":
            return True if cell is not None and cell.shifts else None
        if action == "fill_gap":
            return True if week.by == "post" and cell is not None and cell.gap else None
        if action == "swap":
            return True if swappable(cell, self.ctx.clock.now()) else None
        if action == "days":
            step = parameters[0] if parameters else 0
            return True if isinstance(step, int) and week.grid.can_move_days(step) else None
        if action == "new_shift":
            return True if cell is not None else None
        return True

    @on(WeekGrid.CellChosen)
    def _cell_chosen(self, event: WeekGrid.CellChosen) -> None:
        event.stop()
        self.action_edit_shift()

    def action_edit_shift(self) -> None:
        cell, room = self.week.cell, self._row_room()

        def edit(shift: CellShift) -> None:
            self._open_shift(edit_draft(shift, room))

        if cell is not None:
            self._one_shift(_("Which shift?"), cell.shifts, edit)

    def action_new_shift(self) -> None:
        row, cell = self.week.row, self.week.cell
        if row is not None and cell is not None:
            self._open_shift(new_draft(row, cell, self.week.by, self._row_room()))

    def action_fill_gap(self) -> None:
        """A vacant shift of the cell gets a person; with none, a new shift covers the gap."""
        row, cell, room = self.week.row, self.week.cell, self._row_room()
        if row is None or cell is None or not cell.gap:
            return
        vacant = [shift for shift in cell.shifts if shift.vacant]
        if not vacant:
            self._open_shift(gap_draft(row, cell, room))
            return

        def fill(shift: CellShift) -> None:
            self._open_shift(gap_draft(row, cell, room, shift))

        self._one_shift(_("Which vacant shift?"), vacant, fill)

    def action_leave(self) -> None:
        week = self.week
        day = week.cell.day if week.cell is not None else self.ctx.clock.today()
        person = week.row.id if week.by == "staff" and week.row is not None else None
        draft = LeaveDraft(room_id=self._row_room(), day=day, staff_id=person)
        self.app.push_screen(LeaveForm(self.ctx, draft), callback=self._leave_saved)

    def action_swap(self) -> None:
        takeable = swappable(self.week.cell, self.ctx.clock.now())
        self._one_shift(_("Swap which shift?"), takeable, self._ask_swap)

    def _row_room(self) -> int | None:
        return room_of_row(self.week.row, self.week.room_id)

    def _one_shift(
        self, title: str, shifts: Sequence[CellShift], then: Callable[[CellShift], None]
    ) -> None:
        """``then`` the only shift, or the one chosen from a list."""
        if len(shifts) == 1:
            then(shifts[0])
            return

        def chosen(shift: CellShift | None) -> None:
            if shift is not None:
                then(shift)

        if shifts:
            self.app.push_screen(ChoiceScreen(title, shift_choices(shifts)), callback=chosen)

    def _open_shift(self, draft: ShiftDraft) -> None:
        self.app.push_screen(ShiftForm(self.ctx, draft), callback=self._shift_saved)

    def _ask_swap(self, shift: CellShift) -> None:
        self.app.push_screen(SwapForm(self.ctx, shift), callback=self._swap_asked)

    def _shift_saved(self, saved: SavedShift | None) -> None:
        if saved is not None:
            self.notify(
                roster_notes.shift_saved(saved),
                severity="warning" if saved.warnings else "information",
                timeout=8,
            )
            self.week.reload()

    def _leave_saved(self, result: LeaveResult | None) -> None:
        if result is None:
            return
        if result.vacated:
            # The gaps are the posts': the week turns to posts, on the first shift left vacant.
            first = result.vacated[0]
            self.week.jump(self.week.room_id, first.starts_at.date(), first.post_id)
        else:
            self.week.reload()
        self.notify(
            roster_notes.leave_saved(result),
            severity="warning" if result.vacated else "information",
            timeout=8,
        )

    def _swap_asked(self, result: SwapResult | None) -> None:
        if result is not None:
            self.notify(roster_notes.swap_asked(result), timeout=8)
            self.week.reload()
