"""A small branch for the shell's tests and snapshots: grids, a room, staff, residents, disputes."""

from __future__ import annotations

from datetime import date

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.disputes import (
    DisputeCategory,
    DisputeCreate,
    DisputeSource,
    PartyInput,
    RiskGrade,
    RiskReason,
)
from policeroom.services.disputes import entries as disputes
from policeroom.services.org import grids
from tests.templates import templated
from tests.unit.people_world import World, build_world

RESIDENT_NAMES = ("张三", "张小红", "李四", "王五")


@templated
def build_desk_world(db: Database, clock: Clock) -> World:
    """``people_world`` plus residents, the village's officer and two disputes."""
    made = build_world(db, clock)
    ids = {name: made.resident(name, made.group) for name in RESIDENT_NAMES}
    made.resident("赵建国", made.group2)
    made.village = grids.assign(
        made.ctx,
        made.village.id,
        leader_id=made.worker_id,
        officer_id=made.officer_id,
        administrator_ids=[made.worker_id],
        expected_version=made.village.version,
    )
    disputes.register(
        made.ctx,
        DisputeCreate(
            category=DisputeCategory.MARRIAGE_FAMILY,
            description="离婚后抚养费纠纷[调解中]",
            grid_id=made.group.id,
            source=DisputeSource.WALK_IN,
            reported_on=date(2022, 4, 20),
            risk=RiskGrade.HIGH,
            risk_reasons=[RiskReason.VULNERABLE_PARTY],
            parties=[PartyInput(resident_id=ids["张三"]), PartyInput(resident_id=ids["张小红"])],
        ),
    )
    disputes.register(
        made.ctx,
        DisputeCreate(
            category=DisputeCategory.NEIGHBOURS,
            description="邻里排水纠纷",
            grid_id=made.group.id,
            source=DisputeSource.GRID_WORKER,
            reported_on=date(2022, 4, 28),
            risk=RiskGrade.LOW,
            parties=[PartyInput(resident_id=ids["李四"]), PartyInput(resident_id=ids["王五"])],
        ),
    )
    return made
