"""The audit screen's list: by user, by record, by day, a page at a time from the database;
only supervisors and administrators read it (the service refuses anyone else)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import pytest

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, Role
from policeroom.models.people import ResidentUpdate
from policeroom.services.core import audit
from policeroom.services.core.audit import AuditQuery
from policeroom.services.core.context import Actor
from policeroom.services.core.errors import Forbidden
from policeroom.services.people import residents
from tests.unit.people_world import World, build_world


@dataclass
class Changed:
    world: World
    resident_id: int


@pytest.fixture
def changed(db: Database, clock: Clock) -> Changed:
    made = build_world(db, clock)
    # two desks change 张三 on two later days
    rid = made.resident("张三", phone="13800138000")
    wang = made.ctx.as_actor(Actor("wangjg", Role.DESK, made.room_id))
    li = made.ctx.as_actor(Actor("lixl", Role.DESK, made.room_id))
    for day, ctx, address in ((2, wang, "光明路1号"), (3, li, "光明路2号"), (3, wang, "光明路3号")):
        version = residents.card(made.ctx, rid).version
        stamped = replace(ctx, clock=Clock.fixed(datetime(2022, 5, day, 10)))
        residents.update(stamped, rid, ResidentUpdate(address=address), version)
    return Changed(made, rid)


def test_a_supervisor_lists_by_user_record_and_day(changed: Changed) -> None:
    boss = changed.world.ctx.as_actor(Actor("zhaoq", Role.SUPERVISOR))
    rid = changed.resident_id
    everything = audit.count(boss, AuditQuery())
    assert everything > 10  # the branch's set-up and the three changes
    newest = audit.window(boss, AuditQuery(), 0, 3)
    assert [(e.user_login, e.action) for e in newest] == [
        ("wangjg", AuditAction.UPDATE),
        ("lixl", AuditAction.UPDATE),
        ("wangjg", AuditAction.UPDATE),
    ]
    by_user = AuditQuery(user_login="wangjg")
    assert audit.count(boss, by_user) == 2
    assert {e.after for e in audit.window(boss, by_user, 0, 10)} == {
        '{"address": "光明路1号"}',
        '{"address": "光明路3号"}',
    }
    by_record = AuditQuery(table_name="resident", record_id=rid)
    assert [e.action for e in audit.window(boss, by_record, 0, 10)] == [
        AuditAction.UPDATE,
        AuditAction.UPDATE,
        AuditAction.UPDATE,
        AuditAction.CREATE,
    ]
    by_day = AuditQuery(day=date(2022, 5, 3))
    assert [e.user_login for e in audit.window(boss, by_day, 0, 10)] == ["wangjg", "lixl"]
    both = AuditQuery(user_login="lixl", day=date(2022, 5, 3), table_name="resident")
    assert audit.count(boss, both) == 1
    # pages: consecutive windows cover the list once, newest first
    paged = audit.window(boss, AuditQuery(), 0, 5) + audit.window(boss, AuditQuery(), 5, 5)
    assert [e.id for e in paged] == sorted((e.id for e in paged), reverse=True)
    assert len({e.id for e in paged}) == 10


@pytest.mark.parametrize("role", [Role.DESK, Role.HQ, Role.TRAINER])
def test_other_roles_are_refused(changed: Changed, role: Role) -> None:
    world = changed.world
    other = world.ctx.as_actor(Actor("someone", role))
    with pytest.raises(Forbidden, match="may not read the audit log"):
        audit.count(other, AuditQuery())
    with pytest.raises(Forbidden):
        audit.window(other, AuditQuery(), 0, 10)
    admin = world.ctx.as_actor(Actor("admin", Role.ADMIN))
    assert audit.window(admin, AuditQuery(), 0, 10_000)  # a huge page is clamped, not refused
    assert len(audit.window(admin, AuditQuery(), 0, 10_000)) <= 500
