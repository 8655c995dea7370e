"""Assign a grid's leader, responsible officer (一村一警) and administrators, found by name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.org import StaffKind
from policeroom.services.core.context import ServiceContext
from policeroom.services.org import grids, staff
from policeroom.services.org.grids import GridCard, GridNode, StaffBrief
from policeroom.services.org.staff import StaffRow
from policeroom.ui.common import styles
from policeroom.ui.common.form_base import FormField, FormScreen
from policeroom.ui.common.lookup import Choice, Lookup
from policeroom.ui.org import STYLESHEET as org_sheet

SEARCH_LIMIT = 8


def staff_choice(row: StaffRow) -> Choice:
    return Choice(row.id, f"{row.name}  {label(row.kind)}  {row.code}", row.code)


def brief_choice(person: StaffBrief | None) -> Choice | None:
    return Choice(person.id, f"{person.name}  {person.code}", person.code) if person else None


class StaffPicker(Vertical):
    """Several staff members: those chosen so far, and a search box to add more."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "delete",
            "drop",
            _("Remove"),
            tooltip=_("Remove the highlighted person"),
            id="staff-picker.remove",
        ),
    ]

    def __init__(
        self, ctx: ServiceContext, chosen: Sequence[Choice] = (), *, id: str | None = None
    ) -> None:
        super().__init__(id=id, classes="staff-picker")
        self.ctx = ctx
        self._chosen: dict[int, Choice] = {choice.value: choice for choice in chosen}

    def compose(self) -> ComposeResult:
        yield OptionList(classes="staff-picker--chosen")
        yield Lookup(
            self._search,
            placeholder=_("add: name or badge number"),
            clear_on_choose=True,
            classes="staff-picker--lookup",
        )

    def on_mount(self) -> None:
        self._refresh_chosen()

    @property
    def value(self) -> tuple[int, ...]:
        return tuple(sorted(self._chosen))

    @property
    def lookup(self) -> Lookup:
        return self.query_one(Lookup)

    def focus(self, scroll_visible: bool = True) -> StaffPicker:
        self.lookup.focus(scroll_visible)
        return self

    def _search(self, text: str) -> list[Choice]:
        return [staff_choice(row) for row in staff.list_staff(self.ctx, text=text, limit=8)]

    @on(Lookup.Changed)
    def _added(self, event: Lookup.Changed) -> None:
        event.stop()
        if event.choice is not None and event.choice.value not in self._chosen:
            self._chosen[event.choice.value] = event.choice
            self._refresh_chosen()

    def action_drop(self) -> None:
        chosen = self.query_one(".staff-picker--chosen", OptionList)
        index = chosen.highlighted
        if index is None or not self._chosen:
            return
        del self._chosen[list(self._chosen)[index]]
        self._refresh_chosen()

    def _refresh_chosen(self) -> None:
        chosen = self.query_one(".staff-picker--chosen", OptionList)
        chosen.clear_options()
        chosen.add_options([Option(Text(choice.label)) for choice in self._chosen.values()])
        if self._chosen:
            chosen.highlighted = len(self._chosen) - 1
        chosen.set_class(bool(self._chosen), "-shown")


class GridAssignForm(FormScreen[GridNode]):
    """Who answers for ``card``'s grid; saved with ``grids.assign``."""

    # screen styles are scoped to their screen: the staff picker's rules live with the grid's
    CSS_PATH = [styles.FORMS, org_sheet]  # type: ignore[assignment]

    def __init__(self, ctx: ServiceContext, card: GridCard) -> None:
        super().__init__(ctx)
        self.card = card
        node = card.node
        self.form_title = _("Assign people to {code} {name}").format(code=node.code, name=node.name)

    def compose_fields(self) -> ComposeResult:
        card = self.card
        yield FormField(
            "officer_id",
            _("Officer"),
            Lookup(
                self._police,
                value=brief_choice(card.officer),
                placeholder=_("responsible officer: name or badge"),
                id="assign-officer",
            ),
            hint=_("The police officer answering for this grid"),
        )
        yield FormField(
            "leader_id",
            _("Grid leader"),
            Lookup(
                self._anyone,
                value=brief_choice(card.leader),
                placeholder=_("grid leader: name or badge"),
                id="assign-leader",
            ),
        )
        yield FormField(
            "administrator_ids",
            _("Administrators"),
            StaffPicker(
                self.ctx,
                [c for c in map(brief_choice, card.administrators) if c is not None],
                id="assign-administrators",
            ),
        )

    def _police(self, text: str) -> list[Choice]:
        found = staff.list_staff(self.ctx, kind=StaffKind.POLICE, text=text, limit=SEARCH_LIMIT)
        return [staff_choice(row) for row in found]

    def _anyone(self, text: str) -> list[Choice]:
        return [staff_choice(row) for row in staff.list_staff(self.ctx, text=text, limit=8)]

    def submit(self, values: dict[str, Any]) -> GridNode:
        return grids.assign(
            self.ctx,
            self.card.node.id,
            leader_id=values.get("leader_id"),
            officer_id=values.get("officer_id"),
            administrator_ids=list(values.get("administrator_ids") or ()),
            expected_version=self.card.node.version,
        )
