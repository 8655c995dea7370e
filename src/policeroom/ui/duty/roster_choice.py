"""Choose one of a few things: a police room, one of a cell's shifts, a waiting swap.

Typing filters the list when it is long (a branch has about sixty police rooms), and always
for the rooms: a room's code typed after ``r`` must land in the picker, even a desk officer's
picker of one room, never on the pane behind it. ``enter`` chooses the highlighted line,
``escape`` gives up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from policeroom.i18n import _
from policeroom.services.duty.roster import CellShift, RoomRow
from policeroom.ui.common import styles
from policeroom.ui.common.key_footer import KeyFooter
from policeroom.ui.duty import STYLESHEET as duty_sheet
from policeroom.ui.duty.labels import span_text

Value = TypeVar("Value")
FILTER_FROM = 8


@dataclass(frozen=True)
class Choice(Generic[Value]):
    """One line of the list: what it says, the words a filter matches, what it stands for."""

    label: Text
    value: Value
    words: str = ""


@dataclass(frozen=True)
class RoomPick:
    """A room chosen in the picker (None: every room), told apart from no choice at all."""

    room_id: int | None


def room_choices(rooms: Sequence[RoomRow], *, every_room: bool) -> list[Choice[RoomPick]]:
    """A line per police room (code, name, station), after "All police rooms" if offered."""
    choices: list[Choice[RoomPick]] = []
    if every_room:
        choices.append(Choice(Text(_("All police rooms")), RoomPick(None), "all"))
    for room in rooms:
        label = Text(f"{room.code} ", style="dim")
        label.append(room.name)
        label.append(f"  {room.station_name}", style="dim")
        choices.append(Choice(label, RoomPick(room.id), f"{room.code} {room.name}"))
    return choices


def shift_choices(shifts: Sequence[CellShift]) -> list[Choice[CellShift]]:
    """A line per shift of a cell: its times, post and person."""
    choices = []
    for shift in shifts:
        label = Text(span_text(shift.starts_at, shift.ends_at) + " ")
        label.append(shift.post_name)
        label.append(" ")
        label.append(shift.staff_name or _("vacant"), style="bold")
        choices.append(Choice(label, shift))
    return choices


class ChoiceFilter(Input):
    """The filter line: its ``enter`` chooses, and says so in the footer (Input's own
    ``enter`` is hidden, and hid the screen's)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "submit",
            _("Choose"),
            tooltip=_("Choose the highlighted line"),
            id="choice.filter-go",
        ),
    ]


class ChoiceScreen(ModalScreen[Any], Generic[Value]):
    """A list to choose one line from; dismisses with its value, or None."""

    CSS_PATH = [styles.FORMS, duty_sheet]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", _("Cancel"), tooltip=_("Close without choosing"), id="choice.cancel"
        ),
        Binding("down", "move(1)", _("Next"), show=False, id="choice.next"),
        Binding("up", "move(-1)", _("Previous"), show=False, id="choice.previous"),
        Binding(
            "enter", "choose", _("Choose"), tooltip=_("Choose the highlighted line"), id="choice.go"
        ),
    ]

    def __init__(
        self,
        title: str,
        choices: Sequence[Choice[Value]],
        *,
        highlight: int = 0,
        typed: bool = False,
        note: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.shown = list(choices)
        self.start = highlight
        self.typed = typed
        """Typing filters the list however short it is."""
        self.note = note
        """Said under the list while nothing is typed."""

    @property
    def filtered(self) -> bool:
        return self.typed or len(self.choices) >= FILTER_FROM

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box") as box:
            box.border_title = self.title_text
            if self.filtered:
                yield ChoiceFilter(
                    placeholder=_("type to filter"), compact=True, id="choice-filter"
                )
            yield OptionList(id="choice-list")
            yield Static("", id="choice-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.filtered:
            options.can_focus = False
            self.query_one(Input).focus()
        else:
            options.focus()
        self._show(self.start)

    def _show(self, highlight: int = 0) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(choice.label) for choice in self.shown)
        if self.shown:
            options.highlighted = max(0, min(highlight, len(self.shown) - 1))
        status = self.note if self.shown else _("Nothing matches")
        self.query_one("#choice-status", Static).update(Text(status))

    @on(Input.Changed, "#choice-filter")
    def _typed(self, event: Input.Changed) -> None:
        text = event.value.strip().lower()
        self.shown = [
            c for c in self.choices if not text or text in (c.words or c.label.plain).lower()
        ]
        self._show()

    @on(Input.Submitted, "#choice-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    @on(OptionList.OptionSelected, "#choice-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one(OptionList).highlighted = event.option_index
        self.action_choose()

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not self.shown:
            return
        current = options.highlighted if options.highlighted is not None else -step
        options.highlighted = max(0, min(len(self.shown) - 1, current + step))

    def action_choose(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None and 0 <= index < len(self.shown):
            self.dismiss(self.shown[index].value)

    def action_cancel(self) -> None:
        self.dismiss(None)
