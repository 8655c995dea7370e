"""Migration 0005 turns the free-text party roles of an older database into stable values."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from policeroom.clock import Clock
from policeroom.db import Database, alembic_config
from policeroom.models.disputes import PartyInput
from tests.unit.dispute_world import build_dispute_world


def test_free_text_roles_become_values(db: Database, clock: Clock) -> None:
    world = build_dispute_world(db, clock)
    first = world.register().id
    second = world.register(
        parties=[PartyInput(name="甲"), PartyInput(name="乙"), PartyInput(name="丙")]
    ).id
    config = alembic_config(db.engine)
    command.downgrade(config, "0004")
    old = {
        (first, "赵大妈"): "申请人（前妻）",
        (first, "钱师傅"): "被申请人（包工头）",
        (second, "甲"): "",
        (second, "乙"): "第三人",
        (second, "丙"): "邻居",
    }
    with db.engine.begin() as connection:
        for (dispute_id, name), role in old.items():
            connection.execute(
                sa.text(
                    "UPDATE dispute_party SET role = :role WHERE dispute_id = :d AND name = :n"
                ),
                {"role": role, "d": dispute_id, "n": name},
            )
    command.upgrade(config, "head")
    with db.engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT dispute_id, name, role FROM dispute_party ORDER BY id")
        ).all()
    assert [(d, n, r) for d, n, r in rows] == [
        (first, "赵大妈", "applicant"),
        (first, "钱师傅", "respondent"),
        # Empty or unknown: the first party applies, the others respond.
        (second, "甲", "applicant"),
        (second, "乙", "third_party"),
        (second, "丙", "respondent"),
    ]
