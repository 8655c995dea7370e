"""Fixtures for driving the whole app with keys: a seeded branch and a settle helper."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.services.core.context import ServiceContext
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.common.form_base import FormScreen
from policeroom.ui.common.lookup import Lookup
from policeroom.ui.common.paged_table import PagedTable
from policeroom.ui.org.grid_tree import GridTree
from policeroom.ui.shell.main_screen import GRID_REST, MainScreen
from tests.ui.desk_world import build_desk_world
from tests.unit.people_world import World


@pytest.fixture
def world(sqlite_db: Database, clock: Clock) -> World:
    """A small branch: streets, villages and groups, a room, staff, residents, two disputes."""
    return build_desk_world(sqlite_db, clock)


def make_app(ctx: ServiceContext, **options: object) -> PoliceRoomApp:
    return PoliceRoomApp(ctx, **options)  # type: ignore[arg-type]


async def until(pilot: Pilot[object], condition: Callable[[], bool]) -> None:
    """Let the app run until ``condition`` holds (focus moves after a refresh, not at once)."""
    for _ in range(400):
        if condition():
            return
        # a short wait, not a timing: on a busy machine a refresh can take a while to come
        await pilot.pause(0.05)
    assert condition()


async def settle(pilot: Pilot[object]) -> None:
    """Wait until no worker runs, nothing on the screen is reading or saving and a pane asked
    for by key has taken the focus."""
    app = pilot.app
    quiet = 0
    for _ in range(500):
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        busy: list[object] = [t for t in screen.query(PagedTable) if t.is_loading]
        busy += [t for t in screen.query(GridTree) if t.is_loading]
        busy += [lookup for lookup in screen.query(Lookup) if lookup.is_searching]
        if isinstance(screen, MainScreen) and screen.is_switching:
            busy.append(screen)
        if isinstance(screen, MainScreen) and screen.grid_pending:
            # the panes wait for the tree's cursor to rest: give the timer time to fire
            await pilot.pause(GRID_REST / 4)
            quiet = 0
            continue
        if isinstance(screen, FormScreen) and screen.is_saving:
            busy.append(screen)
        if busy or any(w.is_running for w in app.workers):
            quiet = 0
            continue
        # a worker's end reaches its widget as a message posted from the thread; on a loaded
        # machine one quiet look can come before it, so the app must stay quiet a while
        quiet += 1
        if quiet == 3:
            return
    raise AssertionError("the app never finished reading")
