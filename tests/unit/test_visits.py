"""Visits: several residents, checklists per purpose, anti-fraud installs."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditLog
from policeroom.models.people import VisitCreate, VisitPurpose
from policeroom.services.core.errors import ValidationError
from policeroom.services.people import residents, visits
from tests.unit.people_world import World, build_world


@pytest.fixture
def world(db: Database, clock: Clock) -> World:
    return build_world(db, clock)


def test_every_purpose_has_stable_ids() -> None:
    for purpose in VisitPurpose:
        ids = [item.id for item in visits.checklist_for(purpose)]
        assert len(ids) == len(set(ids))
        assert all(item.isascii() and item == item.lower() for item in ids)
    anti_fraud = {item.id for item in visits.checklist_for(VisitPurpose.ANTI_FRAUD)}
    assert {"app_installed", "warned_common_scams", "leaflet_given"} <= anti_fraud


def test_one_visit_to_several_residents(world: World) -> None:
    a = world.resident("张大爷")
    b = world.resident("张大妈")
    row = visits.record(
        world.ctx,
        VisitCreate(
            visit_date=date(2022, 4, 30),
            staff_id=world.officer_id,
            resident_ids=[a, b],
            purpose=VisitPurpose.ROUTINE,
            summary="入户走访，了解家庭情况",
            checklist=["household_checked", "safety_advice_given"],
        ),
    )
    assert row.resident_names == ("张大妈", "张大爷")
    assert (row.staff_name, row.grid_id) == ("王建国", world.group.id)
    assert [v.id for v in visits.of_resident(world.ctx, a)] == [row.id]
    assert residents.card(world.ctx, b).visits[0].checklist == (
        "household_checked",
        "safety_advice_given",
    )


def test_visit_problems_reported_together(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        visits.record(
            world.ctx,
            VisitCreate(
                visit_date=date(2022, 5, 2),
                staff_id=None,
                resident_ids=[],
                purpose=VisitPurpose.ROUTINE,
                checklist=["app_installed"],
            ),
        )
    assert {e.field for e in caught.value.errors} == {
        "visit_date",
        "staff_id",
        "resident_ids",
        "checklist",
    }


def test_anti_fraud_visit_with_app_installed_marks_residents(world: World, db: Database) -> None:
    new = world.resident("刘芳")
    already = world.resident("刘强")
    residents.mark_anti_fraud(world.ctx, already, True, world.worker_id, 1)
    row = visits.record(
        world.ctx,
        VisitCreate(
            visit_date=date(2022, 4, 28),
            staff_id=world.officer_id,
            resident_ids=[new, already],
            purpose=VisitPurpose.ANTI_FRAUD,
            checklist=["app_installed", "warned_common_scams", "leaflet_given"],
        ),
    )
    assert row.installs_recorded == (new,)
    fresh = residents.card(world.ctx, new)
    assert (fresh.anti_fraud_installed, fresh.anti_fraud_on, fresh.anti_fraud_by) == (
        True,
        date(2022, 4, 28),
        "王建国",
    )
    assert fresh.version == 2
    kept = residents.card(world.ctx, already)
    assert (kept.anti_fraud_on, kept.anti_fraud_by) == (date(2022, 5, 1), "李秀兰")
    with db.session() as session:
        entries = (
            session.execute(
                select(AuditLog).where(AuditLog.table_name == "resident", AuditLog.record_id == new)
            )
            .scalars()
            .all()
        )
    assert json.loads(entries[-1].after)["anti_fraud_installed"] is True


def test_anti_fraud_visit_without_install_marks_nobody(world: World) -> None:
    rid = world.resident("刘芳")
    visits.record(
        world.ctx,
        VisitCreate(
            visit_date=date(2022, 4, 28),
            staff_id=world.officer_id,
            resident_ids=[rid],
            purpose=VisitPurpose.ANTI_FRAUD,
            checklist=["warned_common_scams"],
        ),
    )
    assert residents.card(world.ctx, rid).anti_fraud_installed is False
