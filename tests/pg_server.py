"""A throw-away PostgreSQL server started from the installed binaries.

``initdb`` and ``postgres`` refuse to run as root, and CI runs as root: then the server runs
as the ``postgres`` system user (Debian's package creates it) through ``runuser``.

Each pytest-xdist worker starts one of its own. The binaries run in the C.UTF-8 locale
whatever the shell's (``initdb`` refuses a locale the machine has not generated), and the
data folder goes where the caller says (the tests put it in memory when there is room).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def find_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key)
    if candidates:
        return Path(candidates[-1])
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version_key(path: str) -> tuple[int, ...]:
    part = Path(path).parent.name
    return tuple(int(p) for p in part.split(".") if p.isdigit())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """Start with :meth:`start`, stop with :meth:`stop`; ``url(db)`` names a database."""

    def __init__(self, folder: Path | None = None) -> None:
        bindir = find_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
        self.bindir = bindir
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="policeroom-pg-", dir=folder))
        self.data = self.root / "data"
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        environment = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("LC_") and name not in ("LANG", "LANGUAGE")
        }
        environment["LC_ALL"] = "C.UTF-8"
        subprocess.run(command, check=True, capture_output=True, cwd=self.root, env=environment)

    def start(self) -> PostgresServer:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        for attempt in range(3):
            try:
                self._start()
                return self
            except subprocess.CalledProcessError:
                # Another worker may have taken the port between choosing and binding it.
                if attempt == 2:
                    raise
                self.port = _free_port()
        return self

    def _start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"
