"""Issue 14: a damaged database is found when the program starts, off the first frame."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from policeroom.clock import Clock
from policeroom.db import Database, sqlite_path
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.health import quick_problems
from policeroom.ui.people.residents_pane import ResidentsPane
from tests.ui.conftest import settle
from tests.ui.noted_app import NotedApp
from tests.unit.people_world import World


def damage_an_index(database: Database) -> None:
    """Overwrite the first page of an index with garbage, as a failing disk would."""
    path = sqlite_path(database.engine)
    assert path is not None
    database.dispose()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        roots = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE type='index' AND rootpage > 1 "
            "ORDER BY rootpage DESC LIMIT 1"
        ).fetchone()
    with open(path, "r+b") as file:
        file.seek((roots[0] - 1) * page_size)
        file.write(b"\xff" * 64)


async def test_a_damaged_database_gets_a_banner_and_the_way_out(world: World, clock: Clock) -> None:
    database = world.ctx.db
    damage_an_index(database)
    ctx = ServiceContext(database, actor=world.ctx.actor, clock=clock)
    assert quick_problems(ctx), "the damage is there"
    app = NotedApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        errors = app.errors()
    assert any("damaged" in text and "db restore" in text for text in errors), errors


async def test_a_sound_database_starts_without_a_warning(world: World, clock: Clock) -> None:
    app = NotedApp(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not [text for text in app.errors() if "damaged" in text]
        assert not [w for w in app.workers if w.group == "app-integrity" and w.is_running]


class _Watched(NotedApp):
    """The desk, noting what the residents' list showed when the integrity check began."""

    shown_at_check: object = "not checked"

    def _start_integrity_check(self) -> None:
        if self._integrity_due:
            self.shown_at_check = self.screen.query_one(ResidentsPane).table.highlighted
        super()._start_integrity_check()


async def test_the_integrity_check_waits_for_the_first_rows(world: World) -> None:
    """It reads the whole file (seconds on a branch's): not beside the desk's first rows."""
    app = _Watched(world.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.shown_at_check not in (None, "not checked"), app.shown_at_check
