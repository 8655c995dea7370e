"""What the grid tree's and its screens' workers post when their work ends, and their groups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.message import Message
from textual.widgets.tree import NodeID

from policeroom.services.org.grids import GridCard, GridNode
from policeroom.services.org.structure import PoliceRoomRow

TREE_CHILDREN = "grid-tree-children"
"""The grids under one node of the tree, read when it first opens."""
TREE_WAY = "grid-tree-way"
"""A grid and the levels above it, read to put the tree's cursor on it."""
TREE_LABELS = "grid-tree-labels"
"""Grids read again to redraw their labels (names, officers, counts)."""
ASSIGN_READ = "grid-assign-read"
"""The grid's card, read before the assignment form opens on it."""
MOVE = "grid-move"
"""A grid moved under another parent."""
CARD_READ = "grid-card-read"
"""The grid card screen's one read."""
PICKER_SEARCH = "grid-picker-search"
"""The grid picker's search for what was typed."""
FORM_LOAD = "grid-form-load"
"""The police rooms and the grid's sizes, read when the grid form opens."""


class ChildrenRead(Message):
    """The grids under the tree node ``node_id`` (a ``TreeNode.id``)."""

    def __init__(self, node_id: NodeID, grids: Sequence[GridNode]) -> None:
        super().__init__()
        self.node_id = node_id
        self.grids = list(grids)


class WayRead(Message):
    """``target`` and the way down to it: ``chain`` holds the ids from its level-1 ancestor
    to itself; ``children`` the grids under each parent read (None: the top level)."""

    def __init__(
        self,
        target: GridNode,
        chain: Sequence[int],
        children: Mapping[int | None, Sequence[GridNode]],
    ) -> None:
        super().__init__()
        self.target = target
        self.chain = list(chain)
        self.children = {parent: list(rows) for parent, rows in children.items()}


class GridsRead(Message):
    """Grids read again; ``announce``: the cursor's grid is told to the screen afresh."""

    def __init__(self, grids: Sequence[GridNode], *, announce: bool) -> None:
        super().__init__()
        self.grids = list(grids)
        self.announce = announce


class AssignCardRead(Message):
    """The card of the grid whose people are to be assigned."""

    def __init__(self, card: GridCard) -> None:
        super().__init__()
        self.card = card


class GridMoved(Message):
    """``grid`` now lies under ``parent``; it lay under ``old_parent_id`` before."""

    def __init__(self, grid: GridNode, parent: GridNode, old_parent_id: int | None) -> None:
        super().__init__()
        self.grid = grid
        self.parent = parent
        self.old_parent_id = old_parent_id


class CardRead(Message):
    """The grid card screen's grid, read."""

    def __init__(self, card: GridCard) -> None:
        super().__init__()
        self.card = card


class GridsFound(Message):
    """What the grid picker found for ``text``."""

    def __init__(self, text: str, grids: Sequence[GridNode]) -> None:
        super().__init__()
        self.text = text
        self.grids = list(grids)


class GridFormLoaded(Message):
    """The police rooms a grid may belong to, and the edited grid's households and people."""

    def __init__(self, rooms: Sequence[PoliceRoomRow], households: int, population: int) -> None:
        super().__init__()
        self.rooms = list(rooms)
        self.households = households
        self.population = population
