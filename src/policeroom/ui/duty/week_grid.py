"""The week of a roster as a grid (周排班表): days across, posts or people down.

Its layout (``week_layout``) keeps every name whole: narrower than seven whole days, the
week shows fewer, ``<``/``>`` move the days on show, and ``left``/``right`` past the edge
move them with the cursor. What a cell says is ``week_cells``; the detail line of the pane
spells out the cell under the cursor.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from policeroom.i18n import _
from policeroom.services.duty.roster import WeekCell, WeekRow, WeekView
from policeroom.ui.duty.week_cells import CellStyles, cell_lines, day_label
from policeroom.ui.duty.week_layout import (
    GridLayout,
    Mode,
    fit,
    grid_layout,
    names_need,
    short_label,
    spread,
)


class WeekGrid(DataTable[Text]):
    """A ``WeekView`` drawn as a grid with a cell cursor; it redraws itself when resized."""

    COMPONENT_CLASSES: ClassVar[set[str]] = DataTable.COMPONENT_CLASSES | {
        "week-grid--gap",
        "week-grid--warn",
        "week-grid--leave",
        "week-grid--night",
        "week-grid--vacant",
        "week-grid--swap",
        "week-grid--today",
        "week-grid--room",
        "week-grid--detail",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            _("Open"),
            show=False,
            tooltip=_("Open the shift under the cursor"),
            id="roster.open",
        ),
    ]

    class CellHighlighted(Message):
        """The cursor is on ``cell`` of ``row`` (both None on a room's heading row)."""

        def __init__(self, grid: WeekGrid, row: WeekRow | None, cell: WeekCell | None) -> None:
            super().__init__()
            self.grid = grid
            self.row = row
            self.cell = cell

        @property
        def control(self) -> WeekGrid:
            return self.grid

    class CellChosen(Message):
        """``enter`` on a cell."""

        def __init__(self, grid: WeekGrid, row: WeekRow, cell: WeekCell) -> None:
            super().__init__()
            self.grid = grid
            self.row = row
            self.cell = cell

        @property
        def control(self) -> WeekGrid:
            return self.grid

    class NearEnd(Message):
        """Fewer rows than a screenful are left below the view: a week read a page of rooms
        at a time reads its next page now, a page ahead of the cursor and the scroll."""

        def __init__(self, grid: WeekGrid) -> None:
            super().__init__()
            self.grid = grid

        @property
        def control(self) -> WeekGrid:
            return self.grid

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            id=id,
            classes=classes,
            cursor_type="cell",
            cell_padding=0,
            zebra_stripes=False,
            fixed_columns=1,
        )
        self.view: WeekView | None = None
        self.swapping: frozenset[int] = frozenset()
        self.today: date | None = None
        # room id → (heading, room name, station name): headings in the all-rooms week, and
        # the names a post's name is shortened by.
        self.room_names: dict[int, tuple[str, ...]] = {}
        self.cell_layout: GridLayout | None = None
        self._rows: list[WeekRow | None] = []
        # The days on show when fewer than seven fit: view.days[first : first + shown].
        self.first_day = 0
        self.days_shown = 7

    # --- showing a week ---------------------------------------------------------------

    def show_week(
        self,
        view: WeekView,
        *,
        today: date,
        swapping: frozenset[int] = frozenset(),
        room_names: dict[int, tuple[str, ...]] | None = None,
        target: tuple[int, date] | None = None,
    ) -> None:
        """Draw ``view``; the cursor stays on its row and day, or goes to ``target``."""
        keep = target or self.cursor_target()
        self.view = view
        self.today = today
        self.swapping = swapping
        if room_names is not None:
            self.room_names = room_names
        self._draw(keep)

    def show_more(self, view: WeekView, added: tuple[WeekRow, ...]) -> None:
        """``view`` is the week shown with ``added`` at its end (the next page of rooms): their
        rows are added below, the cursor and the scroll stay; a layout they change (a longer
        name) draws the week again."""
        shown = self.view
        self.view = view
        if shown is None or not shown.rows or self._layout_for(view) != self.cell_layout:
            self._draw(self.cursor_target())
            return
        layout = self.cell_layout
        assert layout is not None
        last = next((row.police_room_id for row in reversed(shown.rows)), -1)
        self._add_rows(view, added, layout, self._styles(), last)
        self.call_after_refresh(self._check_end)

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", self._scrolled, init=False)

    def _scrolled(self, _old: float, _new: float) -> None:
        self._check_end()

    def _check_end(self) -> None:
        if self.view is None or not self.view.rows:
            return
        below = self.virtual_size.height - (self.scroll_offset.y + self.size.height)
        if below < self.size.height:
            self.post_message(self.NearEnd(self))

    def cursor_target(self) -> tuple[int, date] | None:
        """(row id, day) under the cursor, to come back to after a redraw."""
        row, cell = self.current()
        if row is None or cell is None:
            return None
        return row.id, cell.day

    def current(self) -> tuple[WeekRow | None, WeekCell | None]:
        """The row and day cell under the cursor (None, None on a heading or before a week)."""
        coordinate = self.cursor_coordinate
        if not 0 <= coordinate.row < len(self._rows):
            return None, None
        row = self._rows[coordinate.row]
        if row is None:
            return None, None
        column = max(1, coordinate.column)
        index = min(self.first_day + column - 1, len(row.cells) - 1)
        return row, row.cells[index]

    @property
    def shown_days(self) -> tuple[date, ...]:
        """The days with a column now (all seven unless the grid is narrow)."""
        if self.view is None:
            return ()
        return self.view.days[self.first_day : self.first_day + self.days_shown]

    def cell_of(self, row_id: int, day: date) -> WeekCell | None:
        for row in self._rows:
            if row is not None and row.id == row_id:
                for cell in row.cells:
                    if cell.day == day:
                        return cell
        return None

    def cell_text(self, row_id: int, day: date) -> str:
        """The text the grid shows for a cell (what a desk officer reads)."""
        for index, row in enumerate(self._rows):
            if row is not None and row.id == row_id and day in self.shown_days:
                column = self.shown_days.index(day) + 1
                return self.get_cell_at(Coordinate(index, column)).plain
        return ""

    def go_to(self, row_id: int | None, day: date | None) -> None:
        """Put the cursor on the row with ``row_id`` (if shown) and on ``day`` (if shown)."""
        if self.view is None:
            return
        row_index = self.cursor_coordinate.row
        if row_id is not None:
            for index, row in enumerate(self._rows):
                if row is not None and row.id == row_id:
                    row_index = index
                    break
        column = self.cursor_coordinate.column
        if day is not None and day in self.view.days:
            if day not in self.shown_days:
                if row_id is None:
                    row = self.current()[0]
                    row_id = row.id if row is not None else None
                self._draw((row_id, day) if row_id is not None else None, day)
                return
            column = self.shown_days.index(day) + 1
        self.move_cursor(row=row_index, column=max(1, column), animate=False)

    def can_move_days(self, step: int) -> bool:
        """True when fewer than seven days are on show and there are days that way."""
        if self.view is None or self.days_shown >= len(self.view.days):
            return False
        if step < 0:
            return self.first_day > 0
        return self.first_day + self.days_shown < len(self.view.days)

    def move_days(self, step: int) -> None:
        """The days on show move ``step`` days along the week; the cursor keeps its day
        while that is on show, else it stays at the edge the days moved from."""
        view = self.view
        if view is None or not self.can_move_days(step):
            return
        at = self.cursor_coordinate
        row, cell = self.current()
        index = view.days.index(cell.day) if cell is not None else self.first_day
        last = len(view.days) - self.days_shown
        self.first_day = max(0, min(last, self.first_day + step))
        index = max(self.first_day, min(self.first_day + self.days_shown - 1, index))
        day = view.days[index]
        self._draw((row.id, day) if row is not None else None, day)
        if row is None:  # on a room's heading: the cursor stays on it
            self.move_cursor(row=at.row, column=index - self.first_day + 1, animate=False)

    def action_cursor_right(self) -> None:
        self._step_day(1)

    def action_cursor_left(self) -> None:
        self._step_day(-1)

    def _step_day(self, step: int) -> None:
        """Left and right move the cursor a day; past the edge of the days on show the
        days move with it."""
        row, cell = self.current()
        view = self.view
        if view is None or cell is None or row is None:
            if step > 0:
                super().action_cursor_right()
            else:
                super().action_cursor_left()
            return
        index = view.days.index(cell.day) + step
        if 0 <= index < len(view.days):
            self.go_to(row.id, view.days[index])

    def _styles(self) -> CellStyles:
        style = self.get_component_rich_style
        return CellStyles(
            gap=style("week-grid--gap"),
            warn=style("week-grid--warn"),
            leave=style("week-grid--leave"),
            night=style("week-grid--night"),
            vacant=style("week-grid--vacant"),
            swap=style("week-grid--swap"),
        )

    def _window(self, view: WeekView, layout: GridLayout, day: date | None) -> None:
        """How many whole days fit, and from which day, so that ``day`` is on show."""
        width = self._width()
        shown = max(1, min(7, (width - layout.label_width) // layout.day_width))
        self.days_shown = shown
        if shown == 7:
            self.first_day = 0
            return
        if day is not None and day in view.days:
            index = view.days.index(day)
            if index < self.first_day:
                self.first_day = index
            elif index >= self.first_day + shown:
                self.first_day = index - shown + 1
        self.first_day = max(0, min(self.first_day, 7 - shown))

    def _draw(self, target: tuple[int, date] | None, day: date | None = None) -> None:
        view = self.view
        if view is None or not self.is_mounted:
            return
        layout = self._layout_for(view)
        self.cell_layout = layout
        wanted = day or (target[1] if target else None)
        if wanted is None and self.today in view.days:
            wanted = self.today
        self._window(view, layout, wanted)
        days = self.shown_days
        styles = self._styles()
        self.clear(columns=True)
        # Days left out of the week: ``<`` before the first day on show and ``>`` after the
        # last, in the blank cell that ends each column (the keys that bring them).
        earlier, later = self.first_day > 0, self.first_day + len(days) < len(view.days)
        heading = Text(fit(_("Post") if view.by == "post" else _("Name"), layout.label_width - 2))
        if earlier:
            heading.pad_right(layout.label_width - 1 - heading.cell_len)
            heading.append("<", style="bold")
        self.add_column(heading, width=layout.label_width)
        today_style = self.get_component_rich_style("week-grid--today")
        for shown in days:
            label = Text(fit(day_label(shown, layout.mode), layout.content, crop=True))
            if shown == self.today:
                label.stylize(today_style)
            if later and shown == days[-1]:
                label.pad_right(layout.content - label.cell_len)
                label.append(">", style="bold")
            self.add_column(label, width=layout.day_width, key=shown.isoformat())
        self._rows = []
        self._add_rows(view, view.rows, layout, styles, -1)
        if not view.rows:
            self.add_row(Text(_("No posts") if view.by == "post" else _("No staff")))
            self._rows.append(None)
        self._restore(target)
        self.call_after_refresh(self._check_end)

    def _add_rows(
        self,
        view: WeekView,
        rows: tuple[WeekRow, ...],
        layout: GridLayout,
        styles: CellStyles,
        last_room: int | None,
    ) -> None:
        """Add ``rows`` below those shown (the last of a room ``last_room``), each room of
        the all-rooms week under a heading of its own."""
        room_style = self.get_component_rich_style("week-grid--room")
        widths = [layout.label_width] + [layout.day_width] * len(self.shown_days)
        for row in rows:
            if view.police_room_id is None and row.police_room_id != last_room:
                last_room = row.police_room_id
                pieces = spread(self._heading(row, layout.mode), widths)
                self.add_row(
                    *[Text(piece, style=room_style) for piece in pieces],
                    # a person's rooms come back in the all-rooms week by person
                    key=f"room-{row.police_room_id}-{len(self._rows)}",
                )
                self._rows.append(None)
            self._add(view, row, layout, styles)

    def _heading(self, row: WeekRow, mode: Mode = "full") -> str:
        """The room's heading row in the all-rooms week: its code, and its name if room."""
        if row.police_room_id is None:
            return _("Branch and stations")
        names = self.room_names.get(row.police_room_id, ())
        if not names:
            return "—"
        return names[0].split(" ")[0] if mode == "tight" else names[0]

    def _short(self, view: WeekView, row: WeekRow) -> str:
        """A post's label without its room's or station's name (a person's name as it is)."""
        if view.by != "post":
            return row.label
        return short_label(row.label, self.room_names.get(row.police_room_id or 0, ())[1:])

    def _label(self, view: WeekView, row: WeekRow, layout: GridLayout) -> list[Text]:
        width = layout.label_width - 1
        label = self._short(view, row)
        lines = [Text(fit(label, width, crop=layout.mode == "tight"))]
        if layout.mode == "full":
            lines.append(Text(fit(row.detail, width), style="dim"))
        return lines

    def _add(self, view: WeekView, row: WeekRow, layout: GridLayout, styles: CellStyles) -> None:
        label = self._label(view, row, layout)
        # A person's posts are named without the shown room's (or their own room's) name.
        room = view.police_room_id if view.police_room_id is not None else row.police_room_id
        prefixes = self.room_names.get(room or 0, ())[1:]
        cells = [
            cell_lines(view, cell, layout, styles, self.swapping, prefixes)
            for cell in row.cells[self.first_day : self.first_day + self.days_shown]
        ]
        height = max([len(label), *(len(lines) for lines in cells)])
        self.add_row(
            Text("\n").join(label),
            *[Text("\n").join(lines) for lines in cells],
            height=height,
            key=f"{view.by}-{row.id}",
        )
        self._rows.append(row)

    def _restore(self, target: tuple[int, date] | None) -> None:
        if target is not None:
            self.go_to(target[0], target[1])
        elif self.view is not None and self.today in self.shown_days:
            first = next((i for i, row in enumerate(self._rows) if row is not None), 0)
            self.move_cursor(row=first, column=self.shown_days.index(self.today) + 1)
        else:
            self.move_cursor(row=0, column=1)
        self._announce()

    def _width(self) -> int:
        # One cell stays free for the vertical scrollbar, so a long week never reflows.
        return max(20, (self.scrollable_content_region.width or self.size.width) - 1)

    def _layout_for(self, view: WeekView) -> GridLayout:
        need = max((cell_len(self._short(view, row)) for row in view.rows), default=8)
        # Rows by person are labelled with names: those stay whole too.
        most = need + 1 if view.by == "staff" else 14
        names = names_need(view, self.swapping)
        headings = 0
        if view.police_room_id is None:  # every room: a heading row per room
            headings = max((cell_len(self._heading(row)) for row in view.rows), default=0)
        return grid_layout(self._width(), need, names, most, heading_need=headings)

    def on_resize(self) -> None:
        if self.view is None:
            return
        self.call_after_refresh(self._check_end)
        layout = self._layout_for(self.view)
        fits = max(1, min(7, (self._width() - layout.label_width) // layout.day_width))
        if layout != self.cell_layout or fits != self.days_shown:
            self._draw(self.cursor_target())

    # --- the cursor -------------------------------------------------------------------

    def _announce(self) -> None:
        row, cell = self.current()
        self.post_message(self.CellHighlighted(self, row, cell))

    @on(DataTable.CellHighlighted)
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        if event.coordinate != self.cursor_coordinate:
            return  # the cursor moved on (a redraw put it back where it was)
        if event.coordinate.column == 0 and self.view is not None and self.view.rows:
            # The label column is not a day: the cursor steps onto Monday instead.
            self.move_cursor(column=1, animate=False)
            return
        self._announce()

    @on(DataTable.CellSelected)
    def _selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        row, cell = self.current()
        if row is not None and cell is not None:
            self.post_message(self.CellChosen(self, row, cell))
