"""The login screen the desk opens on: keys only, a generic refusal, lockout, then the desk."""

from __future__ import annotations

import argparse
import os

from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from policeroom.commands import tui_cmd
from policeroom.models.audit import Role, UserCreate
from policeroom.services.core import passwords, users
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.shell.login_screen import LoginScreen
from policeroom.ui.shell.main_screen import MainScreen
from tests.conftest import _pg_admin
from tests.pg_server import PostgresServer
from tests.ui.conftest import settle, until
from tests.unit.people_world import World

PASSWORD = "光明路值班-口令2026"


def _with_login(world: World) -> None:
    users.create_user(
        world.ctx,
        UserCreate(login="wangjg", role=Role.DESK, police_room_id=world.room_id),
        PASSWORD,
    )


def _message(app: PoliceRoomApp) -> str:
    return str(app.screen.query_one("#login-message", Static).render())


async def _try(pilot: Pilot[object], password: str) -> None:
    app = pilot.app
    assert isinstance(app.screen, LoginScreen)
    await pilot.press(*password, "enter")
    await settle(pilot)


async def test_a_wrong_password_gets_the_generic_message_and_empties_the_box(
    world: World,
) -> None:
    _with_login(world)
    app = PoliceRoomApp(world.ctx, login="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await pilot.press(*"wangjg", "enter")
        await until(pilot, lambda: app.screen.focused is app.screen.query_one("#login-password"))
        await _try(pilot, "不对的口令-2026")
        assert _message(app) == "login or password is wrong"
        assert app.screen.query_one("#login-password", Input).value == ""
        # An unknown login gets the very same sentence.
        name = app.screen.query_one("#login-name", Input)
        await pilot.press("shift+tab", *["backspace"] * 6, *"nobody", "enter")
        await until(pilot, lambda: name.value == "nobody")
        await _try(pilot, PASSWORD)
        assert _message(app) == "login or password is wrong"
        assert isinstance(app.screen, LoginScreen)


async def test_five_failures_lock_the_account(world: World) -> None:
    _with_login(world)
    app = PoliceRoomApp(world.ctx, login="wangjg")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(passwords.MAX_FAILURES):
            await _try(pilot, "不对的口令-2026")
        assert "locked until" in _message(app)
        await _try(pilot, PASSWORD)
        assert "locked until" in _message(app)
        assert isinstance(app.screen, LoginScreen)


async def test_the_right_password_opens_the_desk_as_that_user(world: World) -> None:
    _with_login(world)
    app = PoliceRoomApp(world.ctx, login="wangjg")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # --user only fills in the login: the password box has the focus.
        assert app.screen.focused is app.screen.query_one("#login-password")
        await _try(pilot, PASSWORD)
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot)
        assert app.ctx.actor.login == "wangjg" and app.ctx.actor.role is Role.DESK
        header = app.screen.query_one("#header-user", Label)
        assert "wangjg" in str(header.render())


async def test_the_database_opens_behind_the_login_screen_from_its_first_key(
    world: World,
) -> None:
    """As ``policeroom --db FILE`` starts: the login screen comes first, the database is
    opened (and the services loaded) once a key is typed, and the login then works on it."""
    _with_login(world)
    url = world.ctx.db.engine.url.render_as_string(hide_password=False)
    connection = tui_cmd.desk_connection(argparse.Namespace(db=url))
    app = PoliceRoomApp(connection, login="wangjg")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, LoginScreen)
            assert connection.opened is None
            await pilot.press(PASSWORD[0])
            await until(pilot, lambda: connection.opened is not None)
            await pilot.press(*PASSWORD[1:], "enter")
            await until(pilot, lambda: isinstance(app.screen, MainScreen))
            assert app.ctx.actor.login == "wangjg" and app.ctx.db is connection().db
            await settle(pilot)
    finally:
        connection.close()


async def test_on_postgresql_a_database_without_schema_is_told_at_the_login(
    pg_server: PostgresServer,
) -> None:
    """On PostgreSQL the revision is read behind the login screen (the driver alone is a
    fifth of a second to import): what the shell was told before the first frame, the
    password check tells, in the same words, and nothing is created."""
    name = f"empty{os.getpid()}"
    _pg_admin(pg_server, f"CREATE DATABASE {name}")
    try:
        url = pg_server.url(name)
        connection = tui_cmd.desk_connection(argparse.Namespace(db=url))
        app = PoliceRoomApp(connection, login="wangjg")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, LoginScreen)
            assert connection.opened is None
            await pilot.press(*PASSWORD, "enter")
            message = app.screen.query_one("#login-message", Static)
            await until(pilot, lambda: "db upgrade" in str(message.render()))
            assert "has no schema" in str(message.render())
            assert isinstance(app.screen, LoginScreen)
        connection.close()
    finally:
        _pg_admin(pg_server, f"DROP DATABASE {name} WITH (FORCE)")
