"""The command palette: jumps to grids and residents, and running any key's action.

The actions themselves come from ``PoliceRoomApp.get_system_commands`` (read from the
bindings, like the help screen); this module adds the jumps, searched through the services
in a thread so the palette keeps up with typing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from textual.app import App
from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ServiceError
from policeroom.services.org import grids
from policeroom.services.people import residents
from policeroom.ui.common.desk import desk_app
from policeroom.ui.common.keys import KeyEntry
from policeroom.ui.common.workers import ServiceFailed
from policeroom.ui.shell import messages
from policeroom.ui.shell.main_screen import MainScreen

JUMP_LIMIT = 8
# Pinyin matches ("zs" for 张三) do not fuzzy-match the hanzi shown, so the service's own
# match counts as a good score and the fuzzy score only orders among them.
SERVICE_MATCH_SCORE = 0.5


@dataclass(frozen=True)
class Jumps:
    grids: list[grids.GridNode]
    residents: list[residents.ResidentRow]


def find_jumps(ctx: ServiceContext, text: str) -> Jumps:
    """Grids by code or name and residents by name, pinyin, phone or ID tail."""
    return Jumps(grids.find(ctx, text, JUMP_LIMIT), residents.search(ctx, text, JUMP_LIMIT))


def runner(app: App[Any], screen: Screen[Any], entry: KeyEntry) -> Callable[[], Any]:
    """What choosing a key's action in the palette does: go to its area, then run it."""

    async def run() -> None:
        if entry.area_id and isinstance(screen, MainScreen):
            screen.action_focus_area(entry.area_id)
        await app.run_action(entry.action, entry.node)

    return run


class JumpProvider(Provider):
    """Jump to a grid (code or name) or a resident (name, pinyin, phone or ID tail)."""

    async def search(self, query: str) -> Hits:
        text = query.strip()
        if not text:
            return
        app = desk_app(self)
        # A Provider is no widget: a service worker could only post its answer as a message,
        # while the palette wants hits yielded from this async generator, which it runs as a
        # task and cancels when the typing changes. Awaiting a thread here keeps the keys
        # free and the answer where the palette asks for it.
        try:
            found = await asyncio.to_thread(find_jumps, app.ctx, text)
        except (ServiceError, SQLAlchemyError) as error:
            app.post_message(ServiceFailed(messages.JUMPS, error))
            return
        matcher = self.matcher(text)
        for grid in found.grids:
            label = f"{grid.code} {grid.name}"
            score = max(matcher.match(label), SERVICE_MATCH_SCORE)
            yield Hit(
                score,
                Content.assemble(_("Grid") + ": ", matcher.highlight(label)),
                partial(self._jump_grid, grid.id),
                text=label,
                help=_("officer {name}").format(name=grid.officer_name or _("none")),
            )
        for person in found.residents:
            label = f"{person.name} {person.grid_name}"
            score = max(matcher.match(person.name), SERVICE_MATCH_SCORE)
            yield Hit(
                score,
                Content.assemble(_("Resident") + ": ", Content(label)),
                partial(self._jump_resident, person.id),
                text=label,
                help=f"{person.address} {person.phone_masked}".strip(),
            )

    # The app answers: it holds the main screen, whichever screen the palette was opened on.
    def _jump_grid(self, grid_id: int) -> None:
        self.app.post_message(messages.GridJump(grid_id))

    def _jump_resident(self, resident_id: int) -> None:
        self.app.post_message(messages.ResidentJump(resident_id))
