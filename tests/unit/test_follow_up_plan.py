"""Follow-ups on a date the officer chooses, beside the automatic ones."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog
from policeroom.models.disputes import (
    DisputeStatus,
    MediationCreate,
    MediationMethod,
    MediationResult,
    StatusMove,
)
from policeroom.services.core.errors import StaleRecord, TransitionError, ValidationError
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes import follow_ups, ledger, mediation
from tests.unit.dispute_world import DisputeWorld, build_dispute_world


@pytest.fixture
def world(db: Database, clock: Clock) -> DisputeWorld:
    return build_dispute_world(db, clock)


def _resolved(world: DisputeWorld) -> int:
    """A dispute resolved on 2022-04-27, with its automatic follow-ups (05-04, 05-27)."""
    ctx = world.ctx
    saved = world.register(reported_on=date(2022, 4, 25))
    mediation.record(
        ctx,
        saved.id,
        MediationCreate(
            held_on=date(2022, 4, 26),
            place="村委会",
            method=MediationMethod.JOINT_VILLAGE,
            mediators="李秀兰",
            result=MediationResult.AGREEMENT,
            agreement="共同清理排水沟",
        ),
    )
    disputes.move(
        ctx,
        saved.id,
        StatusMove(to_status=DisputeStatus.RESOLVED, reason="协议履行", on=date(2022, 4, 27)),
        ledger.card(ctx, saved.id).version,
    )
    return saved.id


def test_a_planned_follow_up_joins_the_automatic_ones_and_sets_the_deadline(
    world: DisputeWorld,
) -> None:
    ctx = world.ctx
    dispute_id = _resolved(world)
    card = ledger.card(ctx, dispute_id)
    automatic = [f.due_on for f in card.follow_ups]
    result = follow_ups.plan(ctx, dispute_id, date(2022, 5, 2), None, card.version)
    assert result.follow_up.due_on == date(2022, 5, 2)
    # Nobody named: the dispute's own officer goes.
    assert result.follow_up.staff_id == world.base.officer_id
    card = ledger.card(ctx, dispute_id)
    assert card.version == result.dispute_version
    assert [f.due_on for f in card.follow_ups] == sorted([date(2022, 5, 2), *automatic])
    # The earliest follow-up still to do is the dispute's deadline.
    assert card.due_on == date(2022, 5, 2)
    with ctx.read() as session:
        logged = session.exec(
            select(AuditLog.action).where(
                col(AuditLog.table_name) == "follow_up",
                col(AuditLog.record_id) == result.follow_up.id,
            )
        ).all()
    assert logged == [AuditAction.CREATE]

    # A later one does not move the deadline.
    follow_ups.plan(ctx, dispute_id, date(2022, 9, 1), world.leader_id, card.version)
    card = ledger.card(ctx, dispute_id)
    assert card.due_on == date(2022, 5, 2)
    assert card.follow_ups[-1].staff_id == world.leader_id


def test_planning_refuses_bad_dates_open_disputes_and_stale_cards(world: DisputeWorld) -> None:
    ctx = world.ctx
    dispute_id = _resolved(world)
    version = ledger.card(ctx, dispute_id).version
    before = world.row_counts()
    for due_on, message in (
        (None, "choose the day"),
        (date(2022, 4, 20), "in the past"),
        (date(2022, 5, 4), "already planned on 2022-05-04"),
    ):
        with pytest.raises(ValidationError, match=message):
            follow_ups.plan(ctx, dispute_id, due_on, None, version)
    with pytest.raises(ValidationError, match="no staff member with number 999"):
        follow_ups.plan(ctx, dispute_id, date(2022, 5, 20), 999, version)
    with pytest.raises(StaleRecord):
        follow_ups.plan(ctx, dispute_id, date(2022, 5, 20), None, version - 1)
    assert world.row_counts() == before

    open_one = world.register(reported_on=date(2022, 4, 25))
    counts = world.row_counts()
    with pytest.raises(TransitionError, match="follow-ups are for resolved disputes"):
        follow_ups.plan(ctx, open_one.id, date(2022, 5, 20), None, open_one.version)
    assert world.row_counts() == counts
