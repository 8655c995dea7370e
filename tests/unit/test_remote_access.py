"""Remote sessions: the login an SSH key maps to, its audit row, its one export folder,
and the ``policeroom ssh`` commands' refusals (the real sshd is in tests/e2e/test_ssh.py)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import col

from policeroom.cli import main
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, Role, User, UserCreate
from policeroom.services.core import audit, files, users
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import Forbidden, NotFound, ValidationError
from policeroom.services.core.remote import Origin, open_remote_session
from policeroom.services.disputes import ledger
from policeroom.services.duty import views
from tests.unit.people_world import World, build_world

FINGERPRINT = "SHA256:2s0yiE5QgB5iC5oK9yRbhtbFOs5cSqi9C1/ut6xhIvU"


@pytest.fixture
def world(db: Database, clock: Clock) -> World:
    world = build_world(db, clock)
    users.create_user(
        world.ctx, UserCreate(login="wangjq", role=Role.DESK, staff_id=world.officer_id)
    )
    return world


def _logins(world: World) -> list[audit.AuditEntry]:
    user = users.get_user(world.ctx, "wangjq")
    entries = audit.history(world.ctx, "app_user", user.id)
    return [entry for entry in entries if entry.action is AuditAction.LOGIN]


def _disable(db: Database, login: str) -> None:
    with db.transaction() as session:
        session.execute(sa.update(User).where(col(User.login) == login).values(active=False))


def test_a_remote_session_acts_as_its_login_and_is_audited(world: World) -> None:
    origin = Origin(key=FINGERPRINT, client="10.8.0.12:51234")
    actor = open_remote_session(world.ctx, "wangjq", origin)
    assert (actor.login, actor.role, actor.police_room_id) == ("wangjq", Role.DESK, world.room_id)
    [entry] = _logins(world)
    assert (entry.action, entry.user_login) == (AuditAction.LOGIN, "wangjq")
    assert json.loads(entry.after) == {"via": "ssh", "key": FINGERPRINT, "from": "10.8.0.12:51234"}


def test_a_trainers_key_opens_nothing(world: World) -> None:
    users.create_user(world.ctx, UserCreate(login="jiaolian", role=Role.TRAINER))
    with pytest.raises(Forbidden, match="training copies only"):
        open_remote_session(world.ctx, "jiaolian", Origin(key=FINGERPRINT))


def test_a_disabled_or_unknown_login_opens_nothing_and_writes_nothing(world: World) -> None:
    _disable(world.ctx.db, "wangjq")
    with pytest.raises(Forbidden, match="disabled"):
        open_remote_session(world.ctx, "wangjq", Origin(key=FINGERPRINT))
    with pytest.raises(NotFound, match="no user nobody"):
        open_remote_session(world.ctx, "nobody", Origin())
    assert _logins(world) == []


def _confined(world: World, folder: Path) -> ServiceContext:
    folder.mkdir()
    return dataclasses.replace(world.ctx, export_dir=folder)


def test_a_confined_session_writes_only_into_its_folder(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    ctx = _confined(world, folder)
    assert files.export_target(ctx, "台账.csv") == folder / "台账.csv"
    assert files.export_target(ctx, str(folder / "a.xlsx")) == folder / "a.xlsx"
    outside = tmp_path / "elsewhere.csv"
    for typed in (str(outside), "../x.csv", "sub/x.csv", ".bashrc", "..", "/etc/passwd"):
        with pytest.raises(ValidationError) as caught:
            files.export_target(ctx, typed)
        assert caught.value.for_field("path"), typed
    (folder / "link.csv").symlink_to(outside)
    with pytest.raises(ValidationError, match="link"):
        files.export_target(ctx, "link.csv")
    # The services keep the same rule at their own door.
    with pytest.raises(ValidationError):
        ledger.export_csv(ctx, outside)
    with pytest.raises(ValidationError):
        ledger.export_xlsx(ctx, outside)
    with pytest.raises(ValidationError):
        views.print_week(ctx, world.room_id, date(2022, 4, 25), "text", outside)
    assert not outside.exists()
    assert ledger.export_csv(ctx, folder / "台账.csv") == 0
    assert (folder / "台账.csv").read_text(encoding="utf-8-sig").startswith("No.,")
    views.print_week(ctx, world.room_id, date(2022, 4, 25), "text", Path("roster.txt"))
    assert (folder / "roster.txt").exists()


def test_unconfined_exports_go_where_they_are_told(world: World, tmp_path: Path) -> None:
    assert files.export_target(world.ctx, str(tmp_path / "a.csv")) == tmp_path / "a.csv"
    assert ledger.export_csv(world.ctx, tmp_path / "a.csv") == 0


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _key(tmp_path: Path) -> Path:
    subprocess.run(
        [
            "ssh-keygen",
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "王建强@R0101",
            "-f",
            str(tmp_path / "k"),
        ],
        check=True,
    )
    return tmp_path / "k"


def test_authorized_key_prints_one_restricted_line(
    world: World, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = _key(tmp_path)
    public = (tmp_path / "k.pub").read_text().strip()
    folder = tmp_path / "exports"
    assert (
        main(
            [
                "--db",
                _url(db),
                "ssh",
                "authorized-key",
                "wangjq",
                f"{key}.pub",
                "--exports",
                str(folder),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.startswith('restrict,pty,command="')
    assert out.rstrip("\n").endswith(f'" {public}')
    command = out.split('command="', 1)[1].rsplit('" ', 1)[0]
    assert " ssh session wangjq --key SHA256:" in command
    assert f"--exports {folder}" in command
    assert "--db " in command


def test_authorized_key_refuses_what_is_not_one_public_key_of_an_active_login(
    world: World, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = _key(tmp_path)
    two = tmp_path / "two.pub"
    two.write_text((tmp_path / "k.pub").read_text() * 2)
    junk = tmp_path / "junk.pub"
    junk.write_text("ssh-ed25519 not-a-key 王\n")
    cases = [
        (["wangjq", str(key)], "private key"),
        (["wangjq", str(two)], "one public key line"),
        (["wangjq", str(junk)], "not an OpenSSH public key"),
        (["wangjq", str(tmp_path / "missing.pub")], "cannot read"),
        (["nobody", f"{key}.pub"], "no user nobody"),
    ]
    for argv, message in cases:
        assert main(["--db", _url(db), "ssh", "authorized-key", *argv]) == 1, argv
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
    _disable(db, "wangjq")
    assert main(["--db", _url(db), "ssh", "authorized-key", "wangjq", f"{key}.pub"]) == 1
    assert "disabled" in capsys.readouterr().err


def test_the_session_command_runs_nothing_asked_and_needs_a_terminal(
    world: World, db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "scp -t /etc")
    assert main(["--db", _url(db), "ssh", "session", "wangjq"]) == 1
    assert "opens the desk program only" in capsys.readouterr().err
    monkeypatch.delenv("SSH_ORIGINAL_COMMAND")
    # pytest's stdin is no terminal: a client that asked for none gets one line, no desk.
    assert main(["--db", _url(db), "ssh", "session", "wangjq"]) == 1
    assert "needs a terminal" in capsys.readouterr().err
    assert _logins(world) == []
