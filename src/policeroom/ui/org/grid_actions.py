"""What the grid tree's keys open: the card, the forms, the move picker, the finder.

The tree asks (``GridTree.ActionRequested``); the main screen calls ``run``, which opens the
screen and, once it closes with a result, tells the tree what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.worker import Worker, WorkerFailed

from policeroom.i18n import _
from policeroom.services.core.errors import ServiceError, ValidationError
from policeroom.services.org import grids
from policeroom.services.org.grids import GridCard, GridNode
from policeroom.ui.org.grid_assign import GridAssignForm
from policeroom.ui.org.grid_card import GridCardScreen
from policeroom.ui.org.grid_form import GridForm
from policeroom.ui.org.grid_move import GridPicker, move_picker
from policeroom.ui.org.grid_tree import GridTree


def refusal(error: BaseException | None) -> str:
    """One line saying why a service refused."""
    if isinstance(error, ValidationError):
        return "; ".join(problem.message for problem in error.errors)
    if isinstance(error, ServiceError):
        return str(error)
    return _("the database failed ({error})").format(error=error)


def run(screen: Any, tree: GridTree, action: str, grid: GridNode | None) -> None:
    """Open the screen for ``action`` on ``grid`` and bring the tree up to date after it."""
    app = screen.app
    ctx = screen.ctx
    if action == "find":

        def found(chosen: GridNode | None) -> None:
            if chosen is not None:
                tree.reveal(chosen.id)

        app.push_screen(GridPicker(ctx, _("Find a grid")), found)
        return
    if action == "new_child":

        def created(made: GridNode | None) -> None:
            if made is not None:
                tree.grid_added(made.parent_id, made.id)
                app.notify(_("Grid {name} added.").format(name=made.name))

        app.push_screen(GridForm(ctx, parent=grid), created)
        return
    if grid is None:
        return
    if action == "open_card":

        def then(next_action: str | None) -> None:
            if next_action:
                current = tree.grid if tree.grid is not None and tree.grid.id == grid.id else grid
                run(screen, tree, next_action, current)

        app.push_screen(GridCardScreen(ctx, grid.id), then)
    elif action == "edit":
        app.push_screen(GridForm(ctx, grid=grid), _saved(screen, tree))
    elif action == "assign":
        screen.run_worker(_assign(screen, tree, grid), group="grid-assign")
    elif action == "move":

        def chosen(parent: GridNode | None) -> None:
            if parent is not None:
                screen.run_worker(_move(screen, tree, grid, parent), group="grid-move")

        app.push_screen(move_picker(ctx, grid), chosen)


def _saved(screen: Any, tree: GridTree) -> Callable[[GridNode | None], None]:
    def saved(grid: GridNode | None) -> None:
        if grid is not None:
            tree.refresh_grid(grid.id)
            screen.app.notify(_("Grid {name} saved.").format(name=grid.name))

    return saved


async def _assign(screen: Any, tree: GridTree, grid: GridNode) -> None:
    worker: Worker[GridCard] = screen.run_worker(
        lambda: grids.card(screen.ctx, grid.id), thread=True, exit_on_error=False
    )
    try:
        card = await worker.wait()
    except WorkerFailed as failure:
        screen.app.notify(refusal(failure.error), severity="error")
        return
    screen.app.push_screen(GridAssignForm(screen.ctx, card), _saved(screen, tree))


async def _move(screen: Any, tree: GridTree, grid: GridNode, parent: GridNode) -> None:
    worker: Worker[GridNode] = screen.run_worker(
        lambda: grids.move(screen.ctx, grid.id, parent.id, grid.version),
        thread=True,
        exit_on_error=False,
    )
    try:
        moved = await worker.wait()
    except WorkerFailed as failure:
        screen.app.notify(
            _("Not moved: {reason}").format(reason=refusal(failure.error)), severity="error"
        )
        return
    screen.app.notify(_("{name} moved under {parent}.").format(name=moved.name, parent=parent.name))
    tree.grid_moved(grid.parent_id, moved.id)
