"""The report's people for the dispute tests, on the people tests' small branch.

张某 and his ex-wife 刘某 quarrel over child support for their son 张小明; 李少卿 is the
leader who owns the case and mediates it in the 光明路 police room.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditLog
from policeroom.models.disputes import Dispute as DisputeTable
from policeroom.models.disputes import (
    DisputeCategory,
    DisputeCreate,
    DisputeEvent,
    DisputeParty,
    DisputeSource,
    FollowUp,
    MediationSession,
    PartyInput,
    RiskGrade,
    RiskReason,
    SweepReport,
)
from policeroom.models.org import StaffCreate, StaffKind
from policeroom.services.core.context import ServiceContext
from policeroom.services.disputes import entries as disputes
from policeroom.services.org import staff
from tests.templates import templated
from tests.unit.people_world import World, build_world, make_id

COUNTED = (
    DisputeTable,
    DisputeParty,
    DisputeEvent,
    MediationSession,
    FollowUp,
    SweepReport,
    AuditLog,
)


@dataclass
class DisputeWorld:
    base: World
    leader_id: int
    zhang: int
    liu: int
    child: int

    @property
    def ctx(self) -> ServiceContext:
        return self.base.ctx

    def with_clock(self, clock: Clock) -> ServiceContext:
        return ServiceContext(self.ctx.db, self.ctx.actor, clock)

    def register(
        self,
        *,
        parties: list[PartyInput] | None = None,
        grid_id: int | None = None,
        reported_on: date | None = None,
        risk: RiskGrade = RiskGrade.LOW,
        reasons: list[RiskReason] | None = None,
        category: DisputeCategory = DisputeCategory.NEIGHBOURS,
        description: str = "邻里因排水沟堵塞发生争吵",
        ctx: ServiceContext | None = None,
    ) -> disputes.Saved:
        data = DisputeCreate(
            category=category,
            description=description,
            grid_id=grid_id or self.base.group.id,
            source=DisputeSource.WALK_IN,
            reported_on=reported_on,
            risk=risk,
            risk_reasons=reasons or [],
            parties=parties or [PartyInput(name="赵大妈"), PartyInput(name="钱师傅")],
            assignee_id=self.base.officer_id,
        )
        return disputes.register(ctx or self.ctx, data)

    def row_counts(self) -> dict[str, int]:
        with self.ctx.read() as session:
            return {
                table.__name__: session.exec(select(func.count()).select_from(table)).one()
                for table in COUNTED
            }


@templated
def build_dispute_world(db: Database, clock: Clock) -> DisputeWorld:
    base = build_world(db, clock)
    leader = staff.create(
        base.ctx,
        StaffCreate(
            code="P002",
            name="李少卿",
            kind=StaffKind.POLICE,
            phone="13937511003",
            police_room_id=base.room_id,
        ),
    )
    zhang = base.resident("张某", id_number=make_id(date(1988, 3, 12), 11), phone="13937512001")
    liu = base.resident("刘某", id_number=make_id(date(1990, 7, 5), 22), phone="13937512002")
    child = base.resident("张小明", id_number=make_id(date(2015, 9, 1), 31))
    return DisputeWorld(base, leader.id, zhang, liu, child)
