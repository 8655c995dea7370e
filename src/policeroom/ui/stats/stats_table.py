"""The statistics' table: its ``enter`` goes down a level, or opens a figure's records."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
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
