"""PagedTable reads a screenful at a time, stays usable while reading, and drops stale reads."""

from __future__ import annotations

import threading

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.geometry import Region

from policeroom.services.core.errors import Forbidden, NotFound
from policeroom.ui.common.paged_table import Column, PagedTable, TableSource, layout_columns
from tests.ui.conftest import until
from tests.ui.paged_helpers import PEOPLE_COLUMNS, CountingSource, Person, person, settle

ROWS = 200_000


class TableApp(App[None]):
    def __init__(self, source: CountingSource) -> None:
        super().__init__()
        self.counting = source
        self.highlighted: list[int] = []
        self.selected: list[Person] = []

    def compose(self) -> ComposeResult:
        yield PagedTable(PEOPLE_COLUMNS, source=self.counting.source(), row_key=lambda p: p.number)

    def on_paged_table_row_highlighted(self, message: PagedTable.RowHighlighted) -> None:
        self.highlighted.append(message.index)

    def on_paged_table_row_selected(self, message: PagedTable.RowSelected) -> None:
        self.selected.append(message.row)


def screenful(table: PagedTable[Person]) -> int:
    # the rows on screen plus the margin above and below
    return table.scrollable_content_region.height - 1 + 2 * table.margin


async def test_reads_only_a_screenful_while_moving_through_200000_rows() -> None:
    source = CountingSource(ROWS)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)
        assert table.total == ROWS
        assert table.highlighted == person(0)
        for key in ["down", "down", "pagedown", "pagedown", "end", "pageup", "up", "home"]:
            await pilot.press(key)
            await settle(pilot, table)
        await pilot.press("end")
        await settle(pilot, table)
        assert table.cursor_index == ROWS - 1
        assert table.highlighted == person(ROWS - 1)
        limit = screenful(table)
        assert limit < 40
        assert all(asked <= limit for _, asked in source.reads), source.reads
        assert table.cached_rows <= limit
        # eleven moves, a handful of reads: not one per row and never the whole list
        assert sum(asked for _, asked in source.reads) < 12 * limit
        assert source.counts == 1
        await pilot.press("home", "enter")
        await settle(pilot, table)
        assert app.selected == [person(0)]


async def test_the_first_rows_come_before_the_count_and_keys_work_while_it_is_read() -> None:
    # The count is held in its thread: if the table waited for it, no row would ever come.
    gate = threading.Event()
    source = CountingSource(ROWS, count_gate=gate)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        try:
            await until(pilot, lambda: table.highlighted is not None and source.counts == 1)
            assert table.total is None and table.is_loading
            assert table.highlighted == person(0)
            await pilot.press("down", "down")
            assert table.cursor_index == 2 and table.highlighted == person(2)
            await pilot.press("end")  # the last row is known when the count comes
            assert table.cursor_index == 2
        finally:
            gate.set()
        await settle(pilot, table)
        assert table.total == ROWS and source.counts == 1
        assert table.cursor_index == ROWS - 1 and table.highlighted == person(ROWS - 1)


async def test_a_list_that_fits_in_its_first_window_is_never_counted() -> None:
    source = CountingSource(5)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)
        assert table.total == 5 and source.counts == 0
        assert table.loaded_rows == [person(n) for n in range(5)]


async def test_counts_never_pile_up_and_only_the_newest_list_is_counted() -> None:
    # Typing a search fast: each list's rows come, and while one count runs only the
    # newest list's count waits behind it; a count of a list no longer shown is dropped.
    gate = threading.Event()
    first = CountingSource(ROWS, count_gate=gate)
    middle = CountingSource(1000, count_gate=gate)
    last = CountingSource(2000, count_gate=gate)
    app = TableApp(first)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        try:
            await until(pilot, lambda: first.counts == 1)
            for source in (middle, last):
                table.set_source(source.source())
                await until(
                    pilot, lambda source=source: bool(source.reads) and table.cached_rows > 0
                )
                assert table.highlighted == person(0) and table.total is None
        finally:
            gate.set()
        await settle(pilot, table)
        assert (first.counts, middle.counts, last.counts) == (1, 0, 1)
        assert table.total == 2000


async def test_cursor_moves_while_a_read_is_running_and_the_row_arrives_later() -> None:
    source = CountingSource(ROWS)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)
        source.gate = threading.Event()
        await pilot.press("end")
        await pilot.press("up", "up", "up")
        assert table.cursor_index == ROWS - 4
        assert table.highlighted is None
        assert table.is_loading
        source.gate.set()
        await settle(pilot, table)
        assert table.highlighted == person(ROWS - 4)
        assert app.highlighted[-1] == ROWS - 4


async def test_a_new_source_drops_the_result_of_the_old_one() -> None:
    old = CountingSource(ROWS, gate=threading.Event())
    app = TableApp(old)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        await pilot.pause()
        assert table.is_loading
        new = CountingSource(3)
        table.set_source(new.source())
        old.gate.set()
        await settle(pilot, table)
        assert table.total == 3
        assert table.cached_rows == 3
        await pilot.press("end")
        assert table.highlighted == person(2)


async def test_user_text_is_shown_literally_and_columns_line_up_with_chinese() -> None:
    source = CountingSource(50)
    app = TableApp(source)
    async with app.run_test(size=(60, 24)) as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)
        lines = [table.render_line(y).text for y in range(0, 15)]
        assert any("3号楼[b座]" in line for line in lines)
        assert any("[bold]粗[/bold]" in line for line in lines)
        width = table.scrollable_content_region.width
        phone_columns = set()
        for line in lines[1:]:
            assert cell_len(line) == width
            start = line.index("138")
            phone_columns.add(cell_len(line[:start]))
        assert len(phone_columns) == 1


async def test_marks_follow_rows_across_windows() -> None:
    source = CountingSource(ROWS)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)
        table.toggle_mark()
        await pilot.press("end")
        await settle(pilot, table)
        table.toggle_mark()
        assert [p.number for p in table.marked] == [0, ROWS - 1]


async def test_an_empty_list_says_so() -> None:
    app = TableApp(CountingSource(0))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)
        await pilot.press("down", "end", "enter")
        assert table.total == 0
        assert app.selected == []
        assert table.empty_text in table.render_line(1).text


async def test_a_refused_read_is_said_in_the_table_and_the_next_one_runs() -> None:
    source = CountingSource(ROWS)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)

        def refused() -> int:
            raise Forbidden("your role may not list these people")

        table.set_source(TableSource(refused, source.window))
        await settle(pilot, table)
        assert "your role may not list these people" in table.render_line(1).text
        table.set_source(CountingSource(3).source())  # the table is not stuck on the failure
        await settle(pilot, table)
        assert table.total == 3 and table.highlighted == person(0)


async def test_a_window_that_fails_while_scrolling_is_asked_for_once_per_move() -> None:
    source = CountingSource(ROWS)
    failed: list[int] = []

    def window(offset: int, limit: int) -> list[Person]:
        if offset > 100:
            failed.append(offset)
            raise NotFound("these rows are gone")
        return source.window(offset, limit)

    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        table.set_source(TableSource(source.count, window))
        await settle(pilot, table)
        await pilot.press("end")
        await settle(pilot, table)
        assert len(failed) == 1 and table.highlighted is None
        await pilot.press("up")  # the next move asks again
        await settle(pilot, table)
        assert len(failed) == 2 and not table.is_loading


def test_narrow_tables_drop_columns_before_cutting_names() -> None:
    columns: list[Column[Person]] = PEOPLE_COLUMNS
    wide = layout_columns(columns, 60)
    assert [c.key for c, _ in wide] == ["number", "name", "phone"]
    assert sum(w for _, w in wide) + 2 == 60
    narrow = layout_columns(columns, 20)
    assert [c.key for c, _ in narrow] == ["number", "name"]


async def test_a_cursor_move_repaints_only_the_two_lines_it_touches() -> None:
    app = TableApp(CountingSource(1000))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        await settle(pilot, table)
        repainted: list[tuple[Region, ...]] = []
        repaint = table.refresh

        def spy(*regions: Region, **options: bool) -> PagedTable[Person]:
            repainted.append(regions)
            return repaint(*regions, **options)

        table.refresh = spy  # type: ignore[method-assign]
        await pilot.press("down")
        await settle(pilot, table)
        # Over SSH every repainted line is sent: the line left and the line reached, no more.
        assert repainted, "the cursor move repainted nothing"
        assert all(len(regions) == 1 and regions[0].height == 1 for regions in repainted)
        assert {regions[0].y for regions in repainted} == {1, 2}  # rows 0 and 1, under the header
        repainted.clear()
        await pilot.press("pagedown")  # a scroll moves every line: the whole table is repainted
        await settle(pilot, table)
        assert () in repainted


async def test_a_count_arriving_after_the_rows_repaints_none_of_them() -> None:
    # Over SSH a repainted line is sent again: the count changes the scrollbar and the
    # status, not a row already drawn (on PostgreSQL it comes a frame after the rows, and
    # a whole repaint took the grid tree's `down` past 5 KB).
    gate = threading.Event()
    source = CountingSource(ROWS, count_gate=gate)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        try:
            await until(pilot, lambda: table.highlighted is not None and source.counts == 1)
            await pilot.pause()
            assert table.total is None
            calls: list[tuple[tuple[Region, ...], dict[str, bool]]] = []
            refresh = table.refresh

            def spy(*regions: Region, **options: bool) -> PagedTable[Person]:
                calls.append((regions, options))
                return refresh(*regions, **options)

            table.refresh = spy  # type: ignore[method-assign]
        finally:
            gate.set()
        await settle(pilot, table)
        assert table.total == ROWS
        assert calls, "the count changed nothing"
        repainted = [call for call in calls if call[1].get("repaint", True)]
        assert repainted == [], repainted
