"""The disputes pane (纠纷): the ledger of the selected grid, a page at a time.

Only the list: opening, mediating and following up are the ledger's own screens, which
extend this pane. Risk and deadline show at a glance through component classes
(``disputes-pane--high-risk``, ``--overdue``, ``--due-soon``) styled in ``main.tcss``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from policeroom.i18n import _, ngettext
from policeroom.models.disputes import RiskGrade
from policeroom.services import ledger
from policeroom.services.context import ServiceContext
from policeroom.services.dispute_rules import DeadlineState, label
from policeroom.services.ledger import DisputeQuery, DisputeRow
from policeroom.ui.widgets.paged_table import Column, PagedTable, TableSource


class DisputesPane(Vertical):
    """Open and recent disputes of the selected grid and the grids under it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "disputes-pane--high-risk",
        "disputes-pane--overdue",
        "disputes-pane--due-soon",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "search",
            _("Search"),
            tooltip=_("Search disputes by number or party (name or pinyin)"),
            id="disputes.search",
        ),
        Binding(
            "escape",
            "clear_search",
            _("Clear"),
            show=False,
            tooltip=_("Clear the search"),
            id="disputes.clear-search",
        ),
    ]

    def __init__(self, ctx: ServiceContext, *, id: str | None = "disputes") -> None:
        super().__init__(id=id, classes="pane")
        self.ctx = ctx
        self.grid_id: int | None = None
        self.text = ""
        self.border_title = _("Disputes")

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder=_("/ search: JF-2022-0012, 张三, zs"),
            compact=True,
            id="disputes-search",
        )
        yield PagedTable(
            self._columns(),
            source=self._source(),
            empty_text=_("No disputes here"),
            id="disputes-table",
        )
        yield Static("", id="disputes-status")

    @property
    def table(self) -> PagedTable[DisputeRow]:
        return self.query_one("#disputes-table", PagedTable)

    def focus(self, scroll_visible: bool = True) -> DisputesPane:
        self.table.focus(scroll_visible)
        return self

    def filter_grid(self, grid_id: int | None) -> None:
        """Show the disputes of ``grid_id`` and every grid under it (None: all)."""
        self.grid_id = grid_id
        self.table.set_source(self._source())

    def reload(self) -> None:
        self.table.reload()

    def action_search(self) -> None:
        self.query_one("#disputes-search", Input).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#disputes-search", Input)
        if search.value:
            search.value = ""
        self.table.focus()

    @on(Input.Changed, "#disputes-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.text = event.value.strip()
        self.table.set_source(self._source())

    @on(Input.Submitted, "#disputes-search")
    def _search_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def on_paged_table_loaded(self, event: PagedTable.Loaded) -> None:
        event.stop()
        status = self.query_one("#disputes-status", Static)
        status.update(
            Text(ngettext("{n} dispute", "{n} disputes", event.total).format(n=event.total))
        )

    def _source(self) -> TableSource[DisputeRow]:
        query = DisputeQuery(grid_id=self.grid_id, text=self.text)
        ctx = self.ctx

        def window(offset: int, limit: int) -> Sequence[DisputeRow]:
            return ledger.window(ctx, query, offset, limit)

        return TableSource(count=lambda: ledger.count(ctx, query), window=window)

    def _risk(self, row: DisputeRow) -> Text:
        style: Style | str = ""
        if row.risk == RiskGrade.HIGH:
            style = self.get_component_rich_style("disputes-pane--high-risk")
        return Text(label(row.risk), style=style)

    def _deadline(self, row: DisputeRow) -> Text:
        style: Style | str = ""
        if row.deadline_state == DeadlineState.OVERDUE:
            style = self.get_component_rich_style("disputes-pane--overdue")
        elif row.deadline_state == DeadlineState.DUE_SOON:
            style = self.get_component_rich_style("disputes-pane--due-soon")
        due = f"{row.due_on:%m-%d}" if row.due_on else ""
        return Text(due or label(row.deadline_state), style=style)

    def _columns(self) -> list[Column[DisputeRow]]:
        return [
            Column("number", _("No."), lambda r: r.number, width=12, drop=2),
            Column("parties", _("Parties"), lambda r: r.parties_text, width=8, grow=2),
            Column("risk", _("Risk"), self._risk, width=4),
            Column("status", _("Status"), lambda r: label(r.status), width=6, drop=1),
            Column("deadline", _("Due"), self._deadline, width=5),
            Column("category", _("Category"), lambda r: label(r.category), width=6, grow=1, drop=3),
            Column(
                "reported", _("Reported"), lambda r: f"{r.reported_on:%Y-%m-%d}", width=10, drop=4
            ),
            Column("grid", _("Grid"), lambda r: r.grid_name, width=8, grow=1, drop=5),
            Column("next", _("Next step"), lambda r: r.next_action, width=10, grow=2, drop=6),
        ]
