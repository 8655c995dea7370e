"""Headquarters over SSH: one key, one login, the desk program and nothing else.

A real sshd (tests/e2e/sshd.py) with the ``authorized_keys`` line that ``policeroom ssh
authorized-key`` prints; the real client, in tmux where a terminal is needed.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from policeroom.db import Database, sqlite_url
from policeroom.models.audit import AuditAction
from policeroom.services.core import audit, users
from policeroom.services.core.context import ServiceContext
from tests.e2e.sshd import PATIENCE, SshServer, free_port, keygen, need_sshd
from tests.e2e.tmux_session import PROGRAM, TmuxSession, load_training, need_tmux

pytestmark = pytest.mark.e2e

LOGIN = "wangjq"


@dataclass
class Branch:
    server: SshServer
    db: Path
    key: Path
    fingerprint: str
    exports: Path


def policeroom(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "en_US.UTF-8"}
    return subprocess.run([str(PROGRAM), *args], capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def branch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Branch]:
    sshd = need_sshd()
    folder = tmp_path_factory.mktemp("ssh")
    db = folder / "branch.db"
    load_training(db)
    added = policeroom("--db", str(db), "user", "add", LOGIN, "--role", "desk", "--room", "R0101")
    assert added.returncode == 0, added.stderr
    key = keygen(folder / "officer", comment="王建强@R0101")
    exports = folder / "exports" / LOGIN
    line = policeroom(
        "--db", str(db), "--lang", "en", "ssh", "authorized-key", LOGIN, f"{key}.pub",
        "--exports", str(exports),
    )  # fmt: skip
    assert line.returncode == 0, line.stderr
    fingerprint = line.stdout.split("--key ", 1)[1].split()[0]
    server = SshServer(sshd, folder)
    server.install(line.stdout)
    server.start()
    try:
        yield Branch(server, db, key, fingerprint, exports)
    finally:
        server.stop()


@pytest.fixture
def tmux() -> Iterator[TmuxSession]:
    session = TmuxSession(need_tmux())
    try:
        yield session
    finally:
        session.stop()


def login_rows(db: Path) -> list[dict[str, str]]:
    database = Database.open(sqlite_url(db))
    try:
        ctx = ServiceContext(database)
        user = users.get_user(ctx, LOGIN)
        entries = audit.history(ctx, "app_user", user.id)
        return [
            {**json.loads(entry.after), "user": entry.user_login}
            for entry in entries
            if entry.action is AuditAction.LOGIN
        ]
    finally:
        database.dispose()


def test_the_key_opens_the_desk_as_its_login_and_audits_it(
    branch: Branch, tmux: TmuxSession
) -> None:
    before = len(login_rows(branch.db))
    tmux.start(branch.server.client(branch.key, "-tt"), {})
    screen = tmux.wait_for(
        lambda s: LOGIN in s.splitlines()[0] and "Grid tree" in s, "the desk with the login"
    )
    assert "东环路社区警务室" in screen  # the login's police room, from its user record
    tmux.keys("q")
    assert tmux.wait_exit() == 0
    rows = login_rows(branch.db)
    assert len(rows) == before + 1
    assert rows[0]["user"] == LOGIN
    assert rows[0]["via"] == "ssh"
    assert rows[0]["key"] == branch.fingerprint
    assert rows[0]["from"].startswith("127.0.0.1:")
    assert branch.exports.is_dir()
    assert branch.exports.stat().st_mode & 0o777 == 0o700


def test_the_key_runs_no_shell_or_command(branch: Branch) -> None:
    for command in (["bash"], ["echo", "pwned"], ["policeroom", "user", "list"]):
        done = subprocess.run(
            branch.server.client(branch.key, "-T") + command,
            capture_output=True,
            text=True,
            timeout=PATIENCE,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode != 0
        assert "pwned" not in done.stdout
        assert "opens the desk program only" in done.stderr


def test_scp_and_sftp_fail(branch: Branch, tmp_path: Path) -> None:
    local = tmp_path / "x.txt"
    local.write_text("x")
    target = tmp_path / "copied.txt"
    port = str(branch.server.port)
    base = ["-F", "/dev/null", "-i", str(branch.key), "-P", port, "-o", "IdentitiesOnly=yes",
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null"]  # fmt: skip
    remote = f"{branch.server.user}@127.0.0.1"
    for protocol in ([], ["-O"]):  # the SFTP protocol (OpenSSH 9 default), then legacy scp
        done = subprocess.run(
            ["scp", *protocol, *base, str(local), f"{remote}:{target}"],
            capture_output=True, text=True, timeout=PATIENCE, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert done.returncode != 0, done.stderr
        assert not target.exists()
    listing = subprocess.run(
        ["sftp", "-b", "-", *base, remote],
        input="ls /\n",
        capture_output=True,
        text=True,
        timeout=PATIENCE,
    )
    assert listing.returncode != 0
    assert "etc" not in listing.stdout


def test_port_forwarding_fails(branch: Branch) -> None:
    # The target a forward would reach: it must never see a connection.
    reached: list[bool] = []
    with socket.socket() as target:
        target.bind(("127.0.0.1", 0))
        target.listen()
        target.settimeout(PATIENCE)
        target_port = target.getsockname()[1]

        def watch() -> None:
            try:
                connection, _ = target.accept()
                reached.append(True)
                connection.close()
            except OSError:
                pass

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        # -W: the client's stdio through a direct-tcpip channel, the one -L opens.
        stdio = subprocess.run(
            branch.server.client(branch.key, "-W", f"127.0.0.1:{target_port}"),
            capture_output=True, text=True, timeout=PATIENCE, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert stdio.returncode != 0
        assert "forwarding failed" in stdio.stderr
        local_port = free_port()
        forward = subprocess.Popen(
            branch.server.client(branch.key, "-N", "-L", f"{local_port}:127.0.0.1:{target_port}"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            received = _through_forward(local_port, forward)
        finally:
            forward.send_signal(signal.SIGTERM)
            try:
                forward.wait(timeout=PATIENCE)
            except subprocess.TimeoutExpired:
                # a client still setting up its session when told to end (a loaded machine):
                # what is asserted is what reached the target, not how fast ssh quits
                forward.kill()
                forward.wait()
        assert received == b""
        back = f"{free_port()}:127.0.0.1:{target_port}"
        remote = subprocess.run(
            branch.server.client(branch.key, "-N", "-o", "ExitOnForwardFailure=yes", "-R", back),
            capture_output=True, text=True, timeout=PATIENCE, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert remote.returncode != 0
        target.close()
        watcher.join(timeout=PATIENCE)
    assert reached == []
    branch.server.wait_log("refused local port forward", "the server refusing -L")


def _through_forward(port: int, forward: subprocess.Popen[str]) -> bytes:
    """What comes back through the client's -L listener once it listens."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if forward.poll() is not None:
            raise AssertionError(f"ssh -L ended: {forward.stderr.read() if forward.stderr else ''}")
        try:
            client = socket.create_connection(("127.0.0.1", port), timeout=PATIENCE)
        except ConnectionRefusedError:
            time.sleep(0.05)
            continue
        with client:
            try:
                client.sendall(b"GET / HTTP/1.0\r\n\r\n")
                return client.recv(100)
            except ConnectionResetError:  # the client drops it when the server refuses
                return b""
    raise AssertionError("ssh -L never listened")


def test_agent_forwarding_fails(branch: Branch, tmux: TmuxSession, tmp_path: Path) -> None:
    agent_socket = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(agent_socket)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + PATIENCE
        while not agent_socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        tmux.start(
            branch.server.client(branch.key, "-tt", "-A"), {"SSH_AUTH_SOCK": str(agent_socket)}
        )
        tmux.wait_for(lambda s: LOGIN in s.splitlines()[0], "the desk over a forwarded agent")
        branch.server.wait_log("agent forwarding disabled", "the server refusing the agent")
        tmux.keys("q")
        assert tmux.wait_exit() == 0
    finally:
        agent.terminate()
        agent.wait(timeout=PATIENCE)


def test_the_lock_over_ssh_hides_the_desk_and_asks_the_logins_password(
    branch: Branch, tmux: TmuxSession
) -> None:
    password = "东环路值班-口令2026"
    env = {**os.environ, "LANG": "en_US.UTF-8"}
    given = subprocess.run(
        [str(PROGRAM), "--db", str(branch.db), "user", "passwd", LOGIN, "--password-stdin"],
        input=f"{password}\n",
        capture_output=True,
        text=True,
        env=env,
    )
    assert given.returncode == 0, given.stderr
    tmux.start(branch.server.client(branch.key, "-tt"), {})
    tmux.wait_for(lambda s: "Grid tree" in s, "the desk")
    tmux.keys("F12")
    screen = tmux.wait_for(lambda s: "policeroom: locked" in s, "the lock screen")
    assert "东环路社区警务室" not in screen and "Grid tree" not in screen
    assert f"{LOGIN}: type your password" in screen
    tmux.text(password)
    # A burst of typed text and its enter arrive as one; a person looks before pressing it.
    tmux.wait_for(lambda s: "•" * len(password) in s, "the password typed, hidden")
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "Grid tree" in s and "locked" not in s, "the desk again")
    tmux.keys("q")
    assert tmux.wait_exit() == 0
    database = Database.open(sqlite_url(branch.db))
    try:
        ctx = ServiceContext(database)
        entries = audit.history(ctx, "app_user", users.get_user(ctx, LOGIN).id)
    finally:
        database.dispose()
    newest = [(entry.user_login, entry.action) for entry in entries[:3]]
    assert newest == [
        (LOGIN, AuditAction.LOGOUT),
        (LOGIN, AuditAction.DESK_UNLOCKED),
        (LOGIN, AuditAction.DESK_LOCKED),
    ]
