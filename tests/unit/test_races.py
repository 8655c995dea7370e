"""Two desks at once, on two engines, over many rounds: exactly one wins every time and the
other is told in one clear message; a busy database is a retryable error, never a traceback."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterator
from datetime import date
from functools import partial

import pytest
import sqlalchemy as sa
from sqlmodel import col, func, select

from policeroom import db as db_module
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.org import Branch
from policeroom.models.people import Resident, ResidentCreate, ResidentUpdate
from policeroom.models.roster import Leave, LeaveCreate
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import DatabaseBusy, StaleRecord, ValidationError
from policeroom.services.duty import shifts
from policeroom.services.people import residents
from tests.unit.desk_process import serve
from tests.unit.people_world import World, build_world, make_id
from tests.unit.races import STUCK, Race
from tests.unit.roster_org import build

ROUNDS = 20


@pytest.fixture
def world(db: Database, clock: Clock) -> World:
    return build_world(db, clock)


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """A second engine (its own pool and connections) on the same database."""
    second = Database.open(db.engine.url.render_as_string(hide_password=False))
    yield second
    second.dispose()


def _create(ctx: ServiceContext, name: str, number: str, grid_id: int) -> residents.Saved:
    return residents.create(ctx, ResidentCreate(name=name, id_number=number, grid_id=grid_id))


def test_one_id_number_entered_at_two_desks_at_once_is_saved_once(
    world: World, db: Database, other: Database, clock: Clock
) -> None:
    desks = [world.ctx, ServiceContext(other, clock=clock)]
    outcomes = {"saved": 0, "refused": 0}
    with Race(db, other) as race:
        for round_ in range(ROUNDS):
            number = make_id(date(1970, 1, 1 + round_), 100 + round_)
            results = race.run(
                partial(_create, desks[0], "陈静", number, world.group.id),
                partial(_create, desks[1], "陈晶", number, world.group_b.id),
            )
            saved = [r for r in results if isinstance(r, residents.Saved)]
            refused = [r for r in results if isinstance(r, ValidationError)]
            assert len(saved) == 1 and len(refused) == 1, (round_, results)
            assert refused[0].for_field("id_number"), refused[0]
            assert number not in str(refused[0])  # the message never repeats the number
            outcomes["saved"] += len(saved)
            outcomes["refused"] += len(refused)
            with db.read() as session:
                holders = session.execute(
                    select(func.count())
                    .select_from(Resident)
                    .where(col(Resident.id_number) == number)
                ).scalar_one()
            assert holders == 1, round_
    assert outcomes == {"saved": ROUNDS, "refused": ROUNDS}


def _edit(ctx: ServiceContext, resident_id: int, address: str, version: int) -> residents.Saved:
    return residents.update(ctx, resident_id, ResidentUpdate(address=address), version)


def test_one_resident_edited_at_two_desks_at_once_keeps_one_edit(
    world: World, db: Database, other: Database, clock: Clock
) -> None:
    resident_id = world.resident("张三", phone="13800138000")
    desks = [world.ctx, ServiceContext(other, clock=clock)]
    version = 1
    with Race(db, other) as race:
        for round_ in range(ROUNDS):
            addresses = (f"光明路{round_}号", f"建设路{round_}号")
            results = race.run(
                *(
                    partial(_edit, desk, resident_id, address, version)
                    for desk, address in zip(desks, addresses, strict=True)
                )
            )
            saved = [r for r in results if isinstance(r, residents.Saved)]
            stale = [r for r in results if isinstance(r, StaleRecord)]
            assert len(saved) == 1 and len(stale) == 1, (round_, results)
            winner = addresses[results.index(saved[0])]
            card = residents.card(world.ctx, resident_id)
            assert (card.address, card.version) == (winner, version + 1), round_
            version = card.version


# The test writes its own rows straight through a transaction (no service).
@pytest.mark.unaudited
def test_a_unique_violation_is_the_fields_message(world: World, db: Database) -> None:
    """A write that skipped the check (or lost the race to it) is refused on its field."""
    ctx = world.ctx
    with pytest.raises(ValidationError) as caught, ctx.transaction() as session:
        session.add(Branch(code="B01", name="重复的分局"))
    assert caught.value.for_field("code") == ["this branch code is already used"]
    with db.read() as session:
        assert session.execute(select(func.count()).select_from(Branch)).scalar_one() == 1


# The test writes its own rows straight through a transaction (no service).
@pytest.mark.unaudited
def test_a_database_held_by_another_writer_is_busy_not_a_traceback(
    db: Database, other: Database, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 20)
    waiting = Database.open(db.engine.url.render_as_string(hide_password=False))
    ctx = ServiceContext(waiting, clock=clock)
    try:
        with other.transaction() as holder:  # another desk holds the write lock meanwhile
            if db_module.is_sqlite(other.engine):
                holder.execute(sa.text("UPDATE branch SET name = name"))
            else:
                holder.execute(sa.text("LOCK TABLE branch IN ACCESS EXCLUSIVE MODE"))
            with pytest.raises(DatabaseBusy) as caught, ctx.transaction() as session:
                if not db_module.is_sqlite(other.engine):
                    session.execute(sa.text("SET LOCAL lock_timeout = '20ms'"))
                session.add(Branch(code="B-BUSY", name="忙"))
                session.flush()
        assert "try again" in str(caught.value)
        with ctx.transaction() as session:  # once it is free, the same write goes through
            session.add(Branch(code="B-BUSY", name="忙"))
    finally:
        waiting.dispose()


PROCESS_ROUNDS = 20


def test_one_resident_edited_at_two_desks_in_two_processes_keeps_one_edit(
    world: World, db: Database, clock: Clock
) -> None:
    """The same race as above between two real processes, each with its own engine: the
    second save is refused (the desk keeps its typing: nothing it sent is changed) and the
    record holds the winner's edit, every round."""
    resident_id = world.resident("李四", phone="13800138001")
    url = db.engine.url.render_as_string(hide_password=False)
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(2, timeout=STUCK)
    answers = spawn.Queue()
    orders = [spawn.Queue(), spawn.Queue()]
    desks = [
        spawn.Process(target=serve, args=(url, clock.now(), barrier, queue, answers))
        for queue in orders
    ]
    for desk in desks:
        desk.start()
    outcomes: Counter[str] = Counter()
    try:
        version = 1
        for round_ in range(PROCESS_ROUNDS):
            addresses = (f"甲{round_}号", f"乙{round_}号")
            for queue, address in zip(orders, addresses, strict=True):
                queue.put((resident_id, address, version))
            got = [answers.get(timeout=STUCK) for _ in desks]
            kinds = sorted(kind for kind, _ in got)
            assert kinds == ["StaleRecord", "saved"], (round_, got)
            outcomes.update(kinds)
            card = residents.card(world.ctx, resident_id)
            assert card.address in addresses and card.version == version + 1, round_
            version = card.version
    finally:
        for queue in orders:
            queue.put(None)
        for desk in desks:
            desk.join(STUCK)
    assert outcomes == {"saved": PROCESS_ROUNDS, "StaleRecord": PROCESS_ROUNDS}


def test_two_desks_entering_leave_for_one_person_at_once_keep_one(
    db: Database, other: Database, clock: Clock
) -> None:
    org = build(db, ServiceContext(db, clock=clock))
    person = org.staff["王芳"]
    desks = [ServiceContext(db, clock=clock), ServiceContext(other, clock=clock)]
    with Race(db, other) as race:
        for round_ in range(ROUNDS):
            day = date(2022, 6, 1 + round_)
            data = LeaveCreate(staff_id=person, starts_on=day, ends_on=day)
            results = race.run(*(partial(shifts.add_leave, desk, data) for desk in desks))
            saved = [r for r in results if isinstance(r, shifts.LeaveResult)]
            refused = [r for r in results if isinstance(r, ValidationError)]
            assert len(saved) == 1 and len(refused) == 1, (round_, results)
            with db.read() as session:
                taken = session.execute(
                    select(func.count()).select_from(Leave).where(col(Leave.starts_on) == day)
                ).scalar_one()
            assert taken == 1, round_
