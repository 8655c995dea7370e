"""The 1-3-5 response log and its compliance by tier and period."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditLog
from policeroom.models.roster import ArrivalInput, CallCreate, TierInput
from policeroom.services.core import fields
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import StaleRecord, ValidationError
from policeroom.services.duty import response
from tests.unit.roster_org import RosterOrg, build
from tests.unit.sessions import transactions


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return ServiceContext(db, clock=clock)


@pytest.fixture
def org(db: Database, ctx: ServiceContext) -> RosterOrg:
    return build(db, ctx)


def _call(
    ctx: ServiceContext,
    room: int,
    called_at: datetime,
    seconds: dict[str, int | None],
    summary: str = "邻里纠纷报警",
) -> response.CallRow:
    by_code = {t.code: t.id for t in response.tiers(ctx)}
    return response.log_call(
        ctx,
        CallCreate(
            police_room_id=room,
            called_at=called_at,
            summary=summary,
            arrivals=[
                ArrivalInput(
                    tier_id=by_code[code],
                    dispatched_at=called_at + timedelta(seconds=20),
                    arrived_at=None if after is None else called_at + timedelta(seconds=after),
                )
                for code, after in seconds.items()
            ],
        ),
    )


def test_default_tiers_are_the_reports_1_3_5(db: Database, ctx: ServiceContext) -> None:
    with transactions(db) as begun:
        rows = response.ensure_default_tiers(ctx)
    assert len(begun) == 2  # a look, then all three tiers in one transaction
    assert [(t.code, t.minutes, t.force) for t in rows] == [
        ("1", 1, "police_room"),
        ("3", 3, "station"),
        ("5", 5, "branch"),
    ]
    with transactions(db) as begun:
        assert response.ensure_default_tiers(ctx) == rows
    assert len(begun) == 1
    changed = response.save_tier(
        ctx, TierInput(code="5", minutes=6, force="branch"), rows[2].id, rows[2].version
    )
    assert (changed.minutes, changed.version) == (6, rows[2].version + 1)
    with pytest.raises(ValidationError) as error:
        fields.parse(TierInput, {"code": "3", "minutes": 0, "force": "army"})
    assert {e.field: e.message for e in error.value.errors} == {
        "minutes": "minutes to scene from 1 to 240"
    }
    with pytest.raises(ValidationError) as error:
        response.save_tier(ctx, TierInput(code="3", minutes=3, force="army"))
    assert {e.field for e in error.value.errors} == {"code", "force"}


def test_compliance_by_tier_and_period(ctx: ServiceContext, org: RosterOrg) -> None:
    response.ensure_default_tiers(ctx)
    # Week of 4/18: three calls; week of 4/25: one call.
    _call(ctx, org.east, datetime(2022, 4, 18, 10), {"1": 50, "3": 170, "5": 280})
    _call(ctx, org.east, datetime(2022, 4, 20, 23), {"1": 75, "3": 200, "5": None})
    _call(ctx, org.east, datetime(2022, 4, 22, 8), {"1": 58, "3": 150})
    _call(ctx, org.west, datetime(2022, 4, 26, 14), {"1": 30}, summary="盗窃")
    whole = response.compliance(ctx, org.east, date(2022, 4, 1), date(2022, 4, 30))
    one, three, five = whole
    assert (one.tier_code, one.dispatched, one.arrived, one.within) == ("1", 3, 3, 2)
    assert one.median_minutes == pytest.approx(58 / 60)
    assert one.share == pytest.approx(2 / 3)
    assert (three.dispatched, three.within, three.median_minutes) == (3, 2, pytest.approx(170 / 60))
    # Sent and never on scene counts against the tier.
    assert (five.dispatched, five.arrived, five.within, five.share) == (2, 1, 1, 0.5)
    weekly = response.compliance(ctx, None, date(2022, 4, 1), date(2022, 4, 30), period="week")
    assert [(c.period_start, c.tier_code, c.dispatched) for c in weekly if c.tier_code == "1"] == [
        (date(2022, 4, 18), "1", 3),
        (date(2022, 4, 25), "1", 1),
    ]
    nothing = response.compliance(ctx, org.east, date(2022, 3, 1), date(2022, 3, 31))
    assert [c.share for c in nothing] == [None, None, None]


def test_calls_validate_page_and_correct(db: Database, ctx: ServiceContext, org: RosterOrg) -> None:
    tiers = response.ensure_default_tiers(ctx)
    called = datetime(2022, 4, 30, 21, 5)
    with pytest.raises(ValidationError) as error:
        response.log_call(
            ctx,
            CallCreate(
                police_room_id=999,
                called_at=called,
                arrivals=[
                    ArrivalInput(tier_id=tiers[0].id, dispatched_at=called - timedelta(minutes=1)),
                    ArrivalInput(tier_id=tiers[0].id, arrived_at=datetime(2022, 5, 2)),
                ],
            ),
        )
    assert {e.field for e in error.value.errors} == {
        "police_room_id",
        "arrivals.0.dispatched_at",
        "arrivals.1.tier_id",
        "arrivals.1.arrived_at",
    }
    for n in range(5):
        _call(ctx, org.east, called - timedelta(hours=n), {"1": 40})
    first = response.calls(ctx, org.east, date(2022, 4, 30), date(2022, 4, 30), size=3)
    assert len(first.rows) == 3 and first.has_more
    second = response.calls(ctx, org.east, date(2022, 4, 30), date(2022, 4, 30), first.after, 3)
    assert len(second.rows) == 2 and not second.has_more
    times = [c.called_at for c in [*first.rows, *second.rows]]
    assert times == sorted(times, reverse=True) and len(set(times)) == 5
    call = first.rows[0]
    fixed = response.record_arrival(
        ctx,
        call.id,
        ArrivalInput(
            tier_id=tiers[1].id, dispatched_at=called, arrived_at=called + timedelta(minutes=2)
        ),
        call.version,
    )
    assert [(a.tier_code, a.met) for a in fixed.arrivals] == [("1", True), ("3", True)]
    with pytest.raises(StaleRecord):
        response.record_arrival(ctx, call.id, ArrivalInput(tier_id=tiers[1].id), call.version)
    with db.session() as session:
        actions = session.exec(
            select(AuditLog.action).where(
                AuditLog.table_name == "response_call", AuditLog.record_id == call.id
            )
        ).all()
    assert [a.value for a in actions] == ["create", "update"]
