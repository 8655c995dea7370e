"""Swaps and fill-ins check the post's requirements (an auxiliary on a police-only post is
saved only when confirmed), and only the person asked answers a swap, from their own login."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import col, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditLog
from policeroom.models.roster import Shift, SwapStatus
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ValidationError
from policeroom.services.duty import patterns, shifts, swaps
from policeroom.services.duty.checks import FindingKind
from policeroom.services.duty.coverage import NeedsConfirmation
from tests.unit.roster_org import RosterOrg, build, login_as

MAY_2 = date(2022, 5, 2)


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return ServiceContext(db, clock=clock)


@pytest.fixture
def org(db: Database, ctx: ServiceContext) -> RosterOrg:
    built = build(db, ctx, patterns_from=date(2022, 4, 1))
    patterns.generate(ctx, built.east, MAY_2, MAY_2 + timedelta(days=6))
    return built


def _shift(db: Database, post_id: int, starts_at: datetime, staff_id: int) -> Shift:
    with db.session() as session:
        return session.exec(
            select(Shift).where(
                Shift.post_id == post_id, Shift.starts_at == starts_at, Shift.staff_id == staff_id
            )
        ).one()


def _staff_of(db: Database, shift_id: int) -> int | None:
    with db.session() as session:
        shift = session.get(Shift, shift_id)
        assert shift is not None
        return shift.staff_id


def _audit_after(db: Database, table: str, record_id: int) -> dict[str, object]:
    with db.session() as session:
        row = session.exec(
            select(AuditLog)
            .where(col(AuditLog.table_name) == table, col(AuditLog.record_id) == record_id)
            .order_by(col(AuditLog.id).desc())
        ).first()
    assert row is not None
    return dict(json.loads(row.after or "{}"))


def test_an_auxiliary_fills_a_police_only_post_only_when_confirmed(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    # The night patrol needs two police officers; 陈静 is an auxiliary.
    li, chen = org.staff["李强"], org.staff["陈静"]
    patrol = _shift(db, org.night_patrol, datetime(2022, 5, 4, 20), li)
    assert patrol.id is not None
    with pytest.raises(NeedsConfirmation) as asked:
        shifts.assign(ctx, patrol.id, chen, patrol.version)
    assert asked.value.errors[0].field == "staff_id"
    assert asked.value.errors[0].message == (
        "夜间巡逻 needs police officer; 陈静 is auxiliary police"
    )
    assert _staff_of(db, patrol.id) == li
    saved = shifts.assign(ctx, patrol.id, chen, patrol.version, confirmed=True)
    assert saved.shift.staff_id == chen
    assert FindingKind.POST_REQUIREMENT in [f.kind for f in saved.warnings]
    # The audit row says what was confirmed.
    assert _audit_after(db, "shift", patrol.id)["confirmed"] == [
        "夜间巡逻 needs police officer; 陈静 is auxiliary police"
    ]
    # A police officer may take an auxiliary's place without a question.
    desk = _shift(db, org.desk, datetime(2022, 5, 5, 8), chen)
    assert desk.id is not None
    moved = shifts.assign(ctx, desk.id, org.staff["刘洋"], desk.version)
    assert FindingKind.POST_REQUIREMENT not in [f.kind for f in moved.warnings]


def test_a_swap_onto_a_police_only_post_is_confirmed_by_both(
    db: Database, ctx: ServiceContext, org: RosterOrg
) -> None:
    # 李强's Friday night patrol (police only) for 杨磊's Thursday tier (auxiliaries).
    li, yang = org.staff["李强"], org.staff["杨磊"]
    patrol = _shift(db, org.night_patrol, datetime(2022, 5, 6, 20), li)
    tier = _shift(db, org.tier, datetime(2022, 5, 5, 8), yang)
    assert patrol.id is not None and tier.id is not None
    liqiang = login_as(db, ctx, li, "liqiang")
    with pytest.raises(NeedsConfirmation, match="杨磊 is auxiliary police"):
        swaps.request_swap(liqiang, patrol.id, tier.id)
    assert swaps.swaps_for(ctx, li) == []
    asked = swaps.request_swap(liqiang, patrol.id, tier.id, confirmed=True).swap
    assert _audit_after(db, "shift_swap", asked.id)["confirmed"]

    # Nobody but 杨磊 answers: not the asker, not a colleague at the desk.
    for other in (liqiang, login_as(db, ctx, org.staff["张伟"], "zhangwei"), ctx):
        with pytest.raises(ValidationError) as refused:
            swaps.agree_swap(other, asked.id, asked.version, confirmed=True)
        assert refused.value.errors[0].field == "agreed_by"
        with pytest.raises(ValidationError):
            swaps.decline_swap(other, asked.id, asked.version)
    assert "only 杨磊, who was asked, can answer" in str(refused.value)
    yanglei = login_as(db, ctx, yang, "yanglei")
    # 杨磊 cannot withdraw what 李强 asked.
    with pytest.raises(ValidationError, match="only the one who asked"):
        swaps.cancel_swap(yanglei, asked.id, asked.version)
    # He reads the warning too before the shifts move.
    with pytest.raises(NeedsConfirmation):
        swaps.agree_swap(yanglei, asked.id, asked.version)
    assert (_staff_of(db, patrol.id), _staff_of(db, tier.id)) == (li, yang)
    agreed = swaps.agree_swap(yanglei, asked.id, asked.version, confirmed=True)
    assert agreed.swap.status is SwapStatus.AGREED and agreed.swap.agreed_by == "yanglei"
    assert (_staff_of(db, patrol.id), _staff_of(db, tier.id)) == (yang, li)
