"""Statistics (统计): the branch's figures by station → police room → grid, for a period.

A read-only screen on key ``5`` for supervisors and headquarters (a desk officer sees their
own room: the service keeps to the actor's scope). One read per period fetches every level
at once (one grouped query per figure family); drilling down and sorting then work on what
was read, so they cost no database time. ``enter`` goes down a level, ``escape`` back up;
``p`` steps the period (week, month, quarter, year to date) and ``c`` asks for one from a
day to a day; ``s`` ranks the rows by the next column and ``r`` turns the ranking round;
``g`` charts what is shown, and on a grid's row a supervisor's ``t`` sets its targets.
Period figures carry their change against the period before (↑/↓); anti-fraud installs,
visits and resolved disputes show the share of their target where one is set. The screen
reads only; targets are the one thing set from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from policeroom.i18n import N_, _
from policeroom.services.core.context import ServiceContext
from policeroom.services.org import grids
from policeroom.services.org.targets import TARGET_ROLES
from policeroom.services.reports import stats
from policeroom.services.reports.figure_lists import Unit
from policeroom.services.reports.stats import Level, StatsReport, StatsRow, StatsSnapshot
from policeroom.services.reports.stats_counts import FIGURE_LABELS, MAIN_FIGURES
from policeroom.ui.common.areas import area_bindings
from policeroom.ui.common.header_bar import HeaderBar
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.stats import STYLESHEET as stats_sheet
from policeroom.ui.stats import messages
from policeroom.ui.stats.periods import PERIODS, period, period_label
from policeroom.ui.stats.stats_table import StatsTable

CUSTOM = "custom"
FIRST_FIGURE = 2  # the columns before the figures: the rank and the unit's name
# The columns, in the order a supervisor reads them; the table scrolls sideways at 80.
# "Not visited" beside "visited": whom a grid's officer has still to see (⏎ lists them).
_VISITED = MAIN_FIGURES.index("residents_visited") + 1
COLUMNS = (
    *MAIN_FIGURES[:_VISITED],
    "residents_not_visited",
    *MAIN_FIGURES[_VISITED:],
    "share_met",
)
SHORT_LABELS = {
    "residents": N_("Resid."),
    "visits": N_("Visits"),
    "residents_visited": N_("Visited"),
    "residents_not_visited": N_("Not vis."),
    "anti_fraud_installs": N_("App"),
    "disputes_registered": N_("New"),
    "disputes_resolved": N_("Solved"),
    "disputes_open": N_("Unresolved"),
    "disputes_overdue": N_("Overdue"),
    "early_warnings": N_("Warn."),
    "missing_sweeps": N_("Sweeps"),
    "calls": N_("1-3-5"),
    "share_met": N_("In time"),
}
# What ``s`` ranks by, in turn; after the last the rows go back to their own order.
RANKINGS = (
    "anti_fraud_installs",
    "progress_anti_fraud_installs",
    "visits",
    "residents_visited",
    "disputes_overdue",
    "early_warnings",
    "share_met",
    "residents",
)
TARGETED = {"visits", "anti_fraud_installs", "disputes_resolved"}


@dataclass(frozen=True)
class Place:
    """Where the table is: a level and what narrows it, with the path shown above."""

    level: Level
    title: str
    station_id: int | None = None
    room_id: int | None = None
    grid_code: str | None = None


def _load(found: StatsSnapshot, place: Place) -> None:
    stats.load(
        found,
        place.level,
        station_id=place.station_id,
        room_id=place.room_id,
        grid_code=place.grid_code,
    )


@dataclass(frozen=True)
class StatsView:
    """Where the screen was (period, level, ranking, cell), to open it there again after a
    figure's records took its place in the desk's panes."""

    period_kind: str
    custom: tuple[date, date] | None
    places: tuple[Place, ...]
    ranking: str | None
    descending: bool
    cell: tuple[int, int]


def ranking_label(key: str) -> str:
    if key == "share_met":
        return _("Share in time")
    if key.startswith("progress_"):
        figure = key.removeprefix("progress_")
        return _("{figure} progress").format(figure=_(FIGURE_LABELS[figure]))
    return _(FIGURE_LABELS[key])


def cell(row: StatsRow, key: str) -> Text:
    """One figure, with its change against the period before and its target's share."""
    if key == "share_met":
        share = row.share_met
        return Text("—" if share is None else f"{share:.0%}", justify="right")
    text = Text(str(row.get(key)), justify="right")
    change = row.change(key)
    if change:
        text.append(f" ↑{change}" if change > 0 else f" ↓{-change}", style="dim")
    if key in TARGETED:
        progress = row.progress(key)
        if progress is not None:
            text.append(f" {progress:.0%}", style="bold" if progress >= 1 else "")
    if key == "disputes_overdue" and row.get(key):
        text.stylize("bold red")
    return text


def row_name(row: StatsRow) -> str:
    if row.kind == "total":
        return _("Total")
    if row.kind in ("room_itself", "grid_itself"):
        return _("(itself)")
    if row.kind == "unassigned":
        return _("(no police room)")
    return row.name or row.code


class StatsScreen(Screen[None]):
    """The figures of one level for one period, ranked on request."""

    CSS_PATH = stats_sheet
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "up",
            _("Back"),
            tooltip=_("Up a level; at the top, back to the main screen"),
            id="stats.up",
        ),
        Binding(
            "p",
            "next_period",
            _("Period"),
            tooltip=_("This week, month, quarter or year, in turn"),
            id="stats.period",
        ),
        Binding(
            "c",
            "custom_period",
            _("From–to"),
            tooltip=_("Figures for a period of your choosing"),
            id="stats.custom_period",
        ),
        Binding(
            "g",
            "charts",
            _("Charts"),
            tooltip=_("Disputes by month, installs by week, 1-3-5 by tier, for what is shown"),
            id="stats.charts",
        ),
        Binding(
            "s",
            "rank",
            _("Rank"),
            tooltip=_("Rank the rows by the next column, in turn"),
            id="stats.rank",
        ),
        Binding(
            "r",
            "reverse",
            _("Reverse"),
            tooltip=_("Turn the ranking round"),
            id="stats.reverse",
            # in help and the palette: at 80 columns the footer had it only now and then,
            # as the other keys' words left room
            show=False,
        ),
        Binding(
            "t",
            "targets",
            _("Targets"),
            tooltip=_("Set or change the highlighted grid's targets for the period"),
            id="stats.targets",
        ),
        # 1 to 4 choose an area on the main screen; here too, so that the statistics are the
        # fifth of them, not a screen to back out of first. Their place is kept for ``5``.
        *area_bindings("area", "stats.area-{key}"),
    ]

    def __init__(self, ctx: ServiceContext, view: StatsView | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.period_kind = "quarter"
        self.custom: tuple[date, date] | None = None  # the officer's own period (``c``)
        self.snapshot: StatsSnapshot | None = None
        self.places = [Place("station", _("Branch"))]
        self.ranking: str | None = None
        self.descending = True
        self.shown: list[StatsRow] = []
        self.cell_wanted: tuple[int, int] | None = None  # where the cursor goes once read
        if view is not None:
            self.period_kind, self.custom = view.period_kind, view.custom
            self.places = list(view.places)
            self.ranking, self.descending = view.ranking, view.descending
            self.cell_wanted = view.cell

    def view(self) -> StatsView:
        """Where the screen is now."""
        table = self.query_one(DataTable)
        return StatsView(
            self.period_kind,
            self.custom,
            tuple(self.places),
            self.ranking,
            self.descending,
            (table.cursor_row, table.cursor_column),
        )

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        yield Static("", id="stats-where")
        # a cell cursor: ``enter`` on a unit's name goes down a level, on a figure opens
        # the records it counts
        table = StatsTable(id="stats-table", cursor_type="cell")
        table.fixed_columns = FIRST_FIGURE  # the rank and name stay while → scrolls figures
        table.border_title = _("Statistics")
        yield table
        yield Static("", id="stats-note")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("#", key="rank")
        table.add_column(_("Unit"), key="name")
        for key in COLUMNS:
            label = _(SHORT_LABELS[key])
            table.add_column(Text(label, justify="right"), key=key)
        table.focus()
        self._read()

    # --- reading --------------------------------------------------------------------------

    def _read(self) -> None:
        self.snapshot = None
        self._say(_("Reading …"))
        if self.period_kind == CUSTOM and self.custom is not None:
            date_from, date_to = self.custom
        else:
            date_from, date_to = period(self.period_kind, self.ctx.clock.today())
        self._read_snapshot(date_from, date_to, tuple(self.places))

    @service_worker(messages.READ)
    def _read_snapshot(
        self, date_from: date, date_to: date, places: tuple[Place, ...]
    ) -> messages.SnapshotRead:
        found = stats.snapshot(self.ctx, date_from, date_to)
        for place in places:  # the levels drilled into: their grids read here, not on show
            _load(found, place)
        return messages.SnapshotRead(found)

    @service_worker(messages.DRILL)
    def _drill(self, found: StatsSnapshot, place: Place) -> messages.Drilled:
        _load(found, place)
        return messages.Drilled(found, place)

    @on(messages.Drilled)
    def _drilled(self, message: messages.Drilled) -> None:
        if message.snapshot is not self.snapshot or not isinstance(message.place, Place):
            return  # read for a period since left: the new period's read has it
        self.places.append(message.place)
        self.query_one(DataTable).move_cursor(row=0)
        self._show()

    @on(messages.SnapshotRead)
    def _got(self, message: messages.SnapshotRead) -> None:
        self.snapshot = message.snapshot
        self._show()
        if self.cell_wanted is not None:
            # once the rows are laid out: moved now, the scroll to the cell met a table not
            # yet as wide as its columns and stopped short of the last ones
            self.call_after_refresh(self._to_cell_wanted)

    def _to_cell_wanted(self) -> None:
        if self.cell_wanted is not None:
            row, column = self.cell_wanted
            self.cell_wanted = None
            self.query_one(DataTable).move_cursor(row=row, column=column)

    @on(ServiceFailed)
    def _failed(self, message: ServiceFailed) -> None:
        message.stop()
        self._say(message.text)

    # --- showing --------------------------------------------------------------------------

    def report(self) -> StatsReport | None:
        if self.snapshot is None:
            return None
        place = self.places[-1]
        return stats.rows_of(
            self.snapshot,
            place.level,
            station_id=place.station_id,
            room_id=place.room_id,
            grid_code=place.grid_code,
        )

    def _show(self) -> None:
        found = self.report()
        if found is None:
            return
        rows = list(found.rows)
        if self.ranking is not None:
            key = self.ranking
            rows.sort(key=lambda row: row.sort_value(key), reverse=self.descending)
        self.shown = rows
        table = self.query_one(StatsTable)
        cursor = table.cursor_row
        table.clear()
        for index, row in enumerate(rows):
            rank = str(index + 1) if self.ranking is not None else ""
            name = Text(row_name(row), style="bold" if row.has_children else "")
            table.add_row(rank, name, *(cell(row, key) for key in COLUMNS), key=str(index))
        total = found.total
        table.add_row(
            "",
            Text(row_name(total), style="bold"),
            *(cell(total, key) for key in COLUMNS),
            key="total",
        )
        self._fit_columns(table, rows, total)
        table.move_cursor(row=min(cursor, max(len(rows) - 1, 0)))
        path = " › ".join(place.title for place in self.places)
        dates = f"{found.date_from:%Y-%m-%d} – {found.date_to:%Y-%m-%d}"
        self.query_one("#stats-where", Static).update(
            Text(f"{path}  ·  {self._period_words()}{dates}")
        )
        if self.ranking is None:
            note = _("↑/↓: against {start} – {end}").format(
                start=f"{found.previous_from:%m-%d}", end=f"{found.previous_to:%m-%d}"
            )
        else:
            note = _("Ranked by {column}, {order}").format(
                column=ranking_label(self.ranking),
                order=_("highest first") if self.descending else _("lowest first"),
            )
        self._say(note)

    def _fit_columns(self, table: StatsTable, rows: list[StatsRow], total: StatsRow) -> None:
        """Each column as wide as its widest cell, set now: DataTable measures new rows only
        when its queue is next idle, and a screen drawn before that (a busy machine) showed
        every column at its heading's width, the figures cut."""
        every = [*rows, total]
        widths = {
            "rank": max(1, len(str(len(rows)))),
            "name": max(cell_len(row_name(row)) for row in every),
        }
        for key in COLUMNS:
            widths[key] = max(cell(row, key).cell_len for row in every)
        table.set_widths(
            {
                str(column.key.value): max(
                    widths.get(str(column.key.value), 1), cell_len(str(column.label))
                )
                for column in table.columns.values()
            }
        )

    def _say(self, text: str) -> None:
        self.query_one("#stats-note", Static).update(text)

    # --- keys -----------------------------------------------------------------------------

    def action_down(self) -> None:
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row >= len(self.shown):
            return
        row = self.shown[table.cursor_row]
        if table.cursor_column >= FIRST_FIGURE:
            self._records(row, COLUMNS[table.cursor_column - FIRST_FIGURE])
            return
        title = row_name(row)
        if row.kind == "station":
            place = Place("room", title, station_id=row.id)
        elif row.kind == "room" and row.id is not None:
            place = Place("grid", title, room_id=row.id)
        elif row.kind == "grid" and row.has_children:
            place = Place("grid", title, grid_code=row.code)
        else:
            self.notify(_("Nothing below {name}").format(name=title))
            return
        if self.snapshot is not None:
            # the level below is read in a worker (a room's or a grid's grids), then shown
            self._drill(self.snapshot, place)

    def _records(self, row: StatsRow, figure: str) -> None:
        """The records behind ``figure`` of a row: in the desk's panes (a grid's or a room's
        row), or in a list of their own over this screen (``figure_records`` says which)."""
        main = getattr(self.app, "main_screen", None)
        found = self.report()
        unit = self._unit(row)
        if main is not None and found is not None and main.has_figure_list(figure):
            if unit is None:
                self.notify(_("The records open for a station's, a police room's or a grid's row"))
                return
            where = " › ".join([*(place.title for place in self.places), row_name(row)])
            dates = f"{found.date_from:%Y-%m-%d} – {found.date_to:%Y-%m-%d}"
            main.open_figure_list(
                figure,
                unit,
                found.date_from,
                found.date_to,
                f"{where}  ·  {self._period_words()}{dates}",
                self._list_closed,
            )
            return
        if main is None or not main.lists_records(figure):
            self.notify(
                _("No list of {figure} yet: ⏎ on a name opens the level below").format(
                    figure=ranking_label(figure)
                )
            )
            return
        if row.kind not in ("grid", "room") or row.id is None:
            self.notify(_("The records open for a police room's or a grid's row"))
            return
        self._open_records(row.kind, row.id, figure, row_name(row))

    def _list_closed(self, changed: bool | None) -> None:
        if changed:  # a sweep confirmed, a visit or a call recorded: the figures again
            self.cell_wanted = self.view().cell
            self._read()

    def _unit(self, row: StatsRow) -> Unit | None:
        """The station, room or grid a row stands for (a room's own remainder: the room's)."""
        if row.kind in ("station", "room", "grid") and row.id is not None:
            return Unit(row.kind, row.id)
        room_id = self.places[-1].room_id
        if row.kind == "room_itself" and room_id is not None:
            return Unit("room_itself", room_id)
        return None

    @service_worker(messages.RECORDS)
    def _open_records(
        self, kind: str, unit_id: int, figure: str, name: str
    ) -> messages.RecordsFound:
        found = [unit_id] if kind == "grid" else grids.room_grids(self.ctx, unit_id)
        return messages.RecordsFound(found, figure, room=kind == "room", name=name)

    @on(messages.RecordsFound)
    def _records_found(self, message: messages.RecordsFound) -> None:
        found = self.report()
        main = getattr(self.app, "main_screen", None)
        if found is None or main is None:
            return
        if len(message.grid_ids) != 1:
            # a room on several villages: its records are those of each, one at a time
            self.notify(_("This police room has several grids: ⏎ on its name, then a grid"))
            return
        view = self.view()
        self.dismiss()
        main.show_records(
            message.grid_ids[0],
            message.figure,
            found.date_from,
            found.date_to,
            room=message.room,
            name=message.name,
            back=view,
        )

    def action_up(self) -> None:
        if len(self.places) == 1:
            self.dismiss()
            return
        self.places.pop()
        self.query_one(DataTable).move_cursor(row=0)
        self._show()

    def action_area(self, area: str) -> None:
        main = getattr(self.app, "main_screen", None)
        if main is None:
            return
        view = self.view()
        self.dismiss()
        main.stats_back = view
        main.action_focus_area(area)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "targets":
            if self.ctx.actor.role not in TARGET_ROLES:
                return False  # not shown: a desk officer is measured by targets, not setting them
            # shown on a grid's row only, so that the footer keeps room for the others
            return self._grid_row() is not None
        return True

    @on(DataTable.CellSelected)
    def _selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_down()

    @on(DataTable.CellHighlighted)
    def _row_moved(self) -> None:
        self.refresh_bindings()  # `t` is a grid row's key

    def _grid_row(self) -> StatsRow | None:
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row >= len(self.shown):
            return None
        row = self.shown[table.cursor_row]
        return row if row.kind == "grid" and row.id is not None else None

    def action_targets(self) -> None:
        row = self._grid_row()
        found = self.report()
        if row is None or row.id is None or found is None:
            return
        from policeroom.ui.stats.target_form import TargetForm

        form = TargetForm(self.ctx, row.id, row_name(row), found.date_from, found.date_to)
        self.app.push_screen(form, self._targets_saved)

    def _targets_saved(self, saved: object) -> None:
        if saved is not None:
            self.notify(_("Targets saved"))
            self._read()  # the progress shares change with them

    def _period_words(self) -> str:
        return "" if self.period_kind == CUSTOM else f"{period_label(self.period_kind)} "

    def action_custom_period(self) -> None:
        found = self.report()
        today = self.ctx.clock.today()
        start, end = (found.date_from, found.date_to) if found else (today, today)
        from policeroom.ui.stats.period_form import PeriodForm

        self.app.push_screen(PeriodForm(self.ctx, start, end), self._period_chosen)

    def _period_chosen(self, chosen: tuple[date, date] | None) -> None:
        if chosen is not None:
            self.period_kind, self.custom = CUSTOM, chosen
            self._read()

    def action_charts(self) -> None:
        found = self.report()
        if found is None:
            return
        # Imported when first asked for: plotext is not needed to read the figures.
        from policeroom.ui.stats.charts_screen import ChartsScreen

        place = self.places[-1]
        where = " › ".join(p.title for p in self.places)
        self.app.push_screen(
            ChartsScreen(
                self.ctx,
                found.date_from,
                found.date_to,
                where,
                place.grid_code,
                room_id=place.room_id,
                station_id=place.station_id,
            )
        )

    def action_next_period(self) -> None:
        if self.period_kind == CUSTOM:
            self.period_kind = PERIODS[0]
        else:
            self.period_kind = PERIODS[(PERIODS.index(self.period_kind) + 1) % len(PERIODS)]
        self._read()

    def action_rank(self) -> None:
        if self.ranking is None:
            self.ranking = RANKINGS[0]
        else:
            at = RANKINGS.index(self.ranking) + 1
            self.ranking = RANKINGS[at] if at < len(RANKINGS) else None
        self.descending = True
        self._show()

    def action_reverse(self) -> None:
        if self.ranking is None:
            self.ranking = RANKINGS[0]
        else:
            self.descending = not self.descending
        self._show()
