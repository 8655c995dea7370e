"""The early-warning list (预警): everything in the ledger that needs action now, each saying
why. ``enter`` opens the dispute's card, or the sweep form of a room that has not swept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from policeroom.i18n import _, ngettext
from policeroom.labels import label
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import warnings
from policeroom.services.disputes.sweeps import SweepRow
from policeroom.services.disputes.warnings import EarlyWarning, WarningKind
from policeroom.ui.common.desk import desk_app
from policeroom.ui.common.header_bar import HeaderBar
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.paged_table import Column, PagedTable, TableSource
from policeroom.ui.disputes import STYLESHEET as disputes_sheet
from policeroom.ui.disputes.dispute_card import DisputeCardScreen
from policeroom.ui.disputes.sweep_form import SweepForm, confirmed_text

URGENT = frozenset({WarningKind.HIGH_RISK_NOT_MEDIATING, WarningKind.FOLLOW_UP_OVERDUE})


def warning_source(
    ctx: ServiceContext, grid_id: int | None, *, with_sweeps: bool = True
) -> TableSource[EarlyWarning]:
    """The warnings as a list the table reads a window of (most urgent kind first)."""

    def window(offset: int, limit: int) -> Sequence[EarlyWarning]:
        found = warnings.early_warnings(ctx, grid_id, limit=offset + limit, with_sweeps=with_sweeps)
        return found[offset:]

    return TableSource(
        count=lambda: warnings.count(ctx, grid_id, with_sweeps=with_sweeps), window=window
    )


class EarlyWarningsScreen(Screen[None]):
    """The warnings of ``grid_id`` and the grids under it (None: every grid); without
    ``with_sweeps`` (a grid's statistics figure), the disputes' warnings only."""

    CSS_PATH = disputes_sheet
    COMPONENT_CLASSES: ClassVar[set[str]] = {"early-warnings--urgent", "early-warnings--sweep"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "close",
            _("Back"),
            # the main screen's warnings, or the statistics' figure: back to either
            tooltip=_("Back to the screen the warnings were opened from"),
            id="warnings.close",
        ),
        Binding(
            "ctrl+w",
            "sweep",
            _("Sweep"),
            tooltip=_("Confirm the weekly dispute sweep of a police room, or a nil report"),
            id="warnings.sweep",
        ),
    ]

    def __init__(
        self,
        ctx: ServiceContext,
        grid_id: int | None = None,
        grid_name: str = "",
        *,
        with_sweeps: bool = True,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.grid_id = grid_id
        self.grid_name = grid_name
        self.with_sweeps = with_sweeps

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        table: PagedTable[EarlyWarning] = PagedTable(
            [
                Column("kind", _("Warning"), self._kind, width=10),
                Column("why", _("Why"), lambda w: w.message, width=20, grow=1),
            ],
            source=warning_source(self.ctx, self.grid_id, with_sweeps=self.with_sweeps),
            empty_text=_("Nothing needs action: no early warnings"),
            id="warnings-table",
        )
        scope = self.grid_name or _("all grids")
        title = (
            _("Early warnings · {scope}")
            if self.with_sweeps
            else _("Early warnings · {scope} · disputes only")
        )
        table.border_title = title.format(scope=scope)
        yield table
        yield Static("", id="warnings-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#warnings-table", PagedTable).focus()

    def on_screen_resume(self) -> None:
        # a card or sweep opened from here may have settled a warning
        if self.is_mounted:
            self.query_one("#warnings-table", PagedTable).reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sweep" and not self.ctx.actor.can_write:
            return False
        return True

    def _kind(self, warning: EarlyWarning) -> Text:
        style: Style | str = ""
        if warning.kind in URGENT:
            style = self.get_component_rich_style("early-warnings--urgent", partial=True)
        elif warning.kind is WarningKind.MISSING_SWEEP:
            style = self.get_component_rich_style("early-warnings--sweep", partial=True)
        return Text(label(warning.kind), style=style)

    @on(PagedTable.Loaded, "#warnings-table")
    def _loaded(self, event: PagedTable.Loaded) -> None:
        event.stop()
        table = event.table
        table.border_subtitle = ngettext("{n} warning", "{n} warnings", event.total).format(
            n=event.total
        )
        if event.total == 0:
            self.query_one("#warnings-detail", Static).update("")
        info = desk_app(self).header_info
        if info is not None and self.with_sweeps:  # the header counts every warning
            self.query_one(HeaderBar).show(replace(info, warnings=event.total))

    @on(PagedTable.RowHighlighted, "#warnings-table")
    def _highlighted(self, event: PagedTable.RowHighlighted) -> None:
        event.stop()
        warning: EarlyWarning = event.row
        text = Text(warning.message)
        if warning.dispute_id is not None:
            text.append("\n" + _("enter: open the dispute's card"), style="dim")
        elif warning.police_room_id is not None:
            text.append("\n" + _("enter: confirm the room's weekly sweep"), style="dim")
        self.query_one("#warnings-detail", Static).update(text)

    @on(PagedTable.RowSelected, "#warnings-table")
    def _open(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        warning: EarlyWarning = event.row
        if warning.dispute_id is not None:
            self.app.push_screen(DisputeCardScreen(self.ctx, warning.dispute_id))
        elif warning.police_room_id is not None:
            self._sweep(warning.police_room_id)

    def action_sweep(self) -> None:
        table: PagedTable[EarlyWarning] = self.query_one("#warnings-table", PagedTable)
        row = table.highlighted
        self._sweep(row.police_room_id if row is not None else None)

    def _sweep(self, police_room_id: int | None) -> None:
        self.app.push_screen(SweepForm(self.ctx, police_room_id), self._after_sweep)

    def _after_sweep(self, row: SweepRow | None) -> None:
        # The list is read again on resume: the warning of a swept room is gone.
        if row is not None:
            self.app.notify(confirmed_text(row))

    def action_close(self) -> None:
        self.dismiss(None)
