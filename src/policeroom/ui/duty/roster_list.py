"""The frame of the roster's short lists (waiting swaps, checks, patterns): a title, a table
with a row cursor, a status line, the keys; read in a worker, ``escape`` goes back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.ui.common import styles
from policeroom.ui.common.header_bar import HeaderBar
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.duty import STYLESHEET as duty_sheet
from policeroom.ui.duty import messages

Item = TypeVar("Item")
REST = -1


def share_widths(widths: Sequence[int], flexible: Sequence[int], room: int) -> list[int]:
    """Column ``widths`` cut down to ``room`` cells, the widest of the ``flexible`` columns
    first (their text wraps), so no column is squeezed to a sliver while another stays wide."""
    out = list(widths)
    floor = 6
    while sum(out) > room:
        candidates = [i for i in flexible if out[i] > floor]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: out[i])
        out[widest] -= 1
    return out


class RosterListScreen(Screen[Any], Generic[Item]):
    """Subclasses say what to ``read`` (in a thread), its ``columns`` and each item's ``cells``."""

    CSS_PATH = [styles.FORMS, duty_sheet]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", _("Back"), tooltip=_("Back to the roster"), id="list.close"),
    ]
    list_title = ""
    empty_text = ""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.items: list[Item] = []
        self.changed = False

    # --- what a list provides ---------------------------------------------------------

    def read(self) -> Sequence[Item]:
        raise NotImplementedError

    def columns(self) -> Sequence[tuple[str, int | None]]:
        """(heading, width) of each column: None fits the column to its cells, ``REST`` gives
        it what the others leave, its text wrapped."""
        raise NotImplementedError

    def cells(self, item: Item) -> Sequence[Text]:
        raise NotImplementedError

    def chosen(self, item: Item) -> None:
        """``enter`` on an item."""

    # --- the frame --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        with Vertical(id="roster-list-body") as body:
            body.border_title = self.list_title
            yield DataTable(id="roster-list", cursor_type="row", zebra_stripes=False)
            yield Static("", id="roster-list-status")
        yield KeyFooter()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#roster-list", DataTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.reload()

    def reload(self) -> None:
        self.table.loading = True
        self._read()

    @service_worker(messages.LIST)
    def _read(self) -> messages.ListRead:
        return messages.ListRead(self.read())

    @on(messages.ListRead)
    def _read_done(self, message: messages.ListRead) -> None:
        message.stop()
        self.table.loading = False
        self._show(message.items)

    @on(ServiceFailed)
    def _not_read(self, message: ServiceFailed) -> None:
        if message.group != messages.LIST:
            return
        message.stop()
        self.table.loading = False
        text = _("Could not read: {error}").format(error=messages.reason(message))
        self.query_one("#roster-list-status", Static).update(Text(text))

    def _show(self, items: list[Item]) -> None:
        self.items = items
        self._draw()
        status = self.status_text() if items else Text(self.empty_text or _("Nothing to show"))
        self.query_one("#roster-list-status", Static).update(status)
        self.refresh_bindings()

    def on_resize(self) -> None:
        if self.items:
            self._draw()

    def _draw(self) -> None:
        table = self.table
        keep = table.cursor_row
        rows = [list(self.cells(item)) for item in self.items]
        columns = list(self.columns())
        widths: list[int] = []
        for index, (heading, width) in enumerate(columns):
            if width is None or width == REST:
                width = max(
                    [cell_len(heading), *(rows[i][index].cell_len for i in range(len(rows)))]
                )
            widths.append(width)
        # One cell between columns and one for the scrollbar.
        # Read before the first layout the table has no width yet: the screen's, less the
        # border round the list, else the columns would be cut to nothing.
        width = table.size.width or self.app.size.width - 2
        room = width - 2 * len(widths) - 1
        flexible = [i for i, (_heading, width) in enumerate(columns) if width in (None, REST)]
        widths = share_widths(widths, flexible, room)
        table.clear(columns=True)
        for (heading, _width), width in zip(columns, widths, strict=True):
            table.add_column(Text(heading), width=width)
        for cells in rows:
            height = 1
            for cell, width in zip(cells, widths, strict=True):
                lines = cell.wrap(self.app.console, width)
                height = max(height, len(lines))
            table.add_row(*cells, height=height)
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))

    def status_text(self) -> Text:
        return Text("")

    @property
    def current(self) -> Item | None:
        row = self.table.cursor_row
        return self.items[row] if 0 <= row < len(self.items) else None

    @on(DataTable.RowSelected, "#roster-list")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self.current
        if item is not None:
            self.chosen(item)

    def action_close(self) -> None:
        self.dismiss(self.changed)
