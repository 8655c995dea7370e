"""The disputes pane (纠纷): the ledger of the selected grid, a page at a time.

Filters (status, risk, category, period, needs action) and the search narrow the list; the
grid comes from the main screen's tree. Risk and deadline show at a glance through component
classes (``disputes-pane--high-risk``, ``--overdue``, ``--due-soon``, ``--on-time``,
``--closed``) styled in ``disputes.tcss``. The pane opens the ledger's own screens: the card,
the registration form, the filter, the weekly sweep and the export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import Input, Static

from policeroom.i18n import _, ngettext
from policeroom.labels import label, short_label
from policeroom.models.disputes import DisputeStatus, RiskGrade
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import ledger
from policeroom.services.disputes.entries import Saved
from policeroom.services.disputes.ledger import DisputeQuery, DisputeRow
from policeroom.services.disputes.rules import DeadlineState
from policeroom.services.disputes.sweeps import SweepRow
from policeroom.ui.common.messages import FigureFilterLifted
from policeroom.ui.common.paged_table import Column, PagedTable, TableSource
from policeroom.ui.disputes.dispute_card import DisputeCardScreen
from policeroom.ui.disputes.dispute_filter import DisputeFilter, DisputeFilterScreen
from policeroom.ui.disputes.dispute_form import DisputeForm
from policeroom.ui.disputes.ledger_export import LedgerExportScreen
from policeroom.ui.disputes.sweep_form import SweepForm, confirmed_text

DEADLINE_CLASSES = {
    DeadlineState.ON_TIME: "disputes-pane--on-time",
    DeadlineState.DUE_SOON: "disputes-pane--due-soon",
    DeadlineState.OVERDUE: "disputes-pane--overdue",
    DeadlineState.CLOSED: "disputes-pane--closed",
}


def status_width() -> int:
    """Room for the longest status in the interface language, but at most 11 cells: at 80
    columns the risk grade needs the rest (a longer status ends in "…"; its colour and the
    card keep the whole)."""
    return min(11, max(cell_len(label(status)) for status in DisputeStatus))


class DisputesPane(Vertical):
    """Disputes of the selected grid and the grids under it, newest first."""

    grid_id: var[int | None] = var(None, always_update=True, init=False)
    """The grid on show (None: every grid); set again, the list is read afresh from the top."""
    text: var[str] = var("", init=False)
    """What the search box holds, trimmed."""
    filter: var[DisputeFilter] = var(DisputeFilter, init=False)
    """Status, risk, category, period and "needs action" chosen for the list."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "disputes-pane--high-risk",
        *DEADLINE_CLASSES.values(),
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
            tooltip=_("Clear the search, then the filter"),
            id="disputes.clear-search",
        ),
        Binding("n", "new", _("New"), tooltip=_("Register a dispute"), id="disputes.new"),
        Binding(
            "f",
            "filter",
            _("Filter"),
            tooltip=_("Filter disputes by status, risk, category and period"),
            id="disputes.filter",
        ),
        Binding(
            "exclamation_mark",
            "toggle_needs_action",
            _("Needs action"),
            show=False,
            tooltip=_("Show only the disputes that need action, or all again"),
            id="disputes.needs-action",
        ),
        Binding(
            "w",
            "screen.warnings",
            _("Warnings"),
            tooltip=_("Early warnings: everything in the ledger that needs action"),
            id="disputes.warnings",
        ),
        Binding(
            "x",
            "export",
            _("Export"),
            show=False,
            tooltip=_("Export the ledger of a period and grid to CSV or XLSX"),
            id="disputes.export",
        ),
        Binding(
            "ctrl+w",
            "sweep",
            _("Sweep"),
            show=False,
            tooltip=_("Confirm the weekly dispute sweep of a police room, or a nil report"),
            id="disputes.sweep",
        ),
    ]

    def __init__(self, ctx: ServiceContext, *, id: str | None = "disputes") -> None:
        super().__init__(id=id, classes="pane")
        self.ctx = ctx
        self.border_title = _("Disputes")
        # The filter a statistics figure set (``show_only``): while the list keeps it,
        # ``escape`` lifts it and goes back to the statistics; one the officer chose stays
        self._figure_filter: DisputeFilter | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder=_("/ search: JF-2022-0012, 张三, zs"),
            compact=True,
            id="disputes-search",
        )
        # No source yet: the list is read once the main screen tells the grid, which a pane
        # hidden behind its tab is told only when it is shown.
        yield PagedTable(
            self._columns(),
            empty_text=_("No disputes here"),
            id="disputes-table",
        )
        yield Static(_("… disputes"), id="disputes-status")  # until counted

    @property
    def table(self) -> PagedTable[DisputeRow]:
        return self.query_one("#disputes-table", PagedTable)

    @property
    def ledger_query(self) -> DisputeQuery:
        """What the list shows now."""
        f = self.filter
        return DisputeQuery(
            grid_id=self.grid_id,
            status=f.status,
            risk=f.risk,
            category=f.category,
            date_from=f.date_from,
            date_to=f.date_to,
            needs_action=f.needs_action,
            text=self.text,
            open_only=f.open_only,
            overdue_only=f.overdue,
        )

    def focus(self, scroll_visible: bool = True) -> DisputesPane:
        # At once, as the roster pane does: a key typed right after must find the list.
        self.screen.set_focus(self.table, scroll_visible=scroll_visible)
        return self

    def filter_grid(self, grid_id: int | None) -> None:
        """Show the disputes of ``grid_id`` and every grid under it (None: all)."""
        self.grid_id = grid_id

    def watch_grid_id(self) -> None:
        self._requery()

    def watch_text(self) -> None:
        self._requery()

    def watch_filter(self) -> None:
        self._requery()

    def _requery(self) -> None:
        self.table.set_source(self._source())
        self._show_status(None)  # "…" until the new list is counted

    def reload(self) -> None:
        """Read the list again, keeping the cursor."""
        self.table.reload()

    # --- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new", "sweep") and not self.ctx.actor.can_write:
            return False
        return True

    def action_search(self) -> None:
        # At once: what is typed right after "/" (in the same burst over SSH) is the search.
        self.screen.set_focus(self.query_one("#disputes-search", Input))

    def show_only(self, only: DisputeFilter) -> None:
        """The disputes ``only`` lets through, whatever was searched before: a search left in
        the box would narrow the list under a figure that does not count it."""
        self.query_one("#disputes-search", Input).value = ""
        self.text = ""
        self._figure_filter = only
        self.filter = only

    @property
    def figure_filtered(self) -> bool:
        """True while the list keeps the filter a statistics figure set."""
        return self.filter.active and self.filter == self._figure_filter

    def action_clear_search(self) -> None:
        search = self.query_one("#disputes-search", Input)
        if search.value:
            search.value = ""
        elif self.filter.active:
            figure = self.figure_filtered
            self._figure_filter = None
            self.filter = DisputeFilter()
            if figure:
                self.post_message(FigureFilterLifted("disputes"))
        self.table.focus()

    def action_new(self) -> None:
        self.app.push_screen(DisputeForm(self.ctx, grid_id=self.grid_id), self._after_new)

    def _after_new(self, saved: Saved | None) -> None:
        if saved is not None:
            self.app.notify(_("Dispute {number} registered.").format(number=saved.number))
            self.open_card(saved.id)

    def action_filter(self) -> None:
        self.app.push_screen(DisputeFilterScreen(self.filter, self.ctx.clock), self._after_filter)

    def _after_filter(self, chosen: DisputeFilter | None) -> None:
        if chosen is not None:
            self.filter = chosen
        self.table.focus()

    def action_toggle_needs_action(self) -> None:
        self.filter = replace(self.filter, needs_action=not self.filter.needs_action)

    def action_export(self) -> None:
        self.app.push_screen(LedgerExportScreen(self.ctx, self.ledger_query))

    def action_sweep(self) -> None:
        self.app.push_screen(SweepForm(self.ctx), self._after_sweep)

    def _after_sweep(self, row: SweepRow | None) -> None:
        if row is not None:
            self.app.notify(confirmed_text(row))

    def open_card(self, dispute_id: int) -> None:
        """Open the card of one dispute (the main screen reads the list again when it closes)."""
        self.app.push_screen(DisputeCardScreen(self.ctx, dispute_id))

    # --- events -------------------------------------------------------------------------

    @on(Input.Changed, "#disputes-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.text = event.value.strip()

    @on(Input.Submitted, "#disputes-search")
    def _search_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    @on(PagedTable.RowSelected, "#disputes-table")
    def _open(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        self.open_card(event.row.id)

    def on_paged_table_loaded(self, event: PagedTable.Loaded) -> None:
        event.stop()
        self._show_status(event.total)

    def _show_status(self, total: int | None) -> None:
        status = self.query_one("#disputes-status", Static)
        if total is None:
            # The rows come first; the count follows them (``PagedTable``).
            text = Text(_("… disputes"))
        else:
            text = Text(ngettext("{n} dispute", "{n} disputes", total).format(n=total))
        described = self.filter.describe()
        if described:
            text.append(" · " + described + " ")
            back = self.figure_filtered
            text.append(_("(esc: statistics)") if back else _("(esc clears)"), style="dim")
        status.update(text)
        status.set_class(bool(described), "-filtered")

    # --- the list -----------------------------------------------------------------------

    def _source(self) -> TableSource[DisputeRow]:
        query = self.ledger_query
        ctx = self.ctx

        def window(offset: int, limit: int) -> Sequence[DisputeRow]:
            return ledger.window(ctx, query, offset, limit)

        return TableSource(count=lambda: ledger.count(ctx, query), window=window)

    def _deadline_style(self, row: DisputeRow) -> Style:
        return self.get_component_rich_style(DEADLINE_CLASSES[row.deadline_state], partial=True)

    def _risk(self, row: DisputeRow) -> Text:
        style: Style | str = ""
        if row.risk == RiskGrade.HIGH:
            style = self.get_component_rich_style("disputes-pane--high-risk", partial=True)
        return Text(short_label(row.risk), style=style)

    def _status(self, row: DisputeRow) -> Text:
        return Text(label(row.status), style=self._deadline_style(row))

    def _deadline(self, row: DisputeRow) -> Text:
        due = f"{row.due_on:%m-%d}" if row.due_on else "—"
        return Text(due, style=self._deadline_style(row))

    def _number(self, row: DisputeRow) -> Text:
        # When the risk column does not fit (80 columns), a high risk still shows here.
        style: Style | str = ""
        if row.risk == RiskGrade.HIGH:
            style = self.get_component_rich_style("disputes-pane--high-risk", partial=True)
        return Text(row.number, style=style)

    def _columns(self) -> list[Column[DisputeRow]]:
        return [
            Column("number", _("No."), self._number, width=12, drop=2),
            Column(
                "parties",
                _("Parties"),
                lambda r: r.parties_text,
                width=max(6, cell_len(_("Parties"))),  # the heading whole, as Category's
                grow=3,
            ),
            Column("risk", _("Risk"), self._risk, width=4, drop=3),
            Column("status", _("Status"), self._status, width=status_width(), drop=1),
            Column("deadline", _("Due"), self._deadline, width=5),
            Column(
                "category",
                _("Category"),
                lambda r: label(r.category),
                # never narrower than its heading: "Categ…" was cut mid-word
                width=max(6, cell_len(_("Category"))),
                grow=1,
                drop=4,
            ),
            Column(
                "reported", _("Reported"), lambda r: f"{r.reported_on:%Y-%m-%d}", width=10, drop=5
            ),
            Column("grid", _("Grid"), lambda r: r.grid_name, width=6, grow=1, drop=6),
            Column("next", _("Next step"), lambda r: r.next_action, width=10, grow=2, drop=7),
        ]
