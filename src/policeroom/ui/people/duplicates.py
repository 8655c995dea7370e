"""Residents already recorded who look like the one being added: open one, or add anyway."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from policeroom.i18n import _
from policeroom.services.people.residents import ResidentRow
from policeroom.ui.common import styles
from policeroom.ui.common.key_footer import KeyFooter


@dataclass(frozen=True)
class OpenExisting:
    """The answer "open this one instead of adding a new record"."""

    resident_id: int


ADD_ANYWAY = "add"


class DuplicatesScreen(ModalScreen[OpenExisting | str | None]):
    """Dismissed with ``OpenExisting``, ``ADD_ANYWAY``, or None (back to the form)."""

    CSS_PATH = styles.FORMS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "add",
            _("Add anyway"),
            tooltip=_("Add the new resident all the same"),
            id="duplicates.add",
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back to the form"), id="duplicates.back"),
    ]

    def __init__(self, duplicates: Sequence[ResidentRow]) -> None:
        super().__init__()
        self.duplicates = list(duplicates)

    def compose(self) -> ComposeResult:
        with Vertical(id="duplicates-box"):
            yield Static(
                Text(_("Possibly already recorded — enter opens one, a adds a new record:")),
                id="duplicates-question",
            )
            yield OptionList(
                *[Option(Text(self._describe(row))) for row in self.duplicates],
                id="duplicates-list",
            )
        yield KeyFooter()

    @staticmethod
    def _describe(row: ResidentRow) -> str:
        # with an ID number the birth date is its masked digits: not shown beside the mask
        born = row.birth_date.isoformat() if row.birth_date and not row.id_number_masked else ""
        parts = [row.name, row.id_number_masked, row.phone_masked, born, row.address, row.grid_name]
        return "  ".join(part for part in parts if part)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(OpenExisting(self.duplicates[event.option_index].id))

    def action_add(self) -> None:
        self.dismiss(ADD_ANYWAY)

    def action_back(self) -> None:
        self.dismiss(None)
