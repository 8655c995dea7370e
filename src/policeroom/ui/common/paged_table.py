"""A table that shows a window of a large list, read from its source a screenful at a time.

A ``DataTable`` given 200,000 rows builds them all before its first frame (25–34 s, 340 MB
measured); this table asks its source for the rows on screen plus a small margin, and asks
again as the cursor moves. At most one read runs at a time: a request made while one is
running waits, and only the newest waiting request is kept, so typing a search fast never
piles up queries and a stale result is never shown.

A list's count grows with the data (a common surname: 26,000 rows to count), so it is never
in the way of the rows: the first window is shown as soon as it is read, and the count is read
after it, beside the windows rather than in their queue, so a key never waits for a count.
Until it arrives ``total`` is None (the panes say "…"), the cursor moves over the rows read,
and ``end`` goes to the last row when the count comes. A first window shorter than asked for
is the whole list: it is its own count.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, TypeVar

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from policeroom.i18n import _
from policeroom.ui.common import messages
from policeroom.ui.common.messages import WindowRequest
from policeroom.ui.common.workers import ServiceFailed, service_worker

Row = TypeVar("Row")
# Seconds a table keeps showing its old rows while the rows of a new filter are read.
BLANK_AFTER = 0.15
Cell = str | Text


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: ``cell`` turns a row into its text (plain strings are shown literally).

    ``width`` is the least the column gets; spare width is shared by ``grow``. When the
    table is too narrow, columns with the highest ``drop`` go first (0 = never dropped).
    """

    key: str
    label: str
    cell: Callable[[Row], Cell]
    width: int
    grow: int = 0
    drop: int = 0
    justify: Literal["left", "right"] = "left"


@dataclass(frozen=True)
class TableSource(Generic[Row]):
    """Where the rows come from; both callables run in a worker thread."""

    count: Callable[[], int]
    window: Callable[[int, int], Sequence[Row]]


def layout_columns(columns: Sequence[Column[Row]], width: int) -> list[tuple[Column[Row], int]]:
    """The columns that fit in ``width`` cells (one space between them) and their widths."""
    shown = list(columns)

    def needed(chosen: Sequence[Column[Row]]) -> int:
        return sum(column.width for column in chosen) + max(0, len(chosen) - 1)

    while needed(shown) > width and any(column.drop for column in shown):
        worst = max(shown, key=lambda column: column.drop)
        shown.remove(worst)
    spare = max(0, width - needed(shown))
    total_grow = sum(column.grow for column in shown)
    widths = [column.width for column in shown]
    if total_grow:
        given = 0
        growers = [i for i, column in enumerate(shown) if column.grow]
        for i in growers:
            extra = spare * shown[i].grow // total_grow
            widths[i] += extra
            given += extra
        widths[growers[-1]] += spare - given
    return list(zip(shown, widths, strict=True))


class PagedTable(ScrollView, Generic[Row], can_focus=True):
    """A cursor over a list of any length whose rows are read a window at a time."""

    DEFAULT_CSS = """
    PagedTable {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    PagedTable > .paged-table--header {
        text-style: bold;
        background: $panel;
    }
    PagedTable > .paged-table--cursor {
        background: $surface-lighten-2;
    }
    PagedTable:focus > .paged-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    PagedTable > .paged-table--marked {
        text-style: bold;
        color: $accent;
    }
    PagedTable > .paged-table--pending {
        color: $text-muted;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paged-table--header",
        "paged-table--cursor",
        "paged-table--marked",
        "paged-table--pending",
    }

    # Relaid out, not repainted, when only the number of rows changes (a count arriving):
    # the base class repaints the whole table, and over SSH every row drawn went again.
    # What a new size does change on screen, the code that sets it refreshes itself.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=True, repaint=False)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", _("Up"), show=False, id="table.up"),
        Binding("down", "cursor_down", _("Down"), show=False, id="table.down"),
        Binding("pageup", "page_up", _("Page up"), show=False, id="table.page-up"),
        Binding("pagedown", "page_down", _("Page down"), show=False, id="table.page-down"),
        Binding("home", "first", _("First"), show=False, id="table.first"),
        Binding("end", "last", _("Last"), show=False, id="table.last"),
        Binding(
            "enter",
            "select",
            _("Open"),
            tooltip=_("Open the selected record"),
            id="table.open",
        ),
    ]

    MARK = "✓"

    class RowHighlighted(Message):
        """The cursor is on ``row`` (sent once the row has been read)."""

        def __init__(self, table: PagedTable[Any], index: int, row: Any) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

        @property
        def control(self) -> PagedTable[Any]:
            return self.table

    class RowSelected(Message):
        """``enter`` (or a double click) on ``row``."""

        def __init__(self, table: PagedTable[Any], index: int, row: Any) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

        @property
        def control(self) -> PagedTable[Any]:
            return self.table

    class Loaded(Message):
        """A read finished: ``total`` rows in the list now."""

        def __init__(self, table: PagedTable[Any], total: int) -> None:
            super().__init__()
            self.table = table
            self.total = total

        @property
        def control(self) -> PagedTable[Any]:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        *,
        source: TableSource[Row] | None = None,
        row_key: Callable[[Row], Hashable] | None = None,
        empty_text: str = "",
        margin: int = 5,
        can_open: Callable[[Row | None], bool | None] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        # What ``enter`` does on a row, for the footer, as ``check_action`` answers (True:
        # it opens; None: nothing on this row, greyed; False: nothing in this list, hidden).
        # Without it ``enter`` is always offered: its list opens every row.
        self._can_open = can_open
        self._source = source
        self._row_key = row_key
        self.empty_text = empty_text or _("Nothing to show")
        self.margin = margin
        self._generation = 0
        self._blank_timer: Timer | None = None
        self._total: int | None = None
        self._cache_offset = 0
        self._cache: list[Row] = []
        self._cursor = 0
        self._announced: tuple[int, int] | None = None
        self._read_running: WindowRequest | None = None
        self._read_waiting: WindowRequest | None = None
        # The count read (and the newest one waiting), each with its list's generation.
        self._counting: tuple[int, TableSource[Row]] | None = None
        self._count_waiting: tuple[int, TableSource[Row]] | None = None
        self._end_wanted = False
        self._error = ""
        self._marked: dict[Hashable, Row] = {}

    # --- public state -------------------------------------------------------------------

    @property
    def total(self) -> int | None:
        """How many rows the list has (None until its count has been read)."""
        return self._total

    @property
    def cursor_index(self) -> int:
        return self._cursor

    @property
    def highlighted(self) -> Row | None:
        """The row under the cursor, if it has been read."""
        return self._row_at(self._cursor)

    @property
    def is_loading(self) -> bool:
        """A read or a count is running or waiting."""
        return any(
            pending is not None
            for pending in (
                self._read_running,
                self._read_waiting,
                self._counting,
                self._count_waiting,
            )
        )

    @property
    def cached_rows(self) -> int:
        """How many rows the table holds right now (a screenful and a margin at most)."""
        return len(self._cache)

    @property
    def loaded_rows(self) -> list[Row]:
        """The rows the table holds now, in list order, from position ``loaded_offset``."""
        return list(self._cache)

    @property
    def loaded_offset(self) -> int:
        return self._cache_offset

    @property
    def marked(self) -> list[Row]:
        """Rows marked with ``toggle_mark``, in the order they were marked."""
        return list(self._marked.values())

    def set_source(self, source: TableSource[Row], *, keep_cursor: bool = False) -> None:
        """Show another list (a new search or filter); results of the old one are dropped."""
        self._source = source
        self._generation += 1
        self._announced = None
        self._end_wanted = False
        if not keep_cursor:
            # a reload keeps showing the rows it has until the fresh ones arrive
            self._cache = []
            self._cache_offset = 0
            self._cursor = 0
            self._total = None
            self.scroll_to(y=0, animate=False)
        self._read_waiting = None
        self._count_waiting = None
        self._request(self._wanted_offset(), first=True)
        # The old rows stay on screen for a moment: a read that answers within it costs one
        # repaint (over SSH, one refill of the table instead of a blank one and then rows);
        # a slower one blanks the table so that nobody reads the old list as the new one.
        if self._blank_timer is not None:
            self._blank_timer.stop()
        self._blank_timer = self.set_timer(BLANK_AFTER, self._blank_while_reading)

    def _blank_while_reading(self) -> None:
        self._blank_timer = None
        self.refresh()

    def reload(self) -> None:
        """Read the count and the rows on screen again, keeping the cursor where it is."""
        if self._source is not None:
            self.set_source(self._source, keep_cursor=True)

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped to the list) and scroll it into view."""
        self._end_wanted = False
        last = max(0, self._extent() - 1)
        before = self._cursor
        self._cursor = max(0, min(index, last))
        visible = self._visible_rows()
        top = self.scroll_offset.y
        if self._cursor < top:
            top = self._cursor
        elif self._cursor >= top + visible:
            top = self._cursor - visible + 1
        scrolled = top != self.scroll_offset.y
        if scrolled:
            # ``force``: a count that has just come makes the list scrollable, but the
            # scrollbar that allows scrolling appears only at the next layout.
            self.scroll_to(y=top, animate=False, force=True)
        self._ensure_window()
        self._announce()
        if scrolled:
            self.refresh()
        elif before != self._cursor:
            # Only the two lines the cursor left and reached: over SSH a key in a list then
            # costs a couple of hundred bytes, not the whole table. Row i is line i + 1
            # (the header is line 0).
            self.refresh_line(before + 1)
            self.refresh_line(self._cursor + 1)

    def toggle_mark(self) -> None:
        """Mark or unmark the row under the cursor (needs ``row_key``)."""
        row = self.highlighted
        if row is None or self._row_key is None:
            return
        key = self._row_key(row)
        if key in self._marked:
            del self._marked[key]
        else:
            self._marked[key] = row
        self.refresh()

    def clear_marks(self) -> None:
        self._marked.clear()
        self.refresh()

    # --- actions ------------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_page_up(self) -> None:
        step = max(1, self._visible_rows() - 1)
        self.scroll_to(y=max(0, self.scroll_offset.y - step), animate=False)
        self.move_cursor(self._cursor - step)

    def action_page_down(self) -> None:
        step = max(1, self._visible_rows() - 1)
        self.scroll_to(y=self.scroll_offset.y + step, animate=False)
        self.move_cursor(self._cursor + step)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        if self._total is None and self._source is not None:
            # The count is on its way: the cursor goes to the last row when it comes.
            self._end_wanted = True
            return
        self.move_cursor((self._total or 1) - 1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select" and self._can_open is not None:
            return self._can_open(self.highlighted)
        return True

    def action_select(self) -> None:
        row = self.highlighted
        if row is not None:
            self.post_message(self.RowSelected(self, self._cursor, row))

    # --- reading ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", self._scrolled, init=False)
        if self._source is not None and self._total is None and self._read_running is None:
            self._request(0, first=True)

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self._ensure_window()

    def _scrolled(self, _old: float, _new: float) -> None:
        self._ensure_window()

    def _visible_rows(self) -> int:
        height = self.scrollable_content_region.height
        if not height:
            # Not laid out yet (the first read, at mount): the screen's height is at least
            # what the table will show, so one read fills it rather than a short one and
            # then another for the rows it left out.
            height = self.app.size.height
        return max(1, height - 1)

    def _window_size(self) -> int:
        return self._visible_rows() + 2 * self.margin

    def _wanted_offset(self) -> int:
        return max(0, self.scroll_offset.y - self.margin)

    def _extent(self) -> int:
        """The rows the cursor can reach: the count, or until it comes the rows read."""
        if self._total is not None:
            return self._total
        return self._cache_offset + len(self._cache)

    def _ensure_window(self) -> None:
        if self._source is None:
            return
        top = self.scroll_offset.y
        end = top + self._visible_rows()
        if self._total is not None:
            end = min(self._total, end)
        # Until the count comes the screen is filled anyway: a short window ends the list.
        if top >= end:
            return
        if self._cache_offset <= top and end <= self._cache_offset + len(self._cache):
            return
        for pending in (self._read_running, self._read_waiting):
            if (
                pending is not None
                and pending.generation == self._generation
                and pending.offset <= top
                and end <= pending.offset + pending.limit
            ):
                return
        self._request(self._wanted_offset(), first=False)

    def _request(self, offset: int, *, first: bool) -> None:
        request = WindowRequest(self._generation, offset, self._window_size(), first)
        if self._read_running is None:
            self._read_running = request
            self._read(request)
        else:
            self._read_waiting = request

    # The result is applied on the UI thread and the next read starts only then, so one read
    # runs at a time without being exclusive: an exclusive one started from the handler
    # would cancel the worker that posted the answer, which has not quite ended yet. The
    # source is any pair of callables; whatever it raises is said in the table, which would
    # otherwise wait for an answer that never comes.
    @service_worker(messages.TABLE_READ, exclusive=False, failures=(Exception,))
    def _read(self, request: WindowRequest) -> messages.WindowRead:
        source = self._source
        assert source is not None
        return messages.WindowRead(request, source.window(request.offset, request.limit))

    # Counts run one at a time too, in a queue of their own: a count never delays a window,
    # and typing fast leaves at most the newest list's count waiting.
    @service_worker(messages.TABLE_COUNT, exclusive=False, failures=(Exception,))
    def _count(self, generation: int, source: TableSource[Row]) -> messages.CountRead:
        return messages.CountRead(generation, source.count())

    @on(messages.WindowRead)
    def _window_read(self, message: messages.WindowRead) -> None:
        message.stop()
        self._apply(message.request, message.rows)

    @on(messages.CountRead)
    def _count_read(self, message: messages.CountRead) -> None:
        message.stop()
        self._counting = None
        if message.generation == self._generation:
            self._set_total(message.total)
        self._start_next_count()

    @on(ServiceFailed)
    def _read_failed(self, message: ServiceFailed) -> None:
        if message.group == messages.TABLE_READ:
            self._window_failed(message)
        elif message.group == messages.TABLE_COUNT:
            self._count_failed(message)

    def _window_failed(self, message: ServiceFailed) -> None:
        request = self._read_running
        if request is None:
            return
        if request.generation != self._generation:
            message.stop()  # the list it read is no longer shown
            self._apply(request, [])
        elif request.first:
            # Nothing is known of the list: it is shown empty, the reason in place of its
            # rows, and the desk keeps working.
            message.stop()
            self._apply(request, [], error=message.text)
        else:
            # A window that failed while scrolling is told by the app, and read again when
            # the cursor next moves rather than at once.
            self._read_running = None
            self._start_next(ensure_window=False)

    def _count_failed(self, message: ServiceFailed) -> None:
        running, self._counting = self._counting, None
        if running is None:
            return
        message.stop()
        if running[0] == self._generation:
            # As a first read that failed: the list is not shown half-known.
            self._error = message.text
            self._cache = []
            self._cache_offset = 0
            self._set_total(0)
        self._start_next_count()

    def _apply(
        self,
        request: WindowRequest,
        rows: Sequence[object],
        *,
        error: str = "",
    ) -> None:
        self._read_running = None
        if request.generation == self._generation:
            if self._blank_timer is not None:
                self._blank_timer.stop()
                self._blank_timer = None
            self._error = error
            self._cache_offset = request.offset
            self._cache = list(rows)  # type: ignore[arg-type]
            if error:
                self._set_total(0)
            elif (
                self._total is None and len(rows) < request.limit and (rows or request.offset == 0)
            ):
                # A window shorter than asked for ends the list: no count to wait for.
                self._set_total(request.offset + len(rows))
            elif request.first:
                self._update_virtual_size()
                self._start_count()
            self.refresh()
            self._announce()
        self._start_next(ensure_window=True)

    def _set_total(self, total: int) -> None:
        end_wanted = self._end_wanted
        self._total = total
        self._update_virtual_size()
        if end_wanted or self._cursor >= total:
            self.move_cursor(total - 1)
        self._ensure_window()
        # The rows already drawn stay as they were: only lines without a row read, or past
        # the end, change with a count. Over SSH a whole refresh resent every row whenever
        # the count came a frame after them (PostgreSQL: the grid tree's `down` 5.9 KB).
        first = self.scroll_offset.y
        for index in range(first, first + self._visible_rows()):
            if index >= total or self._row_at(index) is None:
                self.refresh_line(index + 1)
        self.post_message(self.Loaded(self, total))

    def _start_count(self) -> None:
        assert self._source is not None
        wanted = (self._generation, self._source)
        if self._counting is None:
            self._counting = wanted
            self._count(*wanted)
        else:
            self._count_waiting = wanted

    def _start_next_count(self) -> None:
        waiting, self._count_waiting = self._count_waiting, None
        if waiting is not None and waiting[0] == self._generation:
            self._counting = waiting
            self._count(*waiting)

    def _start_next(self, *, ensure_window: bool) -> None:
        waiting, self._read_waiting = self._read_waiting, None
        if waiting is not None and waiting.generation == self._generation:
            self._read_running = waiting
            self._read(waiting)
        elif ensure_window:
            self._ensure_window()

    def _row_at(self, index: int) -> Row | None:
        position = index - self._cache_offset
        if 0 <= position < len(self._cache):
            return self._cache[position]
        return None

    def _announce(self) -> None:
        row = self._row_at(self._cursor)
        key = (self._generation, self._cursor)
        if row is not None and self._announced != key:
            self._announced = key
            self.post_message(self.RowHighlighted(self, self._cursor, row))

    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width
        self.virtual_size = Size(width, self._extent() + 1)

    # --- drawing ------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        self.move_cursor(self.scroll_offset.y + offset.y - 1)
        if event.chain >= 2:
            self.action_select()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._render_cells(
                [Text(column.label) for column, _ in self._layout(width)],
                width,
                base + self.get_component_rich_style("paged-table--header"),
                mark=" ",
            )
        index = self.scroll_offset.y + y - 1
        if self._total is not None and index >= self._total:
            if index == 0:
                message = self._error or self.empty_text
                return self._render_text(Text(message), width, base)
            return Strip.blank(width, base)
        row = self._row_at(index)
        style = base
        if index == self._cursor:
            style = base + self.get_component_rich_style("paged-table--cursor")
        if row is None:
            pending = base + self.get_component_rich_style("paged-table--pending")
            if index == self._cursor:
                pending = style
            return self._render_text(Text("…" if self._total is not None else ""), width, pending)
        mark = " "
        if self._row_key is not None and self._row_key(row) in self._marked:
            mark = self.MARK
            if index != self._cursor:
                style = style + self.get_component_rich_style("paged-table--marked")
        cells = [self._cell_text(column, row) for column, _ in self._layout(width)]
        return self._render_cells(cells, width, style, mark=mark)

    def shown_columns(self) -> list[tuple[Column[Row], int]]:
        """The columns the table's width has room for now, and their widths."""
        return self._layout(self.scrollable_content_region.width)

    def _layout(self, width: int) -> list[tuple[Column[Row], int]]:
        # The first cell is the mark gutter, so the columns share what is left of it.
        return layout_columns(self.columns, max(0, width - 1))

    @staticmethod
    def _cell_text(column: Column[Row], row: Row) -> Text:
        value = column.cell(row)
        # A plain string is user data: Text() never parses it as markup.
        return value.copy() if isinstance(value, Text) else Text(value)

    def _render_cells(self, cells: list[Text], width: int, style: Style, *, mark: str) -> Strip:
        line = Text(mark, no_wrap=True, end="")
        for (column, cell_width), cell in zip(self._layout(width), cells, strict=True):
            cell.no_wrap = True
            cell.truncate(cell_width, overflow="ellipsis", pad=False)
            padding = " " * max(0, cell_width - cell.cell_len)
            if column.justify == "right":
                line.append(padding)
                line.append_text(cell)
            else:
                line.append_text(cell)
                line.append(padding)
            line.append(" ")
        return self._render_text(line, width, style)

    def _render_text(self, text: Text, width: int, style: Style) -> Strip:
        text.no_wrap = True
        text.end = ""
        segments = list(text.render(self.app.console))
        return Strip(segments).apply_style(style).adjust_cell_length(width, style)
