"""A desk's session (services/core/desk_session.py): lock, unlock, log out, on both databases."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog, Role, User, UserCreate
from policeroom.services.core import desk_session, idle_time, passwords, users
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.core.errors import ValidationError
from policeroom.services.core.passwords import LoginRefused
from tests.unit.people_world import World, build_world

GOOD = "巡逻2026-光明路"


@pytest.fixture
def world(db: Database, clock: Clock) -> World:
    world = build_world(db, clock)
    users.create_user(
        world.ctx, UserCreate(login="wangjg", role=Role.DESK, police_room_id=world.room_id), GOOD
    )
    return world


def _desk(world: World) -> ServiceContext:
    return world.ctx.as_actor(Actor("wangjg", Role.DESK, world.room_id))


def _rows(db: Database, login: str) -> list[AuditLog]:
    with db.read() as session:
        return list(
            session.exec(
                select(AuditLog).where(col(AuditLog.user_login) == login).order_by(col(AuditLog.id))
            ).all()
        )


@pytest.mark.parametrize("minutes", [1, 10, 15])
def test_idle_times_up_to_fifteen_minutes_are_allowed(minutes: int) -> None:
    assert idle_time.check_idle_minutes(minutes) == minutes


@pytest.mark.parametrize("minutes", [0, 16, 60])
def test_longer_idle_times_are_refused_with_the_limit(minutes: int) -> None:
    with pytest.raises(ValidationError) as caught:
        idle_time.check_idle_minutes(minutes)
    assert caught.value.for_field("idle_lock") == [
        f"the idle lock comes after 1 to 15 minutes, not {minutes}"
    ]


def test_lock_unlock_and_log_out_are_audited_under_the_user(world: World) -> None:
    desk = _desk(world)
    desk_session.lock(desk, idle=True)
    with pytest.raises(LoginRefused):
        desk_session.unlock(desk, "不对的口令-2026")
    desk_session.unlock(desk, GOOD)
    desk_session.lock(desk, idle=False)
    desk_session.resume_training(desk)
    desk_session.log_out(desk)
    rows = _rows(world.ctx.db, "wangjg")
    assert [row.action for row in rows] == [
        AuditAction.DESK_LOCKED,
        AuditAction.LOGIN_FAILED,
        AuditAction.DESK_UNLOCKED,
        AuditAction.DESK_LOCKED,
        AuditAction.DESK_UNLOCKED,
        AuditAction.LOGOUT,
    ]
    assert json.loads(rows[0].after) == {"idle": True}
    assert json.loads(rows[3].after) == {"idle": False}
    with world.ctx.db.read() as session:
        user = session.exec(select(User).where(col(User.login) == "wangjg")).one()
    assert {row.record_id for row in rows} == {user.id}
    # The right password cleared the failure it followed.
    assert user.failed_logins == 0


def test_wrong_passwords_at_the_lock_screen_lock_the_account(world: World) -> None:
    desk = _desk(world)
    for _ in range(passwords.MAX_FAILURES):
        with pytest.raises(LoginRefused):
            desk_session.unlock(desk, "不对的口令-2026")
    with pytest.raises(LoginRefused) as caught:
        desk_session.unlock(desk, GOOD)
    assert "locked until" in str(caught.value)
    actions = [row.action for row in _rows(world.ctx.db, "wangjg")]
    assert AuditAction.LOCKED in actions and AuditAction.DESK_UNLOCKED not in actions
