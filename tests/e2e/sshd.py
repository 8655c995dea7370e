"""A real OpenSSH server of the test's own, on 127.0.0.1 and a free port.

It has its own host key, config and ``authorized_keys``, logs at DEBUG1 to a file the test
reads, and logs in as the user running the suite (root in CI). The server config allows
forwarding and the sftp subsystem, so what refuses them in these tests is the key's
``restrict`` line and the forced command, as on a branch's server.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

# Waiting for sshd, not timing it: a slow CI machine only waits longer.
PATIENCE = 60.0
PRIVSEP_DIR = Path("/run/sshd")


def need_sshd() -> Path:
    found = shutil.which("sshd") or ("/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else None)
    if found is None:
        pytest.skip("sshd is not installed (.ci/run installs Debian's openssh-server)")
    if shutil.which("ssh") is None or shutil.which("ssh-keygen") is None:
        pytest.skip("the OpenSSH client is not installed")
    return Path(found)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def keygen(path: Path, comment: str = "") -> Path:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
        check=True,
    )
    return path


class SshServer:
    def __init__(self, sshd: Path, folder: Path) -> None:
        self.sshd = sshd
        self.folder = folder
        self.port = free_port()
        self.user = getpass.getuser()
        self.log = folder / "sshd.log"
        self.authorized_keys = folder / "authorized_keys"
        self.authorized_keys.write_text("")
        self.process: subprocess.Popen[bytes] | None = None

    def config(self) -> Path:
        host_key = keygen(self.folder / "host_key")
        path = self.folder / "sshd_config"
        path.write_text(
            "\n".join(
                [
                    f"Port {self.port}",
                    "ListenAddress 127.0.0.1",
                    f"HostKey {host_key}",
                    f"PidFile {self.folder / 'sshd.pid'}",
                    f"AuthorizedKeysFile {self.authorized_keys}",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "PermitRootLogin prohibit-password",
                    # The test's files live under /tmp, which StrictModes refuses.
                    "StrictModes no",
                    "AllowTcpForwarding yes",
                    "AllowAgentForwarding yes",
                    "Subsystem sftp internal-sftp",
                    "LogLevel DEBUG1",
                    "",
                ]
            )
        )
        return path

    def start(self) -> None:
        config = self.config()
        if os.geteuid() == 0:
            # Started as root, sshd chroots its unprivileged child here; Debian's service
            # unit makes it at boot, which a container never ran.
            PRIVSEP_DIR.mkdir(mode=0o755, exist_ok=True)
        self.process = subprocess.Popen(
            [str(self.sshd), "-D", "-f", str(config), "-E", str(self.log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.wait_log(f"Server listening on 127.0.0.1 port {self.port}", "sshd listening")

    def wait_log(self, text: str, what: str) -> str:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            shown = self.log.read_text(errors="replace") if self.log.exists() else ""
            if text in shown:
                return shown
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"sshd ended ({self.process.returncode}):\n{shown}")
            time.sleep(0.05)
        raise AssertionError(f"never saw {what} in the sshd log:\n{shown}")

    def install(self, line: str) -> None:
        self.authorized_keys.write_text(line.rstrip("\n") + "\n")

    def client(self, key: Path, *options: str) -> list[str]:
        """``ssh`` to this server with ``key`` only, no config, no known-hosts prompts."""
        return [
            "ssh",
            "-F",
            "/dev/null",
            "-i",
            str(key),
            "-p",
            str(self.port),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            *options,
            f"{self.user}@127.0.0.1",
        ]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=PATIENCE)
