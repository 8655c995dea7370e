"""What the grid tree's keys open: the card, the forms, the move picker, the finder."""

from __future__ import annotations

from typing import Any

from policeroom.i18n import _
from policeroom.services.grids import GridNode
from policeroom.ui.widgets.grid_tree import GridTree


def run(screen: Any, tree: GridTree, action: str, grid: GridNode | None) -> None:
    """Open the screen for ``action`` on ``grid`` and bring the tree up to date after it."""
    screen.app.notify(_("Not built yet: {action}").format(action=action))
