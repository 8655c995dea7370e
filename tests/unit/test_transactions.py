"""Reads are one snapshot, writes hold their lock from before their checks: two real
connections (two engines) on one SQLite file, and on one PostgreSQL database."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from functools import partial

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlmodel import col, func, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.org import Branch, Grid
from policeroom.models.roster import Shift, ShiftCreate
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ValidationError
from policeroom.services.duty import shifts
from policeroom.services.duty.shifts import SavedShift
from tests.unit.roster_org import RosterOrg, build

ROUNDS = 25
# Only a safety net against a hang: nothing waits this long when the code is right.
STUCK = 60


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """A second engine (its own pool and connections) on the same database."""
    second = Database.open(db.engine.url.render_as_string(hide_password=False))
    yield second
    second.dispose()


def _branches(session: sa.orm.Session) -> int:
    return int(session.execute(select(func.count()).select_from(Branch)).scalar_one())


def test_a_read_sees_one_snapshot_while_another_connection_commits(
    db: Database, other: Database
) -> None:
    with db.read() as session:
        before = _branches(session)
        with other.transaction() as writing:
            writing.add(Branch(code="B-NEW", name="新分局"))
        assert _branches(session) == before  # the same read: the commit is not in its snapshot
        assert session.execute(select(Branch.id).where(Branch.code == "B-NEW")).first() is None
    with db.read() as session:
        assert _branches(session) == before + 1  # the next read sees it


def test_a_service_read_sees_one_snapshot(db: Database, other: Database, clock: Clock) -> None:
    """A grid's card reads the node and then its ancestors: a move committed in between
    must not hand back a grid under one parent with the ancestors of another."""
    from policeroom.services.org import grids

    ctx = ServiceContext(db, clock=clock)
    with db.transaction() as session:
        street_a = Grid(code="A", name="甲街道", level=1, path="")
        street_b = Grid(code="B", name="乙街道", level=1, path="")
        session.add_all([street_a, street_b])
        session.flush()
        street_a.path, street_b.path = f"/{street_a.id}/", f"/{street_b.id}/"
        village = Grid(
            code="A-1", name="甲村", level=2, parent_id=street_a.id, path=f"/{street_a.id}/x/"
        )
        session.add(village)
        session.flush()
        village.path = f"/{street_a.id}/{village.id}/"
        ids = (street_a.id, street_b.id, village.id)
    assert all(ids)
    a_id, b_id, village_id = (int(i) for i in ids if i is not None)
    moved = threading.Event()

    def move_once(_conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
        # After the card's first query, another desk moves the village under the other street.
        if moved.is_set() or not statement.lstrip().upper().startswith("SELECT"):
            return
        moved.set()
        desk = ServiceContext(other, clock=clock)
        grids.move(desk, village_id, b_id, grids.get(desk, village_id).version)

    event.listen(db.engine, "after_cursor_execute", move_once)
    try:
        card = grids.card(ctx, village_id)
    finally:
        event.remove(db.engine, "after_cursor_execute", move_once)
    assert moved.is_set()
    assert card.node.parent_id == a_id
    assert [a.id for a in card.ancestors] == [a_id]
    assert grids.card(ctx, village_id).node.parent_id == b_id


class _Race:
    """Holds each racer before the first statement it sends (``BEGIN IMMEDIATE`` on SQLite)
    until the other has got there too, so that both would run their checks together if
    nothing kept them apart."""

    def __init__(self, *databases: Database) -> None:
        self.barrier = threading.Barrier(len(databases), timeout=STUCK)
        self.armed = threading.local()
        self.databases = databases

    def _hold(self, *_args: object) -> None:
        if getattr(self.armed, "on", False):
            self.armed.on = False
            self.barrier.wait()

    def __enter__(self) -> _Race:
        for database in self.databases:
            event.listen(database.engine, "before_cursor_execute", self._hold)
        return self

    def __exit__(self, *_exc: object) -> None:
        for database in self.databases:
            event.remove(database.engine, "before_cursor_execute", self._hold)

    def run(self, *calls: Callable[[], SavedShift]) -> list[SavedShift | BaseException]:
        results: list[SavedShift | BaseException] = [RuntimeError("did not run")] * len(calls)

        def racer(index: int) -> None:
            self.armed.on = True
            try:
                results[index] = calls[index]()
            except BaseException as error:  # handed to the test to assert on
                results[index] = error

        threads = [threading.Thread(target=racer, args=(i,)) for i in range(len(calls))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(STUCK)
            assert not thread.is_alive()
        return results


def _book(
    ctx: ServiceContext, post_id: int, staff_id: int, window: tuple[datetime, datetime]
) -> SavedShift:
    return shifts.create_shift(
        ctx, ShiftCreate(post_id=post_id, staff_id=staff_id, starts_at=window[0], ends_at=window[1])
    )


def test_two_desks_booking_one_person_at_once_end_with_one_shift(
    db: Database, other: Database, clock: Clock
) -> None:
    org: RosterOrg = build(db, ServiceContext(db, clock=clock))
    person = org.staff["李强"]
    desks = [ServiceContext(db, clock=clock), ServiceContext(other, clock=clock)]
    posts = [org.desk, org.night_patrol]
    with _Race(db, other) as race:
        for round_ in range(ROUNDS):
            day = date(2022, 5, 2) + timedelta(days=round_)
            window = (datetime.combine(day, time(8)), datetime.combine(day, time(12)))
            results = race.run(
                *(
                    partial(_book, desk, post, person, window)
                    for desk, post in zip(desks, posts, strict=True)
                )
            )
            saved = [r for r in results if isinstance(r, SavedShift)]
            refused = [r for r in results if isinstance(r, ValidationError)]
            assert len(saved) == 1 and len(refused) == 1, (round_, results)
            assert "李强" in refused[0].for_field("staff_id")[0]
            with db.read() as session:
                booked = session.execute(
                    select(func.count())
                    .select_from(Shift)
                    .where(col(Shift.staff_id) == person, col(Shift.starts_at) == window[0])
                ).scalar_one()
            assert booked == 1, round_


def test_a_rolled_back_migration_step_leaves_no_table(db: Database) -> None:
    """DDL is transactional on SQLite too now that the driver no longer autocommits it."""
    with pytest.raises(RuntimeError), db.engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE half_done (id INTEGER PRIMARY KEY)"))
        raise RuntimeError("the migration failed half way")
    assert "half_done" not in sa.inspect(db.engine).get_table_names()
