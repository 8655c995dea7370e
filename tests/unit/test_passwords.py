"""Passwords, logging in and lockout (services/core/passwords.py) on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import col, select

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog, Role, Setting, User, UserCreate
from policeroom.services.core import passwords, users
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.core.errors import Forbidden, ValidationError
from policeroom.services.core.passwords import LoginRefused
from tests.unit.people_world import World, build_world

GOOD = "巡逻2026-光明路"


@pytest.fixture
def world(db: Database, clock: Clock) -> World:
    world = build_world(db, clock)
    users.create_user(
        world.ctx, UserCreate(login="wangjg", role=Role.DESK, staff_id=world.officer_id)
    )
    passwords.set_password(world.ctx, "wangjg", GOOD)
    return world


def _later(ctx: ServiceContext, minutes: float) -> ServiceContext:
    return replace(ctx, clock=ctx.clock.shifted(timedelta(minutes=minutes)))


def _actions(db: Database) -> list[tuple[str, AuditAction]]:
    with db.read() as session:
        rows = session.exec(select(AuditLog).order_by(col(AuditLog.id))).all()
        return [(row.user_login, row.action) for row in rows]


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("短密码123", "at least 10"),
        ("woaini1314", "first an attacker tries"),
        ("PolicEroom", "first an attacker tries"),
        ("8888888888", "first an attacker tries"),
        ("wangjg", "at least 10"),
        ("aaaaabbbbbb", "repeats one or two"),
    ],
)
def test_weak_passwords_are_refused_on_the_password_field(
    world: World, password: str, why: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        passwords.set_password(world.ctx, "wangjg", password)
    assert why in " ".join(caught.value.for_field("password"))


def test_the_hash_is_argon2_and_the_right_password_logs_in(world: World) -> None:
    with world.ctx.db.read() as session:
        user = session.exec(select(User).where(col(User.login) == "wangjg")).one()
    assert user.password_hash.startswith("$argon2id$") and GOOD not in user.password_hash
    actor = passwords.authenticate(world.ctx, " wangjg ", GOOD)
    assert actor == Actor("wangjg", Role.DESK, world.room_id)
    assert _actions(world.ctx.db)[-1] == ("wangjg", AuditAction.LOGIN)


def test_a_wrong_login_and_a_wrong_password_get_the_same_answer(world: World) -> None:
    with pytest.raises(LoginRefused) as wrong_password:
        passwords.authenticate(world.ctx, "wangjg", GOOD + "x")
    with pytest.raises(LoginRefused) as wrong_login:
        passwords.authenticate(world.ctx, "nobody", GOOD)
    assert str(wrong_password.value) == str(wrong_login.value) == "login or password is wrong"
    assert _actions(world.ctx.db)[-2:] == [
        ("wangjg", AuditAction.LOGIN_FAILED),
        ("nobody", AuditAction.LOGIN_FAILED),
    ]


def test_a_login_without_password_or_disabled_cannot_log_in(world: World) -> None:
    users.create_user(
        world.ctx, UserCreate(login="lixl", role=Role.SUPERVISOR, police_room_id=world.room_id)
    )
    with pytest.raises(LoginRefused, match="login or password is wrong"):
        passwords.authenticate(world.ctx, "lixl", "")
    passwords.disable(world.ctx, "wangjg")
    with pytest.raises(LoginRefused, match="login or password is wrong"):
        passwords.authenticate(world.ctx, "wangjg", GOOD)


def test_a_trainer_cannot_log_in_outside_a_training_copy(world: World) -> None:
    # a trainer reaches and may change every room's records: only on a throw-away copy
    users.create_user(world.ctx, UserCreate(login="jiaolian", role=Role.TRAINER), GOOD)
    with pytest.raises(LoginRefused, match="policeroom training"):
        passwords.authenticate(world.ctx, "jiaolian", GOOD)
    assert _actions(world.ctx.db)[-1] == ("jiaolian", AuditAction.LOGIN_FAILED)


def test_five_failures_in_fifteen_minutes_lock_until_the_lock_expires(world: World) -> None:
    for minute in range(4):
        with pytest.raises(LoginRefused, match="wrong"):
            passwords.authenticate(_later(world.ctx, minute * 3), "wangjg", "错误的密码0000")
    with pytest.raises(LoginRefused, match="locked until 09:57"):
        passwords.authenticate(_later(world.ctx, 12), "wangjg", "错误的密码0000")
    # Locked: even the right password is refused, and says so.
    with pytest.raises(LoginRefused, match="locked"):
        passwords.authenticate(_later(world.ctx, 20), "wangjg", GOOD)
    assert AuditAction.LOCKED in [action for _, action in _actions(world.ctx.db)]
    assert passwords.authenticate(_later(world.ctx, 28), "wangjg", GOOD).login == "wangjg"


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(world: World) -> None:
    for minute in (0, 5, 10, 14, 16):
        with pytest.raises(LoginRefused, match="wrong"):
            passwords.authenticate(_later(world.ctx, minute), "wangjg", "错误的密码0000")
    assert passwords.authenticate(_later(world.ctx, 17), "wangjg", GOOD).login == "wangjg"


def test_the_lock_time_is_a_setting_and_an_admin_unlocks(world: World) -> None:
    with world.ctx.db.transaction() as session:
        session.add(Setting(key=passwords.LOCK_SETTING, value="60"))
    for _ in range(passwords.MAX_FAILURES):
        with pytest.raises(LoginRefused):
            passwords.authenticate(world.ctx, "wangjg", "错误的密码0000")
    with pytest.raises(LoginRefused, match="locked until 10:30"):
        passwords.authenticate(_later(world.ctx, 59), "wangjg", GOOD)
    desk = world.ctx.as_actor(Actor("wangjg", Role.DESK))
    with pytest.raises(Forbidden):
        passwords.unlock(desk, "wangjg")
    passwords.unlock(world.ctx, "wangjg")
    assert passwords.authenticate(world.ctx, "wangjg", GOOD).login == "wangjg"
    assert ("system", AuditAction.UNLOCKED) in _actions(world.ctx.db)


def test_only_an_admin_sets_someone_elses_password(world: World) -> None:
    desk = world.ctx.as_actor(Actor("wangjg", Role.DESK))
    with pytest.raises(Forbidden):
        passwords.set_password(desk, "ops", GOOD)
    passwords.set_password(desk, "wangjg", "新的口令-二〇二六年")
    assert passwords.authenticate(world.ctx, "wangjg", "新的口令-二〇二六年").login == "wangjg"
    with world.ctx.db.read() as session:
        row = session.exec(select(AuditLog).order_by(col(AuditLog.id).desc()).offset(1)).first()
    assert row is not None and (row.user_login, row.field) == ("wangjg", "password_hash")
    assert "argon2" not in row.before + row.after
