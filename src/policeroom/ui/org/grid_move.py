"""Choose a grid by typing part of its code or name: the move's new parent, or a jump.

``GridPicker`` serves both the move (``m``: only grids one level up, the grid's own subtree
left out) and the tree's find (``/``: any grid); the tree saves the move.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from policeroom.i18n import _, ngettext
from policeroom.services.core.context import ServiceContext
from policeroom.services.org import grids
from policeroom.services.org.grids import GridNode
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.common.workers import ServiceFailed, service_worker
from policeroom.ui.org import STYLESHEET as org_sheet
from policeroom.ui.org import messages

PICK_LIMIT = 50


def grid_option_text(grid: GridNode) -> Text:
    text = Text(f"{grid.code} ", style="dim")
    text.append(grid.name)
    if grid.officer_name:
        text.append(f" {grid.officer_name}", style="dim")
    return text


class GridPicker(ModalScreen[GridNode | None]):
    """Type to search grids; ``enter`` chooses, ``escape`` gives up."""

    CSS_PATH = org_sheet
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", _("Cancel"), tooltip=_("Close without choosing"), id="pick.cancel"
        ),
        Binding("down", "move(1)", _("Next"), show=False, id="pick.next"),
        Binding("up", "move(-1)", _("Previous"), show=False, id="pick.previous"),
        # priority, so the footer shows it rather than the search box's own (hidden) enter
        Binding(
            "enter",
            "choose",
            _("Choose"),
            tooltip=_("Choose the highlighted grid"),
            id="pick.choose",
            priority=True,
        ),
    ]

    def __init__(
        self,
        ctx: ServiceContext,
        title: str,
        *,
        level: int | None = None,
        exclude_path: str = "",
        start: Callable[[], list[GridNode]] | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.title_text = title
        self.level = level
        self.exclude_path = exclude_path
        self._start = start
        self.matches: list[GridNode] = []
        self._searched: str | None = None
        self._waiting: str | None = None
        self._shown_for: str | None = None  # the text whose matches the list shows
        self._choosing = False  # enter came before the matches of what was typed

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box") as box:
            box.border_title = self.title_text
            yield Input(placeholder=_("code or name"), id="picker-input")
            yield OptionList(id="picker-list")
            yield Static("", id="picker-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#picker-list", OptionList).can_focus = False
        self.query_one(Input).focus()
        self._search("")

    @property
    def is_searching(self) -> bool:
        return self._searched is not None or self._waiting is not None

    @on(Input.Changed, "#picker-input")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    # One search runs at a time; text typed meanwhile waits and is searched when it answers.
    # Not exclusive: the next search starts from the answer's handler, before the worker
    # that posted it has ended.
    def _search(self, text: str) -> None:
        if self._searched is not None:
            self._waiting = text
            return
        self._searched = text
        self._run(text)

    @service_worker(messages.PICKER_SEARCH, exclusive=False)
    def _run(self, text: str) -> messages.GridsFound:
        if text.strip():
            found = grids.find(self.ctx, text, PICK_LIMIT)
        else:
            found = self._start() if self._start is not None else grids.children(self.ctx, None)
        return messages.GridsFound(text, [grid for grid in found if self._fits(grid)])

    def _fits(self, grid: GridNode) -> bool:
        if self.level is not None and grid.level != self.level:
            return False
        return not (self.exclude_path and grid.path.startswith(self.exclude_path))

    @on(messages.GridsFound)
    def _found(self, message: messages.GridsFound) -> None:
        self._show(message.grids)
        self._shown_for = message.text
        self._search_ended()
        if self._choosing:
            self._choose()

    @on(ServiceFailed)
    def _not_found(self, message: ServiceFailed) -> None:
        # Not stopped: the app tells the user why nothing was found.
        if message.group == messages.PICKER_SEARCH:
            self._search_ended()

    def _search_ended(self) -> None:
        self._searched = None
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._search(waiting)

    def _show(self, found: list[GridNode]) -> None:
        self.matches = found
        options = self.query_one("#picker-list", OptionList)
        options.clear_options()
        options.add_options(Option(grid_option_text(grid), id=str(grid.id)) for grid in found)
        if found:
            options.highlighted = 0
        if found:
            status = ngettext("{n} grid", "{n} grids", len(found)).format(n=len(found))
        else:
            status = _("No grid matches")
        self.query_one("#picker-status", Static).update(Text(status))

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-list", OptionList)
        if not self.matches:
            return
        current = options.highlighted if options.highlighted is not None else -step
        options.highlighted = max(0, min(len(self.matches) - 1, current + step))

    @on(Input.Submitted, "#picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose()

    @on(OptionList.OptionSelected, "#picker-list")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self.action_choose()

    def action_choose(self) -> None:
        # A priority key runs before the keys typed ahead of it (a code, ↓, ⏎ in one burst:
        # typed fast, pasted, a slow SSH link). In the search box the box's own enter is
        # let through: it submits after those keys (``_submitted``), and the choice waits for
        # the matches of what the box then holds (``_choose``).
        if isinstance(self.focused, Input):
            raise SkipAction()
        (self.focused or self).call_later(self._choose)

    def _choose(self) -> None:
        """The highlighted match, once the list shows the matches of what is typed."""
        typed = self.query_one("#picker-input", Input).value
        if self.is_searching or self._shown_for != typed:
            self._choosing = True  # chosen when those matches arrive (``_found``)
            if not self.is_searching:
                self._search(typed)
            return
        self._choosing = False
        index = self.query_one("#picker-list", OptionList).highlighted
        if index is not None and 0 <= index < len(self.matches):
            self.dismiss(self.matches[index])

    def action_cancel(self) -> None:
        self.dismiss(None)


def move_picker(ctx: ServiceContext, grid: GridNode) -> GridPicker:
    """Parents a grid may move under: one level up, the current one's siblings first."""

    def start() -> list[GridNode]:
        if grid.parent_id is None:
            return []
        parent = grids.get(ctx, grid.parent_id)
        return grids.children(ctx, parent.parent_id)

    return GridPicker(
        ctx,
        _("Move {name} under …").format(name=grid.name),
        level=grid.level - 1,
        exclude_path=grid.path,
        start=start,
    )
