"""A form's list to choose one thing from (a person, a post): a ``Select`` whose ``enter``
is named in the footer, on the help screen and in the palette."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.widgets import Select

from policeroom.i18n import _

Value = TypeVar("Value")


class Picker(Select[Value]):
    """``enter`` opens the list (as ``down`` and ``space`` do). Select's own key has no words
    and is hidden, so a form said nothing of how its lists open."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "show_overlay",
            _("Choose"),
            tooltip=_("Open the list of the field under the cursor and choose from it"),
            id="picker.open",
        ),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_overlay":
            # the field under the cursor's only: the help and the palette list it once
            return self.screen.focused is self
        return True
