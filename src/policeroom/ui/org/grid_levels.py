"""A tree of the three grid levels (网格), each read from the database when it first opens.

Children are read in a worker thread when a node first opens, the way ``DirectoryTree``
loads folders; a node's label shows its name, responsible officer and the residents and open
disputes of its whole subtree. Every read ends in a message handled here, on the UI thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import NodeID, TreeNode, UnknownNodeID

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import NotFound
from policeroom.services.org import grids
from policeroom.services.org.grids import GridNode
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.org import messages

GridTreeNode = TreeNode[GridNode | None]
Levels = Mapping[int | None, Sequence[GridNode]]
"""Grids under each parent read (None: the top level)."""


def grid_label(grid: GridNode) -> Text:
    """``光明路社区 王建国 123/2``: name, responsible officer, residents / open disputes."""
    label = Text(grid.name, no_wrap=True)
    if grid.officer_name:
        label.append(" ")
        label.append(grid.officer_name, style="dim")
    label.append(f" {grid.residents}", style="dim")
    label.append("/", style="dim")
    label.append(str(grid.open_disputes), style="bold" if grid.open_disputes else "dim")
    return label


class GridLevels(Tree[GridNode | None]):
    """Grids under an "all grids" root, read level by level; the cursor's grid is announced."""

    class GridSelected(Message):
        """The cursor is on ``grid`` (None: the root, every grid)."""

        def __init__(self, tree: GridLevels, grid: GridNode | None) -> None:
            super().__init__()
            self.tree = tree
            self.grid = grid

        @property
        def grid_id(self) -> int | None:
            return self.grid.id if self.grid is not None else None

        @property
        def control(self) -> GridLevels:
            return self.tree

    def __init__(self, ctx: ServiceContext, *, id: str | None = None) -> None:
        super().__init__(_("All grids"), data=None, id=id)
        self.ctx = ctx
        self.guide_depth = 2
        self.auto_expand = False
        self._loaded: set[NodeID] = set()
        """The tree nodes (``TreeNode.id``) whose children have been read."""
        self._announced: tuple[int | None] | None = None
        self._way_to: int | None = None

    # --- state --------------------------------------------------------------------------

    @property
    def grid(self) -> GridNode | None:
        """The grid under the cursor (None on the root)."""
        node = self.cursor_node
        return node.data if node is not None else None

    @property
    def is_loading(self) -> bool:
        return any(w.is_running and w.node is self for w in self.app.workers)

    def node_for(self, grid_id: int) -> GridTreeNode | None:
        """The loaded tree node of ``grid_id``, if its parent has been opened."""
        pending = [self.root]
        while pending:
            node = pending.pop()
            if node.data is not None and node.data.id == grid_id:
                return node
            pending.extend(node.children)
        return None

    def place_cursor(self, node: GridTreeNode) -> None:
        """Put the cursor on ``node``, even one added a moment ago."""
        # A node's line is known once the tree's lines are rebuilt; reading ``last_line``
        # rebuilds them now rather than on the next idle.
        if self.last_line >= 0:
            self.move_cursor(node, animate=False)

    # --- reading a level ----------------------------------------------------------------

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Forget everything read and read the first level again."""
        self._loaded.clear()
        self.root.remove_children()
        self.root.expand()
        self._announced = None
        self.load_children(self.root)

    def load_children(self, node: GridTreeNode) -> None:
        """Read ``node``'s children again."""
        self._read_children(node.id, node.data.id if node.data is not None else None)

    @service_worker(messages.TREE_CHILDREN, exclusive=False)
    def _read_children(self, node_id: NodeID, parent_id: int | None) -> messages.ChildrenRead:
        return messages.ChildrenRead(node_id, grids.children(self.ctx, parent_id))

    @on(messages.ChildrenRead)
    def _children_read(self, message: messages.ChildrenRead) -> None:
        message.stop()
        try:
            node = self.get_node_by_id(message.node_id)
        except UnknownNodeID:
            return  # gone meanwhile: the tree was read again
        self._fill(node, message.grids, {})
        self._announce()

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[GridNode | None]) -> None:
        event.stop()
        if event.node.id not in self._loaded:
            self.load_children(event.node)

    def _fill(self, node: GridTreeNode, rows: Sequence[GridNode], levels: Levels) -> None:
        """Show ``rows`` under ``node``; open children show theirs from ``levels`` or read."""
        if node.id in self._loaded and [c.data.id for c in node.children if c.data] == [
            row.id for row in rows
        ]:
            # The same grids: their labels are redrawn where they are, and the cursor and
            # the open levels stay as they were.
            for child, row in zip(node.children, rows, strict=True):
                child.data = row
                child.set_label(grid_label(row))
                child.allow_expand = row.has_children
                if row.id in levels:
                    self._fill(child, levels[row.id], levels)
        else:
            expanded = {c.data.id for c in node.children if c.data and c.is_expanded}
            node.remove_children()
            for row in rows:
                child = node.add(grid_label(row), data=row, allow_expand=row.has_children)
                if row.id in levels:
                    self._fill(child, levels[row.id], levels)
                if row.id in expanded:
                    child.expand()  # read again when it reports opening, unless filled here
        self._loaded.add(node.id)
        if node.data is not None:
            node.allow_expand = bool(rows)
        if self.cursor_node is None or self.cursor_line < 0:
            self.place_cursor(self.root)

    # --- the way to one grid ------------------------------------------------------------

    def reveal(self, grid_id: int) -> None:
        """Open the grid's ancestors and put the cursor on it (the palette's jump)."""
        known = {None if n.data is None else n.data.id for n in self._loaded_nodes()}
        self._find_way(grid_id, known)

    def grid_added(self, grid_id: int) -> None:
        """A grid was made: every level above it is read again, the cursor put on it."""
        self._find_way(grid_id, set())

    def grid_moved(self, grid_id: int, old_parent_id: int | None) -> None:
        """A grid moved: the levels above its old and new places are read again (their
        counts changed) and the cursor follows it."""
        old = self.node_for(old_parent_id) if old_parent_id is not None else None
        above_old: list[int | None] = [None]
        while old is not None and old.data is not None:
            above_old.append(old.data.id)
            old = old.parent
        self._find_way(grid_id, set(), tuple(above_old))

    def _find_way(
        self, grid_id: int, known: set[int | None], also: tuple[int | None, ...] = ()
    ) -> None:
        self._way_to = grid_id
        self._read_way(grid_id, frozenset(known), also)

    @service_worker(messages.TREE_WAY)
    def _read_way(
        self, grid_id: int, known: frozenset[int | None], also: tuple[int | None, ...]
    ) -> messages.WayRead:
        # The levels not read yet (``known`` holds those that are), and ``also`` those off
        # the way whose counts have changed.
        target = grids.get(self.ctx, grid_id)
        chain = [*target.ancestor_ids, target.id]
        parents = [p for p in dict.fromkeys([None, *chain[:-1], *also]) if p not in known]
        levels = {parent: grids.children(self.ctx, parent) for parent in parents}
        return messages.WayRead(target, chain, levels)

    @on(messages.WayRead)
    def _way_read(self, message: messages.WayRead) -> None:
        message.stop()
        levels = message.children
        way = [None, *message.chain[:-1]]
        for parent_id, rows in levels.items():  # off the way: a moved grid's old parents
            if parent_id is None or parent_id in way:
                continue
            old = self.node_for(parent_id)
            if old is not None and old.id in self._loaded:
                self._fill(old, rows, levels)
        node = self.root
        for parent_id, step in zip(way, message.chain, strict=True):
            found = self._open_step(node, levels.get(parent_id), step, levels)
            if found is None:
                break
            node = found
        else:
            self.place_cursor(node)
            self.scroll_to_node(node, animate=False)
        self._announce()

    def _open_step(
        self, node: GridTreeNode, rows: Sequence[GridNode] | None, step: int, levels: Levels
    ) -> GridTreeNode | None:
        """Open ``node`` and return its child ``step`` (None when it is not there)."""
        if rows is not None:
            self._fill(node, rows, levels)
        elif node.id not in self._loaded:
            # read again since the way was asked for (the tree was reloaded): the cursor
            # stays where it is rather than waiting for a second round of reads
            self.load_children(node)
            node.expand()
            return None
        node.expand()
        return next((c for c in node.children if c.data is not None and c.data.id == step), None)

    def _loaded_nodes(self) -> Iterable[GridTreeNode]:
        for node_id in self._loaded:
            try:
                yield self.get_node_by_id(node_id)
            except UnknownNodeID:
                continue

    # --- labels -------------------------------------------------------------------------

    def refresh_path(self) -> None:
        """Read the cursor's grid and its ancestors again (their counts may have changed)."""
        ids: list[int] = []
        node = self.cursor_node
        while node is not None:
            if node.data is not None:
                ids.append(node.data.id)
            node = node.parent
        if ids:
            self._read_grids(tuple(ids), announce=False)

    def refresh_grid(self, grid_id: int) -> None:
        """Read one grid again after an edit and redraw its label."""
        if self.node_for(grid_id) is not None:
            self._read_grids((grid_id,), announce=True)

    @service_worker(messages.TREE_LABELS, exclusive=False)
    def _read_grids(self, grid_ids: tuple[int, ...], *, announce: bool) -> messages.GridsRead:
        found: list[GridNode] = []
        for grid_id in grid_ids:
            try:
                found.append(grids.get(self.ctx, grid_id))
            except NotFound:
                continue  # gone meanwhile: the next read of its parent drops it
        return messages.GridsRead(found, announce=announce)

    @on(messages.GridsRead)
    def _grids_read(self, message: messages.GridsRead) -> None:
        message.stop()
        cursor_changed = False
        for row in message.grids:
            node = self.node_for(row.id)
            if node is not None:
                cursor_changed |= node is self.cursor_node and node.data != row
                node.data = row
                node.set_label(grid_label(row))
        # The cursor's grid read afresh with other counts: announced again, so the line
        # under the tree and the panes show the new figures too.
        if message.announce or cursor_changed:
            self._announced = None
            self._announce()

    @on(ServiceFailed)
    def _not_read(self, message: ServiceFailed) -> None:
        if message.group == messages.TREE_CHILDREN:
            message.stop()
            self.notify(
                _("Could not read the grids: {error}").format(error=message.error),
                severity="error",
            )
        elif message.group == messages.TREE_WAY:
            message.stop()
            if isinstance(message.error, NotFound):
                text = _("No grid with number {id}").format(id=self._way_to)
            else:
                text = _("Could not read the grids: {error}").format(error=message.error)
            self.notify(text, severity="error")

    # --- the cursor ---------------------------------------------------------------------

    def _on_tree_node_highlighted(self, event: Tree.NodeHighlighted[GridNode | None]) -> None:
        event.stop()
        self._announce()

    def _on_tree_node_selected(self, event: Tree.NodeSelected[GridNode | None]) -> None:
        event.stop()

    def _announce(self) -> None:
        grid = self.grid
        key = (grid.id if grid is not None else None,)
        if key != self._announced and self.cursor_node is not None:
            self._announced = key
            self.post_message(self.GridSelected(self, grid))
