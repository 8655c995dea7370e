"""The residents pane: a paged list of residents with search as you type and their actions.

Typing in the search box replaces the table's source at once; the table runs one read at a
time and keeps only the newest waiting one, so a burst of keys costs at most two queries
and a result for an older text is never shown.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import Input, Static

from policeroom.formatting import number
from policeroom.i18n import _, ngettext
from policeroom.models.people import Gender
from policeroom.services.core.context import ServiceContext
from policeroom.services.people import residents
from policeroom.services.people.residents import ResidentCard, ResidentQuery, ResidentRow
from policeroom.services.people.visits import VisitRow
from policeroom.ui.common.messages import FigureFilterLifted
from policeroom.ui.common.paged_table import Column, PagedTable, TableSource
from policeroom.ui.people.anti_fraud_form import AntiFraudForm
from policeroom.ui.people.duplicates import OpenExisting
from policeroom.ui.people.resident_card import ResidentCardScreen
from policeroom.ui.people.resident_form import ResidentForm
from policeroom.ui.people.resident_lookup import ResidentLookup
from policeroom.ui.people.visit_form import VisitForm


def gender_age(row: ResidentRow, today: date) -> str:
    """``M 45`` / ``男 45``: the gender's short label and the age today."""
    short = {Gender.MALE: _("M"), Gender.FEMALE: _("F")}.get(row.gender, "")
    age = residents.age_on(row.birth_date, today)
    return f"{short} {age}" if age is not None else short


def resident_columns(today: date) -> list[Column[ResidentRow]]:
    return [
        Column("name", _("Name"), lambda r: r.name, width=8, grow=1),
        Column("gender_age", _("Sex/age"), lambda r: gender_age(r, today), width=7),
        Column("phone", _("Phone"), lambda r: r.phone_masked, width=11, drop=2),
        Column("address", _("Address"), lambda r: r.address, width=10, grow=3, drop=4),
        Column("grid", _("Grid"), lambda r: r.grid_name, width=8, grow=1, drop=3),
        Column(
            "anti_fraud",
            _("App"),
            lambda r: Text("✓", style="bold") if r.anti_fraud_installed else "",
            width=4,
            drop=1,
        ),
    ]


class ResidentsPane(Vertical):
    """Residents of the selected grid (and the grids under it), searchable, with their forms."""

    query_filter: var[ResidentQuery] = var(ResidentQuery, init=False)
    """Which residents are listed: the grid on show and the search text."""
    every_grid: var[bool] = var(False, init=False)
    """The search looks in every grid, not only the one selected in the tree."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "search",
            _("Search"),
            tooltip=_("Search by name, pinyin, phone or ID tail"),
            id="residents.search",
        ),
        Binding(
            "escape",
            "clear_search",
            _("Clear"),
            show=False,
            tooltip=_("Clear the search, then a statistics figure's narrowing"),
            id="residents.clear-search",
        ),
        Binding("n", "new", _("New"), tooltip=_("Add a resident"), id="residents.new"),
        Binding(
            "e", "edit", _("Edit"), tooltip=_("Edit the selected resident"), id="residents.edit"
        ),
        Binding(
            "v",
            "visit",
            _("Visit"),
            tooltip=_("Record a visit to the selected or marked residents"),
            id="residents.visit",
        ),
        Binding(
            "f",
            "anti_fraud",
            _("App"),
            tooltip=_("Mark the anti-fraud app as installed"),
            id="residents.anti-fraud",
        ),
        Binding(
            "l",
            "lookup",
            _("Look up"),
            tooltip=_("Find a resident of any police room by full ID number (audited)"),
            id="residents.lookup",
        ),
        Binding(
            "ctrl+g",
            "every_grid",
            _("All grids"),
            tooltip=_("Search every grid, not only the one selected in the tree (again: back)"),
            id="residents.every-grid",
        ),
        Binding(
            "space",
            "mark",
            _("Mark"),
            tooltip=_("Mark or unmark the resident for a visit to several"),
            id="residents.mark",
        ),
    ]

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        id: str | None = "residents",
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.ctx = ctx
        self.border_title = _("Residents")
        # Whether the footer was last drawn with a resident under the cursor.
        self._had_row = False

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder=_("/ search: 张三, zs, zhangsan, phone or ID tail"),
            compact=True,
            id="residents-search",
        )
        yield PagedTable(
            resident_columns(self.ctx.clock.today()),
            source=self._source(),
            row_key=lambda row: row.id,
            empty_text=_("No residents here"),
            id="residents-table",
        )
        yield Static(_("… residents"), id="residents-status")  # until counted

    @property
    def table(self) -> PagedTable[ResidentRow]:
        return self.query_one("#residents-table", PagedTable)

    @property
    def search_box(self) -> Input:
        return self.query_one("#residents-search", Input)

    def focus(self, scroll_visible: bool = True) -> ResidentsPane:
        # At once, as the roster pane does: a key typed right after must find the list.
        self.screen.set_focus(self.table, scroll_visible=scroll_visible)
        return self

    # --- what is listed -------------------------------------------------------------------

    def _source(self) -> TableSource[ResidentRow]:
        ctx, query = self.ctx, self.query_filter
        if self.every_grid:
            query = replace(query, grid_id=None)
        return TableSource(
            count=lambda: residents.count(ctx, query),
            window=lambda offset, limit: residents.window(ctx, query, offset, limit),
        )

    def watch_query_filter(self) -> None:
        self.table.set_source(self._source())
        self._show_status()  # "…" until the new list is counted

    def watch_every_grid(self) -> None:
        self.table.set_source(self._source())
        self._show_status()
        self.refresh_bindings()

    def filter_grid(self, grid_id: int | None) -> None:
        """List the residents of ``grid_id`` and the grids under it (None: everyone)."""
        self.query_filter = replace(self.query_filter, grid_id=grid_id)

    def reload(self) -> None:
        """Read the list again (after a save), keeping the cursor."""
        self.table.reload()

    @on(Input.Changed, "#residents-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_filter = replace(self.query_filter, text=event.value.strip())

    @on(Input.Submitted, "#residents-search")
    def _search_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    @on(PagedTable.Loaded, "#residents-table")
    def _counted(self, event: PagedTable.Loaded) -> None:
        self._show_status()
        self._offer_row_keys(self.table.highlighted is not None)

    def _show_status(self) -> None:
        total = self.table.total
        if total is None:
            # The rows come first; the count follows them (``PagedTable``).
            parts = [_("… residents")]
        else:
            parts = [ngettext("{n} resident", "{n} residents", total).format(n=number(total))]
        marked = len(self.table.marked)
        if marked:
            parts.append(_("{n} marked").format(n=marked))
        narrowed = self._narrowed_text()
        if narrowed:
            parts.append(narrowed)
        if self.query_filter.text and self.query_filter.grid_id is not None:
            # A search limited to the tree's grid says so, and how to widen it.
            parts.append(
                _("in every grid")
                if self.every_grid
                else _("only in the grid selected in the tree; ctrl+g: every grid")
            )
        self.query_one("#residents-status", Static).update(Text(" · ".join(parts)))

    # --- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new", "edit", "visit", "anti_fraud") and not self.ctx.actor.can_write:
            return False
        if action in ("edit", "anti_fraud", "mark") and self.table.highlighted is None:
            return None
        if action == "visit" and self.table.highlighted is None and not self.table.marked:
            return None
        if action == "clear_search" and not self.search_box.value and not self._narrowed_text():
            return False
        if action == "every_grid" and self.query_filter.grid_id is None:
            return None
        return True

    @on(PagedTable.RowHighlighted, "#residents-table")
    def _highlighted(self, event: PagedTable.RowHighlighted) -> None:
        self._offer_row_keys(True)

    def _offer_row_keys(self, has_row: bool) -> None:
        # The keys offered change only when the cursor gains or loses a row; redrawing the
        # footer on every move would resend it over the link for each key.
        if has_row != self._had_row:
            self._had_row = has_row
            self.refresh_bindings()

    def action_search(self) -> None:
        # At once: what is typed right after "/" (in the same burst over SSH) is the search.
        self.screen.set_focus(self.search_box)

    def action_clear_search(self) -> None:
        if not self.search_box.value and self._narrowed_text():
            # after the search, a statistics figure's narrowing ("visited in …") goes, and
            # with it the officer, back to the statistics the figure was chosen on
            self.show_only()
            self._show_status()
            self.post_message(FigureFilterLifted("residents"))
        self.search_box.value = ""
        self.table.focus()

    def show_only(
        self,
        visited_in: tuple[date, date] | None = None,
        *,
        not_visited: bool = False,
        installed_in: tuple[date, date] | None = None,
    ) -> None:
        """List only the residents a visit of ``visited_in`` met (``not_visited``: none
        met), or who installed the anti-fraud app in ``installed_in``; nothing: everyone."""
        self.query_filter = replace(
            self.query_filter,
            visited_in=visited_in,
            not_visited=not_visited and visited_in is not None,
            installed_in=installed_in,
        )

    def _narrowed_text(self) -> str:
        """The status line's words for a statistics figure's narrowing ("" without one)."""
        query = self.query_filter
        if query.visited_in is not None:
            first, last = query.visited_in
            words = (
                _("not visited {first} – {last} (esc: statistics)")
                if query.not_visited
                else _("visited {first} – {last} (esc: statistics)")
            )
            return words.format(first=f"{first:%Y-%m-%d}", last=f"{last:%Y-%m-%d}")
        if query.installed_in is not None:
            first, last = query.installed_in
            return _("installed the app {first} – {last} (esc: statistics)").format(
                first=f"{first:%Y-%m-%d}", last=f"{last:%Y-%m-%d}"
            )
        return ""

    def action_every_grid(self) -> None:
        self.every_grid = not self.every_grid

    def action_mark(self) -> None:
        self.table.toggle_mark()
        self._show_status()

    @on(PagedTable.RowSelected, "#residents-table")
    def _open(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        self.open_card(event.row.id)

    def action_new(self) -> None:
        self.app.push_screen(
            ResidentForm(self.ctx, grid_id=self.query_filter.grid_id), self._after_screen
        )

    def action_edit(self) -> None:
        row = self.table.highlighted
        if row is None:
            return
        self.app.push_screen(ResidentForm(self.ctx, resident_id=row.id), self._after_screen)

    def action_visit(self) -> None:
        chosen = self.table.marked or [row for row in [self.table.highlighted] if row is not None]
        if chosen:
            self.app.push_screen(VisitForm(self.ctx, chosen), self._after_visit)

    def _after_visit(self, visit: VisitRow | None) -> None:
        if visit is not None:
            self.table.clear_marks()  # the marks were for this visit
        self._after_screen(visit)

    def action_anti_fraud(self) -> None:
        row = self.table.highlighted
        if row is None:
            return
        self.app.push_screen(AntiFraudForm.for_row(self.ctx, row), self._after_screen)

    def action_lookup(self) -> None:
        self.app.push_screen(ResidentLookup(self.ctx), self._after_lookup)

    def _after_lookup(self, card: ResidentCard | None) -> None:
        if card is not None:
            self.app.push_screen(ResidentCardScreen(self.ctx, card.id, card), self._after_screen)

    def open_card(self, resident_id: int) -> None:
        """Show the card of one resident (also used by the palette's jump to a resident)."""
        self.app.push_screen(ResidentCardScreen(self.ctx, resident_id), self._after_screen)

    def _after_screen(self, result: object) -> None:
        if isinstance(result, OpenExisting):
            self.open_card(result.resident_id)
        elif result is not None and result is not False:
            self.reload()
        self._show_status()
