"""A read-only list of the records behind one statistics figure: the unit and period it
counts on top, the records a window at a time, the highlighted record in words below.

The statistics screen stays underneath: ``escape`` goes back to it as it was (the same
level, row and column). Each area's list says what its records are (``columns``,
``source``), how many it holds (``counted``) and what ``enter`` opens (``open_row``).
"""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.ui.common.header_bar import HeaderBar
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.paged_table import Column, PagedTable, TableSource

Row = TypeVar("Row")


class RecordListScreen(Screen[bool], Generic[Row]):
    """The records of ``title`` for ``where`` (a unit and a period, in words); dismissed
    with True when something opened from it may have changed what the figures count."""

    DEFAULT_CSS = """
    RecordListScreen #records-where {
        height: auto;
        padding: 0 1;
        text-style: bold;
    }
    RecordListScreen #records-table {
        border: round $primary;
    }
    RecordListScreen #records-detail {
        height: auto;
        max-height: 4;
        padding: 0 1;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "close",
            _("Back"),
            tooltip=_("Back to the statistics, where you were"),
            id="records.close",
        ),
    ]

    def __init__(self, ctx: ServiceContext, title: str, where: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.list_title = title
        self.where = where
        self.total: int | None = None  # the records listed, once counted
        self.opened = False  # a record was opened: the list is read again on return
        self.changed = False  # a record was opened or confirmed from here

    # --- what a list says ------------------------------------------------------------------

    def columns(self) -> list[Column[Row]]:
        raise NotImplementedError

    def source(self) -> TableSource[Row]:
        raise NotImplementedError

    def counted(self, total: int) -> str:
        """The number of records in words, as the figure names them."""
        raise NotImplementedError

    def empty_text(self) -> str:
        return _("Nothing to show")

    def detail(self, row: Row) -> Text:
        """The highlighted record in full, under the list."""
        return Text()

    def open_row(self, row: Row) -> None:
        """``enter`` on a record (nothing, unless the list says otherwise)."""

    def can_open(self, row: Row | None) -> bool | None:
        """Whether ``enter`` on ``row`` (None: no row) opens something, as ``check_action``
        answers for the footer: True, None (not this row: greyed) or False (no row of this
        list: hidden). A list whose ``open_row`` acts says when it does."""
        return False

    # --- the screen ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        yield Static(Text(self.where), id="records-where")
        table: PagedTable[Row] = PagedTable(
            self.columns(),
            source=self.source(),
            empty_text=self.empty_text(),
            can_open=self.can_open,
            id="records-table",
        )
        table.border_title = self.list_title
        yield table
        yield Static("", id="records-detail")
        yield KeyFooter()

    @property
    def table(self) -> PagedTable[Row]:
        return self.query_one("#records-table", PagedTable)

    def on_mount(self) -> None:
        self.table.focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.opened:
            self.opened = False
            self.reload()

    def reload(self) -> None:
        """Read the list again (after something opened from it changed a record)."""
        self.table.set_source(self.source(), keep_cursor=True)

    def show_count(self) -> None:
        """Say how many records the list holds (once it is known) under it."""
        if self.total is not None:
            self.table.border_subtitle = self.counted(self.total)

    @on(PagedTable.Loaded, "#records-table")
    def _loaded(self, event: PagedTable.Loaded) -> None:
        event.stop()
        self.total = event.total
        self.show_count()
        self.refresh_bindings()  # ``enter`` may have lost or found a row to open
        if event.total == 0:
            self.query_one("#records-detail", Static).update("")

    @on(PagedTable.RowHighlighted, "#records-table")
    def _highlighted(self, event: PagedTable.RowHighlighted) -> None:
        event.stop()
        self.query_one("#records-detail", Static).update(self.detail(event.row))
        self.refresh_bindings()

    @on(PagedTable.RowSelected, "#records-table")
    def _selected(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        self.opened = True
        self.changed = True
        self.open_row(event.row)

    def action_close(self) -> None:
        self.dismiss(self.changed)
