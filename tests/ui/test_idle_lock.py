"""The idle lock: it hides the whole desk, asks the password again, and keeps the typing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select
from textual.command import CommandPalette
from textual.widgets import Input, Label, Static

from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog, Role, UserCreate
from policeroom.models.people import Resident
from policeroom.services.core import audit, users
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.people.resident_form import ResidentForm
from policeroom.ui.shell.lock_screen import LockScreen
from policeroom.ui.shell.main_screen import MainScreen
from tests.ui.conftest import settle, until
from tests.unit.people_world import World, make_id

PASSWORD = "光明路值班-口令2026"
NEW_ID = make_id(date(1988, 8, 8), 17)


class Ticks:
    """A monotonic clock the test moves by hand: the idle time passes without a wait."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


def _desk_officer(world: World) -> None:
    users.create_user(
        world.ctx,
        UserCreate(login="wangjg", role=Role.DESK, police_room_id=world.room_id),
        PASSWORD,
    )


def _actions(db: Database, login: str) -> list[AuditAction]:
    with db.read() as session:
        rows = session.exec(
            select(AuditLog).where(col(AuditLog.user_login) == login).order_by(col(AuditLog.id))
        ).all()
        return [row.action for row in rows]


async def _log_in(pilot, app: PoliceRoomApp) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press(*PASSWORD, "enter")
    await until(pilot, lambda: isinstance(app.screen, MainScreen))
    await settle(pilot)


async def test_idle_lock_hides_the_form_and_the_password_brings_back_the_typing(
    world: World, ticks: Ticks
) -> None:
    _desk_officer(world)
    app = PoliceRoomApp(world.ctx, login="wangjg", idle_minutes=10, monotonic=ticks)
    async with app.run_test(size=(80, 24)) as pilot:
        await _log_in(pilot, app)
        await pilot.press("2", "n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ResidentForm)
        await pilot.press(*"孙悟空", "tab", *NEW_ID, "tab", *"13800138111")
        await settle(pilot)
        assert "孙悟空" in app.export_screenshot()  # what the lock must hide is on screen

        ticks.seconds += 10 * 60 - 1
        app.check_idle_lock()
        assert app.screen is form  # a second short of the idle time: still open

        ticks.seconds += 1
        app.check_idle_lock()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        shown = app.export_screenshot()
        for hidden in ("孙悟空", NEW_ID, "13800138111", "光明路", "张三"):
            assert hidden not in shown
        # The palette would jump to residents by name: not behind the lock.
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert not CommandPalette.is_open(app)  # type: ignore[arg-type]

        # A wrong password is refused like a wrong login, and counted.
        await pilot.press(*"不对的口令-2026", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        message = str(app.screen.query_one("#lock-message", Static).render())
        assert message == "login or password is wrong"
        assert app.screen.query_one("#lock-password", Input).value == ""

        await pilot.press(*PASSWORD, "enter")
        await until(pilot, lambda: app.screen is form)
        assert form.data()["name"] == "孙悟空"
        assert form.data()["id_number"] == NEW_ID
        assert form.data()["phone"] == "13800138111"

        # The typing is still the form's own: it saves.
        await pilot.press("tab", "tab", "tab", *"花果山1号", "tab", *"一组")
        await settle(pilot)
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    with world.ctx.db.read() as session:
        saved = session.exec(select(Resident).where(col(Resident.name) == "孙悟空")).one()
    assert saved.id_number == NEW_ID
    actions = _actions(world.ctx.db, "wangjg")
    assert actions[:4] == [
        AuditAction.LOGIN,
        AuditAction.DESK_LOCKED,
        AuditAction.LOGIN_FAILED,
        AuditAction.DESK_UNLOCKED,
    ]


async def test_keys_keep_the_desk_open_and_f12_locks_it_at_once(world: World, ticks: Ticks) -> None:
    _desk_officer(world)
    app = PoliceRoomApp(world.ctx, login="wangjg", idle_minutes=10, monotonic=ticks)
    async with app.run_test(size=(80, 24)) as pilot:
        await _log_in(pilot, app)
        # The header names who logged in, not whoever started the program.
        assert str(app.screen.query_one("#header-user", Label).render()) == "wangjg"
        ticks.seconds += 9 * 60
        await pilot.press("3")  # someone is working: the idle time starts again
        await settle(pilot)
        ticks.seconds += 9 * 60
        app.check_idle_lock()
        assert isinstance(app.screen, MainScreen)

        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await pilot.press(*PASSWORD, "enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert str(app.screen.query_one("#header-user", Label).render()) == "wangjg"
        await pilot.press("q")
    # The user's own history, as the audit service tells it (newest first).
    user_id = users.get_user(world.ctx, "wangjg").id
    told = audit.history(world.ctx, "app_user", user_id)
    assert [(entry.user_login, entry.action) for entry in reversed(told)] == [
        ("system", AuditAction.CREATE),
        ("wangjg", AuditAction.LOGIN),
        ("wangjg", AuditAction.DESK_LOCKED),
        ("wangjg", AuditAction.DESK_UNLOCKED),
        ("wangjg", AuditAction.LOGOUT),
    ]
    assert audit.check_chain(world.ctx).ok


async def test_training_locks_without_asking_a_password(world: World, ticks: Ticks) -> None:
    trainee = world.ctx.as_actor(world.ctx.actor.__class__(login="学员", role=Role.TRAINER))
    app = PoliceRoomApp(trainee, training=True, idle_minutes=1, monotonic=ticks)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ticks.seconds += 60
        app.check_idle_lock()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert not app.screen.query(Input)  # a trainee has no password to type
        assert "张三" not in app.export_screenshot()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
    assert _actions(world.ctx.db, "学员") == [AuditAction.DESK_LOCKED, AuditAction.DESK_UNLOCKED]
