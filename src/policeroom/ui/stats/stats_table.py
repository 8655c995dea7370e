"""The statistics' table: its ``enter`` goes down a level, or opens a figure's records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.widgets import DataTable

from policeroom.i18n import _


class StatsTable(DataTable[Text | str]):
    """A cell-cursor table whose ``enter`` is shown and named for what it does here.

    ``enter`` is the table's own key, not a priority key of the screen: a priority key ran
    before the arrows typed ahead of it ("↓ ⏎" in one burst over SSH) and acted on the cell
    the cursor had left. As the table's key it comes after them; the screen acts on the
    table's ``CellSelected``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            _("Open"),
            tooltip=_("On a name: the rooms or grids under it; on a figure: its records"),
            id="stats.down",
        ),
    ]

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._widths: dict[str, int] = {}  # each column's own width, before any widening

    def set_widths(self, widths: Mapping[str, int]) -> None:
        """Each column as wide as ``widths`` says (by column key), fixed from now on."""
        self._widths = dict(widths)
        for column in self.columns.values():
            column.auto_width = False
            column.width = self._widths.get(str(column.key.value), 1)
        self._end_on_an_edge()
        self.refresh()

    def _end_on_an_edge(self) -> bool:
        """Widen the last column so that, scrolled to its end, the table shows whole columns
        beside the fixed ones: scrolled as far as it goes the view began inside a column, and
        the tail of its cells stood after the units' names ("东安路派出所 %"). True if it
        changed the width."""
        columns = self.ordered_columns
        if len(columns) <= self.fixed_columns or not self._widths:
            return False
        last = columns[-1]
        own = self._widths.get(str(last.key.value), 1)
        padding = 2 * self.cell_padding
        left = sum(column.get_render_width(self) for column in columns[: self.fixed_columns])
        view = self.scrollable_content_region.width - left
        tail = own + padding  # the last columns that fit the view whole, from the end
        for column in reversed(columns[self.fixed_columns : -1]):
            width = column.get_render_width(self)
            if tail + width > view:
                break
            tail += width
        else:
            tail = view  # they all fit: nothing scrolls, nothing to widen
        width = own + max(0, view - tail)
        if last.width == width:
            return False
        # the table's own measure of its width is taken when rows come, not now
        self.virtual_size = Size(
            self.virtual_size.width + width - last.width, self.virtual_size.height
        )
        last.width = width
        self.refresh()
        return True

    def on_resize(self) -> None:
        # the view narrowed or widened: the scroll made for the old one could leave the
        # cursor's column off screen, or begin the view inside a column
        if self._end_on_an_edge():
            self._scroll_cursor_into_view()

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        """DataTable's scroll to the cursor, then on by whole columns.

        Every scroll to the cursor comes here, whenever it runs: DataTable defers it until
        the rows are measured, and a cursor put on a cell as the rows came (back in the
        statistics, on the cell they were on) was scrolled after the cursor's highlight had
        been handled, so the view began inside a column, 4 cells short of the whole-column
        place. (A private method of DataTable: tests/ui/test_stats_table.py fails if a
        Textual release stops calling it.)"""
        # a scroll bar may have come or gone with the rows since the widths were set
        self._end_on_an_edge()
        super()._scroll_cursor_into_view(animate=animate)
        self._whole_columns()

    def _whole_columns(self) -> None:
        """Scroll sideways by whole columns: the cursor's scroll goes only as far as its
        cell, and a figure cut at the edge of the fixed columns read as another number
        ("3 29%" of "9 ↑3 29%" under the visits' heading)."""
        fixed = self.ordered_columns[: self.fixed_columns]
        left = sum(column.get_render_width(self) for column in fixed)
        # where the cursor's scroll is going (the arrow keys' scroll glides there)
        edge = self.scroll_target_x + left
        start = left
        for column in self.ordered_columns[self.fixed_columns :]:
            end = start + column.get_render_width(self)
            if start < edge < end:
                self.scroll_to(x=end - left, animate=False, immediate=True)
                return
            start = end
