"""Start-up, memory and terminal bytes of the real program on a real pseudo-terminal.

    .venv/bin/python bench/bench_terminal.py [--db PATH] [--runs 5] [--smoke]

Every figure is a ratio to a baseline measured in the same run, interleaved with it (the
machines here are shared and noisy): start to first frame and peak memory against a bare
Textual app showing one Static; bytes at start against that app; bytes for one ``down``
against a minimal list app; bytes for ``down`` in the grid tree and while idle in the
search box over SSH in absolute numbers (their goals are absolute). 80x24, ``TERM=xterm``.
``--db`` defaults to a fresh copy of the training data. ``--smoke`` runs each step once
and prints no verdicts: ``make test`` uses it to prove the benchmark still runs.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PROGRAM = Path(sys.executable).with_name("policeroom")
HERE = Path(__file__).parent
DOWN = b"\x1b[B"
# Output is "settled" once the program has written nothing for this long.
QUIET = 0.6
PATIENCE = 60.0

BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield Static("Grid tree")
Bare().run()
"""

LIST_APP = """
from textual.app import App
from textual.widgets import DataTable
class Listed(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield DataTable(cursor_type="row")
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("姓名", "地址")
        table.add_rows([(f"张{i}", f"东环路{i}号") for i in range(200)])
Listed().run()
"""


@dataclass
class Run:
    """One program on a pty: what it wrote, when, and how it ended."""

    argv: Sequence[str]
    env: dict[str, str]
    output: bytearray = field(default_factory=bytearray)
    started: float = 0.0
    fd: int = -1
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            self.argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,  # Textual draws on stderr
            env=self.env,
            start_new_session=True,
        )
        os.close(slave)
        self.fd = master

    def read_until(self, done: Callable[[bytes], bool]) -> float:
        """Read until ``done(output)``; the seconds since start when it became true."""
        deadline = time.monotonic() + PATIENCE
        while not done(bytes(self.output)):
            if time.monotonic() > deadline:
                raise SystemExit(f"never saw the expected output of {self.argv[:3]}")
            self._read(0.05)
        return time.perf_counter() - self.started

    def settle(self, quiet: float = QUIET) -> int:
        """Read until nothing comes for ``quiet`` seconds; the bytes read meanwhile."""
        before = len(self.output)
        while self._read(quiet):
            pass
        return len(self.output) - before

    def send(self, data: bytes) -> int:
        """Write ``data`` as typed keys; the bytes the program answers with once settled."""
        os.write(self.fd, data)
        return self.settle()

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return False
        self.output.extend(chunk)
        return bool(chunk)


def environment(remote: bool = False) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SSH_", "POLICEROOM_", "TEXTUAL"))
    }
    env.update(TERM="xterm", LANG="en_US.UTF-8", COLUMNS="80", LINES="24")
    # The login screen's password box would blink forever and no reading would ever settle;
    # over SSH the desk holds its cursors steady anyway.
    env["POLICEROOM_CURSOR_BLINK"] = "0"
    if remote:
        env["SSH_CONNECTION"] = "10.0.0.2 50000 10.0.0.1 22"
    return env


# The desk opens on its login screen. The bench logs in as headquarters, who sees the whole
# branch as the desk did before logins: a desk officer's tree has one street, and a second
# `down` at its end would measure nothing.
LOGIN = "hq.mulei"
PASSWORD = "优越路值班-口令2026"
LOG_IN = PASSWORD.encode() + b"\r"
LOGIN_SHOWN = b"Password"


def training_db(folder: Path) -> Path:
    path = folder / "training.db"
    load_training(str(path))
    return path


def load_training(db: str) -> None:
    for step in (["db", "upgrade"], ["fixtures", "load", "training"]):
        subprocess.run([str(PROGRAM), *step, "--db", db], check=True, capture_output=True)


def postgres_training_db() -> tuple[object, str]:
    """A throw-away PostgreSQL server (the tests' helper) holding the training data."""
    sys.path.insert(0, str(HERE.parent))
    from tests.pg_server import PostgresServer

    server = PostgresServer().start()
    url = server.url()
    load_training(url)
    return server, url


def set_password(db: Path | str) -> None:
    subprocess.run(
        [str(PROGRAM), "user", "passwd", LOGIN, "--password-stdin", "--db", str(db)],
        input=(PASSWORD + "\n").encode(),
        check=True,
        capture_output=True,
    )


def desk_argv(db: Path | str) -> list[str]:
    # --user fills in the login, so the password box has the focus.
    return [str(PROGRAM), "--db", str(db), "--lang", "en", "--user", LOGIN]


def log_in(run: Run) -> None:
    run.read_until(started(LOGIN_SHOWN))
    run.settle()
    run.send(LOG_IN)


def started(marker: bytes) -> Callable[[bytes], bool]:
    return lambda output: marker in output


def measure_start(argv: Sequence[str], marker: bytes) -> tuple[float, int, int]:
    """Seconds to the first frame showing ``marker``, peak KB, bytes written at start."""
    run = Run(argv, environment())
    run.start()
    seconds = run.read_until(started(marker))
    run.settle()
    written = len(run.output)
    assert run.process is not None
    # Killed, not quit: on the login screen a "q" would only be typed into the password box.
    run.process.kill()
    _, status, usage = os.wait4(run.process.pid, 0)
    os.close(run.fd)
    return seconds, usage.ru_maxrss, written


def measure_keys(
    argv: Sequence[str], ready: bytes, keys: Sequence[bytes], env: dict[str, str]
) -> int:
    """Bytes the program writes for the last of ``keys``, after the others settled."""
    run = Run(argv, env)
    run.start()
    if argv[0] == str(PROGRAM):
        log_in(run)
    run.read_until(started(ready))
    run.settle()
    for key in keys[:-1]:
        run.send(key)
    written = run.send(keys[-1])
    assert run.process is not None
    run.process.kill()
    run.process.wait()
    os.close(run.fd)
    return written


def idle_bytes_per_second(
    argv: Sequence[str], ready: bytes, keys: Sequence[bytes], seconds: float
) -> float:
    run = Run(argv, environment(remote=True))
    run.start()
    log_in(run)
    run.read_until(started(ready))
    run.settle()
    for key in keys:
        run.send(key)
    before = len(run.output)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run._read(0.1)
    assert run.process is not None
    run.process.kill()
    run.process.wait()
    os.close(run.fd)
    return (len(run.output) - before) / seconds


def medians(runs: list[tuple[float, int, int]]) -> tuple[float, float, float]:
    seconds, kb, written = (statistics.median(x) for x in zip(*runs, strict=True))
    return seconds, kb, written


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}x" if baseline else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument(
        "--postgres", action="store_true", help="the training data on a throw-away PostgreSQL"
    )
    args = parser.parse_args()
    runs = 1 if args.smoke else args.runs
    server = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            db: Path | str
            if args.postgres:
                server, db = postgres_training_db()
            else:
                db = args.db or training_db(Path(folder))
            set_password(db)
            bare = [sys.executable, "-c", BARE_APP]
            listed = [sys.executable, "-c", LIST_APP]
            desk = desk_argv(db)
            starts: dict[str, list[tuple[float, int, int]]] = {"bare": [], "desk": []}
            for _ in range(runs):  # interleaved, so a noisy neighbour hits both alike
                starts["bare"].append(measure_start(bare, b"Grid tree"))
                # The desk's first frame is its login screen.
                starts["desk"].append(measure_start(desk, LOGIN_SHOWN))
            bare_s, bare_kb, bare_b = (
                statistics.median(x) for x in zip(*starts["bare"], strict=True)
            )
            desk_s, desk_kb, desk_b = (
                statistics.median(x) for x in zip(*starts["desk"], strict=True)
            )
            list_down = measure_keys(listed, b"\xe5\xbc\xa0", [DOWN, DOWN], environment())
            rows_ready = b"Residents"
            residents_down = measure_keys(desk, rows_ready, [b"2", DOWN, DOWN], environment())
            tree_down = measure_keys(desk, rows_ready, [DOWN, DOWN], environment())
            idle = idle_bytes_per_second(
                desk, rows_ready, [b"2", b"/"], 3.0 if not args.smoke else 1.0
            )

    finally:
        if server is not None:
            server.stop()  # type: ignore[attr-defined]
    where = "PostgreSQL, training" if args.postgres else "given" if args.db else "training"
    print(f"database: {where}; medians of {runs} interleaved runs")
    rows = [
        (
            "start to first frame",
            f"bare {bare_s * 1000:7.0f} ms",
            f"desk {desk_s * 1000:7.0f} ms",
            ratio(desk_s, bare_s),
            "<= 1.5x",
        ),
        (
            "peak memory at start",
            f"bare {bare_kb / 1024:7.1f} MB",
            f"desk {desk_kb / 1024:7.1f} MB",
            ratio(desk_kb, bare_kb),
            "<= 2x",
        ),
        (
            "bytes at start",
            f"bare {bare_b:7.0f} B",
            f"desk {desk_b:7.0f} B",
            ratio(desk_b, bare_b),
            "<= 1.5x",
        ),
        (
            "one down, residents",
            f"list {list_down:7d} B",
            f"desk {residents_down:7d} B",
            ratio(residents_down, list_down),
            "<= 300 B",
        ),
        ("one down, grid tree", "", f"desk {tree_down:7d} B", "", "<= 5 KB"),
    ]
    for name, base, ours, times, goal in rows:
        print(f"{name:<22} {base:<16} {ours:<16} {times:>7}  (goal {goal})")
    print(f"idle in search, SSH                      desk {idle:7.0f} B/s           (goal 0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
