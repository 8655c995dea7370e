"""Parties with roles (申请人, 被申请人, 第三人, the child concerned), edited after
registration: added, given another role, removed; checked in the service and audited."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import col, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog
from policeroom.models.disputes import DisputeCategory, DisputeUpdate, PartyInput, PartyRole
from policeroom.services.core.errors import NotFound, StaleRecord, ValidationError
from policeroom.services.disputes import entries as disputes
from policeroom.services.disputes import ledger
from tests.unit.dispute_world import DisputeWorld, build_dispute_world


@pytest.fixture
def world(db: Database, clock: Clock) -> DisputeWorld:
    return build_dispute_world(db, clock)


def _support_dispute(world: DisputeWorld) -> int:
    """张某 and 刘某's dispute over their child's support, registered without roles."""
    saved = world.register(
        category=DisputeCategory.MARRIAGE_FAMILY,
        description="离婚后孩子抚养费纠纷",
        parties=[PartyInput(resident_id=world.liu), PartyInput(resident_id=world.zhang)],
        reported_on=date(2022, 4, 30),
    )
    return saved.id


def _roles(world: DisputeWorld, dispute_id: int) -> list[tuple[str, PartyRole]]:
    return [(p.name, p.role) for p in ledger.card(world.ctx, dispute_id).parties]


def _audit(world: DisputeWorld, record_id: int) -> list[tuple[AuditAction, object, object]]:
    with world.ctx.read() as session:
        return [
            (row.action, json.loads(row.before or "{}"), json.loads(row.after or "{}"))
            for row in session.exec(
                select(AuditLog)
                .where(
                    col(AuditLog.table_name) == "dispute_party",
                    col(AuditLog.record_id) == record_id,
                )
                .order_by(col(AuditLog.id))
            ).all()
        ]


def test_roles_default_by_place_then_change_add_and_remove(world: DisputeWorld) -> None:
    ctx = world.ctx
    dispute_id = _support_dispute(world)
    # Registered without roles: the one who brought it applies, the other responds.
    assert _roles(world, dispute_id) == [
        ("刘某", PartyRole.APPLICANT),
        ("张某", PartyRole.RESPONDENT),
    ]
    card = ledger.card(ctx, dispute_id)
    saved = disputes.add_party(
        ctx, dispute_id, PartyInput(resident_id=world.child, role=PartyRole.CHILD), card.version
    )
    assert saved.version == card.version + 1
    assert _roles(world, dispute_id)[-1] == ("张小明", PartyRole.CHILD)
    child = ledger.card(ctx, dispute_id).parties[-1]
    assert _audit(world, child.id) == [
        (
            AuditAction.CREATE,
            {},
            {
                "dispute_id": dispute_id,
                "resident_id": world.child,
                "name": "张小明",
                "role": "child",
            },
        )
    ]

    # The grandmother joins as a third party, then the roles are corrected.
    saved = disputes.add_party(
        ctx, dispute_id, PartyInput(name="王桂兰", role=PartyRole.THIRD_PARTY), saved.version
    )
    first, second = ledger.card(ctx, dispute_id).parties[:2]
    saved = disputes.set_party_role(ctx, dispute_id, first.id, PartyRole.RESPONDENT, saved.version)
    saved = disputes.set_party_role(ctx, dispute_id, second.id, PartyRole.APPLICANT, saved.version)
    assert _roles(world, dispute_id) == [
        ("刘某", PartyRole.RESPONDENT),
        ("张某", PartyRole.APPLICANT),
        ("张小明", PartyRole.CHILD),
        ("王桂兰", PartyRole.THIRD_PARTY),
    ]
    assert _audit(world, first.id)[-1] == (
        AuditAction.UPDATE,
        {"role": "applicant"},
        {"role": "respondent"},
    )

    grandmother = ledger.card(ctx, dispute_id).parties[-1]
    saved = disputes.remove_party(ctx, dispute_id, grandmother.id, saved.version)
    assert [name for name, _ in _roles(world, dispute_id)] == ["刘某", "张某", "张小明"]
    action, before, after = _audit(world, grandmother.id)[-1]
    assert action is AuditAction.DELETE and after == {}
    assert before == {
        "dispute_id": dispute_id,
        "resident_id": None,
        "name": "王桂兰",
        "role": "third_party",
    }
    assert ledger.card(ctx, dispute_id).version == saved.version


def test_role_rules_hold_at_every_door_and_refusals_change_nothing(world: DisputeWorld) -> None:
    ctx = world.ctx
    # A child concerned belongs to a family dispute only, at registration too.
    with pytest.raises(ValidationError, match="only in a marriage and family dispute"):
        world.register(
            parties=[
                PartyInput(name="赵大妈"),
                PartyInput(resident_id=world.child, role=PartyRole.CHILD),
            ]
        )
    neighbours = world.register()
    card = ledger.card(ctx, neighbours.id)
    before = world.row_counts()
    with pytest.raises(ValidationError, match="only in a marriage and family dispute"):
        disputes.set_party_role(ctx, neighbours.id, card.parties[0].id, PartyRole.CHILD, 1)
    with pytest.raises(ValidationError, match="choose the party's role"):
        disputes.set_party_role(ctx, neighbours.id, card.parties[0].id, None, card.version)

    family = _support_dispute(world)
    card = ledger.card(ctx, family)
    version = disputes.add_party(
        ctx, family, PartyInput(resident_id=world.child, role=PartyRole.CHILD), card.version
    ).version
    parties = ledger.card(ctx, family).parties
    before = world.row_counts()
    # The family dispute cannot become a neighbours' one while a child is named in it.
    with pytest.raises(ValidationError, match="only in a marriage and family dispute"):
        disputes.update(ctx, family, DisputeUpdate(category=DisputeCategory.NEIGHBOURS), version)
    # Somebody besides the child stays party to it.
    version = disputes.remove_party(ctx, family, parties[0].id, version).version
    with pytest.raises(ValidationError, match="a party besides the children"):
        disputes.remove_party(ctx, family, parties[1].id, version)
    with pytest.raises(ValidationError, match="a party besides the children"):
        disputes.set_party_role(ctx, family, parties[1].id, PartyRole.CHILD, version)
    with pytest.raises(StaleRecord):
        disputes.set_party_role(ctx, family, parties[1].id, PartyRole.THIRD_PARTY, version - 1)
    # A party of another dispute is not this one's.
    with pytest.raises(NotFound):
        disputes.remove_party(ctx, family, ledger.card(ctx, neighbours.id).parties[0].id, version)
    assert ledger.card(ctx, family).version == version
    counts = world.row_counts()
    assert counts["DisputeParty"] == before["DisputeParty"] - 1
    assert _roles(world, family) == [("张某", PartyRole.RESPONDENT), ("张小明", PartyRole.CHILD)]
