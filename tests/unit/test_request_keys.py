"""A retry never makes a second record: a create sent twice with one key (a form's draft id)
gives back the first record, on SQLite and PostgreSQL, even when both arrive at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from functools import partial
from typing import Any

import pytest
from sqlmodel import SQLModel, func, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import RequestKey
from policeroom.models.disputes import Dispute, MediationCreate, MediationMethod, MediationResult
from policeroom.models.disputes import MediationSession as MediationRecord
from policeroom.models.people import Resident, ResidentCreate, Visit, VisitCreate, VisitPurpose
from policeroom.models.roster import (
    CallCreate,
    Leave,
    LeaveCreate,
    ResponseCall,
    Shift,
    ShiftCreate,
)
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import mediation
from policeroom.services.duty import response, shifts
from policeroom.services.people import residents, visits
from tests.unit.dispute_world import DisputeWorld, build_dispute_world
from tests.unit.races import Race
from tests.unit.roster_org import RosterOrg, build

ROUNDS = 10


@pytest.fixture
def world(db: Database, clock: Clock) -> DisputeWorld:
    return build_dispute_world(db, clock)


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    second = Database.open(db.engine.url.render_as_string(hide_password=False))
    yield second
    second.dispose()


def _count(db: Database, table: type[SQLModel]) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def _resident(ctx: ServiceContext, world: DisputeWorld) -> Any:
    # No ID number: nothing but the key can tell the second create from a new resident.
    return residents.create(ctx, ResidentCreate(name="王小明", grid_id=world.base.group.id))


def _visit(ctx: ServiceContext, world: DisputeWorld) -> Any:
    return visits.record(
        ctx,
        VisitCreate(
            visit_date=date(2022, 4, 30),
            staff_id=world.base.officer_id,
            resident_ids=[world.zhang],
            purpose=VisitPurpose.ROUTINE,
            summary="入户走访",
        ),
    )


def _dispute(ctx: ServiceContext, world: DisputeWorld) -> Any:
    return world.register(ctx=ctx)


def _mediation(ctx: ServiceContext, world: DisputeWorld, dispute_id: int) -> Any:
    return mediation.record(
        ctx,
        dispute_id,
        MediationCreate(
            held_on=date(2022, 5, 1),
            place="光明路社区警务室",
            method=MediationMethod.NEGOTIATION,
            mediators="李少卿",
            result=MediationResult.NO_AGREEMENT,
        ),
    )


CREATES: dict[str, tuple[Callable[..., Any], type[SQLModel]]] = {
    "resident": (_resident, Resident),
    "visit": (_visit, Visit),
    "dispute": (_dispute, Dispute),
}


@pytest.mark.parametrize("kind", sorted(CREATES))
def test_the_same_create_twice_makes_one_record(
    world: DisputeWorld, db: Database, kind: str
) -> None:
    create, table = CREATES[kind]
    before = _count(db, table)
    keyed = world.ctx.keyed("draft-1")
    first = create(keyed, world)
    again = create(keyed, world)
    assert again.id == first.id
    assert _count(db, table) == before + 1
    other = create(world.ctx.keyed("draft-2"), world)  # another draft is another record
    assert other.id != first.id
    unkeyed = create(world.ctx, world)  # no key (a script, a test): every call creates
    assert unkeyed.id not in (first.id, other.id)
    assert _count(db, table) == before + 3


def test_a_mediation_session_sent_twice_is_recorded_once(world: DisputeWorld, db: Database) -> None:
    dispute = world.register()
    keyed = world.ctx.keyed("draft-m")
    first = _mediation(keyed, world, dispute.id)
    assert _mediation(keyed, world, dispute.id).id == first.id
    assert _count(db, MediationRecord) == 1


def test_a_shift_leave_and_call_sent_twice_are_made_once(db: Database, clock: Clock) -> None:
    ctx = ServiceContext(db, clock=clock)
    org: RosterOrg = build(db, ctx)
    person = org.staff["李强"]
    window = (datetime(2022, 5, 2, 8), datetime(2022, 5, 2, 12))
    shift_data = ShiftCreate(
        post_id=org.desk, staff_id=person, starts_at=window[0], ends_at=window[1]
    )
    keyed = ctx.keyed("draft-s")
    assert shifts.create_shift(keyed, shift_data).shift.id == (
        shifts.create_shift(keyed, shift_data).shift.id
    )
    assert _count(db, Shift) == 1
    leave = LeaveCreate(
        staff_id=org.staff["王芳"], starts_on=date(2022, 5, 3), ends_on=date(2022, 5, 4)
    )
    keyed = ctx.keyed("draft-l")
    assert shifts.add_leave(keyed, leave).leave.id == shifts.add_leave(keyed, leave).leave.id
    assert _count(db, Leave) == 1
    call = CallCreate(police_room_id=None, called_at=datetime.combine(date(2022, 5, 1), time(9)))
    keyed = ctx.keyed("draft-c")
    assert response.log_call(keyed, call).id == response.log_call(keyed, call).id
    assert _count(db, ResponseCall) == 1
    assert _count(db, RequestKey) == 3


def test_one_key_sent_from_two_desks_at_once_makes_one_record(
    world: DisputeWorld, db: Database, other: Database, clock: Clock
) -> None:
    """A retry that arrives while the first attempt is still writing: the second waits for
    the first and gets its record."""
    desks = [world.ctx, ServiceContext(other, clock=clock)]
    before = _count(db, Resident)
    with Race(db, other) as race:
        for round_ in range(ROUNDS):
            key = f"draft-race-{round_}"
            results = race.run(*(partial(_resident, desk.keyed(key), world) for desk in desks))
            assert all(isinstance(r, residents.Saved) for r in results), (round_, results)
            assert results[0].id == results[1].id, round_
    assert _count(db, Resident) == before + ROUNDS
