"""``policeroom user add|passwd|disable|unlock`` through ``cli.main`` with passwords on stdin."""

from __future__ import annotations

import io

import pytest
from sqlmodel import col, select

from policeroom.cli import main
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog, Role
from policeroom.services.core import passwords
from policeroom.services.core.context import Actor
from policeroom.services.core.passwords import LoginRefused
from tests.unit.people_world import World, build_world

ADMIN_PASSWORD = "分局管理员-口令2026"
DESK_PASSWORD = "光明路值班-口令2026"


@pytest.fixture
def world(sqlite_db: Database, clock: Clock) -> World:
    return build_world(sqlite_db, clock)


def _run(world: World, monkeypatch: pytest.MonkeyPatch, stdin: str, *argv: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    url = world.ctx.db.engine.url.render_as_string(hide_password=False)
    return main([*argv, "--db", url])


@pytest.fixture
def with_admin(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """The first administrator, added without --admin: the user table is empty."""
    code = _run(
        world, monkeypatch, ADMIN_PASSWORD + "\n", "user", "add", "ops", "--role", "admin",
        "--password-stdin",
    )  # fmt: skip
    assert code == 0
    return world


def test_the_first_admin_needs_no_admin_and_then_every_change_does(
    with_admin: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = with_admin
    assert passwords.authenticate(world.ctx, "ops", ADMIN_PASSWORD).role is Role.ADMIN
    capsys.readouterr()
    code = _run(
        world, monkeypatch, DESK_PASSWORD + "\n", "user", "add", "wangjg", "--staff", "G001",
        "--password-stdin",
    )  # fmt: skip
    assert code == 2 and "--admin" in capsys.readouterr().err
    code = _run(
        world, monkeypatch, f"{ADMIN_PASSWORD}\n{DESK_PASSWORD}\n", "user", "add", "wangjg",
        "--staff", "G001", "--admin", "ops", "--password-stdin",
    )  # fmt: skip
    assert code == 0 and "光明路社区警务室" in capsys.readouterr().out
    actor = passwords.authenticate(world.ctx, "wangjg", DESK_PASSWORD)
    assert actor == Actor("wangjg", Role.DESK, world.room_id)
    with world.ctx.db.read() as session:
        created = session.exec(
            select(AuditLog).where(col(AuditLog.action) == AuditAction.CREATE,
                                   col(AuditLog.table_name) == "app_user")
        ).all()  # fmt: skip
    assert [row.user_login for row in created] == ["system", "ops"]
    assert all("argon2" not in row.after and "password" not in row.after for row in created)


def test_a_wrong_admin_password_or_a_non_admin_is_refused(
    with_admin: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = with_admin
    capsys.readouterr()
    code = _run(
        world, monkeypatch, f"不对的口令-2026\n{DESK_PASSWORD}\n", "user", "add", "wangjg",
        "--admin", "ops", "--password-stdin",
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "--admin: login or password is wrong" in err and err.count("\n") == 1
    _run(
        world, monkeypatch, f"{ADMIN_PASSWORD}\n{DESK_PASSWORD}\n", "user", "add", "wangjg",
        "--staff", "G001", "--admin", "ops", "--password-stdin",
    )  # fmt: skip
    capsys.readouterr()
    code = _run(
        world, monkeypatch, DESK_PASSWORD + "\n", "user", "unlock", "ops", "--admin", "wangjg"
    )
    assert code == 1 and "wangjg is not an administrator" in capsys.readouterr().err


def test_a_weak_password_adds_nobody(
    with_admin: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = with_admin
    capsys.readouterr()
    code = _run(
        world, monkeypatch, f"{ADMIN_PASSWORD}\nwoaini1314\n", "user", "add", "wangjg",
        "--admin", "ops", "--password-stdin",
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "password: this password is one of the first" in err
    assert _run(world, monkeypatch, "", "user", "list") == 0
    assert "wangjg" not in capsys.readouterr().out


def test_passwd_unlock_and_disable(
    with_admin: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = with_admin
    _run(
        world, monkeypatch, f"{ADMIN_PASSWORD}\n{DESK_PASSWORD}\n", "user", "add", "wangjg",
        "--staff", "G001", "--admin", "ops", "--password-stdin",
    )  # fmt: skip
    for _ in range(passwords.MAX_FAILURES):
        with pytest.raises(LoginRefused):
            passwords.authenticate(world.ctx, "wangjg", "猜错的口令-0000")
    with pytest.raises(LoginRefused, match="locked"):
        passwords.authenticate(world.ctx, "wangjg", DESK_PASSWORD)
    capsys.readouterr()
    code = _run(world, monkeypatch, ADMIN_PASSWORD + "\n", "user", "unlock", "wangjg",
                "--admin", "ops")  # fmt: skip
    assert code == 0 and "unlocked" in capsys.readouterr().out
    assert passwords.authenticate(world.ctx, "wangjg", DESK_PASSWORD).login == "wangjg"

    code = _run(
        world, monkeypatch, f"{ADMIN_PASSWORD}\n新口令-光明路-2027\n", "user", "passwd", "wangjg",
        "--admin", "ops", "--password-stdin",
    )  # fmt: skip
    assert code == 0
    assert passwords.authenticate(world.ctx, "wangjg", "新口令-光明路-2027").login == "wangjg"

    code = _run(world, monkeypatch, ADMIN_PASSWORD + "\n", "user", "disable", "wangjg",
                "--admin", "ops")  # fmt: skip
    assert code == 0
    with pytest.raises(LoginRefused, match="login or password is wrong"):
        passwords.authenticate(world.ctx, "wangjg", "新口令-光明路-2027")
    with world.ctx.db.read() as session:
        actions = session.exec(
            select(AuditLog.action).where(col(AuditLog.user_login) == "ops")
        ).all()  # fmt: skip
    assert AuditAction.UNLOCKED in actions and AuditAction.UPDATE in actions
