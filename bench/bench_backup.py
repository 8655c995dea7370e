"""An online backup of the branch-scale SQLite file while a desk writes, against the same
backup with nobody writing.

    .venv/bin/python bench/bench_backup.py [--db-dir /tmp] [--rate 5] [--repeat 3]

Generates (once, then reuses) the ``branch`` synthetic branch into a SQLite file, then times
``db.backup`` idle and while a desk saves residents through the services at ``--rate`` per
second (the issue asks for ≥ 4) on a thread of its own. Prints the median seconds of each,
their ratio, the writes the desk committed during the busy backups (and their rate), and
checks each copy (integrity, schema at head, a snapshot with no row missing) and that one
restores (``db.restore`` into a second file). Before the fix a paged backup restarted on
every write and never finished under this load.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import benchdata
import sqlalchemy as sa

from policeroom.db import Database, backup, check, restore, sqlite_url, upgrade
from policeroom.models.people import ResidentCreate
from policeroom.services.core.context import ServiceContext
from policeroom.services.people import residents


def _branch(folder: Path, smoke: bool) -> Database:
    """A copy of make bench's cached branch (the desk writes to it; the cache stays as is)."""
    path = folder / "bench-backup-branch.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(benchdata.generated("branch", smoke=smoke), path)
    database = Database.open(sqlite_url(path))
    upgrade(database.engine)
    return database


class Desk(threading.Thread):
    """Saves a resident every 1/rate seconds until stopped; notes when each committed."""

    def __init__(self, url: str, grid_id: int, rate: float) -> None:
        super().__init__(daemon=True)
        self.database = Database.open(url)
        self.grid_id = grid_id
        self.interval = 1 / rate
        self.stop = threading.Event()
        self.committed: list[float] = []

    def run(self) -> None:
        ctx = ServiceContext(self.database)
        number = 0
        due = time.perf_counter()
        while not self.stop.is_set():
            number += 1
            data = ResidentCreate(name="王小明", grid_id=self.grid_id, notes=f"bench-{number}")
            residents.create(ctx.keyed(f"bench-backup-{time.time_ns()}"), data)
            self.committed.append(time.perf_counter())
            due += self.interval
            self.stop.wait(max(0.0, due - time.perf_counter()))
        self.database.dispose()


def _timed_backup(database: Database, target: Path) -> float:
    target.unlink(missing_ok=True)
    start = time.perf_counter()
    backup(database.engine, target)
    return time.perf_counter() - start


def _verify(copy: Path) -> str:
    copied = Database.open(sqlite_url(copy))
    try:
        found = check(copied.engine)
    finally:
        copied.dispose()
    return "ok" if found.ok else found.summary()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--rate", type=float, default=5.0, help="desk writes per second")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="the small branch, one run")
    args = parser.parse_args()
    if args.smoke:
        args.repeat = 1
    database = _branch(args.db_dir, args.smoke)
    url = database.engine.url.render_as_string(hide_password=False)
    size = Path(str(database.engine.url.database)).stat().st_size / 2**20
    with database.engine.connect() as connection:
        grid_id = connection.execute(
            sa.text("SELECT id FROM grid WHERE level = 3 AND NOT archived ORDER BY id LIMIT 1")
        ).scalar_one()
    copy = args.db_dir / "bench-backup-copy.db"

    idle = [_timed_backup(database, copy) for _ in range(args.repeat)]
    verdict = _verify(copy)

    desk = Desk(url, int(grid_id), args.rate)
    desk.start()
    while not desk.committed:  # the desk is writing before the first backup starts
        desk.stop.wait(0.05)
    busy: list[float] = []
    during = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        busy.append(_timed_backup(database, copy))
        during += sum(1 for at in desk.committed if at >= started)
    desk.stop.set()
    desk.join()
    busy_verdict = _verify(copy)

    restored = args.db_dir / "bench-backup-restored.db"
    for suffix in ("", ".before-restore", "-wal", "-shm"):
        Path(f"{restored}{suffix}").unlink(missing_ok=True)
    target = Database.open(sqlite_url(restored))
    start = time.perf_counter()
    restore(target.engine, copy)
    restore_seconds = time.perf_counter() - start
    restored_verdict = "ok" if check(target.engine).ok else "DAMAGED"
    target.dispose()
    database.dispose()

    idle_s, busy_s = statistics.median(idle), statistics.median(busy)
    print(f"database: {size:.0f} MiB (branch scale)")
    print(f"backup idle: {idle_s:.2f} s (median of {len(idle)}); copy {verdict}")
    print(
        f"backup while a desk writes: {busy_s:.2f} s (median of {len(busy)}); "
        f"{during} writes committed during the backups, "
        f"{during / sum(busy):.1f}/s; copy {busy_verdict}"
    )
    print(f"ratio busy/idle: {busy_s / idle_s:.2f}")
    print(f"restore of the busy copy: {restore_seconds:.2f} s; restored {restored_verdict}")
    return 0 if verdict == busy_verdict == restored_verdict == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main())
