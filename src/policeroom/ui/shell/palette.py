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

from textual.app import App
from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.org import grids
from policeroom.services.people import residents
from policeroom.ui.common.keys import KeyEntry

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
        focus_area = getattr(screen, "action_focus_area", None)
        if entry.area_id and callable(focus_area):
            focus_area(entry.area_id)
        await app.run_action(entry.action, entry.node)

    return run


class JumpProvider(Provider):
    """Jump to a grid (code or name) or a resident (name, pinyin, phone or ID tail)."""

    @property
    def ctx(self) -> ServiceContext:
        context: ServiceContext = getattr(self.app, "ctx")  # noqa: B009 - the app's, typed here
        return context

    async def search(self, query: str) -> Hits:
        text = query.strip()
        if not text:
            return
        found = await asyncio.to_thread(find_jumps, self.ctx, text)
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

    def _main(self) -> Any:
        return getattr(self.app, "main_screen", None)

    def _jump_grid(self, grid_id: int) -> None:
        main = self._main()
        if main is not None:
            main.jump_to_grid(grid_id)

    def _jump_resident(self, resident_id: int) -> None:
        main = self._main()
        if main is not None:
            main.jump_to_resident(resident_id)
