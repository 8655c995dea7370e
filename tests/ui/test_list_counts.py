"""A list's first rows come before its count, on a real database, and ``end`` skips no rows."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Connection

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.services.people import residents
from policeroom.services.people.residents import ResidentQuery
from policeroom.ui.people.residents_pane import ResidentsPane
from tests.ui.conftest import settle, until
from tests.ui.residents_world import PEOPLE, PaneApp, ResidentsWorld, build_residents_world
from tests.unit.sessions import rows_skipped, statements

# More residents than a screenful and its margin: the list must be counted, and ``end`` read.
MORE = 45
SURNAMES = "钱孙周吴郑冯陈褚卫蒋"
GIVEN = "伟芳娜敏静丽强"


@pytest.fixture
def crowd(db: Database, clock: Clock) -> ResidentsWorld:
    made = build_residents_world(db, clock)
    for n in range(MORE):
        made.world.resident(SURNAMES[n % 10] + GIVEN[n % 7] + GIVEN[(n // 7) % 7])
    return made


def status(app: PaneApp) -> str:
    return str(app.query_one("#residents-status").render())


async def test_the_residents_come_before_their_count(crowd: ResidentsWorld, db: Database) -> None:
    release, holding = threading.Event(), threading.Event()

    def hold(_conn: Connection, _cursor: object, statement: str, *_: Any) -> None:
        # The list's count only (the tree's counts group by grid): held until released.
        if "count(" in statement and "resident" in statement and "GROUP BY" not in statement:
            holding.set()
            release.wait(timeout=30)

    event.listen(db.engine, "before_cursor_execute", hold)
    try:
        app = PaneApp(crowd.ctx)
        async with app.run_test(size=(80, 24)) as pilot:
            pane = app.query_one(ResidentsPane)
            try:
                await until(pilot, lambda: holding.is_set() and pane.table.cached_rows > 0)
                assert pane.table.total is None and pane.table.highlighted is not None
                assert "…" in status(app)
                await pilot.press("down")  # keys work while the count is held
                assert pane.table.cursor_index == 1
            finally:
                release.set()
            await settle(pilot)
            assert pane.table.total == len(PEOPLE) + MORE
            assert f"{len(PEOPLE) + MORE} residents" in status(app)
    finally:
        event.remove(db.engine, "before_cursor_execute", hold)


async def test_end_in_the_residents_list_skips_no_rows(crowd: ResidentsWorld, db: Database) -> None:
    walked: list[int] = []
    after = None
    while True:
        page = residents.page_after(crowd.ctx, ResidentQuery(), after, 20)
        walked += [row.id for row in page.rows]
        if not page.has_more:
            break
        after = page.after
    app = PaneApp(crowd.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(ResidentsPane).table
        assert table.total == len(walked)
        with statements(db) as sent:
            await pilot.press("end")
            await settle(pilot)
        assert table.cursor_index == len(walked) - 1
        assert table.highlighted is not None and table.highlighted.id == walked[-1]
        reads = [s for s, _ in sent if "FROM resident" in s]
        assert reads, "the last rows were not read"
        assert not [s for s, params in sent if rows_skipped(s, params)], sent
