"""The main screen: the grid tree on the left, residents, disputes and roster beside it.

Below 120 columns (or 36 lines) the three panes share the space as tabs; wider, residents
take the top and disputes and roster sit side by side below. The panes are the same widgets
either way; only classes and styles change, so nothing is read twice on a resize.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import PurePath
from typing import ClassVar, Protocol

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static, Tab, Tabs

from policeroom.i18n import _, ngettext
from policeroom.services.core import audit
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import warnings
from policeroom.services.org import grids
from policeroom.services.org import structure as org
from policeroom.services.org.grids import GridNode
from policeroom.services.reports.figure_lists import Unit
from policeroom.ui.audit.audit_screen import AuditScreen
from policeroom.ui.common.areas import AREAS, DISPUTES, RESIDENTS, ROSTER, TREE, area_bindings
from policeroom.ui.common.desk import HeaderInfo, desk_app
from policeroom.ui.common.header_bar import HeaderBar
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.keys import Area
from policeroom.ui.common.messages import FigureFilterLifted
from policeroom.ui.common.workers import service_worker
from policeroom.ui.disputes import STYLESHEET as disputes_sheet
from policeroom.ui.disputes.disputes_pane import DisputesPane
from policeroom.ui.disputes.early_warnings import EarlyWarningsScreen
from policeroom.ui.duty import STYLESHEET as duty_sheet
from policeroom.ui.duty.roster_pane import RosterPane
from policeroom.ui.org.grid_tree import GridTree
from policeroom.ui.people import STYLESHEET as people_sheet
from policeroom.ui.people.residents_pane import ResidentsPane
from policeroom.ui.shell import STYLESHEET as shell_sheet
from policeroom.ui.shell import figure_records, messages
from policeroom.ui.stats.stats_screen import StatsScreen, StatsView

PANES = (RESIDENTS, DISPUTES, ROSTER)
# How long the tree's cursor must rest on a grid before the panes read it: holding ``down``
# through the tree then costs one read, not one per grid passed.
GRID_REST = 0.2


class GridFiltered(Protocol):
    """What every pane beside the tree offers: show one grid and the grids under it, and
    read what it shows again."""

    def filter_grid(self, grid_id: int | None) -> None: ...

    def reload(self) -> None: ...


class MainScreen(Screen[None]):
    """Where the desk officer works all day."""

    grid: var[GridNode | None] = var(None, always_update=True, init=False)
    """The grid the tree's cursor is on (None: every grid); every pane shows what is under it.
    Set again when the tree has read the same grid afresh (its name or counts changed)."""
    shown_pane: var[str] = var(RESIDENTS, init=False)
    """The pane on show beside the tree when the panes share the space as tabs."""
    grid_rest: float = GRID_REST

    CSS_PATH: ClassVar[list[str | PurePath]] = [
        shell_sheet,
        people_sheet,
        disputes_sheet,
        duty_sheet,
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]

    BINDINGS: ClassVar[list[BindingType]] = [
        *area_bindings("focus_area", "main.focus-{name}"),
        Binding(
            "5",
            "statistics",
            _("Statistics"),
            show=False,
            tooltip=_("Figures by station, police room and grid, ranked, for a period"),
            id="main.statistics",
        ),
        Binding(
            "tab",
            "next_area",
            _("Next area"),
            show=False,
            tooltip=_("Go to the next area"),
            id="main.next-area",
        ),
        Binding(
            "shift+tab",
            "previous_area",
            _("Previous area"),
            show=False,
            tooltip=_("Go to the previous area"),
            id="main.previous-area",
        ),
        Binding(
            "w",
            "warnings",
            _("Warnings"),
            show=False,
            tooltip=_("Early warnings: everything in the ledger that needs action"),
            id="main.warnings",
        ),
        Binding(
            "u",
            "audit",
            _("Audit log"),
            show=False,
            tooltip=_("Who did what, to which record, when (supervisors and administrators)"),
            id="main.audit",
        ),
        Binding("q", "quit", _("Quit"), tooltip=_("Leave the program"), id="main.quit"),
    ]

    def __init__(self, ctx: ServiceContext, *, training: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.training = training
        self._moving_to: str | None = None
        self._grid_timer: Timer | None = None
        self._resting_on: GridNode | None = None
        # The grid each pane was last told to show: a hidden pane is told when it is shown.
        self._told: dict[str, int | None] = {}
        # Panes to read again (a form may have changed them) once they are on show.
        self._stale: set[str] = set()
        self._wanted_grid: int | None = None
        self._grid_given = False
        # Where the statistics were when a figure's records took their place (``5`` returns).
        self.stats_back: StatsView | None = None
        # The same, for each pane a figure narrowed: ``escape`` lifting it returns there.
        self._figure_views: dict[str, StatsView] = {}

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        with Horizontal(id="body"):
            with Vertical(id="tree-area"):
                tree = GridTree(self.ctx, id=TREE)
                tree.border_title = _("Grid tree")
                yield tree
                yield Static("", id="grid-detail")
            with Vertical(id="pane-area"):
                tabs = Tabs(
                    Tab(_("Residents"), id=f"tab-{RESIDENTS}"),
                    Tab(_("Disputes"), id=f"tab-{DISPUTES}"),
                    Tab(_("Duty roster"), id=f"tab-{ROSTER}"),
                    id="pane-tabs",
                )
                tabs.can_focus = False
                yield tabs
                with Vertical(id="panes"):
                    yield ResidentsPane(self.ctx, id=RESIDENTS, classes="pane -shown")
                    yield DisputesPane(self.ctx, id=DISPUTES)
                    yield RosterPane(self.ctx, id=ROSTER)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(GridTree).focus()
        self.read_header()

    @property
    def tabbed(self) -> bool:
        """True when the panes share the space as tabs (the 80x24 layout)."""
        return not (self.has_class("-wide") and self.has_class("-tall"))

    def pane(self, area: str) -> Widget:
        return self.query_one(f"#{area}", Widget)

    def panes(self) -> list[GridFiltered]:
        """The panes beside the tree, each of which follows the selected grid."""
        return [
            self.query_one(ResidentsPane),
            self.query_one(DisputesPane),
            self.query_one(RosterPane),
        ]

    def help_areas(self) -> list[Area]:
        """The parts of this screen whose keys the help screen and palette list."""
        tree = self.query_one(GridTree)
        areas = [Area(_("Everywhere"), [self.app, self]), Area(_("Grid tree"), [tree], TREE)]
        for area, title in (
            (RESIDENTS, _("Residents")),
            (DISPUTES, _("Disputes")),
            (ROSTER, _("Duty roster")),
        ):
            pane = self.pane(area)
            areas.append(Area(title, [pane, *pane.query("*")], area))
        return areas

    # --- the header ---------------------------------------------------------------------

    def read_header(self) -> None:
        """Read the header's facts again, for the grid on show."""
        self._read_header(self.grid.id if self.grid else None)

    @service_worker(messages.HEADER)
    def _read_header(self, grid_id: int | None) -> messages.HeaderRead:
        actor = self.ctx.actor
        room = _("All police rooms")
        if actor.police_room_id is not None:
            room = org.get_room(self.ctx, actor.police_room_id).name
        info = HeaderInfo(
            room=room,
            user=actor.login,
            today=self.ctx.clock.today(),
            training=self.training,
            warnings=warnings.count(self.ctx, grid_id),
        )
        return messages.HeaderRead(info)

    @on(messages.HeaderRead)
    def _show_header(self, message: messages.HeaderRead) -> None:
        desk_app(self).header_info = message.info

    # --- areas and focus ----------------------------------------------------------------

    def area_of(self, widget: Widget | None) -> str | None:
        node: DOMNode | None = widget
        while node is not None and node is not self:
            if node.id in AREAS:
                return node.id
            node = node.parent
        return None

    def show_pane(self, area: str) -> None:
        """Make ``area`` the pane on show (in the tabbed layout)."""
        if area in PANES:
            self.shown_pane = area

    def watch_shown_pane(self, area: str) -> None:
        for name in PANES:
            self.pane(name).set_class(name == area, "-shown")
        # Told once laid out: a list sized while hidden would read a second window.
        self.call_after_refresh(self._tell_panes)
        tabs = self.query_one(Tabs)
        if tabs.active != f"tab-{area}":
            tabs.active = f"tab-{area}"

    def action_focus_area(self, area: str) -> None:
        if area not in AREAS:
            return
        if self.maximized is not None and self.area_of(self.maximized) != area:
            # A zoomed pane hides the rest: going elsewhere ends the zoom first, else the
            # screen stays blank while the keys act on the area asked for.
            self.minimize()
        # Hiding the old pane moves Textual's focus on its own; until the new pane takes the
        # focus, that move must not switch the tabs back (see on_descendant_focus).
        target = self.pane(area)
        if area == TREE or (area == self.shown_pane and target.display):
            # Already on screen: focus now, so keys typed right after go to it. Not with
            # ``Widget.focus``, which moves only after the keys already waiting: "2/" typed in
            # one go opened the tree's grid finder.
            self._moving_to = None
            if area == TREE:
                self.set_focus(target)
            else:
                target.focus()  # the panes' own focus() sets it at once
            return
        self._moving_to = area
        self.show_pane(area)
        self.call_after_refresh(self._take_focus, area, 10)

    def _take_focus(self, area: str, tries: int) -> None:
        # Focus is applied later (call_later) and a refresh can still move it off a pane that
        # was just hidden, so the move ends only when the focus has arrived in the area.
        if self._moving_to != area:
            return  # a later key asked for another area; that one wins, or it has arrived
        target = self.pane(area)
        if self.area_of(self.focused) == area:
            self._moving_to = None
            return
        if tries <= 0:
            self._moving_to = None
            target.focus()
            return
        if target.display:
            target.focus()
        self.call_after_refresh(self._take_focus, area, tries - 1)

    @property
    def is_switching(self) -> bool:
        """True while a pane asked for by key has not taken the focus yet."""
        return self._moving_to is not None

    def _step_area(self, step: int) -> None:
        current = self.area_of(self.focused) or TREE
        index = (AREAS.index(current) + step) % len(AREAS)
        self.action_focus_area(AREAS[index])

    def action_next_area(self) -> None:
        self._step_area(1)

    def action_previous_area(self) -> None:
        self._step_area(-1)

    async def action_quit(self) -> None:
        # The app's own quit, which audits the logout.
        await self.app.run_action("app.quit")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "audit" and self.ctx.actor.role not in audit.READER_ROLES:
            return False  # hidden from the footer, help and palette; the service refuses too
        return True

    def action_audit(self) -> None:
        self.app.push_screen(AuditScreen(self.ctx))

    def action_statistics(self) -> None:
        # after a figure's records, back where the statistics were when they gave way
        view, self.stats_back = self.stats_back, None
        self.app.push_screen(StatsScreen(self.ctx, view))

    @on(FigureFilterLifted)
    def _figure_lifted(self, event: FigureFilterLifted) -> None:
        event.stop()
        view = self._figure_views.pop(event.lister, None)
        if view is not None:
            self.stats_back = None
            self.app.push_screen(StatsScreen(self.ctx, view))

    def action_warnings(self) -> None:
        grid = self.grid
        self.app.push_screen(
            EarlyWarningsScreen(self.ctx, grid.id if grid else None, grid.name if grid else "")
        )

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Below 120 columns the tree folds away while the roster has the focus: the week
        # beside it showed four days (main.tcss). Where the focus is now, not the event's
        # widget: a focus event from deep in the roster can arrive after a later one.
        self.set_class(self.area_of(self.focused) == ROSTER, "-roster-focused")
        if self._moving_to is not None:
            if self.area_of(event.widget) == self._moving_to:
                self._moving_to = None  # arrived
            return
        area = self.area_of(event.widget)
        if area in PANES and area != self.shown_pane:
            self.show_pane(area)

    @on(Tabs.TabActivated, "#pane-tabs")
    def _tab_chosen(self, event: Tabs.TabActivated) -> None:
        if event.tab.id != event.tabs.active:
            return  # posted for an earlier switch that a later one has overtaken
        area = (event.tab.id or "").removeprefix("tab-")
        if area in PANES and area != self.shown_pane:
            self.show_pane(area)

    # --- the grid -----------------------------------------------------------------------

    @on(GridTree.GridSelected)
    def _grid_selected(self, event: GridTree.GridSelected) -> None:
        if not self._told:
            self.grid = event.grid  # the first grid, at start: nothing to wait for
            return
        self._resting_on = event.grid
        if self._grid_timer is not None:
            self._grid_timer.stop()
        self._grid_timer = self.set_timer(self.grid_rest, self._grid_rested)

    def _grid_rested(self) -> None:
        self._grid_timer = None
        self.grid = self._resting_on

    @property
    def grid_pending(self) -> bool:
        """True while the tree's cursor has moved and the panes wait for it to rest."""
        return self._grid_timer is not None

    def on_resize(self, event: events.Resize) -> None:
        # Widening past the breakpoint shows every pane: those hidden until now catch up.
        self.call_after_refresh(self._tell_panes)

    def watch_grid(self, grid: GridNode | None) -> None:
        self.query_one("#grid-detail", Static).update(grid_detail(grid))
        self.filter_grid(grid.id if grid else None)
        self.read_header()

    def filter_grid(self, grid_id: int | None) -> None:
        """Every pane shows ``grid_id`` and the grids under it (None: everything).

        Only the panes on screen read now; a hidden pane reads when it is shown.
        """
        self._wanted_grid = grid_id
        self._grid_given = True
        self._tell_panes()

    def _tell_panes(self) -> None:
        if not self._grid_given:
            return
        tabbed = self.tabbed
        for area, pane in zip(PANES, self.panes(), strict=True):
            if tabbed and area != self.shown_pane:
                continue
            if area not in self._told or self._told[area] != self._wanted_grid:
                self._told[area] = self._wanted_grid
                self._stale.discard(area)
                pane.filter_grid(self._wanted_grid)
            elif area in self._stale:
                self._stale.discard(area)
                pane.reload()

    def reload_pane(self, area: str) -> None:
        """Read ``area`` again, keeping its cursor: now if it is on show, else when shown."""
        self._stale.add(area)
        self._tell_panes()

    def jump_to_grid(self, grid_id: int) -> None:
        """Open the tree down to ``grid_id`` and select it (the palette's grid jump)."""
        self.action_focus_area(TREE)
        self.query_one(GridTree).reveal(grid_id)

    def lists_records(self, figure: str) -> bool:
        """True when a list of the desk shows the records behind a statistics figure."""
        return figure in figure_records.LISTED or figure in figure_records.OWN_LISTED

    def has_figure_list(self, figure: str) -> bool:
        """True when a statistics figure's records open in a list of their own."""
        return figure in figure_records.OWN_LISTED

    def open_figure_list(
        self,
        figure: str,
        unit: Unit,
        date_from: date,
        date_to: date,
        where: str,
        closed: Callable[[bool | None], None] | None = None,
    ) -> bool:
        """Open the list of its own of what a statistics figure counts for a station's,
        room's or grid's row, over the statistics; False when the figure has none.
        ``closed`` is told whether something opened from the list may have changed it."""
        screen = figure_records.figure_list(
            self.ctx, figure, unit, date_from, date_to, where, open_log=self._open_log
        )
        if screen is None:
            return False
        self.app.push_screen(screen, closed)
        return True

    def _open_log(self, police_room_id: int | None, room_name: str, day: date) -> None:
        from policeroom.ui.duty.response_log import ResponseLogScreen

        self.app.push_screen(ResponseLogScreen(self.ctx, police_room_id, room_name, anchor=day))

    def show_records(
        self,
        grid_id: int,
        figure: str,
        date_from: date,
        date_to: date,
        *,
        room: bool = False,
        name: str = "",
        back: StatsView | None = None,
    ) -> bool:
        """The records behind a statistics figure of one grid (and everything under it; a
        police room's row ``name``: ``room``), in the list that shows them, filtered as the
        figure counts them. False when no list shows that figure's records. ``back``: where
        the statistics were, for ``5`` (or ``escape`` from the warnings) to return to."""
        found = figure_records.records_of(figure, date_from, date_to, room=room)
        if found is None:
            return False
        self.stats_back = back
        if back is not None and found.lister != "warnings":
            self._figure_views[found.lister] = back
        self.jump_to_grid(grid_id)
        if found.lister == "residents":
            residents = self.query_one(ResidentsPane)
            residents.every_grid = False  # the grid's own, not a search of every grid
            residents.search_box.value = ""
            residents.show_only(
                found.visited_in, not_visited=found.not_visited, installed_in=found.installed_in
            )
            self.action_focus_area(RESIDENTS)
        elif found.lister == "disputes" and found.dispute_filter is not None:
            self.query_one(DisputesPane).show_only(found.dispute_filter)
            self.action_focus_area(DISPUTES)
        else:
            if back is not None:  # the warnings list over the statistics, as the other lists
                self.action_statistics()
            self.app.push_screen(
                EarlyWarningsScreen(self.ctx, grid_id, name, with_sweeps=found.with_sweeps)
            )
        return True

    def jump_to_resident(self, resident_id: int) -> None:
        """Open the resident's card (the palette's resident jump)."""
        self.action_focus_area(RESIDENTS)
        self.query_one(ResidentsPane).open_card(resident_id)

    def on_screen_resume(self) -> None:
        # A form or card may have changed what the tree counts and the panes list. The
        # screen may resume before its panes are composed, or while the app closes them.
        if self.is_mounted:
            for tree in self.query(GridTree):
                tree.refresh_path()
            if self.query(DisputesPane):
                self.reload_pane(DISPUTES)
            self.read_header()

    def reload(self) -> None:
        """Read everything again (after the training data was reset)."""
        self.query_one(GridTree).reload()
        self.reload_pane(RESIDENTS)
        self.read_header()


def grid_detail(grid: GridNode | None) -> Text:
    """The line under the tree that spells out the selected grid's label."""
    if grid is None:
        return Text(_("All grids"), style="dim")
    text = Text(f"{grid.code} ", style="dim")
    text.append(_("officer {name}").format(name=grid.officer_name or _("none")))
    if grid.leader_name:
        text.append(" · " + _("leader {name}").format(name=grid.leader_name))
    text.append(" · ")
    text.append(ngettext("{n} resident", "{n} residents", grid.residents).format(n=grid.residents))
    text.append(" · ")
    text.append(
        ngettext("{n} open dispute", "{n} open disputes", grid.open_disputes).format(
            n=grid.open_disputes
        ),
        style="bold" if grid.open_disputes else "",
    )
    return text


def empty_database(ctx: ServiceContext) -> bool:
    """No grid at all: the program opens on the first-run screen."""
    return not grids.any_grid(ctx)
