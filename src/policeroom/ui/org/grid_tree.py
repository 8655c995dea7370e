"""The grid tree (网格): three levels, each opened on demand, with officer and counts.

Children are read when a node first opens, in a worker thread, the way ``DirectoryTree``
loads folders; a node's label shows its name, responsible officer and the residents and
open disputes of its whole subtree.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode
from textual.worker import Worker, WorkerFailed

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.org import grids
from policeroom.services.org.grids import GridNode

GridTreeNode = TreeNode[GridNode | None]
LEAF_LEVEL = 3


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


class GridTree(Tree[GridNode | None]):
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

    class GridSelected(Message):
        """The cursor is on ``grid`` (None: the root, every grid)."""

        def __init__(self, tree: GridTree, grid: GridNode | None) -> None:
            super().__init__()
            self.tree = tree
            self.grid = grid

        @property
        def grid_id(self) -> int | None:
            return self.grid.id if self.grid is not None else None

        @property
        def control(self) -> GridTree:
            return self.tree

    class ActionRequested(Message):
        """A key asked for ``action`` on ``grid``; the screen opens the form or card."""

        def __init__(self, tree: GridTree, action: str, grid: GridNode | None) -> None:
            super().__init__()
            self.tree = tree
            self.action = action
            self.grid = grid

        @property
        def control(self) -> GridTree:
            return self.tree

    def __init__(self, ctx: ServiceContext, *, id: str | None = "grid-tree") -> None:
        super().__init__(_("All grids"), data=None, id=id)
        self.ctx = ctx
        self.guide_depth = 2
        self.auto_expand = False
        self._loaded: set[int] = set()
        self._announced: tuple[int | None] | None = None

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

    # --- loading ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Forget everything read and read the first level again."""
        self._loaded.clear()
        self.root.remove_children()
        self.root.expand()
        self._announced = None
        self.load_children(self.root, select_grid=None)

    @work(thread=True, group="grid-tree-read", exit_on_error=False)
    def _read_children(self, parent_id: int | None) -> list[GridNode]:
        return grids.children(self.ctx, parent_id)

    @work(thread=True, group="grid-tree-read", exit_on_error=False)
    def _read_grid(self, grid_id: int) -> GridNode:
        return grids.get(self.ctx, grid_id)

    @work(group="grid-tree-load")
    async def load_children(self, node: GridTreeNode, *, select_grid: int | None = None) -> None:
        """Read ``node``'s children again; put the cursor on ``select_grid`` if given."""
        await self._load(node)
        if select_grid is not None:
            found = self.node_for(select_grid)
            if found is not None:
                self.place_cursor(found)
        self._announce()

    async def _load(self, node: GridTreeNode) -> bool:
        parent_id = node.data.id if node.data is not None else None
        try:
            reading: Worker[list[GridNode]] = self._read_children(parent_id)
            rows = await reading.wait()
        except WorkerFailed as failure:
            self.notify(
                _("Could not read the grids: {error}").format(error=failure.error),
                severity="error",
            )
            return False
        expanded = {child.data.id for child in node.children if child.data and child.is_expanded}
        node.remove_children()
        for row in rows:
            child = node.add(grid_label(row), data=row, allow_expand=row.has_children)
            if row.id in expanded:
                child.expand()
                self.run_worker(self._load(child), group="grid-tree-load")
        self._loaded.add(node.id)
        if node.data is not None:
            node.allow_expand = bool(rows)
        if self.cursor_node is None or self.cursor_line < 0:
            self.place_cursor(self.root)
        return True

    async def _ensure_open(self, node: GridTreeNode) -> None:
        if node.id not in self._loaded:
            await self._load(node)
        node.expand()

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[GridNode | None]) -> None:
        event.stop()
        if event.node.id not in self._loaded:
            self.load_children(event.node)

    @work(group="grid-tree-load")
    async def reveal(self, grid_id: int) -> None:
        """Open the grid's ancestors and put the cursor on it (the palette's jump)."""
        await self._reveal(grid_id)

    async def _reveal(self, grid_id: int, *, reload_parent: bool = False) -> None:
        try:
            asking: Worker[GridNode] = self._read_grid(grid_id)
            target = await asking.wait()
        except WorkerFailed:
            self.notify(_("No grid with number {id}").format(id=grid_id), severity="error")
            return
        chain = [*target.ancestor_ids, target.id]
        node: GridTreeNode = self.root
        await self._ensure_open(node)
        for ancestor_id in chain:
            found = next(
                (c for c in node.children if c.data is not None and c.data.id == ancestor_id),
                None,
            )
            if found is None:
                return
            node = found
            if ancestor_id == grid_id:
                break
            if reload_parent and ancestor_id == chain[-2]:
                await self._load(node)
                node.expand()
            else:
                await self._ensure_open(node)
        self.place_cursor(node)
        self.scroll_to_node(node, animate=False)
        self._announce()

    async def _reload_under(self, parent_id: int | None) -> None:
        node = self.root if parent_id is None else self.node_for(parent_id)
        if node is not None and (node.id in self._loaded or node is self.root):
            await self._load(node)
            node.expand()

    @work(group="grid-tree-load")
    async def grid_added(self, parent_id: int | None, grid_id: int) -> None:
        """A grid was made under ``parent_id``: show it and put the cursor on it."""
        await self._reload_under(parent_id)
        await self._reveal(grid_id)

    @work(group="grid-tree-load")
    async def grid_moved(self, old_parent_id: int | None, grid_id: int) -> None:
        """A grid moved: its old parent loses it, the new one shows it under the cursor."""
        await self._reload_under(old_parent_id)
        for ancestor in (self.root, *self._ancestors_loaded(grid_id)):
            if ancestor.data is not None:
                await self._refresh_label(ancestor)
        await self._reveal(grid_id, reload_parent=True)

    def _ancestors_loaded(self, grid_id: int) -> list[GridTreeNode]:
        node = self.node_for(grid_id)
        chain: list[GridTreeNode] = []
        while node is not None and node.parent is not None:
            node = node.parent
            chain.append(node)
        return chain

    async def _refresh_label(self, node: GridTreeNode) -> None:
        if node.data is None:
            return
        try:
            asking: Worker[GridNode] = self._read_grid(node.data.id)
            row = await asking.wait()
        except WorkerFailed:
            return
        node.data = row
        node.set_label(grid_label(row))

    @work(group="grid-tree-load")
    async def refresh_path(self) -> None:
        """Read the cursor's grid and its ancestors again (their counts may have changed)."""
        node = self.cursor_node
        while node is not None:
            await self._refresh_label(node)
            node = node.parent

    @work(group="grid-tree-load")
    async def refresh_grid(self, grid_id: int) -> None:
        """Read one grid again after an edit and redraw its label."""
        node = self.node_for(grid_id)
        if node is None:
            return
        try:
            asking: Worker[GridNode] = self._read_grid(grid_id)
            row = await asking.wait()
        except WorkerFailed:
            return
        node.data = row
        node.set_label(grid_label(row))
        self._announced = None
        self._announce()

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

    # --- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        grid = self.grid
        if action == "move":
            return (grid is not None and grid.level > 1) or None
        if action in ("edit", "assign", "open_card"):
            return grid is not None or None
        if action == "new_child":
            return grid is None or grid.level < LEAF_LEVEL or None
        return True

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

    def _request(self, action: str) -> None:
        if self.check_action(action, ()) is True:
            self.post_message(self.ActionRequested(self, action, self.grid))

    def action_open_card(self) -> None:
        self._request("open_card")

    def action_new_child(self) -> None:
        self._request("new_child")

    def action_edit(self) -> None:
        self._request("edit")

    def action_move(self) -> None:
        self._request("move")

    def action_assign(self) -> None:
        self._request("assign")

    def action_find(self) -> None:
        self._request("find")
