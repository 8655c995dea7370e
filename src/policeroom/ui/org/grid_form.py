"""Add a grid under another, or edit a grid's code, name, police room and sizes."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select

from policeroom.i18n import _
from policeroom.models.org import GridCreate, GridUpdate
from policeroom.services.core.context import ServiceContext
from policeroom.services.org import grids
from policeroom.services.org import structure as org
from policeroom.services.org.grids import GridNode
from policeroom.ui.common.form_base import FormField, FormScreen
from policeroom.ui.common.workers import service_worker
from policeroom.ui.org import messages


def level_name(level: int) -> str:
    names = {
        1: _("street or town"),
        2: _("village or community"),
        3: _("group or block"),
    }
    return names.get(level, str(level))


def _count(text: Any) -> int:
    text = str(text or "").strip()
    return int(text) if text.isdigit() else 0


class GridForm(FormScreen[GridNode]):
    """A new grid one level below ``parent`` (None: a level-1 grid), or ``grid`` to edit."""

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        parent: GridNode | None = None,
        grid: GridNode | None = None,
    ) -> None:
        super().__init__(ctx)
        self.parent_grid = parent
        self.grid = grid
        self.level = grid.level if grid else (parent.level + 1 if parent else 1)
        if grid is not None:
            self.form_title = _("Edit grid {code} {name}").format(code=grid.code, name=grid.name)
        elif parent is not None:
            self.form_title = _("New {level} under {name}").format(
                level=level_name(self.level), name=parent.name
            )
        else:
            self.form_title = _("New {level}").format(level=level_name(self.level))

    def compose_fields(self) -> ComposeResult:
        grid = self.grid
        code = grid.code if grid else (f"{self.parent_grid.code}-" if self.parent_grid else "")
        yield FormField("code", _("Code"), Input(code, compact=True, id="grid-code"), required=True)
        yield FormField(
            "name",
            _("Name"),
            Input(grid.name if grid else "", compact=True, id="grid-name"),
            required=True,
        )
        yield FormField(
            "police_room_id",
            _("Police room"),
            Select[int]([], prompt=_("(none)"), compact=True, id="grid-room"),
            hint=_("The community police room answering for this grid"),
        )
        yield FormField(
            "households",
            _("Households"),
            Input("0", type="integer", compact=True, id="grid-households"),
        )
        yield FormField(
            "population",
            _("Population"),
            Input("0", type="integer", compact=True, id="grid-population"),
        )

    def on_mount(self) -> None:
        super().on_mount()
        if self.grid is None and self.parent_grid is not None:
            # The code starts with the parent's: the cursor waits after it, not over it.
            self.call_after_refresh(self.query_one("#grid-code", Input).action_end)
        self._load()

    @service_worker(messages.FORM_LOAD)
    def _load(self) -> messages.GridFormLoaded:
        rooms = org.list_rooms(self.ctx)
        households = population = 0
        if self.grid is not None:
            card = grids.card(self.ctx, self.grid.id)
            households, population = card.households, card.population
        return messages.GridFormLoaded(rooms, households, population)

    @on(messages.GridFormLoaded)
    def _fill(self, loaded: messages.GridFormLoaded) -> None:
        select: Select[int] = self.query_one("#grid-room", Select)
        select.set_options((f"{room.code} {room.name}", room.id) for room in loaded.rooms)
        room_id = self.grid.police_room_id if self.grid else None
        if room_id is not None:
            select.value = room_id
        self.query_one("#grid-households", Input).value = str(loaded.households)
        self.query_one("#grid-population", Input).value = str(loaded.population)
        self.mark_clean()

    def submit(self, values: dict[str, Any]) -> GridNode:
        room = values.get("police_room_id")
        if self.grid is None:
            return grids.create(
                self.ctx,
                GridCreate(
                    code=str(values["code"]).strip(),
                    name=str(values["name"]).strip(),
                    level=self.level,
                    parent_id=self.parent_grid.id if self.parent_grid else None,
                    police_room_id=room,
                    households=_count(values["households"]),
                    population=_count(values["population"]),
                ),
            )
        return grids.update(
            self.ctx,
            self.grid.id,
            GridUpdate(
                code=str(values["code"]).strip(),
                name=str(values["name"]).strip(),
                police_room_id=room,
                households=_count(values["households"]),
                population=_count(values["population"]),
            ),
            expected_version=self.grid.version,
        )
