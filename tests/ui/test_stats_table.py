"""StatsTable scrolls sideways by whole columns and keeps the cursor's column on screen, also
when the cursor is put on a cell the moment the rows come (back in the statistics, on the
cell they were on) and the table has not measured them yet."""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable

from policeroom.ui.stats.stats_table import StatsTable
from tests.ui.conftest import until

# the columns' own widths at a police room's level of the training data (rank, name, figures)
WIDTHS = (1, 16, 6, 10, 7, 8, 8, 4, 8, 10, 7, 5, 6, 5, 7)
FIXED = 2


class TableApp(App[None]):
    """The table alone; ``x`` fills it as the statistics screen does when a read comes, the
    cursor then put on the cell asked for at once."""

    BINDINGS = [("x", "fill", "")]
    CSS = "StatsTable { height: 1fr; border: round $panel; }"  # as on the statistics screen

    def __init__(self, rows: int, cell: tuple[int, int]) -> None:
        super().__init__()
        self.rows = rows
        self.cell = cell

    def compose(self) -> ComposeResult:
        table = StatsTable(cursor_type="cell")
        table.fixed_columns = FIXED
        yield table

    def on_mount(self) -> None:
        table = self.query_one(StatsTable)
        for index, width in enumerate(WIDTHS):
            table.add_column(Text("h" * min(width, 4), justify="right"), key=f"c{index}")

    def action_fill(self) -> None:
        table = self.query_one(StatsTable)
        table.clear()
        for row in range(self.rows):
            table.add_row(*(Text(str(row % 10) * width) for width in WIDTHS))
        table.set_widths({f"c{index}": width for index, width in enumerate(WIDTHS)})
        row, column = self.cell
        table.move_cursor(row=row, column=column)


async def _settled(pilot: Pilot[object], table: StatsTable) -> None:
    for _ in range(5):  # the measure of the rows, then the scrolls that follow it
        await pilot.pause()
    await until(pilot, lambda: table.scroll_x == table.scroll_target_x)
    await pilot.pause()


def assert_cursor_column_on_screen(table: DataTable[Any]) -> None:
    """The cursor's column wholly inside what the table shows beside its fixed columns, and
    the view beginning at a column's start, not in the middle of one."""
    widths = [column.get_render_width(table) for column in table.ordered_columns]
    left = sum(widths[: table.fixed_columns])
    x = sum(widths[: table.cursor_column])
    shown = (table.scroll_x + left, table.scroll_x + table.scrollable_content_region.width)
    assert shown[0] <= x and x + widths[table.cursor_column] <= shown[1], (x, widths, shown)
    starts = {sum(widths[:i]) for i in range(table.fixed_columns, len(widths))}
    assert shown[0] in starts, (shown, widths)


@pytest.mark.parametrize("rows", [4, 40], ids=["no-vertical-bar", "vertical-bar"])
@pytest.mark.parametrize("column", [len(WIDTHS) - 2, len(WIDTHS) - 1], ids=["before-last", "last"])
async def test_the_cursor_put_on_a_cell_as_the_rows_come_is_on_screen_by_whole_columns(
    rows: int, column: int
) -> None:
    app = TableApp(rows, (1, column))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(StatsTable)
        await pilot.press("x")
        await _settled(pilot, table)
        assert table.cursor_coordinate == (1, column)
        assert table.scroll_x > 0
        assert_cursor_column_on_screen(table)


@pytest.mark.parametrize("column", [len(WIDTHS) - 2, len(WIDTHS) - 1], ids=["before-last", "last"])
async def test_a_narrower_terminal_keeps_the_cursors_column_on_screen(column: int) -> None:
    app = TableApp(4, (1, column))
    async with app.run_test(size=(100, 24)) as pilot:
        table = app.query_one(StatsTable)
        await pilot.press("x")
        await _settled(pilot, table)
        assert_cursor_column_on_screen(table)
        await pilot.resize_terminal(80, 24)
        await _settled(pilot, table)
        assert table.scroll_x > 0
        assert_cursor_column_on_screen(table)
