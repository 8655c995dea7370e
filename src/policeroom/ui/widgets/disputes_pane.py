"""The disputes pane (纠纷): the ledger of the selected grid, a page at a time.

Only the list: opening, mediating and following up are the ledger's own screens, which
extend this pane. Risk and deadline show at a glance through component classes
(``disputes-pane--high-risk``, ``--overdue``, ``--due-soon``) styled in ``main.tcss``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from policeroom.i18n import _
from policeroom.services.context import ServiceContext
from policeroom.ui.widgets.paged_table import Column, PagedTable, TableSource

HIGH_RISKS = frozenset({"high", "major", "red"})


def _ledger() -> ModuleType | None:
    # The ledger service is another area's; until it is installed the pane stays empty.
    try:
        return importlib.import_module("policeroom.services.disputes")
    except ModuleNotFoundError:
        return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


class DisputesPane(Vertical):
    """Open and recent disputes of the selected grid and the grids under it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "disputes-pane--high-risk",
        "disputes-pane--overdue",
        "disputes-pane--due-soon",
    }

    def __init__(self, ctx: ServiceContext, *, id: str | None = "disputes") -> None:
        super().__init__(id=id, classes="pane")
        self.ctx = ctx
        self.grid_id: int | None = None
        self.border_title = _("Disputes")
        self._service = _ledger()

    def compose(self) -> ComposeResult:
        yield PagedTable(
            self._columns(),
            source=self._source(),
            empty_text=_("No disputes here"),
            id="disputes-table",
        )
        yield Static("", id="disputes-status")

    @property
    def table(self) -> PagedTable[Any]:
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

    def on_paged_table_loaded(self, event: PagedTable.Loaded) -> None:
        event.stop()
        status = self.query_one("#disputes-status", Static)
        status.update(Text(_("{n} disputes").format(n=event.total)))

    def _source(self) -> TableSource[Any]:
        service = self._service
        if service is None:
            return TableSource(count=lambda: 0, window=lambda offset, limit: [])
        query = service.DisputeQuery(grid_id=self.grid_id)
        ctx = self.ctx

        def window(offset: int, limit: int) -> Sequence[Any]:
            return list(service.window(ctx, query, offset, limit))

        return TableSource(count=lambda: int(service.count(ctx, query)), window=window)

    def _risk(self, row: Any) -> Text:
        risk = _text(getattr(row, "risk", ""))
        style: Style | str = ""
        if risk.lower() in HIGH_RISKS:
            style = self.get_component_rich_style("disputes-pane--high-risk")
        return Text(_(risk) if risk else "", style=style)

    def _deadline(self, row: Any) -> Text:
        state = _text(getattr(row, "deadline_state", ""))
        style: Style | str = ""
        if state == "overdue":
            style = self.get_component_rich_style("disputes-pane--overdue")
        elif state == "due_soon":
            style = self.get_component_rich_style("disputes-pane--due-soon")
        labels = {
            "overdue": _("overdue"),
            "due_soon": _("due soon"),
            "on_time": _("on time"),
            "closed": _("closed"),
        }
        return Text(labels.get(state, state), style=style)

    def _columns(self) -> list[Column[Any]]:
        return [
            Column("number", _("No."), lambda r: _text(getattr(r, "number", "")), width=8),
            Column(
                "parties", _("Parties"), lambda r: _text(getattr(r, "parties", "")), width=8, grow=2
            ),
            Column("risk", _("Risk"), self._risk, width=4),
            Column(
                "status", _("Status"), lambda r: _text(getattr(r, "status", "")), width=6, drop=2
            ),
            Column("deadline", _("Due"), self._deadline, width=6),
            Column(
                "category",
                _("Category"),
                lambda r: _text(getattr(r, "category", "")),
                width=6,
                grow=1,
                drop=3,
            ),
            Column(
                "reported",
                _("Reported"),
                lambda r: _text(getattr(r, "reported_on", "")),
                width=10,
                drop=4,
            ),
            Column(
                "grid", _("Grid"), lambda r: _text(getattr(r, "grid", "")), width=8, grow=1, drop=5
            ),
        ]
