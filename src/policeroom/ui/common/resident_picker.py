"""Choose several residents: search by name, pinyin or number tail; ``delete`` drops one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.people import residents
from policeroom.services.people.residents import ResidentRow
from policeroom.ui.common.lookup import Choice, Lookup


def resident_choice(row: ResidentRow) -> Choice:
    return Choice(row.id, f"{row.name}  {row.phone_masked}  {row.grid_name}")


class ResidentPicker(Vertical):
    """The residents chosen so far, and a search box to add more."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "delete",
            "drop",
            _("Remove"),
            tooltip=_("Remove the highlighted resident"),
            id="resident-picker.remove",
        ),
    ]

    class Changed(Message):
        def __init__(self, picker: ResidentPicker) -> None:
            super().__init__()
            self.picker = picker

        @property
        def control(self) -> ResidentPicker:
            return self.picker

    def __init__(
        self,
        ctx: ServiceContext,
        chosen: Sequence[Choice] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.ctx = ctx
        self._chosen: dict[int, Choice] = {choice.value: choice for choice in chosen}

    def compose(self) -> ComposeResult:
        yield OptionList(classes="resident-picker--chosen")
        yield Lookup(
            self._search,
            placeholder=_("add: name, zs, phone tail"),
            clear_on_choose=True,
            classes="resident-picker--lookup",
        )

    def on_mount(self) -> None:
        self._refresh_chosen()

    @property
    def value(self) -> tuple[int, ...]:
        """The ids of the chosen residents, in the order they were chosen."""
        return tuple(self._chosen)

    @property
    def lookup(self) -> Lookup:
        return self.query_one(Lookup)

    def focus(self, scroll_visible: bool = True) -> ResidentPicker:
        self.lookup.focus(scroll_visible)
        return self

    def _search(self, text: str) -> list[Choice]:
        return [resident_choice(row) for row in residents.search(self.ctx, text, limit=8)]

    @on(Lookup.Changed)
    def _added(self, event: Lookup.Changed) -> None:
        event.stop()
        if event.choice is not None and event.choice.value not in self._chosen:
            self._chosen[event.choice.value] = event.choice
            self._refresh_chosen()
            self.post_message(self.Changed(self))

    def action_drop(self) -> None:
        chosen = self.query_one(".resident-picker--chosen", OptionList)
        index = chosen.highlighted
        if index is None or not self._chosen:
            return
        del self._chosen[list(self._chosen)[index]]
        self._refresh_chosen()
        if not self._chosen:
            # The emptied list hides itself: without this nothing has the focus and what
            # the officer types next is lost.
            self.lookup.focus()
        self.post_message(self.Changed(self))

    def _refresh_chosen(self) -> None:
        chosen = self.query_one(".resident-picker--chosen", OptionList)
        chosen.clear_options()
        chosen.add_options([Option(Text(choice.label)) for choice in self._chosen.values()])
        if self._chosen:
            chosen.highlighted = len(self._chosen) - 1
        chosen.set_class(bool(self._chosen), "-shown")
