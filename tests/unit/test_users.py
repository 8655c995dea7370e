"""Logins, the actor they act as, and the ``policeroom user`` command."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import col

from policeroom.cli import main
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import Role, User, UserCreate
from policeroom.services.core import fields, users
from policeroom.services.core.context import Actor
from policeroom.services.core.errors import Forbidden, NotFound, ValidationError
from tests.unit.people_world import World, build_world
from tests.unit.table_text import starts


@pytest.fixture
def world(db: Database, clock: Clock) -> World:
    return build_world(db, clock)


def test_create_user_takes_the_staff_members_room(world: World) -> None:
    row = users.create_user(
        world.ctx, UserCreate(login="wangjg", role=Role.DESK, staff_id=world.officer_id)
    )
    assert (row.staff_name, row.police_room_id) == ("王建国", world.room_id)
    actor = users.actor_for(world.ctx, "wangjg")
    assert actor == Actor("wangjg", Role.DESK, world.room_id)
    assert [u.login for u in users.list_users(world.ctx)] == ["wangjg"]


def test_bad_and_duplicate_logins(world: World) -> None:
    users.create_user(world.ctx, UserCreate(login="hq", role=Role.HQ))
    with pytest.raises(ValidationError) as caught:
        users.create_user(world.ctx, UserCreate(login="hq", staff_id=999))
    assert {e.field for e in caught.value.errors} == {"login", "staff_id"}
    with pytest.raises(ValidationError, match="login: a login is lower-case letters"):
        fields.parse(UserCreate, {"login": "王 警官"})
    desk = world.ctx.as_actor(Actor("desk", Role.DESK, world.room_id))
    with pytest.raises(Forbidden):
        users.create_user(desk, UserCreate(login="other"))


def test_a_desk_or_supervisor_login_needs_a_police_room(world: World) -> None:
    # without one it would reach no room's records (before, it reached every room's)
    for role, words in ((Role.DESK, "needs their police room"), (Role.SUPERVISOR, "station")):
        with pytest.raises(ValidationError, match=words) as caught:
            users.create_user(world.ctx, UserCreate(login="lixl", role=role))
        assert [e.field for e in caught.value.errors] == ["police_room_id"]
    made = users.create_user(
        world.ctx, UserCreate(login="lixl", role=Role.DESK, staff_id=world.officer_id)
    )
    assert made.police_room_id == world.room_id  # the staff member's room


def test_unknown_login_is_a_clear_error(world: World) -> None:
    with pytest.raises(NotFound, match="no user nobody"):
        users.actor_for(world.ctx, "nobody")


def test_cli_user_add_and_list(
    world: World, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    code = main(["user", "add", "lixl", "--role", "supervisor", "--staff", "G001", "--db", url])
    assert code == 0
    assert "lixl" in capsys.readouterr().out
    assert main(["user", "add", "ops", "--role", "admin", "--db", url]) == 0
    with db.transaction() as session:
        session.execute(sa.update(User).where(col(User.login) == "ops").values(active=False))
    capsys.readouterr()
    assert main(["user", "list", "--db", url]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    headings = ["Login", "Role", "Staff", "Police room", "Status"]
    lixl = ["lixl", "supervisor", "李秀兰", "光明路社区警务室", "active"]
    ops = ["ops", "admin", "-", "-", "disabled"]
    assert len(rows) == 2 and "\x1b" not in header
    # A column of Chinese names still starts where its heading does.
    assert starts(header, headings) == starts(rows[0], lixl) == starts(rows[1], ops)


def test_cli_data_errors_exit_1_with_one_line(
    world: World, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    assert main(["user", "add", "lixl", "--staff", "NOPE", "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--staff" in err and "NOPE" in err
    assert main(["user", "add", "lixl", "--room", "NOPE", "--db", url]) == 1
    assert "--room" in capsys.readouterr().err
    assert main(["user", "add", "Bad Login", "--db", url]) == 1
    assert "login" in capsys.readouterr().err
    assert users.list_users(world.ctx) == []


def test_cli_usage_errors_exit_2(world: World, db: Database) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    with pytest.raises(SystemExit) as caught:
        main(["user", "add", "lixl", "--role", "chief", "--db", url])
    assert caught.value.code == 2
