"""The desk's grid tree: its keys open the grid's card, forms, assignment, move and finder.

Each key's action opens its screen here and, once the screen closes with a result, brings
the tree up to date (``GridLevels`` reads the levels and announces the cursor's grid).
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ServiceError, ValidationError
from policeroom.services.org import grids
from policeroom.services.org.grids import GridNode
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.org import messages
from policeroom.ui.org.grid_assign import GridAssignForm
from policeroom.ui.org.grid_card import CardStep, GridCardScreen
from policeroom.ui.org.grid_form import GridForm
from policeroom.ui.org.grid_levels import GridLevels
from policeroom.ui.org.grid_move import GridPicker, move_picker

LEAF_LEVEL = 3


def refusal(error: BaseException) -> str:
    """One line saying why a service refused."""
    if isinstance(error, ValidationError):
        return "; ".join(problem.message for problem in error.errors)
    if isinstance(error, ServiceError):
        return str(error)
    return _("the database failed ({error})").format(error=error)


# The keys whose offer depends on the grid under the cursor (see check_action).
_GRID_KEYS = ("move", "edit", "assign", "open_card", "new_child")


class GridTree(GridLevels):
    """Grids under an "all grids" root; the cursor's grid is the one every pane shows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_card", _("Card"), tooltip=_("Open the grid's card"), id="tree.card"),
        Binding("n", "new_child", _("New"), tooltip=_("Add a grid under this one"), id="tree.new"),
        Binding("e", "edit", _("Edit"), tooltip=_("Edit the grid's name and code"), id="tree.edit"),
        Binding(
            "m", "move", _("Move"), tooltip=_("Move the grid under another parent"), id="tree.move"
        ),
        Binding(
            "a",
            "assign",
            _("Assign"),
            tooltip=_("Assign the grid leader, administrators and responsible officer"),
            id="tree.assign",
        ),
        Binding(
            "slash", "find", _("Find"), tooltip=_("Find a grid by code or name"), id="tree.find"
        ),
        Binding("up", "cursor_up", _("Up"), show=False, id="tree.up"),
        Binding("down", "cursor_down", _("Down"), show=False, id="tree.down"),
        Binding(
            "right", "expand", _("Open"), show=False, tooltip=_("Show sub-grids"), id="tree.expand"
        ),
        Binding(
            "left",
            "collapse",
            _("Close"),
            show=False,
            tooltip=_("Hide sub-grids, or go to the parent"),
            id="tree.collapse",
        ),
        Binding(
            "space",
            "toggle_node",
            _("Open/close"),
            show=False,
            tooltip=_("Show or hide sub-grids"),
            id="tree.toggle",
        ),
    ]

    def __init__(self, ctx: ServiceContext, *, id: str | None = "grid-tree") -> None:
        super().__init__(ctx, id=id)
        self._offered: tuple[bool | None, ...] = ()

    def _announce(self) -> None:
        super()._announce()
        # The footer is redrawn only when a key comes or goes with the grid under the
        # cursor (a leaf has no "new", the root no "move"), not for every grid passed.
        offered = tuple(self.check_action(action, ()) for action in _GRID_KEYS)
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        grid = self.grid
        if action == "move":
            return (grid is not None and grid.level > 1) or None
        if action in ("edit", "assign", "open_card"):
            return grid is not None or None
        if action == "new_child":
            return grid is None or grid.level < LEAF_LEVEL or None
        return True

    # --- moving about -------------------------------------------------------------------

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def action_collapse(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None:
            self.place_cursor(node.parent)

    # --- what the keys open -------------------------------------------------------------

    def _chosen(self, action: str) -> GridNode | None:
        """The cursor's grid, if ``action`` may run on it now."""
        if self.check_action(action, ()) is not True:
            return None
        return self.grid

    def action_open_card(self) -> None:
        grid = self._chosen("open_card")
        if grid is not None:
            self.app.push_screen(GridCardScreen(self.ctx, grid.id), partial(self._after_card, grid))

    def _after_card(self, grid: GridNode, step: CardStep | None) -> None:
        # The card's own grid, as the tree holds it now (it may have been read again).
        current = self.grid if self.grid is not None and self.grid.id == grid.id else grid
        if step is CardStep.EDIT:
            self._edit(current)
        elif step is CardStep.ASSIGN:
            self._assign(current)
        elif step is CardStep.MOVE:
            self._move(current)

    def action_new_child(self) -> None:
        if self.check_action("new_child", ()) is True:
            self.app.push_screen(GridForm(self.ctx, parent=self.grid), self._after_new)

    def _after_new(self, made: GridNode | None) -> None:
        if made is not None:
            self.grid_added(made.id)
            self.notify(_("Grid {name} added.").format(name=made.name))

    def action_edit(self) -> None:
        grid = self._chosen("edit")
        if grid is not None:
            self._edit(grid)

    def _edit(self, grid: GridNode) -> None:
        self.app.push_screen(GridForm(self.ctx, grid=grid), self._after_save)

    def _after_save(self, grid: GridNode | None) -> None:
        if grid is not None:
            self.refresh_grid(grid.id)
            self.notify(_("Grid {name} saved.").format(name=grid.name))

    def action_assign(self) -> None:
        grid = self._chosen("assign")
        if grid is not None:
            self._assign(grid)

    def _assign(self, grid: GridNode) -> None:
        self._read_for_assign(grid.id)  # the form opens on the grid's card

    @service_worker(messages.ASSIGN_READ)
    def _read_for_assign(self, grid_id: int) -> messages.AssignCardRead:
        return messages.AssignCardRead(grids.card(self.ctx, grid_id))

    @on(messages.AssignCardRead)
    def _open_assign(self, message: messages.AssignCardRead) -> None:
        message.stop()
        self.app.push_screen(GridAssignForm(self.ctx, message.card), self._after_save)

    def action_move(self) -> None:
        grid = self._chosen("move")
        if grid is not None:
            self._move(grid)

    def _move(self, grid: GridNode) -> None:
        self.app.push_screen(move_picker(self.ctx, grid), partial(self._after_pick, grid))

    def _after_pick(self, grid: GridNode, parent: GridNode | None) -> None:
        if parent is not None:
            self._save_move(grid, parent)

    # A write: never cancelled by a later one, so its answer always arrives.
    @service_worker(messages.MOVE, exclusive=False)
    def _save_move(self, grid: GridNode, parent: GridNode) -> messages.GridMoved:
        moved = grids.move(self.ctx, grid.id, parent.id, grid.version)
        return messages.GridMoved(moved, parent, grid.parent_id)

    @on(messages.GridMoved)
    def _moved(self, message: messages.GridMoved) -> None:
        message.stop()
        self.notify(
            _("{name} moved under {parent}.").format(
                name=message.grid.name, parent=message.parent.name
            )
        )
        self.grid_moved(message.grid.id, message.old_parent_id)

    def action_find(self) -> None:
        self.app.push_screen(GridPicker(self.ctx, _("Find a grid")), self._after_find)

    def _after_find(self, chosen: GridNode | None) -> None:
        if chosen is not None:
            self.reveal(chosen.id)

    @on(ServiceFailed)
    def _refused(self, message: ServiceFailed) -> None:
        if message.group == messages.ASSIGN_READ:
            message.stop()
            self.notify(refusal(message.error), severity="error")
        elif message.group == messages.MOVE:
            message.stop()
            reason = refusal(message.error)
            self.notify(_("Not moved: {reason}").format(reason=reason), severity="error")
