"""The statistics' table: its ``enter`` goes down a level, or opens a figure's records."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
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

    @on(DataTable.CellHighlighted)
    def _whole_columns(self) -> None:
        """Scroll sideways by whole columns: the cursor's move scrolls only as far as its
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
